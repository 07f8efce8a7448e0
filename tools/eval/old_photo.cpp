#include "old_photo.h"

#include <functional>
#include <random>
#include <stdexcept>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace refine::eval {
namespace {

uint64_t photoSeed(const std::string& name, uint64_t seed)
{
    // FNV-1a of the name: std::hash is not guaranteed to be the same across library versions.
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : name)
        h = (h ^ c) * 1099511628211ULL;
    return h ^ (seed * 0x9E3779B97F4A7C15ULL);
}

cv::Mat filmGrain(const cv::Mat& rgb, double std, uint64_t noiseSeed)
{
    cv::Mat white(rgb.size(), CV_32F);
    cv::RNG rng(noiseSeed);
    rng.fill(white, cv::RNG::NORMAL, 0.0, 1.0);
    cv::Mat grain;
    cv::GaussianBlur(white, grain, cv::Size(0, 0), 0.5, 0.5, cv::BORDER_REFLECT);
    cv::Scalar mean, deviation;
    cv::meanStdDev(grain, mean, deviation);
    grain = grain / std::max(deviation[0], 1e-6);
    cv::Mat luma;
    cv::transform(rgb, luma, cv::Matx13f(0.299f, 0.587f, 0.114f));
    const cv::Mat midtones = 0.3 + 2.8 * luma.mul(1 - luma);  // as in the trainer: weaker in shadows and highlights
    const cv::Mat amount = grain.mul(midtones) * std;
    cv::Mat noisy;
    cv::Mat channels[] = {amount, amount, amount};
    cv::Mat amount3;
    cv::merge(channels, 3, amount3);
    noisy = rgb + amount3;
    return noisy;
}

cv::Mat jpegRoundTrip(const cv::Mat& rgb, int quality)
{
    cv::Mat bytes, bgr;
    rgb.convertTo(bytes, CV_8UC3, 255.0);
    cv::cvtColor(bytes, bgr, cv::COLOR_RGB2BGR);
    std::vector<uchar> encoded;
    // OpenCV's default JPEG chroma sampling is 4:2:0, as cameras and most encoders save.
    if (!cv::imencode(".jpg", bgr, encoded, {cv::IMWRITE_JPEG_QUALITY, quality}))
        throw std::runtime_error("JPEG encoding failed");
    const cv::Mat decoded = cv::imdecode(encoded, cv::IMREAD_COLOR);
    cv::Mat out;
    cv::cvtColor(decoded, out, cv::COLOR_BGR2RGB);
    out.convertTo(out, CV_32FC3, 1.0 / 255.0);
    return out;
}

}  // namespace

OldPhotoDamage oldPhotoDamageFor(const std::string& name, uint64_t seed)
{
    std::mt19937_64 rng(photoSeed(name, seed));
    OldPhotoDamage d;
    d.blurSigma = std::uniform_real_distribution<double>(0.3, 0.6)(rng);
    d.grainStd = std::uniform_real_distribution<double>(0.005, 0.015)(rng);
    d.jpegQuality = std::uniform_int_distribution<int>(45, 75)(rng);
    return d;
}

std::optional<DamagePart> damagePartNamed(const std::string& degrade)
{
    if (degrade == "old")
        return DamagePart::All;
    if (degrade == "old-blur")
        return DamagePart::Blur;
    if (degrade == "old-grain")
        return DamagePart::Grain;
    if (degrade == "old-jpeg")
        return DamagePart::Jpeg;
    return std::nullopt;
}

OldPhotoDamage onlyPart(OldPhotoDamage damage, DamagePart part)
{
    if (part == DamagePart::All)
        return damage;
    OldPhotoDamage one;
    one.blurSigma = part == DamagePart::Blur ? damage.blurSigma : 0;
    one.grainStd = part == DamagePart::Grain ? damage.grainStd : 0;
    one.jpegQuality = part == DamagePart::Jpeg ? damage.jpegQuality : 0;
    return one;
}

cv::Mat applyOldPhotoDamage(const cv::Mat& lowRes, const OldPhotoDamage& damage, uint64_t noiseSeed)
{
    CV_Assert(lowRes.type() == CV_32FC3);
    cv::Mat x;  // never lowRes itself: the clamp below works in place
    if (damage.blurSigma > 0)
        cv::GaussianBlur(lowRes, x, cv::Size(0, 0), damage.blurSigma, damage.blurSigma, cv::BORDER_REFLECT);
    else
        x = lowRes.clone();
    if (damage.grainStd > 0)
        x = filmGrain(x, damage.grainStd, noiseSeed);
    cv::min(cv::max(x, 0.0), 1.0, x);
    if (damage.jpegQuality > 0)
        return jpegRoundTrip(x, damage.jpegQuality);
    // Without the codec the input is still an 8-bit photo.
    cv::Mat levels;
    x.convertTo(levels, CV_8UC3, 255.0);
    levels.convertTo(x, CV_32FC3, 1.0 / 255.0);
    return x;
}

cv::Mat degradeLikeAnOldPhoto(const cv::Mat& lowRes, const std::string& name, uint64_t seed, DamagePart part)
{
    return applyOldPhotoDamage(lowRes, onlyPart(oldPhotoDamageFor(name, seed), part), photoSeed(name, seed) + 1);
}

}  // namespace refine::eval
