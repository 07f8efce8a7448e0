#pragma once
/// @file icc_chunks.h
/// @brief Embedding an ICC profile into PNG and WebP files directly, where exiv2 0.27 gets it
/// wrong: its PNG iCCP chunk has an empty profile name, which libpng rejects ("iCCP: bad
/// keyword", so viewers ignore the profile), and its WebP writer labels the ICCP chunk "VP8X"
/// (exiv2 issue #2734, fixed in 0.28.1), leaving the profile unreadable.

#include <vector>

namespace refine::imaging::detail {

/// @brief Returns `png` with an iCCP chunk holding `icc` right after IHDR; any iCCP or sRGB chunk
/// already there is dropped. Throws std::runtime_error for a malformed PNG.
std::vector<unsigned char> embedPngIcc(const std::vector<unsigned char>& png,
                                       const std::vector<unsigned char>& icc);

/// @brief Returns `webp` with an ICCP chunk holding `icc` right after its VP8X chunk (which must be
/// there: exiv2 adds it when writing EXIF/XMP) and the VP8X ICC flag set; an existing ICCP chunk
/// is dropped. Throws std::runtime_error for a malformed or simple-format WebP.
std::vector<unsigned char> embedWebpIcc(const std::vector<unsigned char>& webp,
                                        const std::vector<unsigned char>& icc);

}  // namespace refine::imaging::detail
