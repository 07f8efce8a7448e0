#include "residual_shift_objective.h"

#include <torch/torch.h>

#include "cuda_autocast.h"
#include "diffusion/consistency.h"
#include "diffusion/resampling.h"
#include "diffusion/residual_shift.h"

namespace refine::train {

ResidualShiftLosses residualShiftLosses(ResidualShiftNet& net, const Batch& batch, torch::Generator& generator,
                                        const torch::Device& device, double detailLevel)
{
    const ResidualShiftConfig& config = net->config();
    const int64_t b = batch.highRes.size(0), side = batch.highRes.size(2);
    const ConsistencyProjection projection(side, batch.highRes.size(3), config.scale, device);
    ResidualShiftLosses losses;
    torch::Tensor clean;
    {
        CudaAutocast autocast(device);
        clean = net->clean->forward(batch.input).to(torch::kFloat32);
    }
    losses.clean = (clean - batch.highRes).abs().mean();

    // The detail network starts from what inference gives it: the clean result, made consistent
    // with the input, or, for a degraded input, with the clean result's own shrink (soft
    // consistency: keep what the clean upscaler restored, not the input's noise and blocks).
    const auto clamped = clean.detach().clamp(-1, 1);
    const auto target = batch.degraded ? downscaleBicubic(clamped, config.scale) : batch.lowRes;
    // A degraded batch's clean result is its own target: projecting it onto it changes nothing.
    const auto base = batch.degraded ? clamped : projection.project(clamped, target);
    auto u = detailLevel >= 0 ? torch::full({b}, detailLevel) : torch::rand({b}, generator);
    auto sqrtEta = torch::empty({b}, torch::kFloat64);
    for (int64_t i = 0; i < b; ++i)
        sqrtEta[i] = config.schedule.sqrtEta(u[i].item<double>());
    sqrtEta = sqrtEta.to(torch::kFloat32).to(device);
    const auto noise = torch::randn(batch.highRes.sizes(), generator).to(device);
    const auto noisy = residualShiftNoised(batch.highRes, base, sqrtEta, config.schedule.kappa, noise);
    torch::Tensor x0;
    {
        CudaAutocast autocast(device);
        x0 = net->detail->forward(torch::cat({base, noisy}, 1), config.schedule.kappa * sqrtEta).to(torch::kFloat32);
    }
    losses.detail = (projection.project(x0, target) - batch.highRes).pow(2).mean();
    return losses;
}

}  // namespace refine::train
