#include "diffusion/noise_schedule.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "refine/engine/error.h"

namespace refine {
namespace {

const std::map<std::string, BetaScheduleKind>& kindNames()
{
    static const std::map<std::string, BetaScheduleKind> names{
        {"linear", BetaScheduleKind::Linear},     {"cosine", BetaScheduleKind::Cosine},
        {"warmup10", BetaScheduleKind::Warmup10}, {"warmup50", BetaScheduleKind::Warmup50},
        {"quad", BetaScheduleKind::Quad},         {"const", BetaScheduleKind::Const},
        {"jsd", BetaScheduleKind::Jsd}};
    return names;
}

std::vector<double> linspace(double start, double end, int count)
{
    std::vector<double> values(count);
    for (int i = 0; i < count; ++i)
        values[i] = count == 1 ? start : start + (end - start) * i / (count - 1);
    return values;
}

std::vector<double> warmup(const BetaScheduleSpec& s, double fraction)
{
    std::vector<double> betas(s.timesteps, s.linearEnd);
    const int warmupSteps = int(s.timesteps * fraction);
    const auto ramp = linspace(s.linearStart, s.linearEnd, warmupSteps);
    std::copy(ramp.begin(), ramp.end(), betas.begin());
    return betas;
}

std::vector<double> cosine(const BetaScheduleSpec& s)
{
    // Improved DDPM: alpha_bar(tau) = cos((tau + s) / (1 + s) * pi / 2)^2, normalised at tau = 0.
    const double pi = std::acos(-1.0);
    auto alphaBar = [&](int i) {
        const double tau = double(i) / s.timesteps + s.cosineS;
        return std::pow(std::cos(tau / (1 + s.cosineS) * pi / 2), 2);
    };
    std::vector<double> betas(s.timesteps);
    for (int i = 1; i <= s.timesteps; ++i)
        betas[i - 1] = std::min(1.0 - alphaBar(i) / alphaBar(i - 1), 0.999);
    return betas;
}

}  // namespace

BetaScheduleKind betaScheduleKindFromName(const std::string& name)
{
    auto it = kindNames().find(name);
    if (it == kindNames().end())
        throw Error(ErrorCode::BadModel, "unknown beta schedule '" + name
                                             + "' (expected linear, cosine, warmup10, warmup50, quad, const or jsd)");
    return it->second;
}

std::string betaScheduleKindName(BetaScheduleKind kind)
{
    for (const auto& [name, value] : kindNames())
        if (value == kind)
            return name;
    return "linear";
}

std::vector<double> makeBetaSchedule(const BetaScheduleSpec& s)
{
    if (s.timesteps < 1 || s.timesteps > 100000)
        throw Error(ErrorCode::BadModel, "a beta schedule needs 1 to 100000 timesteps (SR3 uses 2000), not "
                                             + std::to_string(s.timesteps));
    switch (s.kind) {
    case BetaScheduleKind::Linear: return linspace(s.linearStart, s.linearEnd, s.timesteps);
    case BetaScheduleKind::Quad: {
        auto betas = linspace(std::sqrt(s.linearStart), std::sqrt(s.linearEnd), s.timesteps);
        for (double& b : betas)
            b *= b;
        return betas;
    }
    case BetaScheduleKind::Warmup10: return warmup(s, 0.1);
    case BetaScheduleKind::Warmup50: return warmup(s, 0.5);
    case BetaScheduleKind::Const: return std::vector<double>(s.timesteps, s.linearEnd);
    case BetaScheduleKind::Jsd: {
        auto betas = linspace(s.timesteps, 1, s.timesteps);
        for (double& b : betas)
            b = 1.0 / b;
        return betas;
    }
    case BetaScheduleKind::Cosine: return cosine(s);
    }
    return {};
}

NoiseSchedule::NoiseSchedule(const std::vector<double>& betas)
{
    if (betas.empty())
        throw Error(ErrorCode::BadModel, "a noise schedule needs at least one beta");
    double gamma = 1.0;
    m_gammas.reserve(betas.size());
    for (double beta : betas) {
        if (!(beta > 0.0 && beta < 1.0))
            throw Error(ErrorCode::BadModel, "beta values must lie in (0, 1)");
        gamma *= 1.0 - beta;
        m_gammas.push_back(gamma);
    }
}

DiffusionStep NoiseSchedule::fullStep(int t) const
{
    return {m_gammas.at(t), t > 0 ? m_gammas.at(t - 1) : 1.0};
}

std::vector<DiffusionStep> NoiseSchedule::respace(int count) const
{
    const int T = timesteps();
    if (count < 1 || count > T)
        throw Error(ErrorCode::InvalidArgument,
                    "the number of steps must be between 1 and " + std::to_string(T) + ", not " + std::to_string(count));
    // Timesteps chosen from the noisiest (T-1) to the cleanest (0).
    std::vector<int> chosen(count);
    for (int k = 0; k < count; ++k)
        chosen[k] = count == 1 ? T - 1 : int(std::lround(double(T - 1) * (count - 1 - k) / (count - 1)));
    std::vector<DiffusionStep> steps;
    steps.reserve(count);
    for (int k = 0; k < count; ++k)
        steps.push_back({m_gammas[chosen[k]], k + 1 < count ? m_gammas[chosen[k + 1]] : 1.0});
    return steps;
}

torch::Tensor NoiseSchedule::sampleTrainingNoiseLevels(int64_t batch, torch::Generator generator) const
{
    auto options = torch::TensorOptions().dtype(torch::kFloat64);
    auto t = torch::randint(1, timesteps() + 1, {batch}, generator, options.dtype(torch::kLong));
    auto sqrtGammas = torch::sqrt(torch::tensor(m_gammas, options));
    auto upper = torch::cat({torch::ones({1}, options), sqrtGammas});  // sqrt(gamma~), gamma~_0 = 1
    auto hi = upper.index_select(0, t - 1);                            // sqrt(gamma~_{t-1}), the larger
    auto lo = upper.index_select(0, t);
    auto u = torch::rand({batch}, generator, options);
    return (lo + (hi - lo) * u).to(torch::kFloat32);
}

}  // namespace refine
