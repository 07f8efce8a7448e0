#pragma once
/// @file forward_benchmark.h
/// @brief What one denoising step of an architecture costs: the time of one UNet forward pass
/// (batch 1, square input, random weights, no gradients), the number that decides inference speed.

#include "model/unet_config.h"

namespace refine::train {

struct ForwardCost {
    double secondsPerForward = 0;
    double secondsPerMegapixel = 0;  ///< per output megapixel per denoising step
    int64_t parameters = 0;
};

/// Median of `repeats` timed passes after one warm-up pass, on the CPU with the current threads.
ForwardCost measureForwardCost(const UNetConfig& config, int side, int repeats = 5);

}  // namespace refine::train
