#pragma once
/// @file repair_mask.h
/// @brief The geometry of a repair: which input pixels the inpainting fills under a painted area,
/// and how wide the fill fades into the pixels around it.

#include <QPainterPath>
#include <QRect>

#include <cstdint>
#include <vector>

#include "explore/region_plan.h"

namespace refine::ui {

/// The input pixels of `inputCrop` that `area` (output pixels of a photo enlarged `scale` times)
/// touches, widened by `grow` input pixels: a scratch's blurred edge is damaged too. One value per
/// pixel of the crop, row by row: 255 where the inpainting fills, 0 where the photo is kept.
std::vector<std::uint8_t> inputMaskUnder(const QPainterPath& area, const QRect& inputCrop, int scale, int grow = 1);

/// The soft edge (output pixels) a repair of `plan` blends in with: about one and a half input
/// pixels, enough to hide the seam, and narrower than a region re-sample's so the repair stays
/// where it was painted.
int repairFeather(const RegionPlan& plan, int scale);

}  // namespace refine::ui
