#include "image_metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <opencv2/imgproc.hpp>

namespace refine::eval {
namespace {

constexpr int kSsimWindow = 11;
constexpr double kSsimSigma = 1.5;

void requireSameSize(const cv::Mat& a, const cv::Mat& b, const char* what)
{
    if (a.size() != b.size() || a.type() != b.type())
        throw std::invalid_argument(std::string(what) + ": images differ in size or type");
}

/// Gaussian-weighted local mean over the positions where the whole window fits ("valid"
/// filtering, as Wang et al.'s reference code), so the image border never enters the score.
cv::Mat localMean(const cv::Mat& image)
{
    const cv::Mat g = cv::getGaussianKernel(kSsimWindow, kSsimSigma, CV_64F);
    cv::Mat filtered;
    cv::sepFilter2D(image, filtered, CV_64F, g, g, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
    return innerRegion(filtered, kSsimWindow / 2);
}

}  // namespace

cv::Mat innerRegion(const cv::Mat& image, int border)
{
    if (border <= 0)
        return image;
    if (image.cols <= 2 * border || image.rows <= 2 * border)
        throw std::invalid_argument("the image is too small for a border of " + std::to_string(border));
    return image(cv::Rect(border, border, image.cols - 2 * border, image.rows - 2 * border));
}

double meanSquaredError(const cv::Mat& a, const cv::Mat& b)
{
    requireSameSize(a, b, "meanSquaredError");
    cv::Mat diff;
    cv::subtract(a, b, diff, cv::noArray(), CV_64F);
    const cv::Scalar perChannel = cv::mean(diff.mul(diff));
    double sum = 0;
    for (int c = 0; c < a.channels(); ++c)
        sum += perChannel[c];
    return sum / a.channels();
}

double psnr(const cv::Mat& lumaA, const cv::Mat& lumaB)
{
    const double mse = meanSquaredError(lumaA, lumaB);
    if (mse <= 0)
        return kMaxPsnr;
    return std::min(kMaxPsnr, 10.0 * std::log10(255.0 * 255.0 / mse));
}

double ssim(const cv::Mat& lumaA, const cv::Mat& lumaB)
{
    requireSameSize(lumaA, lumaB, "ssim");
    if (lumaA.cols < kSsimWindow || lumaA.rows < kSsimWindow)
        throw std::invalid_argument("SSIM needs images of at least 11x11 pixels");
    const double c1 = std::pow(0.01 * 255.0, 2), c2 = std::pow(0.03 * 255.0, 2);
    const cv::Mat muA = localMean(lumaA), muB = localMean(lumaB);
    const cv::Mat muAA = muA.mul(muA), muBB = muB.mul(muB), muAB = muA.mul(muB);
    const cv::Mat varA = localMean(lumaA.mul(lumaA)) - muAA;
    const cv::Mat varB = localMean(lumaB.mul(lumaB)) - muBB;
    const cv::Mat covAB = localMean(lumaA.mul(lumaB)) - muAB;
    cv::Mat numerator = (2 * muAB + c1).mul(2 * covAB + c2);
    cv::Mat denominator = (muAA + muBB + c1).mul(varA + varB + c2);
    cv::Mat map;
    cv::divide(numerator, denominator, map);
    return cv::mean(map)[0];
}

double laplacianEnergy(const cv::Mat& luma, int border)
{
    // The Laplacian is taken on the whole image and only then cropped, so the kept pixels see
    // real neighbours rather than a reflected border.
    cv::Mat laplacian;
    cv::Laplacian(luma, laplacian, CV_64F, 3);
    const cv::Mat inner = innerRegion(laplacian, border);
    return cv::mean(inner.mul(inner))[0];
}

cv::Mat averageImage(const std::vector<cv::Mat>& images)
{
    if (images.empty())
        throw std::invalid_argument("averageImage needs at least one image");
    cv::Mat sum = cv::Mat::zeros(images.front().size(), CV_64FC(images.front().channels()));
    for (const auto& image : images) {
        requireSameSize(image, images.front(), "averageImage");
        cv::add(sum, image, sum, cv::noArray(), CV_64F);
    }
    cv::Mat mean;
    sum.convertTo(mean, images.front().type(), 1.0 / double(images.size()));
    return mean;
}

double meanPixelStdDev(const std::vector<cv::Mat>& images)
{
    if (images.size() < 2)
        return 0.0;
    const int type = CV_64FC(images.front().channels());
    cv::Mat sum = cv::Mat::zeros(images.front().size(), type), sumSq = sum.clone();
    for (const auto& image : images) {
        requireSameSize(image, images.front(), "meanPixelStdDev");
        cv::Mat wide;
        image.convertTo(wide, type);
        sum += wide;
        sumSq += wide.mul(wide);
    }
    const double n = double(images.size());
    cv::Mat variance = sumSq / n - (sum / n).mul(sum / n);
    variance = cv::max(variance, 0.0);  // rounding can leave tiny negatives where all agree
    cv::Mat stdDev;
    cv::sqrt(variance, stdDev);
    const cv::Scalar perChannel = cv::mean(stdDev);
    double total = 0;
    for (int c = 0; c < stdDev.channels(); ++c)
        total += perChannel[c];
    return total / stdDev.channels();
}

FidelityScores fidelity(const cv::Mat& output, const cv::Mat& groundTruth, int border)
{
    requireSameSize(output, groundTruth, "fidelity");
    const cv::Mat a = innerRegion(lumaOf(output), border), b = innerRegion(lumaOf(groundTruth), border);
    return {psnr(a, b), ssim(a, b)};
}

}  // namespace refine::eval
