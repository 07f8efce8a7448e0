#pragma once
/// @file jpeg_low_res.h
/// @brief The JPEG-damaged low-resolution version of a training crop, for refine-train's
/// `--old-photo` mode. The trainer is engine-only (no codec, so it builds on the GPU machine),
/// so the packer, which has OpenCV, makes the artefacts: Refine's antialiased bicubic downscale
/// H (the operator training and the consistency projection use), then a real JPEG encode and
/// decode at the given quality.

#include <opencv2/core.hpp>

namespace refine::pack {

/// @param highRes  CV_32FC3 RGB in [0, 1], sides multiples of `scale`
/// @return CV_8UC3 RGB of size highRes / scale: H(highRes) after a JPEG round trip at `quality`
cv::Mat jpegLowRes(const cv::Mat& highRes, int scale, int quality);

}  // namespace refine::pack
