#include "orientation.h"

#include "exiv2_support.h"

#include <opencv2/core.hpp>

namespace refine::imaging::detail {
namespace {

int orientationOf(const Exiv2::Image& image)
{
    const Exiv2::ExifData& exif = image.exifData();
    const auto tag = exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
    if (tag != exif.end() && tag->count() > 0)
        return static_cast<int>(tag->toLong());
    const Exiv2::XmpData& xmp = image.xmpData();
    const auto property = xmp.findKey(Exiv2::XmpKey("Xmp.tiff.Orientation"));
    if (property != xmp.end() && property->count() > 0)
        return static_cast<int>(property->toLong());
    return 1;
}

}  // namespace

int readOrientation(const std::vector<unsigned char>& bytes) noexcept
{
    try {
        const int orientation = orientationOf(*openImage(bytes));
        return orientation >= 1 && orientation <= 8 ? orientation : 1;
    } catch (...) {
        return 1;
    }
}

cv::Mat applyOrientation(const cv::Mat& stored, int orientation)
{
    cv::Mat upright;
    switch (orientation) {
    case 2: cv::flip(stored, upright, 1); break;
    case 3: cv::rotate(stored, upright, cv::ROTATE_180); break;
    case 4: cv::flip(stored, upright, 0); break;
    case 5: cv::transpose(stored, upright); break;
    case 6: cv::rotate(stored, upright, cv::ROTATE_90_CLOCKWISE); break;
    case 7:
        cv::transpose(stored, upright);
        cv::rotate(upright, upright, cv::ROTATE_180);
        break;
    case 8: cv::rotate(stored, upright, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    default: return stored;
    }
    return upright;
}

}  // namespace refine::imaging::detail
