#include "diffusion/samplers.h"

#include <cmath>

#include "refine/engine/error.h"

namespace refine {
namespace {

// Treat gammaPrev as 1 (the final, noise-free step) within float rounding.
bool isFinalStep(const DiffusionStep& step) { return step.gammaPrev >= 1.0 - 1e-12; }

/// The x0 prediction after the caller's refinement, and the noise it implies.
struct Prediction {
    torch::Tensor x0;
    torch::Tensor eps;
};

Prediction predict(const torch::Tensor& x, const DiffusionStep& step, const SamplerCallbacks& cb)
{
    auto eps = cb.predictNoise(x, std::sqrt(step.gamma)).to(x.dtype());
    auto x0 = cb.refineX0(predictX0(x, eps, step.gamma));
    // Re-derive eps from the refined x0 so deterministic samplers stay on the refined trajectory.
    eps = (x - std::sqrt(step.gamma) * x0) / std::sqrt(1.0 - step.gamma);
    return {x0, eps};
}

torch::Tensor runAncestral(torch::Tensor x, const std::vector<DiffusionStep>& steps, const SamplerCallbacks& cb)
{
    torch::Tensor x0;
    for (int k = 0; k < int(steps.size()); ++k) {
        auto eps = cb.predictNoise(x, std::sqrt(steps[k].gamma)).to(x.dtype());
        x0 = cb.refineX0(predictX0(x, eps, steps[k].gamma));
        auto z = isFinalStep(steps[k]) ? torch::zeros_like(x) : cb.noise(k);
        x = ancestralStep(x, x0, steps[k], z);
        cb.onStep(k, int(steps.size()), x0);
    }
    return x;
}

torch::Tensor runDdim(torch::Tensor x, const std::vector<DiffusionStep>& steps, double eta, const SamplerCallbacks& cb)
{
    for (int k = 0; k < int(steps.size()); ++k) {
        const auto& s = steps[k];
        const auto p = predict(x, s, cb);
        if (isFinalStep(s)) {
            x = p.x0;
        } else {
            // DDIM (Song et al. eq. 12): sigma interpolates between deterministic (eta 0) and DDPM (eta 1).
            const double sigma = eta * std::sqrt((1 - s.gammaPrev) / (1 - s.gamma) * (1 - s.gamma / s.gammaPrev));
            const double direction = std::sqrt(std::max(1 - s.gammaPrev - sigma * sigma, 0.0));
            x = std::sqrt(s.gammaPrev) * p.x0 + direction * p.eps;
            if (sigma > 0)
                x = x + sigma * cb.noise(k);
        }
        cb.onStep(k, int(steps.size()), p.x0);
    }
    return x;
}

double logSnrHalf(double gamma) { return 0.5 * std::log(gamma / (1 - gamma)); }  // lambda = log(alpha / sigma)

torch::Tensor runDpmSolverPP2M(torch::Tensor x, const std::vector<DiffusionStep>& steps, const SamplerCallbacks& cb)
{
    // DPM-Solver++(2M) (Lu et al. 2022, Alg. 2) in data prediction, with a first-order final step.
    torch::Tensor previousX0;
    double previousH = 0;
    for (int k = 0; k < int(steps.size()); ++k) {
        const auto& s = steps[k];
        const auto p = predict(x, s, cb);
        if (isFinalStep(s)) {
            x = p.x0;
        } else {
            const double h = logSnrHalf(s.gammaPrev) - logSnrHalf(s.gamma);
            const double sigmaRatio = std::sqrt((1 - s.gammaPrev) / (1 - s.gamma));
            const double alphaNext = std::sqrt(s.gammaPrev);
            auto denoised = p.x0;
            if (previousX0.defined()) {
                const double r = previousH / h;
                denoised = (1 + 1 / (2 * r)) * p.x0 - (1 / (2 * r)) * previousX0;
            }
            x = sigmaRatio * x - alphaNext * std::expm1(-h) * denoised;
            previousH = h;
        }
        previousX0 = p.x0;
        cb.onStep(k, int(steps.size()), p.x0);
    }
    return x;
}

}  // namespace

SamplerKind samplerKindFromName(const std::string& name)
{
    if (name == "ddpm" || name == "ancestral")
        return SamplerKind::Ancestral;
    if (name == "ddim")
        return SamplerKind::Ddim;
    if (name == "dpmpp2m" || name == "dpm++2m")
        return SamplerKind::DpmSolverPP2M;
    throw Error(ErrorCode::InvalidArgument, "unknown sampler '" + name + "' (expected ddpm, ddim or dpmpp2m)");
}

std::string samplerKindName(SamplerKind kind)
{
    switch (kind) {
    case SamplerKind::Ancestral: return "ddpm";
    case SamplerKind::Ddim: return "ddim";
    case SamplerKind::DpmSolverPP2M: return "dpmpp2m";
    }
    return "ddpm";
}

torch::Tensor predictX0(const torch::Tensor& x, const torch::Tensor& eps, double gamma)
{
    // The reference computes sqrt(1/gamma) * x - sqrt(1/gamma - 1) * eps; same algebra, same order.
    return std::sqrt(1.0 / gamma) * x - std::sqrt(1.0 / gamma - 1.0) * eps;
}

torch::Tensor ancestralStep(const torch::Tensor& x, const torch::Tensor& x0, const DiffusionStep& s,
                            const torch::Tensor& z)
{
    const double beta = 1.0 - s.gamma / s.gammaPrev;
    const double alpha = 1.0 - beta;
    const double coef1 = beta * std::sqrt(s.gammaPrev) / (1.0 - s.gamma);
    const double coef2 = (1.0 - s.gammaPrev) * std::sqrt(alpha) / (1.0 - s.gamma);
    const double variance = beta * (1.0 - s.gammaPrev) / (1.0 - s.gamma);
    const double stddev = std::exp(0.5 * std::log(std::max(variance, 1e-20)));
    // Float32 coefficients, as the reference's registered buffers.
    return float(coef1) * x0 + float(coef2) * x + float(stddev) * z;
}

torch::Tensor sample(const torch::Tensor& xT, const std::vector<DiffusionStep>& steps, const SamplerOptions& options,
                     const SamplerCallbacks& callbacks)
{
    if (steps.empty())
        throw Error(ErrorCode::InvalidArgument, "a sampler needs at least one step");
    switch (options.kind) {
    case SamplerKind::Ancestral: return runAncestral(xT, steps, callbacks);
    case SamplerKind::Ddim: return runDdim(xT, steps, options.ddimEta, callbacks);
    case SamplerKind::DpmSolverPP2M: return runDpmSolverPP2M(xT, steps, callbacks);
    }
    return xT;
}

}  // namespace refine
