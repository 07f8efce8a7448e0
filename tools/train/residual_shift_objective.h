#pragma once
/// @file residual_shift_objective.h
/// @brief The training objective of residual-shift models on one batch, shared by the training
/// loop and the validation figures: an L1 loss of the clean upscaler against the photo, and the
/// detail network's x0 error (MSE, after the consistency projection it gets at inference too) at
/// a noise level drawn per example on the continuous schedule, from x = x0 + eta (clean - x0) +
/// kappa sqrt(eta) noise.

#include <torch/types.h>

#include "model/residual_shift_nets.h"
#include "training_data.h"

namespace refine::train {

struct ResidualShiftLosses {
    torch::Tensor clean;   ///< mean |clean - x0|, float32 scalar
    torch::Tensor detail;  ///< mean (P(x0_hat) - x0)^2, float32 scalar
};

/// `detailLevel` >= 0 fixes u for every example (validation); < 0 draws u uniformly. Draws u,
/// then the noise, from `generator`. The clean result is detached before it conditions the
/// detail network, so the two losses train their own networks.
ResidualShiftLosses residualShiftLosses(ResidualShiftNet& net, const Batch& batch, torch::Generator& generator,
                                        const torch::Device& device, double detailLevel = -1);

}  // namespace refine::train
