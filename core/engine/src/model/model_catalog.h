#pragma once
/// @file model_catalog.h
/// @brief Where installed models live and how a name becomes a file. Each model is a folder
/// `<id>/` holding `model.json` (the card) and `model.safetensors`.

#include <filesystem>
#include <string>
#include <vector>

#include "refine/engine/model_info.h"

namespace refine {

/// Folders searched, first match wins: $REFINE_MODELS_DIR (':'-separated), the install's
/// share/refine/models (relative to the running executable), the source tree's models/.
std::vector<std::filesystem::path> modelSearchDirs();

/// Every model found, described by its card (weights are not loaded). A folder whose card cannot
/// be read (malformed JSON, wrong types, weights outside the folder, unreadable entries) is
/// skipped and described in `problems` ("<folder>: <why>") instead of failing the whole listing.
std::vector<ModelInfo> listInstalledModels(std::vector<std::string>* problems = nullptr);

/// A path for `nameOrPath`: an existing file or folder as given, else the folder of the installed
/// model with that id. Throws refine::Error(BadModel) listing the installed ids when nothing matches.
std::filesystem::path resolveModelPath(const std::string& nameOrPath);

/// The id of the bundled default model.
constexpr const char* kDefaultModelId = "refine-x4";
/// The bundled restoration model: old photos with JPEG blocks, noise, grain and blur.
constexpr const char* kRestoreModelId = "refine-x4-restore";

}  // namespace refine
