// Decoding encoded photos into upright float RGB (+ alpha).

#include "refine/imaging/image_io.h"

#include "image_header.h"
#include "opencv_guard.h"
#include "orientation.h"

#include "refine/engine/error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <climits>
#include <cstdio>

namespace refine::imaging {
namespace {

Error badImage(const std::string& name, const std::string& reason)
{
    return Error(ErrorCode::BadImage, name + ": not a readable image (" + reason + ")");
}

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

void checkLimits(const std::string& name, std::uint64_t width, std::uint64_t height,
                 const DecodeLimits& limits)
{
    if (width * height <= limits.maxPixels)
        return;
    throw Error(ErrorCode::BadImage, name + " is " + std::to_string(width) + " x " +
                                         std::to_string(height) + " pixels (" +
                                         megapixels(width * height) + " MP); Refine handles up to " +
                                         megapixels(limits.maxPixels) + " MP");
}

cv::Mat decodePixels(const std::vector<unsigned char>& bytes, const std::string& name)
{
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        throw badImage(name, "files over 2 GB are not supported");
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1,
                         const_cast<unsigned char*>(bytes.data()));
    // IMREAD_UNCHANGED keeps alpha and 16-bit samples. OR-ing IGNORE_ORIENTATION into -1
    // changes nothing, but states the intent: OpenCV 4.6 does not rotate UNCHANGED reads, and
    // orientation is applied here from exiv2's reading of the tag.
    const cv::Mat decoded = detail::guardOpenCv(ErrorCode::BadImage, name + ": not a readable image", [&] {
        return cv::imdecode(buffer, cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
    });
    if (decoded.empty())
        throw badImage(name, "the file is damaged or truncated");
    return decoded;
}

// Converts samples to float in [0, 1]; float input (TIFF) is clamped and NaN becomes 0.
cv::Mat toUnitFloat(const cv::Mat& samples, const std::string& name)
{
    cv::Mat out;
    switch (samples.depth()) {
    case CV_8U: samples.convertTo(out, CV_32F, 1.0 / 255.0); return out;
    case CV_16U: samples.convertTo(out, CV_32F, 1.0 / 65535.0); return out;
    case CV_32F:
    case CV_64F:
        samples.convertTo(out, CV_32F);
        cv::patchNaNs(out, 0.0);
        out = cv::min(cv::max(out, 0.0), 1.0);
        return out;
    default: throw badImage(name, "unsupported sample format");
    }
}

int bitDepthOf(const cv::Mat& samples) { return samples.depth() == CV_8U ? 8 : 16; }

// OpenCV's channel layouts: gray, gray+alpha, BGR, BGRA.
void splitChannels(const cv::Mat& decoded, Photo& photo, const std::string& name)
{
    cv::Mat colour = decoded;
    cv::Mat alpha;
    const int channels = decoded.channels();
    if (channels == 2 || channels == 4) {
        cv::extractChannel(decoded, alpha, channels - 1);
        if (channels == 2)
            cv::extractChannel(decoded, colour, 0);
        else
            cv::cvtColor(decoded, colour, cv::COLOR_BGRA2BGR);
    } else if (channels != 1 && channels != 3) {
        throw badImage(name, std::to_string(channels) + " channels are not supported");
    }
    cv::Mat colourFloat = toUnitFloat(colour, name);
    cv::cvtColor(colourFloat, photo.rgb, channels <= 2 ? cv::COLOR_GRAY2RGB : cv::COLOR_BGR2RGB);
    if (!alpha.empty())
        photo.alpha = toUnitFloat(alpha, name);
}

}  // namespace

Photo decodePhoto(const std::vector<unsigned char>& bytes, const std::string& nameForMessages,
                  const DecodeLimits& limits)
{
    const std::string& name = nameForMessages;
    if (bytes.empty())
        throw badImage(name, "the file is empty");
    const detail::ImageHeader header = detail::sniffImageHeader(bytes);
    if (header.format.empty())
        throw badImage(name, "unknown format; Refine reads JPEG, PNG, TIFF, WebP and BMP");
    checkLimits(name, header.width, header.height, limits);
    if (header.format == "jpeg" && !detail::jpegHasEndOfImage(bytes))
        throw badImage(name, "the JPEG data is truncated");

    const cv::Mat stored = decodePixels(bytes, name);
    checkLimits(name, std::uint64_t(stored.cols), std::uint64_t(stored.rows), limits);  // headers we could not read
    return detail::guardOpenCv(ErrorCode::Internal, "Could not convert the pixels of " + name, [&] {
        const cv::Mat upright = detail::applyOrientation(stored, detail::readOrientation(bytes));
        Photo photo;
        splitChannels(upright, photo, name);
        photo.bitDepth = bitDepthOf(upright);
        photo.format = header.format;
        photo.sourceBytes = bytes;
        return photo;
    });
}

}  // namespace refine::imaging
