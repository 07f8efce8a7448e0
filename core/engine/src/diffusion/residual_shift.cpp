#include "diffusion/residual_shift.h"

#include <cmath>

#include "refine/engine/error.h"

namespace refine {

std::vector<ResidualShiftStep> residualShiftSteps(const ResidualShiftSchedule& schedule, int count)
{
    if (count < 1)
        throw Error(ErrorCode::InvalidArgument, "residual shifting needs at least one step");
    std::vector<ResidualShiftStep> steps;
    for (int k = count - 1; k >= 0; --k) {
        const double u = count == 1 ? 1.0 : double(k) / double(count - 1);
        const double uPrev = double(k - 1) / double(count - 1);
        steps.push_back({schedule.sqrtEta(u), k == 0 ? 0.0 : schedule.sqrtEta(uPrev)});
    }
    return steps;
}

torch::Tensor residualShiftNoised(const torch::Tensor& x0, const torch::Tensor& base, const torch::Tensor& sqrtEta,
                                  double kappa, const torch::Tensor& noise)
{
    const auto s = sqrtEta.view({-1, 1, 1, 1}).to(x0.scalar_type());
    return x0 + s * s * (base - x0) + kappa * s * noise;
}

torch::Tensor residualShiftSample(const torch::Tensor& base, const torch::Tensor& startNoise,
                                  const std::vector<ResidualShiftStep>& steps, double kappa,
                                  const ResidualShiftCallbacks& callbacks)
{
    if (steps.empty())
        throw Error(ErrorCode::InvalidArgument, "residual shifting needs at least one step");
    auto x = base + kappa * steps.front().sqrtEta * startNoise;
    torch::Tensor x0;
    const int count = int(steps.size());
    for (int i = 0; i < count; ++i) {
        const ResidualShiftStep& step = steps[size_t(i)];
        x0 = callbacks.refineX0(callbacks.predictX0(x, kappa * step.sqrtEta));
        if (step.sqrtEtaPrev > 0) {
            const double eta = step.sqrtEta * step.sqrtEta, etaPrev = step.sqrtEtaPrev * step.sqrtEtaPrev;
            const double keep = etaPrev / eta;
            const double variance = kappa * kappa * keep * (eta - etaPrev);
            x = keep * x + (1 - keep) * x0 + std::sqrt(variance) * callbacks.noise(i);
        }
        if (callbacks.onStep)
            callbacks.onStep(i, count, x0);
    }
    return x0;
}

torch::Tensor coreDetail(const torch::Tensor& sample, const torch::Tensor& base, double threshold)
{
    const auto detail = sample - base;
    return base + detail.sign() * (detail.abs() - threshold).clamp_min(0);
}

}  // namespace refine
