#include "pipeline/job_memory.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "pipeline/cascade.h"
#include "pipeline/tiled_denoiser.h"
#include "runtime/device.h"

namespace refine {
namespace {

// Calibrated against measured peaks (docs/performance.md, "Memory plan"); each is what the code
// it names holds at once.
constexpr double kRuntimeBytes = 200e6;        // refine-cli with LibTorch loaded, before any photo
constexpr double kCudaRuntimeHostBytes = 1.5e9;// host memory of the CUDA libraries and context
constexpr double kCudaContextBytes = 0.6e9;    // device memory of the CUDA context and kernels
constexpr double kRgbFloat = 12;               // bytes of one RGB float32 pixel
constexpr double kSamplerTensors = 8;          // full-size tensors per candidate during a stage: x, x0,
                                               // the condition or base, noise, the 6-channel network
                                               // input, tile sums, the projection's temporaries
constexpr double kLaterCleanTensors = 3;       // residual shift after stage 0: each candidate's own
                                               // clean upscale and its projection
constexpr double kFinishTensors = 5;           // finish(): the chunks' results, their concatenation and
                                               // the final projection's temporaries, all candidates
constexpr double kPhotoBytesPerPixel = 24;     // the decoded photo and the request's copy (float RGB)
constexpr double kExportBytesPerPixel = 40;    // encoding one result: its matrix, BGR copy, 8/16-bit
                                               // samples, the encoded file and exiv2's copies of it
constexpr double kDeviceSlack = 1.1;           // the CUDA caching allocator's rounding and fragments
constexpr double kHostHeapSlack = 1.15;        // one heap for all threads, never trimmed during a job
                                               // (runtime/host_memory.cpp): freed blocks of other
                                               // sizes are not always reused

struct StagePixels {
    int64_t height = 0, width = 0;   ///< the stage's output before any downscale
    int64_t keptHeight = 0, keptWidth = 0;  ///< after it
};

std::vector<StagePixels> stagePixels(const std::vector<CascadeStage>& stages, const JobShape& job)
{
    std::vector<StagePixels> out;
    int64_t height = job.inputHeight, width = job.inputWidth;
    for (const CascadeStage& stage : stages) {
        StagePixels p;
        p.height = height * stage.modelScale;
        p.width = width * stage.modelScale;
        p.keptHeight = p.height / stage.downscaleAfter;
        p.keptWidth = p.width / stage.downscaleAfter;
        out.push_back(p);
        height = p.keptHeight;
        width = p.keptWidth;
    }
    return out;
}

/// A consistency projection of a height x width output by `factor`: PipelineRun keeps one per
/// size for the whole job, with a float32 Gram inverse (n x n, on the device) per axis of n
/// low-resolution samples. While one is made, at the start of a stage (before the sampler's
/// tensors), A A^T, its inverse and the factorisation's workspace (3 x 8 n^2, host) exist too.
/// The downscaling operators themselves take a few weights per row. On a very narrow or very
/// wide photo these dominate everything else (docs/performance.md).
struct ProjectionBytes {
    double keptDevice = 0; ///< the Gram inverses
    double making = 0;     ///< host, while the longer axis's inverse is formed
};

ProjectionBytes projectionBytes(int64_t height, int64_t width, int factor)
{
    const double rows = double(height / factor), cols = double(width / factor);
    ProjectionBytes b;
    b.keptDevice = 4.0 * (rows * rows + cols * cols);
    b.making = 3 * 8.0 * std::max(rows * rows, cols * cols);
    return b;
}

/// Every projection a job makes: one per cascade stage (onto that stage's input) and, when the
/// cascade has more than one stage or shrinks its result, the final one onto the photo.
ProjectionBytes jobProjectionBytes(const std::vector<CascadeStage>& stages, const std::vector<StagePixels>& pixels,
                                   const JobShape& job)
{
    ProjectionBytes sum;
    const auto add = [&sum](const ProjectionBytes& b) {
        sum.keptDevice += b.keptDevice;
        sum.making = std::max(sum.making, b.making);
    };
    for (size_t s = 0; s < stages.size(); ++s)
        add(projectionBytes(pixels[s].height, pixels[s].width, stages[s].modelScale));
    if (stages.size() > 1 || stages.front().downscaleAfter > 1)
        add(projectionBytes(pixels.back().keptHeight, pixels.back().keptWidth, job.scale));
    return sum;
}

NetworkFootprint footprintOf(const ModelShape& model)
{
    return model.residualShift ? NetworkFootprint::ofDetailNet(model.residual) : NetworkFootprint::of(model.unet);
}

/// The network's activations for one stage: the largest batch of tiles the denoiser runs at once.
double activationBytes(const ModelShape& model, const JobShape& job, const RunTarget& target, double budgetGiB,
                       const StagePixels& p, int64_t chunk, int64_t* tileUsed)
{
    const NetworkFootprint footprint = footprintOf(model);
    const TilingOptions options{job.tileSize, 0, budgetGiB};
    const TilePlan plan = planTiling(footprint, target.dtype, options, p.height, p.width);
    const int64_t alignment = footprint.alignTiles ? footprint.sizeMultiple : 1;
    const auto tiles = int64_t(planTiles(p.height, p.width, plan.tile, plan.overlap, alignment).size());
    *tileUsed = plan.tile;
    const int64_t batchItems = std::min(tiles * chunk, plan.batch);
    // A single tile is the image itself, usually not square: scale the square tile's figure down.
    const double area = tiles == 1 ? double(p.height) * double(p.width) : double(plan.tile) * double(plan.tile);
    const double perItem = footprint.forwardBytes(plan.tile, target.dtype) * area / (double(plan.tile) * plan.tile);
    return double(batchItems) * perItem;
}

}  // namespace

ModelShape ModelShape::of(const LoadedModel& model)
{
    ModelShape shape;
    shape.residualShift = model.isResidualShift();
    shape.unet = model.config;
    if (shape.residualShift)
        shape.residual = model.residual->config();
    shape.nativeScale = model.info.nativeScale;
    shape.parameters = model.info.parameters;
    return shape;
}

std::optional<ModelShape> ModelShape::ofCard(const ModelInfo& model)
{
    if (model.cardJson.empty())
        return std::nullopt;
    const ModelCard card = modelCardFromJson(nlohmann::json::parse(model.cardJson), model.id);
    ModelShape shape;
    shape.nativeScale = model.nativeScale;
    shape.parameters = model.parameters;
    if (card.residualShift) {
        shape.residualShift = true;
        shape.residual = *card.residualShift;
    } else if (card.unet) {
        shape.unet = *card.unet;
    } else {
        return std::nullopt;
    }
    return shape;
}

MemoryEstimate estimateJobMemory(const ModelShape& model, const JobShape& job, const RunTarget& target)
{
    const bool cuda = target.device.is_cuda();
    const double budgetGiB = job.memoryBudgetGiB > 0 ? job.memoryBudgetGiB : defaultMemoryBudgetGiB(target.device);
    const std::vector<CascadeStage> stages = planCascade(job.scale, model.nativeScale);
    const std::vector<StagePixels> pixels = stagePixels(stages, job);
    const double inputPixels = double(job.inputWidth) * job.inputHeight;
    const double finalPixels = double(pixels.back().keptHeight) * double(pixels.back().keptWidth);
    const int candidates = job.cleanOnly ? 0 : std::max(job.candidates, 1);
    const int64_t chunk = candidates == 0 ? 0 : candidatesPerChunk(stages, int64_t(inputPixels), candidates, budgetGiB);

    MemoryEstimate e;
    e.candidatesPerChunk = int(chunk);
    // Tensors live on the device; the images handed back (and parked chunks) on the host.
    double deviceTensors = 0, hostImages = 0;
    // Residual shift: the first stage's clean result stays for the whole job, its image is a result.
    const double keptClean = model.residualShift ? kRgbFloat * double(pixels.front().height) * pixels.front().width : 0;
    const double cleanImage = model.residualShift ? kRgbFloat * finalPixels : 0;
    for (size_t s = 0; s < pixels.size(); ++s) {
        const double stagePixels = double(pixels[s].height) * double(pixels[s].width);
        // The clean track: one image, its upscale and projection.
        double tensors = 4 * kRgbFloat * stagePixels;
        double activations = 0;
        if (chunk > 0) {
            const double perCandidate = kSamplerTensors + (model.residualShift && s > 0 ? kLaterCleanTensors : 0);
            tensors = std::max(tensors, perCandidate * kRgbFloat * double(chunk) * stagePixels);
            int64_t tile = 0;
            activations = activationBytes(model, job, target, budgetGiB, pixels[s], chunk, &tile);
            e.tileSize = int(std::max<int64_t>(e.tileSize, tile));
        }
        const double parked = kRgbFloat * double(candidates - chunk) * finalPixels;  // earlier chunks
        const double stageCopies = kRgbFloat * double(chunk) * pixels[s].keptHeight * pixels[s].keptWidth;
        deviceTensors = std::max(deviceTensors, keptClean + tensors + activations + (cuda ? 0 : parked + stageCopies));
        hostImages = std::max(hostImages, cleanImage + (cuda ? parked + stageCopies : 0));
    }
    const double allCandidates = kRgbFloat * candidates * finalPixels;
    const double finishTensors = (kFinishTensors + (job.uncertaintyMap ? 1 : 0)) * allCandidates;
    const double results = allCandidates + cleanImage;
    const ProjectionBytes projections = jobProjectionBytes(stages, pixels, job);
    if (cuda) {
        const double weights = double(model.parameters) * double(c10::elementSize(target.dtype));
        const double device = kCudaContextBytes + weights + projections.keptDevice +
                              kDeviceSlack * std::max(deviceTensors, finishTensors);
        e.deviceBytes = std::uint64_t(device);
        e.jobBytes = std::uint64_t(std::max(std::max(hostImages, allCandidates) + results, projections.making));
        e.runtimeBytes = std::uint64_t(kRuntimeBytes + kCudaRuntimeHostBytes + 2.0 * model.parameters * 4);
    } else {
        e.jobBytes = std::uint64_t(
            kHostHeapSlack *
            (std::max({deviceTensors + hostImages, finishTensors + results, projections.making}) + projections.keptDevice));
        e.runtimeBytes = std::uint64_t(kRuntimeBytes + 2.0 * model.parameters * 4);  // the file and the tensors
    }
    e.photoBytes = std::uint64_t(kPhotoBytesPerPixel * inputPixels);
    e.exportBytes = std::uint64_t(results + kExportBytesPerPixel * finalPixels);
    return e;
}

}  // namespace refine
