#pragma once
/// @file samplers.h
/// @brief Reverse-diffusion samplers as plain functions over callbacks: the network (through
/// `predictNoise`), the x0 refinement (clamp and consistency projection), the noise source and
/// the per-step observer. CPU and CUDA share this code; all arithmetic here is float32.

#include <functional>
#include <string>
#include <vector>

#include <torch/types.h>

#include "diffusion/noise_schedule.h"

namespace refine {

enum class SamplerKind { Ancestral, Ddim, DpmSolverPP2M };

SamplerKind samplerKindFromName(const std::string& name);  ///< "ddpm", "ddim", "dpmpp2m"
std::string samplerKindName(SamplerKind kind);

struct SamplerCallbacks {
    /// eps(x_t, sqrt(gamma)) for the whole batch.
    std::function<torch::Tensor(const torch::Tensor& x, double noiseLevel)> predictNoise;
    /// Maps the raw x0 prediction to the one the sampler uses (clamp, consistency projection).
    std::function<torch::Tensor(const torch::Tensor& x0)> refineX0;
    /// Fresh standard normal noise shaped like x for step `step` (deterministic per candidate).
    std::function<torch::Tensor(int step)> noise;
    /// Called after every step with the refined x0 prediction; may throw refine::Cancelled.
    std::function<void(int step, int stepCount, const torch::Tensor& x0)> onStep;
};

struct SamplerOptions {
    SamplerKind kind = SamplerKind::DpmSolverPP2M;
    double ddimEta = 0.0;  ///< 0 = deterministic DDIM, 1 = ancestral-like noise
};

/// x0 = (x - sqrt(1 - gamma) eps) / sqrt(gamma): the clean image implied by a noise prediction.
torch::Tensor predictX0(const torch::Tensor& x, const torch::Tensor& eps, double gamma);

/// One SR3 ancestral step (the reference's p_sample): posterior mean of q(x_{t-1} | x_t, x0) plus
/// noise with the clipped posterior log-variance. `x0` must already be clamped/refined.
torch::Tensor ancestralStep(const torch::Tensor& x, const torch::Tensor& x0, const DiffusionStep& step,
                            const torch::Tensor& z);

/// Runs the sampler from pure noise `xT` over `steps` (noisiest first) and returns x0.
torch::Tensor sample(const torch::Tensor& xT, const std::vector<DiffusionStep>& steps, const SamplerOptions& options,
                     const SamplerCallbacks& callbacks);

}  // namespace refine
