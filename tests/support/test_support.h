#pragma once
/// @file test_support.h
/// @brief Shared helpers of the engine tests: raw fixture files, tiny seeded models, images.

#include <filesystem>
#include <string>
#include <vector>

#include <torch/types.h>

#include "model/model_loader.h"
#include "refine/engine/image.h"

namespace refine::test {

/// Limits LibTorch to the threads ctest gives each test (REFINE_TEST_THREADS, default 2).
void useTestThreads();

/// ../shared/fixtures/sr3-reference
std::filesystem::path referenceFixtureDir();

/// A very small UNet shape: 8 channels, multipliers {1, 2}, one res block, attention at level 1.
UNetConfig tinyConfig();

/// A tiny x`scale` model with seeded random weights saved as a Refine model (card + safetensors)
/// in `dir`; returns the weights path.
std::filesystem::path writeTinyModel(const std::filesystem::path& dir, int scale = 4, uint64_t seed = 7);

/// A tiny x`scale` residual-shift model (clean upscaler 8 channels x 1 block, detail network 16 x 1)
/// with seeded random weights, saved as a Refine model in `dir`; presets Fast (clean only),
/// Balanced (resshift 2) and Best (resshift 3). Returns the weights path.
std::filesystem::path writeTinyResidualShiftModel(const std::filesystem::path& dir, int scale = 4, uint64_t seed = 7);

/// A smooth synthetic RGB test image (gradients and a few shapes), values in [0, 1].
ImageF syntheticImage(int width, int height, uint64_t seed = 1);

}  // namespace refine::test
