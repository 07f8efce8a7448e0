#pragma once
/// @file evaluation.h
/// @brief Measuring one photo: cut the ground truth, make the low-resolution input with H,
/// enlarge it with the classic upscalers and with the model, and score every output.

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "contact_sheet.h"
#include "old_photo.h"
#include "refine/engine/engine.h"
#include "report.h"

namespace refine::eval {

struct EvalSettings {
    int scale = 4;
    int crop = 256;
    EnhanceRequest request;      ///< everything but input and scale (set per photo)
    double detail = 1.0;         ///< residual-shift models: candidates are scored as clean + detail (c - clean)
    std::map<std::string, cv::Point2d> cropCentres;  ///< by file name; others are cut in the middle
    /// --degrade old (or one part of it): every method gets the low-resolution crop damaged (old_photo.h)
    std::optional<DamagePart> damage;
};

struct PhotoEvaluation {
    ImageResult scores;
    ContactRow images;           ///< for the contact sheet
    std::string srMethod;        ///< "SR3 <sampler> <steps>", as it actually ran
    std::string srSampler;
    int srSteps = 0;
    double enhanceSeconds = 0;
};

/// Evaluates one photo. Throws refine::Error (unreadable photo, enhance failure) or
/// std::exception (a photo too small to measure); the caller skips the photo.
PhotoEvaluation evaluatePhoto(Engine& engine, const EvalSettings& settings, const std::filesystem::path& photo);

}  // namespace refine::eval
