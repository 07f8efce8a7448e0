#pragma once
/// @file model_card.h
/// @brief The JSON card beside every model: architecture, schedule, presets and what it was
/// trained on and measured to do. Refine's own models carry `<weights>.json`-style cards named
/// `model.json`; a reference `.pth` may have a small JSON of the same stem with only `unet`,
/// `native_scale` and (optionally) `beta_schedule`.

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "diffusion/noise_schedule.h"
#include "model/residual_shift_config.h"
#include "model/unet_config.h"
#include "refine/engine/model_info.h"

namespace refine {

struct ModelCard {
    ModelInfo info;
    std::optional<UNetConfig> unet;             ///< absent: infer from the weights
    std::optional<ResidualShiftConfig> residualShift;  ///< present for "kind": "residual-shift" models
    std::optional<BetaScheduleSpec> schedule;   ///< absent: use the checkpoint's betas
    nlohmann::json json;
};

/// Parses a card; throws refine::Error(BadModel) naming the file and the field on errors.
ModelCard readModelCard(const std::filesystem::path& cardPath);
ModelCard modelCardFromJson(const nlohmann::json& json, const std::string& source);

/// Presets every model gets unless its card lists its own.
std::vector<SamplingPreset> defaultPresets();
/// The presets of a residual-shift model without its own: Fast = the clean result only.
std::vector<SamplingPreset> defaultResidualShiftPresets();

BetaScheduleSpec betaScheduleFromJson(const nlohmann::json& json);
nlohmann::json toJson(const BetaScheduleSpec& spec);

/// SHA-256 of a file as lowercase hex; empty when Refine was built without OpenSSL.
std::string sha256OfFile(const std::filesystem::path& path);

}  // namespace refine
