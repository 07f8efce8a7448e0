#pragma once
/// @file photo.h
/// @brief A decoded photo as the imaging library hands it to the rest of Refine.

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace refine::imaging {

/// @brief A decoded photo: upright float RGB pixels plus what is needed to write the result back.
struct Photo {
    cv::Mat rgb;           ///< CV_32FC3, RGB order (not BGR), values in [0, 1], EXIF orientation already applied
    cv::Mat alpha;         ///< empty, or CV_32FC1 in [0, 1] with the size of `rgb`
    int bitDepth = 8;      ///< 8 or 16: the source's sample depth, to pick the output depth
    std::string format;    ///< the source's container: "jpeg", "png", "tiff", "webp" or "bmp"
    std::vector<unsigned char> sourceBytes;  ///< the encoded input, kept for the metadata copy

    int width() const noexcept { return rgb.cols; }
    int height() const noexcept { return rgb.rows; }
    bool hasAlpha() const noexcept { return !alpha.empty(); }
};

}  // namespace refine::imaging
