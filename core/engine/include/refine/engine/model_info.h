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
    std::string sampler;  ///< "ddpm", "ddim" or "dpmpp2m"
    int steps = 0;
};

struct ModelInfo {
    std::string id;             ///< e.g. "refine-x4-natural-v1"; the file stem for a bare .pth
    std::string name;           ///< human-readable
    std::string path;           ///< weights file
    std::string format;         ///< "safetensors" or "pth"
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
};

}  // namespace refine
