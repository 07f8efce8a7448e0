#include "pipeline/cascade.h"

#include <chrono>
#include <cmath>
#include <optional>

#include "diffusion/consistency.h"
#include "diffusion/resampling.h"
#include "pipeline/candidate_noise.h"
#include "pipeline/tensor_image.h"
#include "pipeline/tiled_denoiser.h"
#include "refine/engine/error.h"

namespace refine {
namespace {

using Clock = std::chrono::steady_clock;

/// Turns (stage, step) into a job fraction and an ETA. Work is weighted by output pixels, so a
/// cascade's large second stage counts for what it costs.
class JobClock {
public:
    JobClock(double totalUnits) : m_total(std::max(totalUnits, 1.0)), m_start(Clock::now()) {}

    void advance(double units) { m_done += units; }
    EnhanceProgress progress() const
    {
        EnhanceProgress p;
        p.fraction = std::min(1.0, m_done / m_total);
        p.elapsedSeconds = std::chrono::duration<double>(Clock::now() - m_start).count();
        p.etaSeconds = p.fraction > 0 ? p.elapsedSeconds * (1 - p.fraction) / p.fraction : -1;
        return p;
    }
    double elapsed() const { return std::chrono::duration<double>(Clock::now() - m_start).count(); }

private:
    double m_total, m_done = 0;
    Clock::time_point m_start;
};

class PipelineRun {
public:
    PipelineRun(LoadedModel& model, const EnhanceRequest& request, const PipelineSettings& settings,
                EnhanceObserver* observer, const CancelToken* cancel)
        : m_model(model), m_request(request), m_settings(settings), m_observer(observer), m_cancel(cancel),
          m_stages(planCascade(request.scale, model.info.nativeScale)),
          m_steps(NoiseSchedule(model.betas).respace(settings.steps)),
          m_input(imageToTensor(request.input).to(settings.device)),
          m_clock(totalWorkUnits())
    {
    }

    EnhanceResult run();

private:
    double totalWorkUnits() const;
    int64_t chunkSize() const;
    torch::Tensor runChunk(int first, int count, int chunk, int chunkCount, std::vector<StageOutput>& stages);
    torch::Tensor runStage(int stage, const torch::Tensor& lowRes, CandidateNoise& noise, int first, int chunk,
                           int chunkCount);
    void finish(torch::Tensor images, EnhanceResult& result);
    void checkCancel() const
    {
        if (m_cancel && m_cancel->isCancelled())
            throw Cancelled();
    }

    LoadedModel& m_model;
    const EnhanceRequest& m_request;
    const PipelineSettings& m_settings;
    EnhanceObserver* m_observer;
    const CancelToken* m_cancel;
    std::vector<CascadeStage> m_stages;
    std::vector<DiffusionStep> m_steps;
    torch::Tensor m_input;  ///< [1, 3, h, w] in [-1, 1] on the device
    JobClock m_clock;
    int64_t m_finalTile = 0;
};

double PipelineRun::totalWorkUnits() const
{
    double units = 0, pixels = double(m_request.input.width) * m_request.input.height;
    for (const auto& stage : m_stages) {
        pixels *= double(stage.modelScale) * stage.modelScale;
        units += pixels * double(m_steps.size());
        pixels /= double(stage.downscaleAfter) * stage.downscaleAfter;
    }
    return units * m_request.candidates;
}

int64_t PipelineRun::chunkSize() const
{
    // The sampler keeps about eight full-size float32 tensors per candidate (x, x0, the previous
    // x0, condition, noise, tile sums...): split the candidates when they would not fit together.
    int64_t side = 1;
    for (const auto& stage : m_stages)
        side *= stage.modelScale;
    const double perCandidate = 8.0 * 3 * 4 * double(m_request.input.width) * m_request.input.height * side * side;
    const double budget = m_settings.memoryBudgetGiB * 1024.0 * 1024.0 * 1024.0;
    return std::clamp<int64_t>(int64_t(budget / perCandidate), 1, m_request.candidates);
}

EnhanceResult PipelineRun::run()
{
    EnhanceResult result;
    const int64_t size = chunkSize();
    const int chunkCount = int((m_request.candidates + size - 1) / size);
    std::vector<torch::Tensor> finals;
    std::vector<StageOutput> stages(m_stages.size());
    for (int chunk = 0; chunk < chunkCount; ++chunk) {
        const int first = int(chunk * size);
        const int count = int(std::min<int64_t>(size, m_request.candidates - first));
        // Chunks exist because the candidates do not fit the device together: park them on the host.
        auto images = runChunk(first, count, chunk, chunkCount, stages);
        finals.push_back(chunkCount > 1 ? images.cpu() : images);
    }
    if (m_request.keepStages)
        result.stages = stages;
    finish(torch::cat(finals), result);
    result.sampler = samplerKindName(m_settings.sampler.kind);
    result.steps = int(m_steps.size());
    result.tileSize = int(m_finalTile);
    result.seconds = m_clock.elapsed();
    return result;
}

torch::Tensor PipelineRun::runChunk(int first, int count, int chunk, int chunkCount, std::vector<StageOutput>& stages)
{
    std::vector<uint64_t> seeds;
    for (int i = 0; i < count; ++i)
        seeds.push_back(candidateSeed(m_request.seed, m_request.firstCandidateIndex + first + i));
    CandidateNoise noise(seeds);
    auto images = m_input.expand({count, -1, -1, -1}).contiguous();
    int totalScale = 1;
    for (int stage = 0; stage < int(m_stages.size()); ++stage) {
        images = runStage(stage, images, noise, first, chunk, chunkCount);
        totalScale = totalScale * m_stages[stage].modelScale / m_stages[stage].downscaleAfter;
        StageOutput output{stage, totalScale, {}};
        for (int i = 0; i < count; ++i)
            output.candidates.push_back(tensorToImage(images[i]));
        if (m_observer)
            m_observer->onStage(output);
        if (m_request.keepStages) {
            stages[stage].stage = stage;
            stages[stage].scale = totalScale;
            for (auto& image : output.candidates)
                stages[stage].candidates.push_back(std::move(image));
        }
    }
    return images;
}

torch::Tensor PipelineRun::runStage(int stage, const torch::Tensor& lowRes, CandidateNoise& noise, int first,
                                    int chunk, int chunkCount)
{
    const CascadeStage& plan = m_stages[stage];
    const int64_t height = lowRes.size(2) * plan.modelScale, width = lowRes.size(3) * plan.modelScale;
    const torch::Device device = m_settings.device;

    // CDM conditioning augmentation: later stages see their (generated) input with a little noise,
    // as in training, so that the previous stage's artefacts are not taken for detail.
    auto conditionInput = lowRes;
    if (stage > 0 && m_settings.cascadeNoise > 0)
        conditionInput = lowRes + m_settings.cascadeNoise * noise.next({3, lowRes.size(2), lowRes.size(3)}, device);
    const auto condition = upscaleBicubic(conditionInput, plan.modelScale);

    std::optional<ConsistencyProjection> projection;
    if (m_request.consistency)
        projection.emplace(height, width, plan.modelScale, device);

    TilingOptions tiling{m_request.tileSize, m_request.tileOverlap, m_settings.memoryBudgetGiB};
    auto network = [net = m_model.net](const torch::Tensor& input, const torch::Tensor& level) mutable {
        return net->forward(input, level);
    };
    TiledDenoiser denoiser(network, m_model.config, m_settings.dtype, tiling, m_cancel);
    const double unitsPerStep = double(height) * width * lowRes.size(0);

    SamplerCallbacks callbacks;
    callbacks.predictNoise = [&](const torch::Tensor& x, double level) {
        checkCancel();
        return denoiser.predictNoise(condition, x, level);
    };
    callbacks.refineX0 = [&](const torch::Tensor& x0) {
        auto clamped = x0.clamp(-1, 1);
        return projection ? projection->project(clamped, lowRes) : clamped;
    };
    callbacks.noise = [&](int) { return noise.next({3, height, width}, device); };
    callbacks.onStep = [&](int step, int stepCount, const torch::Tensor& x0) {
        m_clock.advance(unitsPerStep);
        EnhanceProgress progress = m_clock.progress();
        progress.stage = stage;
        progress.stageCount = int(m_stages.size());
        progress.step = step + 1;
        progress.stepCount = stepCount;
        progress.chunk = chunk;
        progress.chunkCount = chunkCount;
        const int interval = m_request.previewInterval;
        if (m_observer && interval > 0 && ((step + 1) % interval == 0 || step + 1 == stepCount)) {
            EnhancePreview preview{stage, step + 1, stepCount, m_request.firstCandidateIndex + first, {}};
            const auto small = shrinkToFit(x0, m_request.previewMaxSide);
            for (int64_t i = 0; i < small.size(0); ++i)
                preview.images.push_back(tensorToImage(small[i]));
            m_observer->onPreview(preview);
        }
        if (m_observer)
            m_observer->onProgress(progress);
        checkCancel();
    };

    const auto xT = noise.next({3, height, width}, device);
    auto result = sample(xT, m_steps, m_settings.sampler, callbacks);
    m_finalTile = denoiser.tileSize();
    result = projection ? projection->projectWithinRange(result, lowRes) : result.clamp(-1, 1);
    return plan.downscaleAfter > 1 ? downscaleBicubic(result, plan.downscaleAfter).clamp(-1, 1) : result;
}

void PipelineRun::finish(torch::Tensor images, EnhanceResult& result)
{
    // One more projection against the original input: stages were projected against their own
    // inputs only, and a stage's downscale (x2 and x8 plans) is not part of that projection. A
    // single pass at the model's own scale already ended with exactly this projection.
    images = images.to(m_settings.device);
    const auto input = m_input.expand({images.size(0), -1, -1, -1});
    const bool singleNativePass = m_stages.size() == 1 && m_stages.front().downscaleAfter == 1;
    if (m_request.consistency && !singleNativePass)
        images = ConsistencyProjection(images.size(2), images.size(3), m_request.scale, m_settings.device)
                     .projectWithinRange(images, input);
    // Errors in [-1, 1] units; a quarter of that is the MSE of [0, 1] images.
    const Downscaler down(images.size(2), images.size(3), m_request.scale, m_settings.device);
    const auto errors = consistencyError(down, images, input) * 0.25;
    for (int64_t i = 0; i < images.size(0); ++i) {
        CandidateOutput candidate;
        candidate.index = m_request.firstCandidateIndex + int(i);
        candidate.seed = candidateSeed(m_request.seed, candidate.index);
        candidate.image = tensorToImage(images[i]);
        candidate.consistencyMse = errors[i].item<double>();
        result.candidates.push_back(std::move(candidate));
    }
    if (m_request.uncertaintyMap) {
        const auto unit = (images.to(torch::kFloat32) + 1) * 0.5;
        const auto spread = images.size(0) > 1 ? unit.std(0, /*unbiased=*/false).mean(0)
                                               : torch::zeros({images.size(2), images.size(3)});
        result.uncertainty = mapToImage(spread);
    }
}

}  // namespace

std::vector<CascadeStage> planCascade(int scale, int nativeScale)
{
    if (scale < 2 || nativeScale < 2)
        throw Error(ErrorCode::InvalidArgument, "the scale must be at least 2");
    int passes = 1;
    int64_t reach = nativeScale;
    while (reach < scale) {
        reach *= nativeScale;
        ++passes;
    }
    if (reach % scale != 0)
        throw Error(ErrorCode::InvalidArgument, "x" + std::to_string(scale) + " cannot be reached from a x"
                                                    + std::to_string(nativeScale) + " model");
    std::vector<CascadeStage> stages(passes, CascadeStage{nativeScale, 1});
    stages.front().downscaleAfter = int(reach / scale);
    return stages;
}

EnhanceResult runEnhancePipeline(LoadedModel& model, const EnhanceRequest& request, const PipelineSettings& settings,
                                 EnhanceObserver* observer, const CancelToken* cancel)
{
    PipelineRun run(model, request, settings, observer, cancel);
    return run.run();
}

}  // namespace refine
