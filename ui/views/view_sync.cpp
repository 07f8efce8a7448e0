#include "views/view_sync.h"

#include <algorithm>

namespace refine::ui {

ViewSync::ViewSync(QObject* parent) : QObject(parent) {}

void ViewSync::fit()
{
    m_fit = true;
    m_center = {0.5, 0.5};
    Q_EMIT changed();
}

void ViewSync::setZoom(double zoom)
{
    m_fit = false;
    m_zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    Q_EMIT changed();
}

void ViewSync::zoomAbout(double currentZoom, double factor, QPointF anchor, QPointF anchorOffset, QSizeF contentSize)
{
    if (contentSize.isEmpty())
        return;
    const double zoom = std::clamp(currentZoom * factor, kMinZoom, kMaxZoom);
    // Keep the anchor under the cursor: the centre moves to anchor - offset at the new zoom.
    m_center = QPointF(anchor.x() - anchorOffset.x() / (contentSize.width() * zoom),
                       anchor.y() - anchorOffset.y() / (contentSize.height() * zoom));
    m_zoom = zoom;
    m_fit = false;
    Q_EMIT changed();
}

void ViewSync::pan(QPointF delta, QSizeF contentSize, double currentZoom)
{
    if (contentSize.isEmpty() || currentZoom <= 0)
        return;
    m_zoom = currentZoom;
    m_fit = false;
    m_center -= QPointF(delta.x() / (contentSize.width() * currentZoom),
                        delta.y() / (contentSize.height() * currentZoom));
    // Let the photo go at most to the view's edge, never out of sight.
    m_center.setX(std::clamp(m_center.x(), 0.0, 1.0));
    m_center.setY(std::clamp(m_center.y(), 0.0, 1.0));
    Q_EMIT changed();
}

}  // namespace refine::ui
