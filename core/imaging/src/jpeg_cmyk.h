#pragma once
/// @file jpeg_cmyk.h
/// @brief The CMYK samples of a CMYK (or YCCK) JPEG, decoded with libjpeg directly: OpenCV only
/// gives such JPEGs already converted to RGB by a formula, which loses what the embedded CMYK
/// profile needs to convert them properly.

#include <opencv2/core.hpp>

#include <vector>

namespace refine::imaging::detail {

struct CmykSamples {
    cv::Mat samples;        ///< CV_8UC4, C M Y K, as stored
    bool inverted = false;  ///< written by Adobe software (APP14 marker): each sample is 255 - value
};

/// @brief Decodes a CMYK or YCCK JPEG to its CMYK samples; an empty matrix when the JPEG is
/// not CMYK or libjpeg reports an error.
CmykSamples decodeCmykJpeg(const std::vector<unsigned char>& jpeg);

}  // namespace refine::imaging::detail
