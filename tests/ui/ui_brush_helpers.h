#pragma once
/// @file ui_brush_helpers.h
/// @brief What the tests of painted (brush) areas share: painting a stroke on a view as a person
/// would, the weights of a feathered mask, and where two images differ (files read back:
/// ui_test_helpers.h).

#include <QApplication>
#include <QMouseEvent>
#include <QTest>

#include <algorithm>
#include <cmath>

#include "explore/region_mask.h"
#include "refine/engine/image.h"
#include "views/image_view.h"
#include "ui_test_helpers.h"  // readBytes

namespace refine::ui::test {

/// Largest change of `a` against `b` at the pixels where `where(x, y)` holds.
template <typename Where>
double changeWhere(const ImageF& a, const ImageF& b, Where where)
{
    double d = 0;
    for (int y = 0; y < a.height; ++y)
        for (int x = 0; x < a.width; ++x)
            if (where(x, y))
                for (int c = 0; c < 3; ++c)
                    d = std::max(d, double(std::abs(a.at(x, y, c) - b.at(x, y, c))));
    return d;
}

/// The blend weight of `mask` at (x, y) in content pixels: 0..255, 0 outside the mask.
inline int weightAt(const FeatheredMask& mask, int x, int y)
{
    const QPoint p = QPoint(x, y) - mask.origin;
    return QRect(QPoint(0, 0), mask.weights.size()).contains(p) ? mask.weights.pixelColor(p).red() : 0;
}

/// Paints a stroke on `view` through content points `from` to `to`, as a person would, with
/// `modifiers` held (Shift: the stroke erases).
inline void paintStroke(ImageView* view, QPointF from, QPointF to, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    const QPoint start = view->mapFromContent(from).toPoint(), end = view->mapFromContent(to).toPoint();
    QTest::mousePress(view, Qt::LeftButton, modifiers, start);
    for (int i = 1; i <= 4; ++i) {
        const QPointF at = start + (end - start) * (i / 4.0);
        QMouseEvent move(QEvent::MouseMove, at, view->mapToGlobal(at), Qt::NoButton, Qt::LeftButton, modifiers);
        QApplication::sendEvent(view, &move);
    }
    QTest::mouseRelease(view, Qt::LeftButton, modifiers, end);
}

}  // namespace refine::ui::test
