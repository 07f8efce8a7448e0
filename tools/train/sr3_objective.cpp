#include "sr3_objective.h"

#include <torch/torch.h>

#include "cuda_autocast.h"

namespace refine::train {

torch::Tensor sr3NoiseLoss(Sr3UNet& net, const Batch& batch, const NoiseSchedule& schedule, torch::Generator& generator,
                           const torch::Device& device)
{
    const auto levels = schedule.sampleTrainingNoiseLevels(batch.highRes.size(0), generator).to(device);
    const auto noise = torch::randn(batch.highRes.sizes(), generator).to(device);
    const auto s = levels.view({-1, 1, 1, 1});
    const auto noisy = s * batch.highRes + torch::sqrt(1 - s * s) * noise;
    torch::Tensor predicted;
    {
        CudaAutocast autocast(device);
        predicted = net->forward(torch::cat({batch.condition, noisy}, 1), levels);
    }
    return (predicted.to(torch::kFloat32) - noise).abs().mean();  // L1 on the noise, as SR3
}

}  // namespace refine::train
