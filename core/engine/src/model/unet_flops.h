#pragma once
/// @file unet_flops.h
/// @brief Arithmetic cost of one SR3 UNet forward pass, counted from the architecture (the same
/// walk over levels as Sr3UNetImpl's constructor). Convolutions, linear layers and the attention
/// products are counted at 2 FLOPs per multiply-add; normalization and elementwise work, which
/// move memory rather than compute, are not. This is the "FLOPs per step" of refine-bench.

#include <cstdint>

#include "model/unet_config.h"

namespace refine {

/// FLOPs of one forward pass for one image of height x width (padded up to the size multiple,
/// as the denoiser runs it).
double unetForwardFlops(const UNetConfig& config, int64_t height, int64_t width);

}  // namespace refine
