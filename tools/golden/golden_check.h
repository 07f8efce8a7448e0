#pragma once
/// @file golden_check.h
/// @brief The golden vector of ../shared/fixtures/sr3-reference, made by the open SR3 PyTorch
/// implementation: its tiny checkpoint must load through Refine's loader and reproduce the
/// reference's forward pass and 11-step ancestral chain. Shared by the Qt test (CPU, float32) and
/// refine-golden, which runs the same checks on any device and precision (the GPU machine has
/// no Qt). Engine-only.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include "model/model_loader.h"

namespace refine::golden {

/// One comparison with the reference: max |actual - expected| / max |expected| (for the
/// schedule, the largest absolute difference of the betas).
struct CheckResult {
    std::string name;
    double relativeError = 0;
    double tolerance = 0;
    bool passed() const { return relativeError <= tolerance; }
};

/// Relative error tolerated for a network run in `dtype`: float32 matches to 1e-4; bfloat16 keeps
/// 8 significant bits and float16 11, whose rounding through the network's layers stays within
/// about 3e-2 and 5e-3.
double toleranceFor(torch::ScalarType dtype);

class GoldenFixture {
public:
    /// Reads `dir`/fixture.json; throws std::runtime_error when the fixture is missing or broken.
    explicit GoldenFixture(const std::filesystem::path& dir);

    /// Loads tiny_gen.pth the way a user would: copied into `scratchDir` with the sidecar JSON
    /// that gives its architecture (it matches no published preset).
    LoadedModel loadModel(const std::filesystem::path& scratchDir) const;

    /// The model's noise schedule against the one the fixture was made with (float64, 1e-9).
    CheckResult checkSchedule(const LoadedModel& model) const;
    /// The network's forward pass on the fixture's input.
    CheckResult checkForward(LoadedModel& model, const torch::Device& device, torch::ScalarType dtype) const;
    /// The 11 ancestral steps from the fixture's x_T with its noise, one result per step; the
    /// sampler's arithmetic is float32 whatever the network's precision, as in the pipeline.
    std::vector<CheckResult> checkChain(LoadedModel& model, const torch::Device& device, torch::ScalarType dtype) const;

private:
    torch::Tensor tensor(const std::string& name) const;  ///< a raw float32 fixture tensor, CPU

    std::filesystem::path m_dir;
    nlohmann::json m_fixture;
};

}  // namespace refine::golden
