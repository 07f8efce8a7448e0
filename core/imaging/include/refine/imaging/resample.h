#pragma once
/// @file resample.h
/// @brief Classical float resampling (OpenCV): alpha upscaling, the bicubic baseline and the
/// final resize to an exact output size.
///
/// Inputs must be CV_32F with 1 to 4 channels; outputs have the same type.
/// @throws refine::Error InvalidArgument for an empty/non-float input or a non-positive size.

#include <opencv2/core.hpp>

namespace refine::imaging {

/// @brief Lanczos (8x8 taps) resize; the result is clamped to [0, 1] because the kernel's
/// negative lobes overshoot at edges.
cv::Mat resizeLanczos(const cv::Mat& image, cv::Size size);

/// @brief Area-averaging resize: the alias-free choice for downscaling (no clamping needed).
cv::Mat resizeArea(const cv::Mat& image, cv::Size size);

/// @brief Bicubic resize, clamped to [0, 1] like resizeLanczos(); the baseline upscaler.
cv::Mat resizeBicubic(const cv::Mat& image, cv::Size size);

}  // namespace refine::imaging
