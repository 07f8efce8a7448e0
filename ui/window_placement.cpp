#include "window_placement.h"

#include <algorithm>
#include <cmath>

namespace refine::ui {

QRect firstStartGeometry(const QRect& available, QSize needed, double share)
{
    if (available.isEmpty())
        return QRect(QPoint(0, 0), needed);
    const QSize wanted(int(std::lround(available.width() * share)), int(std::lround(available.height() * share)));
    const QSize size = wanted.expandedTo(needed).boundedTo(available.size());
    QRect geometry(QPoint(0, 0), size);
    geometry.moveCenter(available.center());
    return geometry;
}

}  // namespace refine::ui
