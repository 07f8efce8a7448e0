#pragma once
/// @file model_loader.h
/// @brief Builds a ready-to-run SR3 model from a weights file: Refine's safetensors plus card, or
/// a reference `.pth` (`GaussianDiffusion.state_dict()`: UNet under `denoise_fn.` plus the 12
/// schedule buffers). Loading is strict: every parameter must be present with its exact shape
/// and a floating dtype, and nothing unexpected may be left over.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "model/model_card.h"
#include "model/residual_shift_nets.h"
#include "model/sr3_unet.h"

namespace refine {

/// A ready-to-run model of either family: `net` (SR3) or `residual` (residual shift) is set.
struct LoadedModel {
    ModelInfo info;
    UNetConfig config;
    std::vector<double> betas;  ///< the training schedule (SR3)
    Sr3UNet net{nullptr};
    ResidualShiftNet residual{nullptr};

    bool isResidualShift() const { return !residual.is_empty(); }
};

/// Loads `path` (.safetensors or .pth). The card is `model.json` beside a safetensors file (or
/// `<stem>.json`); for a .pth it is optional `<stem>.json`.
LoadedModel loadModelFile(const std::filesystem::path& path);

/// Copies `params` (the module's own parameter names) into `module`; throws refine::Error(BadModel)
/// naming the first missing, unexpected, misshapen or non-float tensor. `source` names the file.
void loadModuleWeights(torch::nn::Module& module, const std::map<std::string, torch::Tensor>& params,
                       const std::string& source);
/// loadModuleWeights for the UNet (names without the reference's `denoise_fn.` prefix).
void loadUNetWeights(Sr3UNet& net, const std::map<std::string, torch::Tensor>& params, const std::string& source);

/// A module's parameters by name, detached, on the CPU (for saving).
std::map<std::string, torch::Tensor> moduleStateDict(torch::nn::Module& module);

/// The UNet's parameters by checkpoint name, detached (for saving).
std::map<std::string, torch::Tensor> unetStateDict(Sr3UNet& net);

/// Writes a Refine model: `<dir>/model.safetensors` (fp16 unless keepFloat32) and `<dir>/model.json`
/// (the given card JSON completed with unet, beta_schedule and sha256).
void saveModel(const std::filesystem::path& dir, Sr3UNet& net, const BetaScheduleSpec& schedule,
               nlohmann::json card, bool keepFloat32 = false);
/// The same for a residual-shift model: the card gets kind, residual_shift, weights, sha256 and parameters.
void saveModel(const std::filesystem::path& dir, ResidualShiftNet& net, nlohmann::json card, bool keepFloat32 = false);

}  // namespace refine
