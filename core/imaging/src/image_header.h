#pragma once
/// @file image_header.h
/// @brief Recognising an encoded image and reading its dimensions from the header alone, so
/// oversized images are refused before any pixel memory is allocated.

#include <cstdint>
#include <string>
#include <vector>

namespace refine::imaging::detail {

/// @brief What the first bytes of a file say about it.
struct ImageHeader {
    std::string format;  ///< "jpeg", "png", "tiff", "webp", "bmp", "gif", or empty when not recognised
    std::uint32_t width = 0;   ///< 0 when the header is too short or damaged to tell
    std::uint32_t height = 0;
    int pages = 1;             ///< TIFF: directories in the main chain; animations: frames (when known)
    bool animated = false;     ///< an animated WebP or PNG (APNG)
    bool cmyk = false;         ///< a CMYK (or YCCK) JPEG, or a TIFF with separated (CMYK) samples
};

/// @brief Recognises the format by its signature and reads the dimensions, the number of pages
/// (TIFF, classic and BigTIFF) and whether it is animated (WebP, PNG) where it can.
ImageHeader sniffImageHeader(const std::vector<unsigned char>& bytes);

/// @brief Whether a JPEG's entropy-coded data is followed by an end-of-image marker.
///
/// libjpeg decodes a truncated JPEG "successfully", filling the missing rows with grey; this
/// detects the truncation. Entropy-coded data cannot contain FF D9 (FF is stuffed as FF 00), so
/// any FF D9 after the first start-of-scan is the real end marker.
bool jpegHasEndOfImage(const std::vector<unsigned char>& bytes);

}  // namespace refine::imaging::detail
