#pragma once
/// @file model_info.h
/// @brief What a caller can know about an installed model without touching LibTorch: the
/// model card's essentials, for listings (`refine-cli models`, the app's model picker).

#include <string>
#include <vector>

namespace refine {

/// A named sampling preset of a model (e.g. Fast / Balanced / Best).
struct SamplingPreset {
    std::string name;
    std::string sampler;  ///< SR3: "ddpm", "ddim" or "dpmpp2m"; residual shift: "resshift", or "clean" (0 steps)
    int steps = 0;        ///< network evaluations per candidate; 0 = the clean result only
};

struct ModelInfo {
    std::string id;             ///< e.g. "refine-x4-natural-v1"; the file stem for a bare .pth
    std::string name;           ///< human-readable
    std::string path;           ///< weights file
    std::string format;         ///< "safetensors" or "pth"
    std::string kind = "sr3";   ///< model family: "sr3" (from noise) or "residual-shift" (clean upscale + detail)
    std::string description;
    std::string license;
    std::string sha256;         ///< of the weights file (from the card, verified on load when possible)
    int nativeScale = 4;        ///< one model pass enlarges by this factor
    long long parameters = 0;
    std::string architecture;   ///< one-line summary of the UNet shape
    std::string training;       ///< how it was trained (card text)
    std::string quality;        ///< measured quality (card text)
    std::string defaultPreset = "Balanced";
    std::vector<SamplingPreset> presets;
    double cascadeNoise = 0.0;  ///< default CDM conditioning-augmentation noise for stages after the first
    std::string cardJson;       ///< the full card, pretty-printed

    /// Whether the model has a clean (most likely, deterministic) upscale besides its candidates.
    bool hasCleanUpscale() const { return kind == "residual-shift"; }
};

}  // namespace refine
