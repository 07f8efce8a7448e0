#include "degradations.h"

#include <algorithm>
#include <cmath>

#include <torch/torch.h>

#include "jpeg_simulation.h"

namespace refine::train {
namespace F = torch::nn::functional;
namespace {

double uniform(torch::Generator& generator, double low, double high)
{
    return low + (high - low) * torch::rand({1}, generator, torch::kFloat64).item<double>();
}

bool chance(torch::Generator& generator, double probability) { return uniform(generator, 0, 1) < probability; }

int uniformInt(torch::Generator& generator, int low, int high)  // inclusive
{
    return std::min(high, low + int(uniform(generator, 0, high - low + 1)));
}

/// Per-pixel luminance [1, h, w] (Rec. 601 weights, as JPEG and film scanners use).
torch::Tensor luminance(const torch::Tensor& rgb)
{
    return (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]).unsqueeze(0);
}

/// The normalised 2-D Gaussian kernel with standard deviations sigmaX, sigmaY along axes turned
/// by `angle` radians: [K, K], K = 2 radius + 1.
torch::Tensor gaussianKernel(double sigmaX, double sigmaY, double angle, int radius)
{
    auto offsets = torch::arange(-radius, radius + 1, torch::kFloat64);
    auto y = offsets.view({-1, 1}), x = offsets.view({1, -1});
    const double c = std::cos(angle), s = std::sin(angle);
    auto u = c * x + s * y, v = -s * x + c * y;  // coordinates along the kernel's own axes
    auto kernel = torch::exp(-0.5 * (u.pow(2) / (sigmaX * sigmaX) + v.pow(2) / (sigmaY * sigmaY)));
    return (kernel / kernel.sum()).to(torch::kFloat32);
}

torch::Tensor blurChannels(const torch::Tensor& image, const torch::Tensor& kernel)
{
    const int64_t c = image.size(0), radius = kernel.size(0) / 2;
    auto x = F::pad(image.unsqueeze(0), F::PadFuncOptions({radius, radius, radius, radius}).mode(torch::kReflect));
    auto weight = kernel.view({1, 1, kernel.size(0), kernel.size(1)}).repeat({c, 1, 1, 1});
    return F::conv2d(x, weight, F::Conv2dFuncOptions().groups(c))[0];
}

/// The kernel radius for sigma: three sigmas, but below the image side (reflect padding needs it).
int radiusFor(double sigma, const torch::Tensor& image)
{
    const int64_t side = std::min(image.size(1), image.size(2));
    return int(std::max<int64_t>(1, std::min<int64_t>(int64_t(std::ceil(3 * sigma)), side - 1)));
}

torch::Tensor resized(const torch::Tensor& image, int64_t height, int64_t width, int mode)
{
    auto options = F::InterpolateFuncOptions().size(std::vector<int64_t>{height, width});
    if (mode == 0)
        options.mode(torch::kArea);
    else if (mode == 1)
        options.mode(torch::kBilinear).align_corners(false);
    else
        options.mode(torch::kBicubic).align_corners(false);
    return F::interpolate(image.unsqueeze(0), options)[0];
}

}  // namespace

torch::Tensor blurGaussian(const torch::Tensor& rgb, double sigmaX, double sigmaY, double angle)
{
    const auto kernel = gaussianKernel(sigmaX, sigmaY, angle, radiusFor(std::max(sigmaX, sigmaY), rgb));
    return blurChannels(rgb, kernel).clamp(0, 1);
}

torch::Tensor resizeRoundTrip(const torch::Tensor& rgb, double factor, int downMode, int upMode)
{
    const int64_t h = rgb.size(1), w = rgb.size(2);
    const int64_t sh = std::max<int64_t>(1, std::lround(h * factor)), sw = std::max<int64_t>(1, std::lround(w * factor));
    return resized(resized(rgb, sh, sw, downMode), h, w, upMode + 1).clamp(0, 1);
}

torch::Tensor addGaussianNoise(const torch::Tensor& rgb, double sigma, bool grey, torch::Generator& generator)
{
    const auto shape = grey ? std::vector<int64_t>{1, rgb.size(1), rgb.size(2)} : rgb.sizes().vec();
    return (rgb + sigma * torch::randn(shape, generator, rgb.options())).clamp(0, 1);
}

torch::Tensor addPoissonNoise(const torch::Tensor& rgb, double peak, bool grey, torch::Generator& generator)
{
    // Shot noise: photon counts are Poisson with the pixel's expected count as mean.
    const auto source = grey ? luminance(rgb) : rgb;
    const auto counts = torch::poisson(source * peak, generator);
    return (rgb + (counts / peak - source)).clamp(0, 1);
}

torch::Tensor addFilmGrain(const torch::Tensor& rgb, double std, double size, bool colour, torch::Generator& generator)
{
    // Grain is clumped silver (or dye) and strongest in the midtones, weak in deep shadows and
    // highlights: white noise blurred to the grain size, renormalised, scaled by a midtone bump.
    const int64_t channels = colour ? 3 : 1;
    auto white = torch::randn({channels, rgb.size(1), rgb.size(2)}, generator, rgb.options());
    auto grain = blurChannels(white, gaussianKernel(size, size, 0, radiusFor(size, white)));
    grain = grain / grain.std().clamp_min(1e-6);
    const auto l = luminance(rgb);
    const auto midtones = 0.3 + 2.8 * l * (1 - l);  // 0.3 at black and white, 1.0 at mid-grey
    return (rgb + std * midtones * grain).clamp(0, 1);
}

torch::Tensor fadeAndCast(const torch::Tensor& rgb, double black, double white, double r, double g, double b)
{
    auto gains = torch::tensor({float(r), float(g), float(b)}).view({3, 1, 1});
    return ((black + (white - black) * rgb) * gains).clamp(0, 1);
}

namespace {

void drawTone(const DegradationRanges& ranges, torch::Generator& generator, Degradation& d)
{
    if (!chance(generator, ranges.fadeProbability))
        return;
    d.fade = true;
    d.fadeBlack = uniform(generator, 0, ranges.fadeBlackMax);
    d.fadeWhite = uniform(generator, ranges.fadeWhiteMin, 1.0);
    d.castR = uniform(generator, 1 - ranges.castMax, 1 + ranges.castMax);
    d.castG = uniform(generator, 1 - ranges.castMax, 1 + ranges.castMax);
    d.castB = uniform(generator, 1 - ranges.castMax, 1 + ranges.castMax);
}

/// Blur, then grain, then JPEG: the order in which the camera or scanner, the paper and the file
/// damaged the photo.
void drawScannedPrint(const DegradationRanges& ranges, torch::Generator& generator, Degradation& d)
{
    d.scannedPrint = true;
    d.blurSigmaX = d.blurSigmaY = uniform(generator, ranges.printBlurSigmaMin, ranges.printBlurSigmaMax);
    d.grainStd = uniform(generator, ranges.printGrainStdMin, ranges.printGrainStdMax);
    d.grainSize = uniform(generator, ranges.printGrainSizeMin, ranges.printGrainSizeMax);
    d.jpegQuality = uniformInt(generator, ranges.printJpegQualityMin, ranges.printJpegQualityMax);
    d.chromaSubsampling = true;
    d.steps = {"blur", "grain", "jpeg"};
}

void drawAnything(const DegradationRanges& ranges, torch::Generator& generator, Degradation& d)
{
    std::vector<std::string> steps;
    if (chance(generator, ranges.blurProbability)) {
        steps.push_back("blur");
        d.blurSigmaX = uniform(generator, ranges.blurSigmaMin, ranges.blurSigmaMax);
        d.blurSigmaY = chance(generator, ranges.anisotropicProbability)
                           ? uniform(generator, ranges.blurSigmaMin, ranges.blurSigmaMax) : d.blurSigmaX;
        d.blurAngle = uniform(generator, 0, M_PI);
    }
    if (chance(generator, ranges.resizeProbability)) {
        steps.push_back("resize");
        d.resize = uniform(generator, ranges.resizeMin, 1.0);
        d.resizeDownMode = uniformInt(generator, 0, 2);
        d.resizeUpMode = uniformInt(generator, 0, 1);
    }
    const double noise = uniform(generator, 0, 1);
    if (noise < ranges.gaussianNoiseProbability) {
        steps.push_back("gaussian-noise");
        d.noiseSigma = uniform(generator, ranges.gaussianSigmaMin, ranges.gaussianSigmaMax);
    } else if (noise < ranges.gaussianNoiseProbability + ranges.poissonNoiseProbability) {
        steps.push_back("poisson-noise");
        d.poissonPeak = std::exp(uniform(generator, std::log(ranges.poissonPeakMin), std::log(ranges.poissonPeakMax)));
    }
    d.greyNoise = chance(generator, ranges.greyNoiseProbability);
    if (chance(generator, ranges.grainProbability)) {
        steps.push_back("grain");
        d.grainStd = uniform(generator, ranges.grainStdMin, ranges.grainStdMax);
        d.grainSize = uniform(generator, ranges.grainSizeMin, ranges.grainSizeMax);
        d.colourGrain = chance(generator, ranges.colourGrainProbability);
    }
    // Everything but JPEG in a random order (Fisher-Yates from the generator); JPEG comes last,
    // as the file a photo was saved to.
    for (int64_t i = int64_t(steps.size()) - 1; i > 0; --i)
        std::swap(steps[i], steps[uniformInt(generator, 0, int(i))]);
    if (chance(generator, ranges.jpegProbability)) {
        steps.push_back("jpeg");
        d.jpegQuality = uniformInt(generator, ranges.jpegQualityMin, ranges.jpegQualityMax);
        d.chromaSubsampling = chance(generator, ranges.chromaSubsamplingProbability);
    }
    d.steps = steps;
}

}  // namespace

Degradation drawDegradation(const DegradationRanges& ranges, torch::Generator& generator)
{
    Degradation d;
    drawTone(ranges, generator, d);
    if (chance(generator, ranges.cleanProbability))
        return d;
    if (chance(generator, ranges.scannedPrintProbability))
        drawScannedPrint(ranges, generator, d);
    else
        drawAnything(ranges, generator, d);
    return d;
}

torch::Tensor applyTone(const torch::Tensor& rgb, const Degradation& d)
{
    return d.fade ? fadeAndCast(rgb, d.fadeBlack, d.fadeWhite, d.castR, d.castG, d.castB) : rgb;
}

torch::Tensor applyDegradation(const torch::Tensor& rgb, const Degradation& d, torch::Generator& generator)
{
    auto x = rgb;
    for (const auto& step : d.steps) {
        if (step == "blur")
            x = blurGaussian(x, d.blurSigmaX, d.blurSigmaY, d.blurAngle);
        else if (step == "resize")
            x = resizeRoundTrip(x, d.resize, d.resizeDownMode, d.resizeUpMode);
        else if (step == "gaussian-noise")
            x = addGaussianNoise(x, d.noiseSigma, d.greyNoise, generator);
        else if (step == "poisson-noise")
            x = addPoissonNoise(x, d.poissonPeak, d.greyNoise, generator);
        else if (step == "grain")
            x = addFilmGrain(x, d.grainStd, d.grainSize, d.colourGrain, generator);
        else if (step == "jpeg")
            x = simulateJpeg(x, d.jpegQuality, d.chromaSubsampling);
    }
    return x;
}

}  // namespace refine::train
