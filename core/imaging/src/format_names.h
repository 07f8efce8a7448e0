#pragma once
/// @file format_names.h
/// @brief Mapping format names and file extensions onto Refine's canonical format names.

#include <string>

namespace refine::imaging::detail {

/// @brief "jpeg", "png", "tiff", "webp" or "bmp" for a format name or extension in any spelling
/// ("JPG", ".jpeg", "tif", ...); an empty string when it is not one Refine supports.
std::string canonicalFormatName(const std::string& nameOrExtension);

}  // namespace refine::imaging::detail
