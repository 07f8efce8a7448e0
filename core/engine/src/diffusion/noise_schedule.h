#pragma once
/// @file noise_schedule.h
/// @brief Beta schedules of the reference's `make_beta_schedule`, the cumulative products gamma
/// (= alphas_cumprod) they define, and re-spacing for inference with fewer steps.
///
/// SR3 conditions the network on the continuous noise level sqrt(gamma) (SR3 section 2.4), so a
/// model trained on T = 2000 steps samples with any subsequence of its gammas without retraining.

#include <string>
#include <vector>

#include <torch/types.h>

namespace refine {

enum class BetaScheduleKind { Linear, Cosine, Warmup10, Warmup50, Quad, Const, Jsd };

BetaScheduleKind betaScheduleKindFromName(const std::string& name);  ///< "linear", "cosine", "warmup10", ...
std::string betaScheduleKindName(BetaScheduleKind kind);

struct BetaScheduleSpec {
    BetaScheduleKind kind = BetaScheduleKind::Linear;
    int timesteps = 2000;
    double linearStart = 1e-6;
    double linearEnd = 1e-2;
    double cosineS = 8e-3;
};

/// The reference's make_beta_schedule in float64: T betas.
std::vector<double> makeBetaSchedule(const BetaScheduleSpec& spec);

/// One denoising step: move from noise level gamma (current) to gammaPrev (next, less noisy).
/// gammaPrev is 1 at the final step, where the result is the clean image.
struct DiffusionStep {
    double gamma;
    double gammaPrev;
};

/// @brief The training schedule: gamma_t = prod_{s<=t} (1 - beta_s) for t = 0..T-1.
class NoiseSchedule {
public:
    explicit NoiseSchedule(const std::vector<double>& betas);
    explicit NoiseSchedule(const BetaScheduleSpec& spec) : NoiseSchedule(makeBetaSchedule(spec)) {}

    int timesteps() const { return int(m_gammas.size()); }
    const std::vector<double>& gammas() const { return m_gammas; }

    /// The step from timestep t to t-1 of the full schedule (gammaPrev = 1 at t = 0).
    DiffusionStep fullStep(int t) const;

    /// `count` steps on evenly spaced timesteps from T-1 down to 0 (both included), each step
    /// going to the previous chosen timestep: the re-spaced schedule of improved DDPM.
    std::vector<DiffusionStep> respace(int count) const;

    /// Training noise levels: t uniform in 1..T and sqrt(gamma) uniform between sqrt(gamma_{t-1})
    /// and sqrt(gamma_t) (gamma_0 = 1), as the reference's p_losses. Returns [B] float32.
    torch::Tensor sampleTrainingNoiseLevels(int64_t batch, torch::Generator generator) const;

private:
    std::vector<double> m_gammas;
};

}  // namespace refine
