#pragma once
/// @file drop_overlay.h
/// @brief The translucent "drop to add" sheet shown over the window while files are dragged
/// over it. It covers its parent and lets the drag events through to the window.

#include <QWidget>

namespace refine::ui {

class DropOverlay : public QWidget {
    Q_OBJECT
public:
    explicit DropOverlay(QWidget* parent);
    void showOver(const QString& text);

protected:
    void paintEvent(QPaintEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QString m_text;
};

}  // namespace refine::ui
