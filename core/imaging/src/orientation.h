#pragma once
/// @file orientation.h
/// @brief EXIF orientation: reading the tag and turning stored pixels upright.

#include <opencv2/core.hpp>

#include <vector>

namespace refine::imaging::detail {

/// @brief The EXIF orientation (1..8) of an encoded image; Xmp.tiff.Orientation when there is no
/// EXIF tag. Returns 1 when absent, out of range or unreadable: broken metadata should not stop
/// a photo from loading.
int readOrientation(const std::vector<unsigned char>& bytes) noexcept;

/// @brief Transforms stored pixels so that they display upright for the given EXIF orientation
/// (1 = as stored, 2 = mirrored, 3 = 180°, 4 = flipped, 5 = transposed, 6 = needs 90° clockwise,
/// 7 = transversed, 8 = needs 90° counter-clockwise). Other values leave the image as it is.
cv::Mat applyOrientation(const cv::Mat& stored, int orientation);

}  // namespace refine::imaging::detail
