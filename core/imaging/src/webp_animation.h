#pragma once
/// @file webp_animation.h
/// @brief The first frame of an animated WebP (libwebpdemux's animation decoder), which OpenCV's
/// WebP reader refuses.

#include <opencv2/core.hpp>

#include <vector>

namespace refine::imaging::detail {

/// @brief The first frame composed on the animation's canvas: CV_8UC4 (BGRA), or CV_8UC3 (BGR)
/// when the frame is opaque everywhere. Empty when libwebp cannot decode it.
cv::Mat decodeFirstWebpFrame(const std::vector<unsigned char>& webp);

}  // namespace refine::imaging::detail
