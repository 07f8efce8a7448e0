#include "repair/repair_mask.h"

#include <QImage>
#include <QPainter>

#include <algorithm>

namespace refine::ui {

std::vector<std::uint8_t> inputMaskUnder(const QPainterPath& area, const QRect& inputCrop, int scale, int grow)
{
    QImage mask(inputCrop.size(), QImage::Format_Grayscale8);
    mask.fill(0);
    if (!area.isEmpty() && scale > 0) {
        QPainter painter(&mask);
        // Antialiased, so every pixel the area touches gets some coverage, however thin the stroke.
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(1.0 / scale, 1.0 / scale);
        painter.translate(-inputCrop.left() * scale, -inputCrop.top() * scale);
        painter.setBrush(Qt::white);
        if (grow > 0)
            painter.setPen(QPen(Qt::white, 2.0 * grow * scale, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        else
            painter.setPen(Qt::NoPen);
        painter.drawPath(area);
    }
    std::vector<std::uint8_t> values(size_t(inputCrop.width()) * size_t(inputCrop.height()));
    for (int y = 0; y < mask.height(); ++y) {
        const uchar* line = mask.constScanLine(y);
        std::transform(line, line + mask.width(), values.begin() + ptrdiff_t(y) * mask.width(),
                       [](uchar coverage) { return coverage > 0 ? std::uint8_t(255) : std::uint8_t(0); });
    }
    return values;
}

int repairFeather(const RegionPlan& plan, int scale)
{
    return std::clamp(scale * 3 / 2, 2, std::max(2, plan.feather));
}

}  // namespace refine::ui
