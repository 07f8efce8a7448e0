#pragma once
/// @file tiff_cmyk.h
/// @brief The CMYK samples of a CMYK TIFF's first page, read with libtiff directly: OpenCV only
/// gives such TIFFs already converted to RGB by libtiff's formula (with an opaque alpha channel),
/// which loses what the embedded CMYK profile needs to convert them properly.

#include <opencv2/core.hpp>

#include <vector>

namespace refine::imaging::detail {

/// @brief CV_8UC4 or CV_16UC4 C M Y K samples of a strip-organised, interleaved, 8 or 16-bit CMYK
/// TIFF; an empty matrix for any other layout or when libtiff reports an error.
cv::Mat decodeCmykTiff(const std::vector<unsigned char>& tiff);

}  // namespace refine::imaging::detail
