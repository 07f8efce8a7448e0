#pragma once
/// @file sr3_objective.h
/// @brief The SR3 training objective (../shared/reference/sr3.md 1b) on one batch, shared by the
/// training loop and the validation loss so both measure exactly the same thing.

#include <torch/types.h>

#include "diffusion/noise_schedule.h"
#include "model/sr3_unet.h"
#include "training_data.h"

namespace refine::train {

/// A continuous noise level per example, the high-resolution crop noised to it, and the L1 error
/// (float32) between the network's noise prediction and the noise; the network runs under bf16
/// autocast on CUDA. Draws the levels, then the noise, from `generator`.
torch::Tensor sr3NoiseLoss(Sr3UNet& net, const Batch& batch, const NoiseSchedule& schedule, torch::Generator& generator,
                           const torch::Device& device);

}  // namespace refine::train
