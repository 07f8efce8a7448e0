#pragma once
/// @file uncertainty_legend.h
/// @brief The key of the uncertainty heat map: its colour ramp from "candidates agree" to
/// "candidates differ" with the overlay's own opacity (over a checkerboard), on a dark plate so it
/// reads over any photo.

#include <QImage>
#include <QWidget>

namespace refine::ui {

class UncertaintyLegend : public QWidget {
    Q_OBJECT
public:
    explicit UncertaintyLegend(QWidget* parent = nullptr);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage m_ramp;
};

}  // namespace refine::ui
