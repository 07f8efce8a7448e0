#include "decode_support.h"

#include "opencv_guard.h"

#include <opencv2/imgcodecs.hpp>

#include <climits>
#include <cstdio>
#include <cstdlib>

namespace refine::imaging::detail {
namespace {

// OpenCV reads its decoders' pixel ceiling from the environment once, at its first decode. It is
// set here (unless the user set it) while the program starts, before any decode or thread, so a
// header this library cannot read still cannot make OpenCV allocate more than Refine accepts.
bool capOpenCvDecodes()
{
    const std::string ceiling = std::to_string(DecodeLimits{}.maxPixels);
#ifdef _WIN32
    if (!std::getenv("OPENCV_IO_MAX_IMAGE_PIXELS"))
        _putenv_s("OPENCV_IO_MAX_IMAGE_PIXELS", ceiling.c_str());
#else
    setenv("OPENCV_IO_MAX_IMAGE_PIXELS", ceiling.c_str(), /*overwrite=*/0);
#endif
    return true;
}
[[maybe_unused]] const bool kOpenCvDecodesCapped = capOpenCvDecodes();

// "1200", "100.4", "2.6", "0.00205": enough digits to tell a photo from the limit.
std::string megapixels(std::uint64_t pixels)
{
    const double mp = double(pixels) / 1e6;
    char text[32];
    if (mp >= 1000)
        std::snprintf(text, sizeof text, "%.0f", mp);
    else if (mp >= 10)
        std::snprintf(text, sizeof text, "%.1f", mp);
    else
        std::snprintf(text, sizeof text, "%.3g", mp);
    std::string out = text;
    if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0)
        out.resize(out.size() - 2);
    return out;
}

}  // namespace

Error badImage(const std::string& name, const std::string& reason)
{
    return Error(ErrorCode::BadImage, name + ": not a readable image (" + reason + ")");
}

void checkLimits(const std::string& name, std::uint64_t width, std::uint64_t height, const DecodeLimits& limits)
{
    if (width * height <= limits.maxPixels)
        return;
    throw Error(ErrorCode::BadImage, name + " is " + std::to_string(width) + " x " + std::to_string(height) +
                                         " pixels (" + megapixels(width * height) + " MP); Refine handles up to " +
                                         megapixels(limits.maxPixels) + " MP");
}

ImageHeader checkHeader(const std::vector<unsigned char>& bytes, const std::string& name, const DecodeLimits& limits)
{
    if (bytes.empty())
        throw badImage(name, "the file is empty");
    const ImageHeader header = sniffImageHeader(bytes);
    if (header.format.empty())
        throw badImage(name, "unknown format; Refine reads JPEG, PNG, TIFF, WebP and BMP");
    if (header.format == "gif")
        throw badImage(name, "GIF is not supported; convert it to PNG first");
    checkLimits(name, header.width, header.height, limits);
    if (header.format == "jpeg" && !jpegHasEndOfImage(bytes))
        throw badImage(name, "the JPEG data is truncated");
    return header;
}

cv::Mat decodeWithOpenCv(const std::vector<unsigned char>& bytes, const std::string& name, int flags)
{
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        throw badImage(name, "files over 2 GB are not supported");
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<unsigned char*>(bytes.data()));
    return guardOpenCv(ErrorCode::BadImage, name + ": not a readable image", [&] { return cv::imdecode(buffer, flags); });
}

}  // namespace refine::imaging::detail
