// Encoding float RGB (+ alpha) into PNG, JPEG, TIFF, WebP or BMP bytes.

#include "refine/imaging/image_io.h"

#include "format_names.h"
#include "opencv_guard.h"

#include "refine/engine/error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace refine::imaging {
namespace {

Error invalid(const std::string& message) { return Error(ErrorCode::InvalidArgument, message); }

void checkPixels(const cv::Mat& rgb, const cv::Mat& alpha)
{
    if (rgb.empty() || rgb.type() != CV_32FC3)
        throw invalid("encodePhoto needs a non-empty CV_32FC3 RGB image");
    if (!alpha.empty() && (alpha.type() != CV_32FC1 || alpha.size() != rgb.size()))
        throw invalid("encodePhoto needs the alpha channel as CV_32FC1 of the image's size");
}

void checkOptions(const EncodeOptions& options, const std::string& format)
{
    if (format.empty())
        throw invalid("Cannot write \"" + options.format + "\" images; use PNG, JPEG, TIFF, WebP or BMP");
    if (options.jpegQuality < 1 || options.jpegQuality > 100)
        throw invalid("The quality must be between 1 and 100, not " + std::to_string(options.jpegQuality));
    if (options.bitDepth != 8 && options.bitDepth != 16)
        throw invalid("The bit depth must be 8 or 16, not " + std::to_string(options.bitDepth));
}

// The formats' own size limits, reported before the encoder fails with a less helpful message.
void checkSize(const std::string& format, cv::Size size)
{
    const int limit = format == "webp" ? 16383 : format == "jpeg" ? 65535 : 0;
    if (limit > 0 && (size.width > limit || size.height > limit))
        throw invalid(std::to_string(size.width) + " x " + std::to_string(size.height) +
                      " pixels is too large for " + format + " (at most " + std::to_string(limit) +
                      " pixels a side); choose PNG or TIFF");
}

bool keepsAlpha(const std::string& format) { return format == "png" || format == "tiff" || format == "webp"; }

bool allows16Bit(const std::string& format) { return format == "png" || format == "tiff"; }

// OpenCV encoders take BGR(A) integers; convertTo rounds and saturates, which also clamps.
cv::Mat toEncoderLayout(const cv::Mat& rgb, const cv::Mat& alpha, int depth)
{
    const double scale = depth == CV_16U ? 65535.0 : 255.0;
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    if (!alpha.empty()) {
        const cv::Mat planes[] = {bgr, alpha};
        cv::merge(planes, 2, bgr);
    }
    cv::Mat out;
    bgr.convertTo(out, depth, scale);
    return out;
}

std::vector<int> encoderParams(const std::string& format, const EncodeOptions& options)
{
    if (format == "jpeg")
        return {cv::IMWRITE_JPEG_QUALITY, options.jpegQuality, cv::IMWRITE_JPEG_OPTIMIZE, 1};
    if (format == "webp")
        return {cv::IMWRITE_WEBP_QUALITY, options.jpegQuality};
    return {};
}

}  // namespace

std::vector<unsigned char> encodePhoto(const cv::Mat& rgbFloat, const cv::Mat& alpha,
                                       const EncodeOptions& options)
{
    const std::string format = detail::canonicalFormatName(options.format);
    checkOptions(options, format);
    checkPixels(rgbFloat, alpha);
    checkSize(format, rgbFloat.size());

    const int depth = options.bitDepth == 16 && allows16Bit(format) ? CV_16U : CV_8U;
    const std::string context = "Could not encode the image as " + format;
    return detail::guardOpenCv(ErrorCode::Internal, context, [&] {
        const cv::Mat pixels = toEncoderLayout(rgbFloat, keepsAlpha(format) ? alpha : cv::Mat(), depth);
        std::vector<unsigned char> bytes;
        if (!cv::imencode("." + format, pixels, bytes, encoderParams(format, options)) || bytes.empty())
            throw Error(ErrorCode::Internal, context);
        return bytes;
    });
}

}  // namespace refine::imaging
