#pragma once
/// @file decode_support.h
/// @brief What every decode does first: the header's checks against the limits (before any pixel
/// memory is allocated), the wording of decode errors, and OpenCV's decoder behind Refine's errors.

#include "image_header.h"

#include "refine/engine/error.h"
#include "refine/imaging/image_io.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace refine::imaging::detail {

/// @brief BadImage "<name>: not a readable image (<reason>)".
Error badImage(const std::string& name, const std::string& reason);

/// @brief Refuses width x height above limits.maxPixels with a message giving both in megapixels.
void checkLimits(const std::string& name, std::uint64_t width, std::uint64_t height, const DecodeLimits& limits);

/// @brief Reads the header and refuses, before decoding: empty files, unknown formats, GIF,
/// sizes beyond `limits`, truncated JPEGs.
ImageHeader checkHeader(const std::vector<unsigned char>& bytes, const std::string& name, const DecodeLimits& limits);

/// @brief cv::imdecode with `flags`; OpenCV's exceptions become BadImage. Empty when OpenCV
/// cannot decode the bytes.
cv::Mat decodeWithOpenCv(const std::vector<unsigned char>& bytes, const std::string& name, int flags);

}  // namespace refine::imaging::detail
