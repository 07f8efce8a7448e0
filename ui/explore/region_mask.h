#pragma once
/// @file region_mask.h
/// @brief A painted (brush) selection as blend weights: the region jobs and region blends of
/// Explore change only the painted area, fading out around it, instead of the whole bounding box.

#include <QImage>
#include <QPainterPath>
#include <QRect>

#include "refine/engine/image.h"

namespace refine::ui {

/// A painted area (content pixels) with its soft edge.
struct FeatheredMask {
    QImage weights;  ///< Grayscale8: 255 inside the area, down to 0 at `feather` pixels outside it
    QPoint origin;   ///< where weights' top-left pixel lies in content pixels
};

/// The pixels `area` widened by `feather` reaches, inside `bounds`.
QRect maskReach(const QPainterPath& area, int feather, const QRect& bounds);

/// Rasterises `area` over `reach` with a feathered edge `feather` pixels wide; the weight at a
/// distance d outside the area is featherWeight(d, feather), as for rectangles.
FeatheredMask featheredMask(const QPainterPath& area, const QRect& reach, int feather);

/// `target` with `patch` (top-left at `patchOrigin` in target pixels) blended in by `mask`;
/// pixels where the mask is 0 are left exactly as they were.
ImageF blendMasked(const ImageF& target, const ImageF& patch, QPoint patchOrigin, const FeatheredMask& mask);

}  // namespace refine::ui
