#pragma once
/// @file tensor_image.h
/// @brief The only place where ImageF and tensors meet. Tensors are NCHW float32 in [-1, 1],
/// the range SR3 models are trained in; ImageF is interleaved RGB in [0, 1].

#include <vector>

#include <torch/types.h>

#include "refine/engine/image.h"

namespace refine {

/// [1, C, H, W] float32 in [-1, 1] on the CPU.
torch::Tensor imageToTensor(const ImageF& image);

/// One image [C, H, W] (any device) in [-1, 1] -> ImageF in [0, 1], clamped.
ImageF tensorToImage(const torch::Tensor& chw);

/// A single-channel map [H, W] copied as is (no range change).
ImageF mapToImage(const torch::Tensor& hw);

/// Area-downscales [N, C, H, W] so the longer side is at most maxSide (no-op when it already is).
torch::Tensor shrinkToFit(const torch::Tensor& images, int maxSide);

}  // namespace refine
