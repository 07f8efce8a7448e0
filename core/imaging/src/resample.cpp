#include "refine/imaging/resample.h"

#include "opencv_guard.h"

#include "refine/engine/error.h"

#include <opencv2/imgproc.hpp>

namespace refine::imaging {
namespace {

// Kernels with negative lobes ring past the input's range at sharp edges.
cv::Mat clampUnit(const cv::Mat& image)
{
    cv::Mat out = cv::max(image, 0.0);
    return cv::min(out, 1.0);
}

cv::Mat resizeWith(const cv::Mat& image, cv::Size size, int interpolation, const char* name, bool clamp)
{
    if (image.empty() || image.depth() != CV_32F || image.channels() > 4)
        throw Error(ErrorCode::InvalidArgument,
                    std::string(name) + " needs a non-empty float image with 1 to 4 channels");
    if (size.width <= 0 || size.height <= 0)
        throw Error(ErrorCode::InvalidArgument, std::string(name) + " needs a positive output size");
    return detail::guardOpenCv(ErrorCode::Internal, name, [&] {
        cv::Mat out;
        cv::resize(image, out, size, 0.0, 0.0, interpolation);
        return clamp ? clampUnit(out) : out;
    });
}

}  // namespace

cv::Mat resizeLanczos(const cv::Mat& image, cv::Size size)
{
    return resizeWith(image, size, cv::INTER_LANCZOS4, "resizeLanczos", true);
}

cv::Mat resizeArea(const cv::Mat& image, cv::Size size)
{
    return resizeWith(image, size, cv::INTER_AREA, "resizeArea", false);
}

cv::Mat resizeBicubic(const cv::Mat& image, cv::Size size)
{
    return resizeWith(image, size, cv::INTER_CUBIC, "resizeBicubic", true);
}

}  // namespace refine::imaging
