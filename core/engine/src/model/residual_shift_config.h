#pragma once
/// @file residual_shift_config.h
/// @brief The shape of Refine's second model family, "residual-shift": a small deterministic
/// upscaler (the clean, most likely result) plus a detail network that samples what the clean
/// result cannot know by residual shifting from it (ResShift, ../shared/reference/cpu-quality.md
/// section 1) in a few network evaluations. Both networks work at the low resolution: the
/// detail network sees the high-resolution images pixel-unshuffled (scale^2 x 3 channels).

#include <nlohmann/json_fwd.hpp>

namespace refine {

/// The clean upscaler: a 5x5 head, residual 3x3 blocks and a sub-pixel tail at the input's
/// resolution, predicting the difference from the bicubic upscale.
struct CleanNetConfig {
    int channels = 32;
    int blocks = 3;  ///< residual blocks of two convolutions each
};

/// The detail network: x0 prediction from the pixel-unshuffled noisy image and clean result,
/// with the noise level as a per-block scale and shift.
struct DetailNetConfig {
    int channels = 64;
    int blocks = 4;
    int embedding = 64;  ///< width of the noise-level embedding
};

/// The residual-shifting process between the clean result b and the photo x0:
/// x = x0 + eta (b - x0) + kappa sqrt(eta) noise, with sqrt(eta) on ResShift's exponential
/// schedule, continuous in u in [0, 1]: sqrt(eta(u)) = min * (max / min)^(u^power).
struct ResidualShiftSchedule {
    double kappa = 1.0;
    double sqrtEtaMin = 0.1;
    double sqrtEtaMax = 0.99;
    double power = 0.3;

    double sqrtEta(double u) const;
    /// The noise std at level u: kappa sqrt(eta(u)).
    double noiseStd(double u) const { return kappa * sqrtEta(u); }
};

struct ResidualShiftConfig {
    int scale = 4;  ///< one pass enlarges by this (pixel-unshuffle factor of the detail network)
    CleanNetConfig clean;
    DetailNetConfig detail;
    ResidualShiftSchedule schedule;

    /// Throws refine::Error(BadModel) for shapes that cannot be built or are absurdly large.
    void validate() const;
};

/// The card's "residual_shift" object: {"scale", "clean": {...}, "detail": {...}, "schedule": {...}}.
nlohmann::json toJson(const ResidualShiftConfig& config);
ResidualShiftConfig residualShiftConfigFromJson(const nlohmann::json& json);

/// Multiply-accumulates of one pass per low-resolution pixel, of each network.
double cleanNetMacsPerPixel(const ResidualShiftConfig& config);
double detailNetMacsPerPixel(const ResidualShiftConfig& config);

}  // namespace refine
