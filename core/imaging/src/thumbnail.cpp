// Small previews of photos by a reduced decode (refine/imaging/image_io.h: decodeThumbnail).

#include "refine/imaging/image_io.h"

#include "colour_profiles.h"
#include "decode_support.h"
#include "opencv_guard.h"
#include "orientation.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace refine::imaging {
namespace {

// The largest libjpeg DCT reduction (1/2, 1/4, 1/8) that still leaves at least `maxSide` pixels
// on the longest side, so the final area resampling has real pixels to average.
int jpegReduction(const detail::ImageHeader& header, int maxSide)
{
    const std::uint32_t longest = std::max(header.width, header.height);
    for (int factor : {8, 4, 2})
        if (longest / std::uint32_t(factor) >= std::uint32_t(maxSide))
            return factor;
    return 1;
}

int reducedColourFlag(int factor)
{
    switch (factor) {
    case 8: return cv::IMREAD_REDUCED_COLOR_8;
    case 4: return cv::IMREAD_REDUCED_COLOR_4;
    case 2: return cv::IMREAD_REDUCED_COLOR_2;
    default: return cv::IMREAD_COLOR;
    }
}

cv::Mat fitWithin(const cv::Mat& image, int maxSide)
{
    const int longest = std::max(image.cols, image.rows);
    if (longest <= maxSide)
        return image;
    const double scale = double(maxSide) / longest;
    const cv::Size size(std::max(1, int(image.cols * scale + 0.5)), std::max(1, int(image.rows * scale + 0.5)));
    cv::Mat out;
    cv::resize(image, out, size, 0, 0, cv::INTER_AREA);
    return out;
}

// Animated and CMYK files need decodePhoto()'s own paths (frame composition, colour conversion).
Thumbnail fromFullDecode(const std::vector<unsigned char>& bytes, const std::string& name, int maxSide,
                         const DecodeLimits& limits)
{
    const Photo photo = decodePhoto(bytes, name, limits);
    Thumbnail thumbnail;
    cv::Mat rgb8;
    fitWithin(photo.rgb, maxSide).convertTo(rgb8, CV_8U, 255.0);
    thumbnail.rgb = rgb8;
    thumbnail.fullWidth = photo.width();
    thumbnail.fullHeight = photo.height();
    thumbnail.iccProfile = photo.iccProfile;
    return thumbnail;
}

}  // namespace

Thumbnail decodeThumbnail(const std::vector<unsigned char>& bytes, const std::string& nameForMessages, int maxSide,
                          const DecodeLimits& limits)
{
    if (maxSide < 1)
        throw Error(ErrorCode::InvalidArgument, "a thumbnail needs a size of at least 1 pixel");
    const std::string& name = nameForMessages;
    const detail::ImageHeader header = detail::checkHeader(bytes, name, limits);
    if (header.animated || header.cmyk)
        return fromFullDecode(bytes, name, maxSide, limits);

    const int factor = header.format == "jpeg" ? jpegReduction(header, maxSide) : 1;
    const cv::Mat stored =
        detail::decodeWithOpenCv(bytes, name, reducedColourFlag(factor) | cv::IMREAD_IGNORE_ORIENTATION);
    if (stored.empty())
        throw detail::badImage(name, "the file is damaged or truncated");
    detail::checkLimits(name, std::uint64_t(stored.cols) * factor, std::uint64_t(stored.rows) * factor, limits);
    return detail::guardOpenCv(ErrorCode::Internal, "Could not make a thumbnail of " + name, [&] {
        const int orientation = detail::readOrientation(bytes);
        const cv::Mat upright = detail::applyOrientation(stored, orientation);
        Thumbnail thumbnail;
        cv::cvtColor(fitWithin(upright, maxSide), thumbnail.rgb, cv::COLOR_BGR2RGB);
        const bool known = header.width > 0 && header.height > 0;
        const int width = known ? int(header.width) : stored.cols * factor;
        const int height = known ? int(header.height) : stored.rows * factor;
        thumbnail.fullWidth = orientation >= 5 ? height : width;
        thumbnail.fullHeight = orientation >= 5 ? width : height;
        const detail::IccBytes icc = detail::readEmbeddedProfile(bytes);
        const detail::ProfileSpace space = detail::profileSpace(icc);
        if (space == detail::ProfileSpace::Rgb)
            thumbnail.iccProfile = icc;
        else if (space == detail::ProfileSpace::Gray)
            thumbnail.iccProfile = detail::rgbProfileForGray(icc);
        return thumbnail;
    });
}

}  // namespace refine::imaging
