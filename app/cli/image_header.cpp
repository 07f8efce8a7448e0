#include "image_header.h"

#include <utility>

#include <exiv2/exiv2.hpp>

namespace refine::cli {
namespace {

int exifOrientation(const Exiv2::ExifData& exif)
{
    const auto it = exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
    return it == exif.end() || it->count() == 0 ? 1 : int(it->toLong());
}

}  // namespace

PixelSize uprightPixelSize(const std::vector<unsigned char>& bytes)
{
    try {
        auto image = Exiv2::ImageFactory::open(bytes.data(), long(bytes.size()));
        image->readMetadata();
        PixelSize size{image->pixelWidth(), image->pixelHeight()};
        const int orientation = exifOrientation(image->exifData());
        if (orientation >= 5 && orientation <= 8)
            std::swap(size.width, size.height);
        return size;
    } catch (...) {  // an unreadable header only means "unknown": decoding will say what is wrong
        return {};
    }
}

}  // namespace refine::cli
