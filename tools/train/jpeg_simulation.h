#pragma once
/// @file jpeg_simulation.h
/// @brief JPEG's lossy stages in LibTorch, for training on a fresh JPEG artefact per example.
///
/// The trainer is engine-only (no codec, so it builds alone on a GPU machine). JPEG loses
/// information in exactly three places, and this file reproduces them: the RGB -> YCbCr
/// conversion rounded to 8 bits, optional 4:2:0 chroma subsampling, and the rounding of each 8x8
/// block's DCT coefficients to multiples of the quality-scaled quantisation tables (the ones of
/// JPEG's Annex K, scaled as libjpeg does). Entropy coding is lossless and is left out. What this
/// does not reproduce is libjpeg's fixed-point DCT and its "fancy" chroma upsampling filter; they
/// change pixels by about one grey level. refine-eval scores with a real libjpeg encode instead.

#include <torch/types.h>

namespace refine::train {

/// The 8x8 quantisation table for `quality` (1..100), luminance or chrominance, as libjpeg
/// scales it: entries clamped to 1..255. [8, 8] float.
torch::Tensor jpegQuantisationTable(int quality, bool chroma);

/// One JPEG round trip of an RGB image [3, H, W] in [0, 1] at `quality` (1..100), with 4:2:0
/// chroma subsampling when `subsampleChroma`. Returns [3, H, W] in [0, 1], 8-bit levels.
torch::Tensor simulateJpeg(const torch::Tensor& rgb, int quality, bool subsampleChroma);

}  // namespace refine::train
