#pragma once
/// @file archive_settings.h
/// @brief The settings that shape an archive's outputs, planned once and used by every worker;
/// per-machine choices (device, threads) stay on the `archive run` command line.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "enhance_command.h"

namespace refine::cli {

struct ArchiveSettings {
    int scale = 4;
    int candidates = 4;
    std::string preset;            ///< empty: the model's default
    std::string sampler;           ///< empty: the preset's
    int steps = 0;                 ///< 0: the preset's
    double ddimEta = 0.0;
    std::string consistency = "exact";
    double cascadeNoise = -1;
    int tile = 0;
    std::string precision = "fp32";
    std::string format;            ///< empty: each photo's own (PNG for BMP)
    int jpegQuality = 95;
    bool writeClean = false;
    double detail = 1.0;
    bool uncertaintyMap = false;
    std::optional<uint64_t> seed;  ///< the --seed given; none: derived per photo from its content
};

ArchiveSettings archiveSettingsFrom(const EnhanceOptions& options);

/// The enhance options that reproduce the settings with `model` (device, threads and quiet are
/// the caller's; overwrite stays off: an archive never replaces a file).
EnhanceOptions enhanceOptionsFrom(const ArchiveSettings& settings, const std::string& model);

nlohmann::json toJson(const ArchiveSettings& settings);
/// @throws std::runtime_error naming the field that is missing or of the wrong type
ArchiveSettings archiveSettingsFromJson(const nlohmann::json& json);

/// "steps: 2 in the plan, 3 now" for every field that differs; empty when none does.
std::vector<std::string> settingDifferences(const ArchiveSettings& planned, const ArchiveSettings& now);

}  // namespace refine::cli
