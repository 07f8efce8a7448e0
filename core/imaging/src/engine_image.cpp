#include "refine/imaging/engine_image.h"

#include "opencv_guard.h"

#include "refine/engine/error.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace refine::imaging {
namespace {

Error invalid(const std::string& message) { return Error(ErrorCode::InvalidArgument, message); }

}  // namespace

float robustMaximum(const std::vector<float>& values)
{
    std::vector<float> finite;
    finite.reserve(values.size());
    std::copy_if(values.begin(), values.end(), std::back_inserter(finite),
                 [](float v) { return std::isfinite(v); });
    if (finite.empty())
        return 0.f;
    const auto rank = static_cast<std::ptrdiff_t>((finite.size() - 1) * 99 / 100);
    std::nth_element(finite.begin(), finite.begin() + rank, finite.end());
    return finite[static_cast<std::size_t>(rank)];
}

refine::ImageF toImageF(const cv::Mat& rgbFloat)
{
    if (rgbFloat.empty() || (rgbFloat.type() != CV_32FC3 && rgbFloat.type() != CV_32FC1))
        throw invalid("toImageF needs a non-empty CV_32FC3 or CV_32FC1 image");
    return detail::guardOpenCv(ErrorCode::Internal, "toImageF", [&] {
        refine::ImageF image(rgbFloat.cols, rgbFloat.rows, rgbFloat.channels());
        // Wrap the ImageF's buffer so copyTo handles non-continuous (ROI) input row by row.
        cv::Mat view(rgbFloat.rows, rgbFloat.cols, rgbFloat.type(), image.pixels.data());
        rgbFloat.copyTo(view);
        return image;
    });
}

cv::Mat fromImageF(const refine::ImageF& image)
{
    if (image.channels != 1 && image.channels != 3)
        throw invalid("fromImageF supports 1 or 3 channels, not " + std::to_string(image.channels));
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() != std::size_t(image.width) * image.height * image.channels)
        throw invalid("fromImageF: the pixel count does not match width x height x channels");
    return detail::guardOpenCv(ErrorCode::Internal, "fromImageF", [&] {
        const cv::Mat view(image.height, image.width, CV_32FC(image.channels),
                           const_cast<float*>(image.pixels.data()));
        return view.clone();
    });
}

cv::Mat heatmap(const refine::ImageF& map)
{
    if (map.channels != 1)
        throw invalid("heatmap needs a 1-channel map");
    return detail::guardOpenCv(ErrorCode::Internal, "heatmap", [&] {
        const cv::Mat values = fromImageF(map);
        const float top = robustMaximum(map.pixels);
        cv::Mat normalised = cv::Mat::zeros(values.size(), CV_32FC1);
        if (top > 0.f)
            normalised = values / top;
        cv::patchNaNs(normalised, 0.0);
        // convertTo saturates: negatives become 0, values above the robust maximum full heat.
        cv::Mat levels;
        normalised.convertTo(levels, CV_8U, 255.0);
        cv::Mat bgr;
        cv::applyColorMap(levels, bgr, cv::COLORMAP_INFERNO);
        cv::Mat rgb;
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        rgb.convertTo(rgb, CV_32F, 1.0 / 255.0);
        return rgb;
    });
}

}  // namespace refine::imaging
