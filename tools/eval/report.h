#pragma once
/// @file report.h
/// @brief refine-eval's results and how they are written: per image and method scores, their
/// means per method, a Markdown report (stdout and --markdown) and CSV rows (--csv).

#include <string>
#include <utility>
#include <vector>

namespace refine::eval {

/// One method's scores on one image. A deterministic baseline has one output, which is at once
/// its best, its worst, its mean and its average, so those fields hold the same value.
struct MethodScores {
    std::string method;            ///< "bicubic", "lanczos" or "SR3 <sampler> <steps>"
    bool sampled = false;          ///< several candidates (diversity and best candidate apply)
    int outputs = 1;
    int bestCandidate = 0;         ///< index of the candidate with the highest PSNR
    double psnrBest = 0, psnrMean = 0, psnrAverage = 0;  ///< dB; average = of the mean image
    double psnrWorst = 0;          ///< dB, the candidate with the lowest PSNR
    double ssimBest = 0, ssimMean = 0, ssimAverage = 0;  ///< ssimBest belongs to the best-PSNR candidate
    double consistencyMse = 0;     ///< MSE(H(output), LR) in [0, 1] units, mean over outputs
    double diversity = 0;          ///< mean per-pixel std across candidates, RGB [0, 1]
    double sharpness = 0;          ///< Laplacian energy of the output / that of the ground truth
    double blockiness = 0;         ///< JPEG block-grid strength of the output (image_metrics.h), mean over outputs
    double seconds = 0;            ///< wall time of producing the outputs
};

struct ImageResult {
    std::string name;
    int hrSide = 0;                ///< the crop (ground truth) side in pixels
    std::vector<MethodScores> methods;
};

/// What the report says about how the numbers were made.
struct RunInfo {
    std::string commandLine;
    std::string modelId, modelSha256, device;
    int scale = 4, crop = 0, candidates = 0, steps = 0;
    std::string sampler, consistency;
    std::string degrade = "none";  ///< --degrade
    unsigned long long seed = 0;
    int skipped = 0;               ///< photos that could not be evaluated
    double enhanceSeconds = 0;     ///< all enhance calls
    double totalSeconds = 0;       ///< the whole run, reading and metrics included
    /// Extra mean tables for named subsets (e.g. "people"): a photo belongs to a subset when its
    /// file name contains one of the subset's patterns. Pairs (name, pattern); a name may repeat.
    std::vector<std::pair<std::string, std::string>> subsets;
};

/// Means over images for every method, in the order the methods first appear.
std::vector<MethodScores> meanPerMethod(const std::vector<ImageResult>& images);

/// The run's settings, the table of means, one per subset, and the per-image table, as Markdown.
std::string markdownReport(const RunInfo& run, const std::vector<ImageResult>& images);

/// One CSV row per image and method, with a header line.
std::string csvReport(const std::vector<ImageResult>& images);

}  // namespace refine::eval
