#pragma once
/// @file image_metrics.h
/// @brief Full-reference quality measures of refine-eval, computed the way super-resolution
/// papers (SR3 included) report them: on luma Y in [0, 255] with a border of `scale` pixels left
/// out, because the outermost pixels of every upscaler depend on its border convention rather
/// than on its quality. OpenCV only; no LibTorch.

#include <vector>

#include <opencv2/core.hpp>

#include "refine/imaging/photo_condition.h"

namespace refine::eval {

/// PSNR reported for identical images (an infinite value would poison the means).
constexpr double kMaxPsnr = 100.0;

// The block-grid measure and the luma the metrics are taken on are the imaging library's
// (refine/imaging/photo_condition.h), which the app's Old photo suggestion uses too.
using imaging::blockiness;
using imaging::lumaOf;

/// The image without a frame of `border` pixels on every side (a view, not a copy).
cv::Mat innerRegion(const cv::Mat& image, int border);

/// PSNR in dB between two luma images (peak 255), capped at kMaxPsnr.
double psnr(const cv::Mat& lumaA, const cv::Mat& lumaB);

/// Mean SSIM (Wang et al. 2004): 11x11 Gaussian window with sigma 1.5, C1 = (0.01 * 255)^2,
/// C2 = (0.03 * 255)^2, over the positions where the window fits inside the image.
double ssim(const cv::Mat& lumaA, const cv::Mat& lumaB);

/// Mean of the squared 3x3 Laplacian of a luma image over its inner region: high-frequency
/// energy, to tell over-smoothed results (ratio to the ground truth < 1) from noisy ones (> 1).
double laplacianEnergy(const cv::Mat& luma, int border);

/// Mean squared difference of two same-sized float images, over all channels.
double meanSquaredError(const cv::Mat& a, const cv::Mat& b);

/// Per-pixel, per-channel mean of several same-sized RGB float images.
cv::Mat averageImage(const std::vector<cv::Mat>& images);

/// Mean over pixels and channels of the standard deviation across the images (population
/// standard deviation, so a single image gives 0).
double meanPixelStdDev(const std::vector<cv::Mat>& images);

/// What the metrics say about one output compared with its ground truth.
struct FidelityScores {
    double psnr = 0;
    double ssim = 0;
};

/// PSNR and SSIM of `output` against `groundTruth` (both RGB float [0, 1], same size).
FidelityScores fidelity(const cv::Mat& output, const cv::Mat& groundTruth, int border);

}  // namespace refine::eval
