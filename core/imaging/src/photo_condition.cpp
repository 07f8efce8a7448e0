// Noise and blockiness of a photo's pixels, and the "looks degraded" rule (photo_condition.h).
#include "refine/imaging/photo_condition.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <opencv2/imgproc.hpp>

#include "refine/engine/error.h"

namespace refine::imaging {
namespace {

constexpr int kMeasuredSide = 2048;  // larger photos are measured on a central crop this big

/// The central crop of at most kMeasuredSide per side, its corner on the 8x8 block grid so that
/// the crop's blocks are the file's.
cv::Mat measuredPart(const cv::Mat& image)
{
    const int width = std::min(image.cols, kMeasuredSide), height = std::min(image.rows, kMeasuredSide);
    const int x = (image.cols - width) / 2 / 8 * 8, y = (image.rows - height) / 2 / 8 * 8;
    return image(cv::Rect(x, y, width, height));
}

std::string formatted(const char* format, double value)
{
    char text[64];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

/// "a, b and c"
std::string joinedReasons(const std::vector<std::string>& parts)
{
    std::string text;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0)
            text += i + 1 == parts.size() ? " and " : ", ";
        text += parts[i];
    }
    return text;
}

}  // namespace

cv::Mat lumaOf(const cv::Mat& rgb)
{
    if (rgb.type() != CV_32FC3)
        throw Error(ErrorCode::InvalidArgument, "lumaOf: the image must be RGB float (CV_32FC3)");
    // Weights are for R, G, B in that order (our images are RGB, not OpenCV's usual BGR).
    cv::Mat luma;
    cv::transform(rgb, luma, cv::Matx13f(0.299f * 255.f, 0.587f * 255.f, 0.114f * 255.f));
    luma.convertTo(luma, CV_64F);
    return luma;
}

double estimateNoiseSigma(const cv::Mat& rgb)
{
    const cv::Mat luma = lumaOf(measuredPart(rgb));
    if (luma.cols < 3 || luma.rows < 3)
        return 0;
    // Immerkær's mask: the difference of two Laplacians, blind to planes and ramps. For white
    // noise of deviation sigma its response has deviation 6 sigma (the mask's squares sum to 36).
    const cv::Matx33d mask(1, -2, 1, -2, 4, -2, 1, -2, 1);
    cv::Mat response;
    cv::filter2D(luma, response, CV_64F, mask);
    // Only where the whole mask lies inside the photo.
    std::vector<double> magnitudes;
    magnitudes.reserve(size_t(luma.cols - 2) * size_t(luma.rows - 2));
    for (int y = 1; y + 1 < response.rows; ++y) {
        const double* row = response.ptr<double>(y);
        for (int x = 1; x + 1 < response.cols; ++x)
            magnitudes.push_back(std::abs(row[x]));
    }
    auto middle = magnitudes.begin() + std::ptrdiff_t(magnitudes.size() / 2);
    std::nth_element(magnitudes.begin(), middle, magnitudes.end());
    // The median of |N(0, s)| is 0.6745 s.
    return *middle / (0.6745 * 6.0);
}

double blockiness(const cv::Mat& luma, int period)
{
    if (luma.type() != CV_64FC1 || period < 2)
        throw Error(ErrorCode::InvalidArgument, "blockiness: needs a CV_64FC1 image and a period of at least 2");
    double across = 0, elsewhere = 0;
    int64_t acrossCount = 0, elsewhereCount = 0;
    auto add = [&](double step, bool onGrid) {
        (onGrid ? across : elsewhere) += step;
        ++(onGrid ? acrossCount : elsewhereCount);
    };
    for (int y = 0; y < luma.rows; ++y)
        for (int x = 1; x < luma.cols; ++x)
            add(std::abs(luma.at<double>(y, x) - luma.at<double>(y, x - 1)), x % period == 0);
    for (int y = 1; y < luma.rows; ++y)
        for (int x = 0; x < luma.cols; ++x)
            add(std::abs(luma.at<double>(y, x) - luma.at<double>(y - 1, x)), y % period == 0);
    if (acrossCount == 0 || elsewhereCount == 0 || elsewhere <= 0)
        return 1.0;
    return (across / double(acrossCount)) / (elsewhere / double(elsewhereCount));
}

PhotoCondition assessPhotoCondition(const std::optional<JpegQuality>& jpeg, const cv::Mat& rgb)
{
    PhotoCondition condition;
    condition.jpeg = jpeg;
    condition.noiseSigma = estimateNoiseSigma(rgb);
    condition.blockiness = blockiness(lumaOf(measuredPart(rgb)), 8);

    std::vector<std::string> reasons;
    if (jpeg && jpeg->quality <= kWornJpegQuality)
        reasons.push_back((jpeg->exact ? "JPEG quality " : "JPEG quality about ") + std::to_string(jpeg->quality));
    if (condition.blockiness >= kVisibleBlockiness)
        reasons.push_back("visible JPEG blocks");
    if (condition.noiseSigma >= kVisibleNoiseSigma)
        reasons.push_back(formatted("visible noise (sigma %.0f/255)", condition.noiseSigma));
    condition.degraded = !reasons.empty();
    condition.reason = joinedReasons(reasons);
    return condition;
}

}  // namespace refine::imaging
