#pragma once
/// @file residual_shift.h
/// @brief Residual shifting (ResShift, Yue et al. 2023; ../shared/reference/cpu-quality.md
/// section 1) from a base image b, here the clean upscale: the forward process
/// x = x0 + eta (b - x0) + kappa sqrt(eta) noise moves the photo x0 towards b while adding noise,
/// so sampling starts at b plus noise and needs only a few x0 predictions. The sampler is a
/// plain function over callbacks, like the SR3 samplers; all arithmetic here is float32.

#include <functional>
#include <vector>

#include <torch/types.h>

#include "model/residual_shift_config.h"

namespace refine {

/// One step from sqrt(eta) down to sqrtEtaPrev (0 at the last step, where the result is x0).
struct ResidualShiftStep {
    double sqrtEta = 0;
    double sqrtEtaPrev = 0;
};

/// `count` steps on the continuous schedule, u = 1 .. 0 evenly spaced (noisiest first). Throws
/// refine::Error(InvalidArgument) for count < 1.
std::vector<ResidualShiftStep> residualShiftSteps(const ResidualShiftSchedule& schedule, int count);

/// The forward process: x0 + eta (base - x0) + kappa sqrt(eta) noise, with sqrtEta [B].
torch::Tensor residualShiftNoised(const torch::Tensor& x0, const torch::Tensor& base, const torch::Tensor& sqrtEta,
                                  double kappa, const torch::Tensor& noise);

struct ResidualShiftCallbacks {
    /// The network's x0 for the whole batch x at noise std kappa sqrt(eta).
    std::function<torch::Tensor(const torch::Tensor& x, double noiseStd)> predictX0;
    /// Maps the raw x0 prediction to the one the sampler uses (clamp, consistency projection).
    std::function<torch::Tensor(const torch::Tensor& x0)> refineX0;
    /// Fresh standard normal noise shaped like x for step `step` (deterministic per candidate).
    std::function<torch::Tensor(int step)> noise;
    /// Called after every step with the refined x0 prediction; may throw refine::Cancelled.
    std::function<void(int step, int stepCount, const torch::Tensor& x0)> onStep;
};

/// Samples from x_T = base + kappa sqrt(eta_T) startNoise down the posterior of ResShift,
/// q(x_prev | x, x0) = N((eta_prev / eta) x + (1 - eta_prev / eta) x0, kappa^2 (eta_prev / eta)(eta - eta_prev)),
/// and returns the last refined x0.
torch::Tensor residualShiftSample(const torch::Tensor& base, const torch::Tensor& startNoise,
                                  const std::vector<ResidualShiftStep>& steps, double kappa,
                                  const ResidualShiftCallbacks& callbacks);

/// Sampled detail below this size, in [-1, 1] units (a quarter of an 8-bit level), is left out of a
/// candidate: see coreDetail().
inline constexpr double kDetailCoringThreshold = 0.25 * 2.0 / 255.0;

/// Soft-thresholds ("cores") a sample's detail over its base: base + sign(d) max(|d| - threshold, 0)
/// with d = sample - base. The detail network never quite removes the sampler's last noise (about a
/// fifth of an 8-bit level remains on a flat sky), and that residue is invisible yet costs PSNR
/// where the photo is smooth: on the validation split's flattest photo it put every candidate
/// below bicubic. Coring removes it and shrinks real detail (many levels) by a negligible amount.
/// The result is no longer exactly consistent: project it afterwards.
torch::Tensor coreDetail(const torch::Tensor& sample, const torch::Tensor& base, double threshold);

}  // namespace refine
