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
    /// The ICC profile describing `rgb` (empty: none embedded, i.e. sRGB): the source's own for an
    /// RGB photo, an equivalent RGB profile for a grey one, sRGB for a converted CMYK one. Shown
    /// on screen through it (e.g. QColorSpace::fromIccProfile) and written into the outputs.
    std::vector<unsigned char> iccProfile;
    /// What the user should be told about how the file was read (only the first page of a
    /// multi-page TIFF, a CMYK photo converted to sRGB, a profile that was ignored ...).
    std::vector<std::string> notices;

    int width() const noexcept { return rgb.cols; }
    int height() const noexcept { return rgb.rows; }
    bool hasAlpha() const noexcept { return !alpha.empty(); }
};

}  // namespace refine::imaging
