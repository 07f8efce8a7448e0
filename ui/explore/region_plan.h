#pragma once
/// @file region_plan.h
/// @brief The geometry and pixel work of Explore: which part of the input to re-sample for a
/// selected output rectangle, and how to paste a patch back with a feathered (seamless) edge.
///
/// Re-sampling runs the engine on the input crop under the selection plus a margin, because the
/// model needs surroundings to continue the picture; only the selection and a feather band
/// inside that margin are blended back, so pixels farther out are never touched.

#include <QRect>
#include <QSize>

#include <cstdint>
#include <functional>

#include "refine/engine/enhance.h"
#include "refine/engine/image.h"

namespace refine::ui {

struct RegionPlan {
    QRect selection;  ///< output pixels, inside the image
    QRect inputCrop;  ///< input pixels given to the engine
    QRect patchRect;  ///< output pixels the engine returns (inputCrop x scale)
    int feather = 0;  ///< output pixels over which the patch fades out around the selection
    bool isValid() const { return !selection.isEmpty() && !inputCrop.isEmpty(); }
};

/// Plans the re-sampling of `selection` (output pixels) of a photo of `inputSize` enlarged
/// `scale` times. `marginInput` is the context in input pixels (0: automatic).
RegionPlan planRegion(const QRect& selection, QSize inputSize, int scale, int marginInput = 0);

/// The job that samples a region of a candidate again: the candidate's own job (`candidateJob`:
/// model preset, sampler, consistency) on `input`, the photo's crop (or a repaired one), with
/// `seed` and `candidates` versions; no previews, uncertainty map or fixed tile size.
EnhanceRequest regionJobRequest(const EnhanceRequest& candidateJob, ImageF input, int candidates, std::uint64_t seed);

/// Pixels of `image` inside `rect` (which must lie within it).
ImageF cropImage(const ImageF& image, const QRect& rect);

/// The blend weight of a pixel at distance `distance` outside the selection: 1 inside, smoothly
/// down to 0 at `feather` and beyond.
float featherWeight(double distance, int feather);

/// `target` with `patch` (whose top-left lies at `patchOrigin` in target pixels) blended in over
/// `selection` with a feathered edge. Pixels farther than `feather` from the selection, or not
/// covered by the patch, are left exactly as they were.
ImageF blendPatch(const ImageF& target, const ImageF& patch, QPoint patchOrigin, const QRect& selection, int feather);

/// `target` with `patch` (top-left at `patchOrigin`) blended in over `reach` (target pixels) with
/// the weight `weightAt(x, y)` in [0, 1]; pixels of weight 0 are left exactly as they were.
ImageF blendWeighted(const ImageF& target, const ImageF& patch, QPoint patchOrigin, const QRect& reach,
                     const std::function<float(int, int)>& weightAt);

}  // namespace refine::ui
