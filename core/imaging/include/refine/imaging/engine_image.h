#pragma once
/// @file engine_image.h
/// @brief Conversions between OpenCV matrices and the engine's refine::ImageF.

#include <vector>

#include "refine/engine/image.h"

#include <opencv2/core.hpp>

namespace refine::imaging {

/// @brief Copies a CV_32FC3 (RGB) or CV_32FC1 matrix into an ImageF with the same channel count.
/// @throws refine::Error InvalidArgument for other types or an empty matrix
refine::ImageF toImageF(const cv::Mat& rgbFloat);

/// @brief Copies an ImageF into a CV_32FC3 (3 channels) or CV_32FC1 (1 channel) matrix.
/// @throws refine::Error InvalidArgument for other channel counts or a pixel count that does
///         not match width * height * channels
cv::Mat fromImageF(const refine::ImageF& image);

/// @brief The 99th percentile of the finite values (0 when there are none): the robust maximum
/// heatmap() normalises by, for callers that must agree with it on what "high" means.
float robustMaximum(const std::vector<float>& values);

/// @brief Renders a 1-channel map (e.g. the uncertainty map) as an RGB float heat map (inferno).
///
/// Values are divided by a robust maximum, the 99th percentile of the finite values, so a few
/// extreme pixels do not wash the rest out; values above it saturate. An all-zero map is black.
/// @return CV_32FC3, RGB order, values in [0, 1]
/// @throws refine::Error InvalidArgument when `map` is not a non-empty 1-channel image
cv::Mat heatmap(const refine::ImageF& map);

}  // namespace refine::imaging
