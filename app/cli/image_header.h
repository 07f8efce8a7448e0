#pragma once
/// @file image_header.h
/// @brief A photo's upright pixel size from its header alone (exiv2), without decoding it: what
/// a plan records and a resumed run checks outputs against.

#include <vector>

namespace refine::cli {

struct PixelSize {
    int width = 0;   ///< 0 when the header does not say
    int height = 0;
    bool known() const { return width > 0 && height > 0; }
    bool operator==(const PixelSize& o) const { return width == o.width && height == o.height; }
};

/// The size after the EXIF orientation is applied (orientations 5 to 8 swap the sides), as
/// readPhoto() would decode it; unknown (0 x 0) when exiv2 cannot read the header.
PixelSize uprightPixelSize(const std::vector<unsigned char>& bytes);

}  // namespace refine::cli
