#pragma once
/// @file bench_workloads.h
/// @brief The standard workloads of refine-bench (docs/performance.md):
///   a  the published 64->512 face network (~155M parameters), random weights, 1 and 4 candidates
///   b  the published 16->128 face network (~98M parameters), random weights, 1 candidate
///      (a and b run SR3 DDIM 20, whatever the default model's family)
///   c  the default model, x4 of a 512x512 photo (2048x2048 out), 4 candidates, every preset
///   d  the default model, x4 of a 128x128 photo, 1 candidate, Balanced (the CPU case)
///   e  the default model, x4 of a 128x128 photo, 4 candidates, Balanced
///   f  the default model, x4 of a 640x480 photo (a family snapshot), 4 candidates, Balanced
///   g  the default model's clean-only presets (0 steps) on the 640x480 photo
/// plus `custom`, built from the command line.

#include <optional>
#include <string>
#include <vector>

#include "model/unet_config.h"
#include "refine/engine/model_info.h"

namespace refine::bench {

struct Workload {
    std::string id;                         ///< e.g. "a4", "c-Balanced"
    std::string title;                      ///< what is measured, for the table
    std::string model;                      ///< model id or path; empty with randomNetwork
    std::optional<UNetConfig> randomNetwork;///< a network with random weights instead of a model
    int randomNativeScale = 8;
    int inputWidth = 128, inputHeight = 128;
    int scale = 4;
    int candidates = 1;
    SamplingPreset sampling;                ///< the preset (name, sampler, steps) it runs
};

/// What --workload selects: a comma-separated list of letters (a to g) or "all".
/// `presets` are the default model's (Fast, Balanced, Best); workloads d, e and f run its Balanced.
std::vector<Workload> standardWorkloads(const std::string& selection, const std::string& defaultModel,
                                        const std::vector<SamplingPreset>& presets);

/// The preset named `name` among `presets`; throws std::invalid_argument listing them otherwise.
SamplingPreset findPreset(const std::vector<SamplingPreset>& presets, const std::string& name);

}  // namespace refine::bench
