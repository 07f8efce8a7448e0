#include "refine/imaging/inpaint.h"

#include "opencv_guard.h"

#include "refine/engine/error.h"
#include "refine/imaging/engine_image.h"

#include <opencv2/photo.hpp>

namespace refine::imaging {
namespace {

// OpenCV 4.6's float inpainting adds a bias of about half a grey level to every filled value
// (Telea, opencv/opencv#25404): at a [0, 1] scale it ruins the fill, at this one it is ~1e-5.
constexpr double kWorkingScale = 65535.0;

void checkInputs(const cv::Mat& image, const cv::Mat& mask, double radius)
{
    if (image.empty() || (image.type() != CV_32FC3 && image.type() != CV_32FC1))
        throw Error(ErrorCode::InvalidArgument, "inpainting needs a non-empty float image with 1 or 3 channels");
    if (mask.type() != CV_8UC1 || mask.size() != image.size())
        throw Error(ErrorCode::InvalidArgument, "the inpainting mask must be an 8-bit map of the image's size");
    if (!(radius > 0))
        throw Error(ErrorCode::InvalidArgument, "the inpainting radius must be positive");
}

}  // namespace

const char* inpaintMethodName(InpaintMethod method)
{
    return method == InpaintMethod::NavierStokes ? "ns" : "telea";
}

cv::Mat inpaint(const cv::Mat& image, const cv::Mat& mask, InpaintMethod method, double radius)
{
    checkInputs(image, mask, radius);
    const int marked = cv::countNonZero(mask);
    if (marked == 0)
        return image.clone();
    if (size_t(marked) == mask.total())
        throw Error(ErrorCode::InvalidArgument,
                    "the area to fill covers the whole image, so there is nothing around it to fill it from");
    return detail::guardOpenCv(ErrorCode::Internal, "inpainting", [&] {
        // Marked pixels on the left or top edge are filled wrongly (opencv/opencv#25389) unless
        // the image has a marked frame around it; the frame is cut off again below.
        cv::Mat framed, framedMask;
        cv::copyMakeBorder(image * kWorkingScale, framed, 1, 1, 1, 1, cv::BORDER_REPLICATE);
        cv::copyMakeBorder(mask, framedMask, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(255));
        // OpenCV inpaints float images one channel at a time; the fill order depends on the mask
        // alone, so the channels stay in step.
        std::vector<cv::Mat> channels;
        cv::split(framed, channels);
        for (cv::Mat& channel : channels) {
            cv::Mat filled;
            cv::inpaint(channel, framedMask, filled, radius,
                        method == InpaintMethod::NavierStokes ? cv::INPAINT_NS : cv::INPAINT_TELEA);
            channel = filled(cv::Rect(1, 1, image.cols, image.rows)) / kWorkingScale;
        }
        cv::Mat filled;
        cv::merge(channels, filled);
        filled = cv::min(cv::max(filled, 0.0), 1.0);
        // Only the marked pixels take the fill: the rest stay bit for bit as they were.
        cv::Mat out = image.clone();
        filled.copyTo(out, mask);
        return out;
    });
}

refine::ImageF inpaint(const refine::ImageF& image, const std::vector<std::uint8_t>& mask, InpaintMethod method,
                       double radius)
{
    if (mask.size() != size_t(image.width) * size_t(image.height))
        throw Error(ErrorCode::InvalidArgument, "the inpainting mask must have one value per pixel of the image");
    const cv::Mat maskMat(image.height, image.width, CV_8UC1, const_cast<std::uint8_t*>(mask.data()));
    return toImageF(inpaint(fromImageF(image), maskMat, method, radius));
}

}  // namespace refine::imaging
