#pragma once
/// @file split_view.h
/// @brief Before/after: the original (bicubic) left of a draggable divider, the chosen candidate
/// right of it, zoomed and panned with the grid. Holding O or backslash flicks to the original.
/// Zoom, pan and key handling are ImageView's; this class only plugs into its hooks.

#include "views/image_view.h"

namespace refine::ui {

class SplitView : public ImageView {
    Q_OBJECT
public:
    explicit SplitView(ViewSync* sync, QWidget* parent = nullptr);

    /// The "before" image: the photo's bicubic Original, rendered for what is on screen, over
    /// the same content size as the candidate. Not owned.
    void setOriginal(LazyOriginal* original);
    LazyOriginal* original() const { return m_before; }
    void setLabels(const QString& before, const QString& after);
    /// Divider position as a fraction of the width (0: all candidate, 1: all original).
    void setDivider(double fraction);
    double divider() const { return m_divider; }
    bool isShowingOriginal() const { return m_flick; }

protected:
    void paintContent(QPainter& painter, const QRectF& target) override;
    void paintForeground(QPainter& painter) override;
    bool grabPress(QPointF pos) override;
    void moveGrabbed(QPointF pos) override;
    void hoverMoved(QPointF pos) override;
    bool isHoldKey(int key) const override { return key == Qt::Key_O || key == Qt::Key_Backslash; }
    void holdChanged(bool held) override;

private:
    double dividerX() const { return m_divider * width(); }
    bool nearDivider(double x) const;
    void paintDivider(QPainter& painter) const;
    void paintLabels(QPainter& painter) const;

    LazyOriginal* m_before = nullptr;
    QMetaObject::Connection m_beforeConnection;
    QString m_beforeLabel, m_afterLabel;
    double m_divider = 0.5;
    bool m_flick = false;
};

}  // namespace refine::ui
