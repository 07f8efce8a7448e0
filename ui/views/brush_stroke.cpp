#include "views/brush_stroke.h"

#include <QPainter>
#include <QPainterPathStroker>
#include <QTransform>

namespace refine::ui {

void BrushStroke::begin(QPointF at, double diameter)
{
    m_diameter = diameter;
    m_line = QPainterPath(at);
}

void BrushStroke::extendTo(QPointF at)
{
    if (isActive())
        m_line.lineTo(at);
}

QPainterPath BrushStroke::area() const
{
    if (!isActive())
        return {};
    QPainterPathStroker stroker;
    stroker.setWidth(m_diameter);
    stroker.setCapStyle(Qt::RoundCap);
    stroker.setJoinStyle(Qt::RoundJoin);
    // A click without a move has no length to stroke: the dot where it started covers it.
    QPainterPath dot;
    const double radius = m_diameter / 2;
    dot.addEllipse(m_line.elementAt(0), radius, radius);
    return stroker.createStroke(m_line).united(dot);
}

void paintBrushArea(QPainter& painter, const QPainterPath& area, const QTransform& toWidget, bool washed)
{
    if (area.isEmpty())
        return;
    const QPainterPath shown = toWidget.map(area);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    if (washed)
        painter.fillPath(shown, QColor(255, 64, 64, 90));
    else
        painter.strokePath(shown, QPen(QColor(0, 0, 0, 150), 3));  // the outline alone must stand out
    painter.strokePath(shown, QPen(QColor(255, 255, 255, 200), 1));
    painter.restore();
}

}  // namespace refine::ui
