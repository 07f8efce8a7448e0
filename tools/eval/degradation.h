#pragma once
/// @file degradation.h
/// @brief The degradation operator H of refine-eval, on OpenCV images: the engine's antialiased
/// bicubic downscale. Evaluating with anything else (cv::resize, PIL) would score a model against
/// low-resolution inputs it was never trained on, and would call exactly consistent results
/// inconsistent. The only file of refine-eval that sees LibTorch, so the rest compiles quickly.

#include <opencv2/core.hpp>

namespace refine::eval {

/// H(rgb): RGB float [0, 1] (CV_32FC3), sides multiples of `factor` -> sides / factor, clamped to
/// [0, 1] (the bicubic kernel's negative lobes can overshoot at edges).
cv::Mat downscaleH(const cv::Mat& rgb, int factor);

/// Mean squared difference between H(output) and the low-resolution input, in [0, 1] units over
/// all channels: 0 for a result that shrinks back exactly to its input. H(output) is not clamped
/// here, because the projection makes the unclamped H(output) equal to the input.
double consistencyMse(const cv::Mat& output, const cv::Mat& lowRes, int factor);

}  // namespace refine::eval
