#pragma once
/// @file training_data.h
/// @brief Training batches for SR3 super-resolution from a data pack (uint8 crops made by
/// refine-pack-data): random crop and flip of the high-resolution patch, the low-resolution input
/// by Refine's antialiased bicubic operator (the one the consistency projection inverts), and CDM
/// conditioning augmentation (Gaussian blur on half the examples, a small noise level on the LR).
/// In old-photo mode half of the examples start from the pack's JPEG-compressed low-resolution
/// crop ('lr_jpeg', made by refine-pack-data with the same H) instead of the clean one, so the
/// model also learns to undo real JPEG artefacts although the trainer itself has no codec.

#include <string>

#include <torch/types.h>

namespace refine::train {

struct DataOptions {
    int patch = 64;             ///< high-resolution crop side (a multiple of scale)
    int scale = 4;
    double blurProbability = 0.5;
    double blurSigmaMin = 0.2, blurSigmaMax = 1.2;  ///< in low-resolution pixels
    double lrNoiseMax = 0.02;   ///< std of Gaussian noise on the LR in [-1, 1] units, uniform up to this
    bool oldPhotoDegradation = false;  ///< stronger blur and sensor noise plus JPEG artefacts, for old photos
    double jpegProbability = 0.5;      ///< old-photo mode: share of examples whose LR is the JPEG one
};

struct Batch {
    torch::Tensor highRes;    ///< [B, 3, P, P] in [-1, 1]
    torch::Tensor lowRes;     ///< [B, 3, P/s, P/s] (clean, as the consistency target)
    torch::Tensor condition;  ///< [B, 3, P, P]: the augmented LR, bicubic-upscaled
};

class TrainingData {
public:
    TrainingData(const std::string& packPath, const DataOptions& options);

    int64_t size() const { return m_crops.size(0); }
    /// A random training batch: random crops and flips, augmented condition.
    Batch next(int64_t batchSize, torch::Generator& generator, const torch::Device& device);
    /// Crops [first, first + count) cut in their centre, unflipped, with the clean condition:
    /// the same batch every time, for the validation loss.
    Batch fixed(int64_t first, int64_t count, const torch::Device& device) const;

private:
    torch::Tensor degrade(const torch::Tensor& lowRes, torch::Generator& generator) const;
    torch::Tensor jpegLowRes(const torch::Tensor& index, const torch::Tensor& offsets, const torch::Tensor& flips) const;

    torch::Tensor m_crops;      ///< uint8 [N, 3, P0, P0]
    torch::Tensor m_jpegCrops;  ///< uint8 [N, 3, P0/s, P0/s], or undefined when the pack has none
    DataOptions m_options;
};

/// Gaussian blur of [B, C, H, W] with a per-example sigma [B] (reflect padding).
torch::Tensor gaussianBlur(const torch::Tensor& images, const torch::Tensor& sigmas);

}  // namespace refine::train
