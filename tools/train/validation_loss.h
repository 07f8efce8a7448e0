#pragma once
/// @file validation_loss.h
/// @brief The SR3 loss on held-out crops, made comparable across runs and architectures: the
/// same crops (centre-cut, clean condition), the same noise levels and the same noise every time.

#include <functional>
#include <string>

#include <torch/nn/module.h>

#include "diffusion/noise_schedule.h"
#include "model/sr3_unet.h"
#include "training_data.h"

namespace refine::train {

class ValidationLoss {
public:
    /// `packPath`: a validation pack of refine-pack-data (--validation-pack); up to `maxCrops` are used.
    ValidationLoss(const std::string& packPath, const DataOptions& options, int64_t maxCrops = 256);

    /// Mean L1 noise-prediction error of `net` (evaluated without gradients, in eval mode).
    double evaluate(Sr3UNet& net, const NoiseSchedule& schedule, const torch::Device& device);

    /// The mean of `loss` over the crops, batch by batch, for `net` in eval mode without gradients;
    /// `loss` gets the same generator (fixed seed) every time.
    using BatchLoss = std::function<torch::Tensor(const Batch&, torch::Generator&)>;
    double evaluate(torch::nn::Module& net, const BatchLoss& loss, const torch::Device& device = torch::kCPU);

private:
    TrainingData m_data;
    int64_t m_crops;
};

}  // namespace refine::train
