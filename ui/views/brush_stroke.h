#pragma once
/// @file brush_stroke.h
/// @brief One brush stroke being painted on an image view, kept in content (image) pixels so it
/// stays under the cursor whatever the shared zoom and pan do while painting.

#include <QPainterPath>
#include <QPointF>

class QPainter;
class QTransform;

namespace refine::ui {

class BrushStroke {
public:
    void begin(QPointF at, double diameter);
    void extendTo(QPointF at);
    void clear() { m_line = QPainterPath(); }
    bool isActive() const { return m_line.elementCount() > 0; }
    /// The area the round brush covered along the stroke (a filled path).
    QPainterPath area() const;

private:
    QPainterPath m_line;  // the cursor's path
    double m_diameter = 0;
};

/// Paints a brush selection `area` (content pixels, mapped by `toWidget`) as a translucent wash
/// with a thin outline, readable over light and dark photos; `washed` false: the outline alone,
/// so that what lies inside shows as it is.
void paintBrushArea(QPainter& painter, const QPainterPath& area, const QTransform& toWidget, bool washed = true);

}  // namespace refine::ui
