#pragma once
/// @file training_data.h
/// @brief Training batches for SR3 super-resolution from a data pack (uint8 crops made by
/// refine-pack-data): random crop and flip of the high-resolution patch, the low-resolution input
/// by Refine's antialiased bicubic operator (the one the consistency projection inverts), and CDM
/// conditioning augmentation (Gaussian blur on half the examples, a small noise level on the LR).
/// With realistic degradation (refine-train --degrade old) every example's low-resolution input
/// gets a fresh draw of degradations.h's pipeline (blur, resize, noise, grain, fading, JPEG), and
/// the model learns to give the clean photo back: how a restoration model is trained.

#include <string>

#include <torch/types.h>

#include "degradations.h"

namespace refine::train {

struct DataOptions {
    int patch = 64;             ///< high-resolution crop side (a multiple of scale)
    int scale = 4;
    double blurProbability = 0.5;
    double blurSigmaMin = 0.2, blurSigmaMax = 1.2;  ///< in low-resolution pixels
    double lrNoiseMax = 0.02;   ///< std of Gaussian noise on the LR in [-1, 1] units, uniform up to this
    bool realisticDegradation = false;  ///< degrade every input as old photos are (degradations.h)
    DegradationRanges degradation;      ///< the ranges it draws from
};

struct Batch {
    torch::Tensor highRes;    ///< [B, 3, P, P] in [-1, 1]
    torch::Tensor lowRes;     ///< [B, 3, P/s, P/s]: H(highRes), the clean low-resolution photo
    torch::Tensor input;      ///< [B, 3, P/s, P/s]: what the model is given: lowRes, or lowRes degraded
    torch::Tensor condition;  ///< [B, 3, P, P]: the augmented input, bicubic-upscaled (SR3's condition)
    /// True when `input` is degraded: the consistency target is then the model's own clean
    /// estimate shrunk by H (soft consistency), as at inference, since the input is not to be kept.
    bool degraded = false;
};

class TrainingData {
public:
    TrainingData(const std::string& packPath, const DataOptions& options);

    int64_t size() const { return m_crops.size(0); }
    /// A random training batch: random crops and flips, augmented condition.
    Batch next(int64_t batchSize, torch::Generator& generator, const torch::Device& device);
    /// Crops [first, first + count) cut in their centre, unflipped, with the clean condition (or
    /// with degradations drawn from a generator seeded by `first`): the same batch every time, for
    /// the validation loss.
    Batch fixed(int64_t first, int64_t count, const torch::Device& device) const;

private:
    torch::Tensor augmentCondition(const torch::Tensor& lowRes, torch::Generator& generator) const;
    /// A fresh realistic degradation per example: the tone (fading, cast) of highRes and so of
    /// lowRes, then the damage of the input.
    void degradeRealistically(Batch& batch, torch::Generator& generator) const;
    void setInputs(Batch& batch, torch::Generator& generator, const torch::Device& device) const;

    torch::Tensor m_crops;      ///< uint8 [N, 3, P0, P0]
    DataOptions m_options;
};

/// Gaussian blur of [B, C, H, W] with a per-example sigma [B] (reflect padding).
torch::Tensor gaussianBlur(const torch::Tensor& images, const torch::Tensor& sigmas);

}  // namespace refine::train
