// Decoding encoded photos into upright float RGB (+ alpha), in a colour space their ICC profile
// describes.

#include "refine/imaging/image_io.h"

#include "colour_profiles.h"
#include "decode_support.h"
#include "jpeg_cmyk.h"
#include "tiff_cmyk.h"
#include "opencv_guard.h"
#include "orientation.h"
#include "webp_animation.h"

#include "refine/engine/error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <climits>

namespace refine::imaging {
namespace {

using detail::badImage;
using detail::checkLimits;

/// Decoded samples as stored in the file, before orientation and colour conversion.
struct StoredPixels {
    cv::Mat samples;        ///< OpenCV's layouts: gray, gray+alpha, BGR, BGRA; or C M Y K
    bool cmyk = false;
    bool invertedCmyk = false;
    std::vector<std::string> notices;
};

StoredPixels cmykPixels(cv::Mat samples, bool inverted)
{
    StoredPixels stored;
    stored.samples = std::move(samples);
    stored.cmyk = true;
    stored.invertedCmyk = inverted;
    return stored;
}

StoredPixels decodeStored(const std::vector<unsigned char>& bytes, const detail::ImageHeader& header,
                          const std::string& name)
{
    StoredPixels stored;
    if (header.format == "webp" && header.animated) {
        stored.samples = detail::decodeFirstWebpFrame(bytes);
    } else if (header.format == "jpeg" && header.cmyk) {
        detail::CmykSamples cmyk = detail::decodeCmykJpeg(bytes);
        stored = cmykPixels(cmyk.samples, cmyk.inverted);
    } else if (header.format == "tiff" && header.cmyk) {
        stored = cmykPixels(detail::decodeCmykTiff(bytes), false);
    }
    if (stored.samples.empty() && !stored.cmyk) {
        // IMREAD_UNCHANGED keeps alpha and 16-bit samples. OR-ing IGNORE_ORIENTATION into -1
        // changes nothing, but states the intent: OpenCV 4.6 does not rotate UNCHANGED reads,
        // and orientation is applied here from exiv2's reading of the tag.
        stored.samples = detail::decodeWithOpenCv(bytes, name, cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
    }
    if (stored.samples.empty() && stored.cmyk && header.format == "tiff") {
        // A CMYK layout read here cannot (tiles, planes, other depths): OpenCV gives it converted
        // to RGB by libtiff's formula, as BGRA with an opaque alpha channel.
        stored.cmyk = false;
        stored.samples = detail::decodeWithOpenCv(bytes, name, cv::IMREAD_COLOR | cv::IMREAD_ANYDEPTH);
        stored.notices.push_back("CMYK TIFF in a layout Refine cannot colour-manage: converted to RGB approximately");
    }
    if (stored.samples.empty())
        throw badImage(name, "the file is damaged or truncated");
    return stored;
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

// OpenCV's channel layouts: gray, gray+alpha, BGR, BGRA. The channel order is changed at the
// stored depth, before the float conversion, so the large float image exists once.
void splitChannels(const cv::Mat& stored, Photo& photo, const std::string& name)
{
    // cvtColor takes 8, 16 and 32-bit samples; double-precision TIFFs become float first.
    const cv::Mat decoded = stored.depth() == CV_64F ? toUnitFloat(stored, name) : stored;
    cv::Mat colour;
    const int channels = decoded.channels();
    if (channels == 2 || channels == 4) {
        cv::Mat alpha;
        cv::extractChannel(decoded, alpha, channels - 1);
        photo.alpha = toUnitFloat(alpha, name);
    }
    switch (channels) {
    case 1: cv::cvtColor(decoded, colour, cv::COLOR_GRAY2RGB); break;
    case 2: {
        cv::Mat gray;
        cv::extractChannel(decoded, gray, 0);
        cv::cvtColor(gray, colour, cv::COLOR_GRAY2RGB);
        break;
    }
    case 3: cv::cvtColor(decoded, colour, cv::COLOR_BGR2RGB); break;
    case 4: cv::cvtColor(decoded, colour, cv::COLOR_BGRA2RGB); break;
    default: throw badImage(name, std::to_string(channels) + " channels are not supported");
    }
    photo.rgb = toUnitFloat(colour, name);
}

void convertCmyk(const StoredPixels& stored, const cv::Mat& upright, const detail::IccBytes& icc, Photo& photo)
{
    if (detail::profileSpace(icc) == detail::ProfileSpace::Cmyk) {
        photo.rgb = detail::cmykToSrgb(upright, icc, stored.invertedCmyk);
        if (!photo.rgb.empty()) {
            photo.iccProfile = detail::srgbProfile();
            photo.notices.push_back("CMYK photo: converted to sRGB through its ICC profile; the results are RGB");
            return;
        }
    }
    photo.rgb = detail::cmykToRgbNaive(upright, stored.invertedCmyk);
    photo.notices.push_back("CMYK photo without a usable ICC profile: converted to RGB approximately");
}

// Which profile describes the RGB pixels: the source's for RGB, the equivalent RGB one for grey.
void adoptProfile(const detail::IccBytes& icc, bool grayPixels, Photo& photo)
{
    const detail::ProfileSpace space = detail::profileSpace(icc);
    if (space == detail::ProfileSpace::None)
        return;
    if (space == detail::ProfileSpace::Rgb && !grayPixels) {
        photo.iccProfile = icc;
        return;
    }
    if (space == detail::ProfileSpace::Gray && grayPixels) {
        photo.iccProfile = detail::rgbProfileForGray(icc);
        if (!photo.iccProfile.empty())
            return;
    }
    photo.notices.push_back("the embedded ICC profile does not fit the pixels and was ignored");
}

std::string pagesNotice(const detail::ImageHeader& header)
{
    const std::string what = header.format == "tiff" ? "pages" : "frames";
    const std::string count = header.pages > 1 ? std::to_string(header.pages) + " " + what : what;
    if (header.format == "tiff")
        return "multi-page TIFF (" + count + "): only the first page is enhanced";
    return "animated " + std::string(header.format == "png" ? "PNG" : "WebP") + " (" + count +
           "): only the first frame is enhanced";
}

}  // namespace

Photo decodePhoto(const std::vector<unsigned char>& bytes, const std::string& nameForMessages,
                  const DecodeLimits& limits)
{
    const std::string& name = nameForMessages;
    const detail::ImageHeader header = detail::checkHeader(bytes, name, limits);
    const StoredPixels stored = decodeStored(bytes, header, name);
    // Headers we could not read (an unusual TIFF layout) are checked now, before any copy.
    checkLimits(name, std::uint64_t(stored.samples.cols), std::uint64_t(stored.samples.rows), limits);
    return detail::guardOpenCv(ErrorCode::Internal, "Could not convert the pixels of " + name, [&] {
        const cv::Mat upright = detail::applyOrientation(stored.samples, detail::readOrientation(bytes));
        const detail::IccBytes icc = detail::readEmbeddedProfile(bytes);
        Photo photo;
        if (stored.cmyk) {
            convertCmyk(stored, upright, icc, photo);
        } else {
            splitChannels(upright, photo, name);
            adoptProfile(icc, upright.channels() <= 2, photo);
        }
        photo.notices.insert(photo.notices.end(), stored.notices.begin(), stored.notices.end());
        if (header.pages > 1 || header.animated)
            photo.notices.insert(photo.notices.begin(), pagesNotice(header));
        photo.bitDepth = bitDepthOf(upright);
        photo.format = header.format;
        photo.sourceBytes = bytes;
        return photo;
    });
}

ImageInfo readImageInfo(const std::vector<unsigned char>& bytes, const std::string& nameForMessages)
{
    if (bytes.empty())
        throw badImage(nameForMessages, "the file is empty");
    const detail::ImageHeader header = detail::sniffImageHeader(bytes);
    if (header.format.empty())
        throw badImage(nameForMessages, "unknown format; Refine reads JPEG, PNG, TIFF, WebP and BMP");
    ImageInfo info;
    info.format = header.format;
    info.width = int(std::min<std::uint32_t>(header.width, INT_MAX));
    info.height = int(std::min<std::uint32_t>(header.height, INT_MAX));
    const int orientation = detail::readOrientation(bytes);
    if (orientation >= 5)
        std::swap(info.width, info.height);
    info.pages = header.pages;
    info.animated = header.animated;
    info.cmyk = header.cmyk;
    return info;
}

}  // namespace refine::imaging
