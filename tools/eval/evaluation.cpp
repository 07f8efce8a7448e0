#include "evaluation.h"

#include <algorithm>
#include <limits>
#include <chrono>
#include <functional>
#include <stdexcept>

#include "degradation.h"
#include "old_photo.h"
#include "eval_inputs.h"
#include "image_metrics.h"
#include "refine/engine/detail.h"
#include "refine/imaging/engine_image.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/resample.h"

namespace refine::eval {
namespace {

using Clock = std::chrono::steady_clock;
using Degrade = std::function<cv::Mat(const cv::Mat&)>;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The ground truth and what every method is given and compared with.
struct Truth {
    cv::Mat highRes;         ///< the crop, RGB [0, 1]
    cv::Mat lowRes;          ///< H(highRes), clamped
    cv::Mat input;           ///< what every method is given: lowRes, or lowRes degraded (--degrade old)
    double laplacianEnergy;  ///< of the crop's luma, the denominator of every sharpness ratio
    int scale;
};

Truth makeTruth(const cv::Mat& photo, int crop, int scale, const cv::Point2d* centre, const Degrade& degrade)
{
    const int side = cropSide(photo.size(), crop, scale);
    // SSIM's 11x11 window must fit inside what is left once the border is excluded.
    if (side - 2 * scale < 11)
        throw std::runtime_error("the photo is too small to measure at x" + std::to_string(scale) + " (" +
                                 std::to_string(photo.cols) + "x" + std::to_string(photo.rows) + ")");
    Truth truth;
    truth.highRes = centre ? cropAround(photo, side, *centre) : centerCrop(photo, side);
    truth.lowRes = downscaleH(truth.highRes, scale);
    truth.input = degrade ? degrade(truth.lowRes) : truth.lowRes;
    truth.laplacianEnergy = laplacianEnergy(lumaOf(truth.highRes), scale);
    truth.scale = scale;
    return truth;
}

/// JPEG works on 8x8 blocks of the low-resolution input: 8 x scale pixels of the output.
double blockinessOf(const cv::Mat& output, const Truth& truth)
{
    return blockiness(lumaOf(output), 8 * truth.scale);
}

double sharpnessRatio(const cv::Mat& output, const Truth& truth)
{
    // A flat crop has no energy to compare with; the tiny floor keeps the ratio finite.
    return laplacianEnergy(lumaOf(output), truth.scale) / std::max(truth.laplacianEnergy, 1e-12);
}

MethodScores scoreSingleOutput(const std::string& method, const cv::Mat& output, const Truth& truth, double seconds)
{
    const FidelityScores f = fidelity(output, truth.highRes, truth.scale);
    MethodScores s;
    s.method = method;
    s.psnrBest = s.psnrWorst = s.psnrMean = s.psnrAverage = f.psnr;
    s.ssimBest = s.ssimMean = s.ssimAverage = f.ssim;
    s.consistencyMse = consistencyMse(output, truth.input, truth.scale);
    s.sharpness = sharpnessRatio(output, truth);
    s.blockiness = blockinessOf(output, truth);
    s.seconds = seconds;
    return s;
}

MethodScores scoreCandidates(const std::string& method, const std::vector<cv::Mat>& candidates, const Truth& truth,
                             double seconds)
{
    MethodScores s;
    s.method = method;
    s.sampled = true;
    s.outputs = int(candidates.size());
    s.psnrBest = -1;
    s.psnrWorst = std::numeric_limits<double>::infinity();
    for (size_t k = 0; k < candidates.size(); ++k) {
        const FidelityScores f = fidelity(candidates[k], truth.highRes, truth.scale);
        s.psnrWorst = std::min(s.psnrWorst, f.psnr);
        if (f.psnr > s.psnrBest) {
            s.psnrBest = f.psnr;
            s.ssimBest = f.ssim;
            s.bestCandidate = int(k);
        }
        s.psnrMean += f.psnr;
        s.ssimMean += f.ssim;
        s.consistencyMse += consistencyMse(candidates[k], truth.input, truth.scale);
        s.sharpness += sharpnessRatio(candidates[k], truth);
        s.blockiness += blockinessOf(candidates[k], truth);
    }
    const double n = double(candidates.size());
    s.psnrMean /= n;
    s.ssimMean /= n;
    s.consistencyMse /= n;
    s.sharpness /= n;
    s.blockiness /= n;
    const FidelityScores average = fidelity(averageImage(candidates), truth.highRes, truth.scale);
    s.psnrAverage = average.psnr;
    s.ssimAverage = average.ssim;
    s.diversity = meanPixelStdDev(candidates);
    s.seconds = seconds;
    return s;
}

/// A classic upscaler, timed like the model so the seconds column compares like with like.
template <typename Upscaler>
MethodScores runBaseline(const std::string& method, Upscaler upscale, const Truth& truth, cv::Mat* output)
{
    const auto start = Clock::now();
    *output = upscale(truth.input, truth.highRes.size());
    return scoreSingleOutput(method, *output, truth, secondsSince(start));
}

EnhanceResult runModel(Engine& engine, const EvalSettings& settings, const Truth& truth, double* seconds)
{
    EnhanceRequest request = settings.request;
    request.input = imaging::toImageF(truth.input);
    request.scale = settings.scale;
    request.previewInterval = 0;  // nobody watches; previews would only cost time
    const auto start = Clock::now();
    EnhanceResult result = engine.enhance(request);
    *seconds = secondsSince(start);
    return result;
}

}  // namespace

PhotoEvaluation evaluatePhoto(Engine& engine, const EvalSettings& settings, const std::filesystem::path& photo)
{
    const auto centre = settings.cropCentres.find(photo.filename().string());
    Degrade degrade;
    if (settings.damage)
        degrade = [&](const cv::Mat& lowRes) {
            return degradeLikeAnOldPhoto(lowRes, photo.filename().string(), settings.request.seed, *settings.damage);
        };
    const Truth truth = makeTruth(imaging::readPhoto(photo).rgb, settings.crop, settings.scale,
                                  centre == settings.cropCentres.end() ? nullptr : &centre->second, degrade);
    PhotoEvaluation eval;
    eval.scores.name = photo.filename().string();
    eval.scores.hrSide = truth.highRes.cols;
    eval.images.lowRes = truth.input;
    eval.images.groundTruth = truth.highRes;

    cv::Mat lanczos;
    eval.scores.methods.push_back(runBaseline("bicubic", imaging::resizeBicubic, truth, &eval.images.bicubic));
    eval.scores.methods.push_back(runBaseline("lanczos", imaging::resizeLanczos, truth, &lanczos));

    const EnhanceResult result = runModel(engine, settings, truth, &eval.enhanceSeconds);
    const bool hasClean = !result.clean.image.empty();
    for (const auto& candidate : result.candidates)
        eval.images.candidates.push_back(imaging::fromImageF(
            hasClean ? blendDetail(result.clean.image, candidate.image, settings.detail) : candidate.image));
    eval.srSampler = result.sampler;
    eval.srSteps = result.steps;
    const std::string family = hasClean ? "RS " : "SR3 ";
    eval.srMethod = family + result.sampler + " " + std::to_string(result.steps);
    if (hasClean) {
        eval.images.clean = imaging::fromImageF(result.clean.image);
        eval.scores.methods.push_back(scoreSingleOutput("clean", eval.images.clean, truth, eval.enhanceSeconds));
    }
    if (!eval.images.candidates.empty())
        eval.scores.methods.push_back(
            scoreCandidates(eval.srMethod, eval.images.candidates, truth, eval.enhanceSeconds));
    return eval;
}

}  // namespace refine::eval
