#pragma once
/// @file clean_upscale.h
/// @brief Runs the clean upscaler on an image of any size: the bicubic base of the whole image
/// plus the network's residual computed in low-resolution tiles with a halo as wide as the
/// network's receptive field, so tiled and untiled results agree (up to float rounding) and no
/// blending is needed.

#include <torch/types.h>

#include "model/residual_shift_nets.h"
#include "refine/engine/enhance.h"

namespace refine {

/// The clean upscale of lowRes [N, 3, h, w] (float32, in [-1, 1], on the net's device), float32.
/// The network runs in `dtype` on tiles of at most `tileSide` low-resolution pixels a side.
torch::Tensor cleanUpscale(CleanUpscaler& net, const torch::Tensor& lowRes, torch::ScalarType dtype,
                           int64_t tileSide, const CancelToken* cancel);

}  // namespace refine
