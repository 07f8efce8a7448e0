#include "explore/region_mask.h"

#include <QPainter>

#include "explore/region_plan.h"

namespace refine::ui {

QRect maskReach(const QPainterPath& area, int feather, const QRect& bounds)
{
    return area.boundingRect().toAlignedRect().adjusted(-feather, -feather, feather, feather).intersected(bounds);
}

FeatheredMask featheredMask(const QPainterPath& area, const QRect& reach, int feather)
{
    FeatheredMask mask{QImage(reach.size(), QImage::Format_Grayscale8), reach.topLeft()};
    mask.weights.fill(0);
    QPainter painter(&mask.weights);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.translate(-reach.topLeft());
    // Rings from the outside in, each brighter than the last: a round pen of width 2d drawn
    // along the outline covers every pixel within d of the area, so no distance transform is needed.
    for (int d = feather; d >= 1; --d) {
        const int level = qRound(255 * featherWeight(d - 0.5, feather));
        painter.setPen(QPen(QColor(level, level, level), 2.0 * d, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        painter.setBrush(QColor(level, level, level));
        painter.drawPath(area);
    }
    painter.setPen(Qt::NoPen);
    painter.setBrush(Qt::white);
    painter.drawPath(area);
    return mask;
}

ImageF blendMasked(const ImageF& target, const ImageF& patch, QPoint patchOrigin, const FeatheredMask& mask)
{
    const QRect reach(mask.origin, mask.weights.size());
    return blendWeighted(target, patch, patchOrigin, reach, [&](int x, int y) {
        return mask.weights.constScanLine(y - mask.origin.y())[x - mask.origin.x()] / 255.f;
    });
}

}  // namespace refine::ui
