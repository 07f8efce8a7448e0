#pragma once
/// @file detail_control.h
/// @brief The Detail slider on a candidate of a residual-shift model, in a small plate at the
/// bottom of its cell: 0 shows the clean result, 1 the candidate as sampled, 2 twice the sampled
/// detail. It only reports: the grid previews while it is dragged, the window applies (undoably)
/// what is chosen. Double-click, or the reset button, goes back to 1.

#include <QWidget>

class QLabel;
class QSlider;
class QToolButton;

namespace refine::ui {

class DetailControl : public QWidget {
    Q_OBJECT
public:
    explicit DetailControl(QWidget* parent = nullptr);

    double value() const;
    /// Shows `detail` without emitting anything (the candidate's Detail changed elsewhere: undo).
    void setValue(double detail);
    QSlider* slider() const { return m_slider; }
    QToolButton* resetButton() const { return m_reset; }
    /// "Detail 1.00"
    QString text() const;
    /// Back to 1, as a double-click does.
    void reset();

    /// Slider positions per unit of Detail: steps of 0.01.
    static constexpr int kTicksPerUnit = 100;

Q_SIGNALS:
    /// The slider is being dragged: show `detail`, nothing is kept yet.
    void dragged(double detail);
    /// A Detail to keep: the drag ended, or a key, click, wheel or reset moved the slider.
    void chosen(double detail);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    void onSliderMoved(int ticks);
    void updateText();

    QLabel* m_label;
    QSlider* m_slider;
    QToolButton* m_reset;
};

}  // namespace refine::ui
