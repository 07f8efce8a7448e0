#pragma once
/// @file detail.h
/// @brief The Detail control of residual-shift models: clean + s (candidate - clean). The clean
/// result and every candidate are consistent with the photo (H x = y), and H is linear, so every
/// such blend is too: s = 0 is the clean result, 1 the candidate as sampled, above 1 more detail
/// than sampled. Torch-free, for the CLI and the UI, which apply it without re-running anything.

#include "refine/engine/image.h"

namespace refine {

/// The smallest and largest Detail a caller may ask for.
constexpr double kMinDetail = 0.0;
constexpr double kMaxDetail = 2.0;

/// clean + detail * (candidate - clean), clamped to [0, 1] (the only place consistency can be
/// lost, and only where the blend leaves the range). Throws refine::Error(InvalidArgument) when
/// the two images differ in size or detail is outside [kMinDetail, kMaxDetail].
ImageF blendDetail(const ImageF& clean, const ImageF& candidate, double detail);

}  // namespace refine
