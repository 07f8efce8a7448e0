#include "pipeline/cascade.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <tuple>

#include "diffusion/consistency.h"
#include "diffusion/resampling.h"
#include "diffusion/residual_shift.h"
#include "pipeline/candidate_noise.h"
#include "pipeline/clean_upscale.h"
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

/// What both families' samplers do to every x0 prediction: clamp to the valid range, then project
/// onto the images consistent with `lowRes` (when consistency is on).
std::function<torch::Tensor(const torch::Tensor&)> x0Refiner(const ConsistencyProjection* projection,
                                                             const torch::Tensor& lowRes)
{
    return [projection, lowRes](const torch::Tensor& x0) {
        auto clamped = x0.clamp(-1, 1);
        return projection ? projection->project(clamped, lowRes) : clamped;
    };
}

/// NaN or infinite pixels (a model with damaged weights) must fail the job, never become a black file.
void requireFinite(const torch::Tensor& images)
{
    if (!torch::isfinite(images).all().item<bool>())
        throw Error(ErrorCode::BadModel, "the model produced invalid (not finite) pixels; its weights may be "
                                         "damaged: reinstall the model or choose another one");
}

class PipelineRun {
public:
    PipelineRun(LoadedModel& model, const EnhanceRequest& request, const PipelineSettings& settings,
                EnhanceObserver* observer, const CancelToken* cancel)
        : m_model(model), m_request(request), m_settings(settings), m_observer(observer), m_cancel(cancel),
          m_stepCount(settings.steps),
          m_stages(planCascade(request.scale, model.info.nativeScale)),
          m_input(imageToTensor(request.input).to(settings.device)),
          m_clock(totalWorkUnits())
    {
        if (soft() && !model.isResidualShift())
            throw Error(ErrorCode::InvalidArgument,
                        "soft consistency needs a model with a clean upscaler (a residual-shift model); use exact or off "
                        "with " + model.info.id);
        if (model.isResidualShift()) {
            if (m_stepCount > 0)
                m_shiftSteps = residualShiftSteps(model.residual->config().schedule, m_stepCount);
        } else {
            m_steps = NoiseSchedule(model.betas).respace(settings.steps);
        }
    }

    EnhanceResult run();

private:
    double totalWorkUnits() const;
    int64_t chunkSize() const;
    torch::Tensor runChunk(int first, int count, int chunk, int chunkCount, std::vector<StageOutput>& stages);
    torch::Tensor runStage(int stage, const torch::Tensor& lowRes, CandidateNoise& noise, int first, int chunk,
                           int chunkCount);
    torch::Tensor runSr3Stage(int stage, const torch::Tensor& lowRes, CandidateNoise& noise, int first, int chunk,
                              int chunkCount);
    torch::Tensor runResidualShiftStage(int stage, const torch::Tensor& lowRes, CandidateNoise& noise, int first,
                                        int chunk, int chunkCount);
    std::function<void(int, int, const torch::Tensor&)> stepObserver(int stage, int first, int chunk, int chunkCount,
                                                                     double unitsPerStep);
    torch::Tensor projectOnto(const torch::Tensor& images, const torch::Tensor& lowRes, int factor);
    /// The projection for one output size and factor, made once per job (its inverses are the
    /// costly part: dense products of the size of the image's sides).
    const ConsistencyProjection& projectionFor(int64_t height, int64_t width, int factor);
    /// The clean result of lowRes; sendDraft: also its unprojected draft to the observer.
    torch::Tensor cleanOf(const torch::Tensor& lowRes, bool sendDraft = false);
    void runCleanTrack(EnhanceResult& result);
    void finish(torch::Tensor images, EnhanceResult& result);
    bool projects() const { return m_request.consistency != Consistency::Off; }
    bool soft() const { return m_request.consistency == Consistency::Soft; }
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
    int m_stepCount;
    std::vector<CascadeStage> m_stages;
    std::vector<DiffusionStep> m_steps;            ///< SR3
    std::vector<ResidualShiftStep> m_shiftSteps;   ///< residual shift (empty: the clean result only)
    torch::Tensor m_input;  ///< [1, 3, h, w] in [-1, 1] on the device
    torch::Tensor m_firstClean;  ///< residual shift: the clean result of stage 0 [1, 3, H, W], before any downscale
    torch::Tensor m_softTarget;  ///< soft consistency: the final clean result shrunk to the input's size
    std::map<std::tuple<int64_t, int64_t, int>, ConsistencyProjection> m_projections;
    JobClock m_clock;
    int64_t m_finalTile = 0;
};

double PipelineRun::totalWorkUnits() const
{
    double units = 0, pixels = double(m_request.input.width) * m_request.input.height;
    for (const auto& stage : m_stages) {
        pixels *= double(stage.modelScale) * stage.modelScale;
        units += pixels * double(std::max(m_stepCount, 1));
        pixels /= double(stage.downscaleAfter) * stage.downscaleAfter;
    }
    return units * m_request.candidates;
}

int64_t PipelineRun::chunkSize() const
{
    return candidatesPerChunk(m_stages, int64_t(m_request.input.width) * m_request.input.height, m_request.candidates,
                              m_settings.memoryBudgetGiB);
}

EnhanceResult PipelineRun::run()
{
    EnhanceResult result;
    if (m_model.isResidualShift())
        runCleanTrack(result);
    if (m_model.isResidualShift() && m_shiftSteps.empty()) {
        // The clean result only (a Fast preset): no candidates to sample.
        result.sampler = "clean";
        result.seconds = m_clock.elapsed();
        return result;
    }
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
    result.sampler = m_model.isResidualShift() ? "resshift" : samplerKindName(m_settings.sampler.kind);
    result.steps = m_stepCount;
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
    auto result = m_model.isResidualShift() ? runResidualShiftStage(stage, lowRes, noise, first, chunk, chunkCount)
                                            : runSr3Stage(stage, lowRes, noise, first, chunk, chunkCount);
    const int down = m_stages[stage].downscaleAfter;
    return down > 1 ? downscaleBicubic(result, down).clamp(-1, 1) : result;
}

std::function<void(int, int, const torch::Tensor&)> PipelineRun::stepObserver(int stage, int first, int chunk,
                                                                              int chunkCount, double unitsPerStep)
{
    return [this, stage, first, chunk, chunkCount, unitsPerStep](int step, int stepCount, const torch::Tensor& x0) {
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
}

const ConsistencyProjection& PipelineRun::projectionFor(int64_t height, int64_t width, int factor)
{
    const auto key = std::make_tuple(height, width, factor);
    auto it = m_projections.find(key);
    if (it == m_projections.end())
        it = m_projections.emplace(key, ConsistencyProjection(height, width, factor, m_settings.device)).first;
    return it->second;
}

torch::Tensor PipelineRun::projectOnto(const torch::Tensor& images, const torch::Tensor& lowRes, int factor)
{
    if (!projects())
        return images.clamp(-1, 1);
    return projectionFor(images.size(2), images.size(3), factor).projectWithinRange(images, lowRes);
}

torch::Tensor PipelineRun::runSr3Stage(int stage, const torch::Tensor& lowRes, CandidateNoise& noise, int first,
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

    const ConsistencyProjection* projection =
        projects() ? &projectionFor(height, width, plan.modelScale) : nullptr;

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
    callbacks.refineX0 = x0Refiner(projection, lowRes);
    callbacks.noise = [&](int) { return noise.next({3, height, width}, device); };
    callbacks.onStep = stepObserver(stage, first, chunk, chunkCount, unitsPerStep);

    const auto xT = noise.next({3, height, width}, device);
    auto result = sample(xT, m_steps, m_settings.sampler, callbacks);
    m_finalTile = denoiser.tileSize();
    return projection ? projection->projectWithinRange(result, lowRes) : result.clamp(-1, 1);
}

torch::Tensor PipelineRun::cleanOf(const torch::Tensor& lowRes, bool sendDraft)
{
    // Tiles of 256 low-resolution pixels keep the activations of a 12-megapixel result small.
    auto clean = cleanUpscale(m_model.residual->clean, lowRes, m_settings.dtype, 256, m_cancel);
    // Under soft consistency the clean result is its own target: it is what defines it.
    if (soft())
        return clean.clamp(-1, 1);
    // The projection takes a third of the time: until it is done, the draft is what can be shown.
    if (sendDraft && projects() && m_observer)
        m_observer->onCleanDraft(tensorToImage(clean[0].clamp(-1, 1)));
    return projectOnto(clean, lowRes, m_model.residual->config().scale);
}

void PipelineRun::runCleanTrack(EnhanceResult& result)
{
    // The clean result goes through the same cascade as the candidates, and is shown at once:
    // it is the first preview of every candidate.
    const bool singleNativePass = m_stages.size() == 1 && m_stages.front().downscaleAfter == 1;
    auto images = m_input;
    for (size_t stage = 0; stage < m_stages.size(); ++stage) {
        checkCancel();
        // A draft only where the projection that follows is the last change to the pixels.
        images = cleanOf(images, singleNativePass);
        if (stage == 0)
            m_firstClean = images;
        if (m_stages[stage].downscaleAfter > 1)
            images = downscaleBicubic(images, m_stages[stage].downscaleAfter).clamp(-1, 1);
    }
    if (!singleNativePass && !soft())
        images = projectOnto(images, m_input, m_request.scale);
    requireFinite(images);
    if (soft())
        m_softTarget = downscaleBicubic(images, m_request.scale);
    const Downscaler down(images.size(2), images.size(3), m_request.scale, m_settings.device);
    result.clean.image = tensorToImage(images[0]);
    result.clean.consistencyMse = (consistencyError(down, images, m_input) * 0.25)[0].item<double>();
    result.clean.index = -1;
    if (!m_observer)
        return;
    m_observer->onClean(result.clean);
    if (m_request.previewInterval > 0 && !m_shiftSteps.empty()) {
        EnhancePreview preview{int(m_stages.size()) - 1, 0, m_stepCount, m_request.firstCandidateIndex, {}};
        const ImageF small = tensorToImage(shrinkToFit(images, m_request.previewMaxSide)[0]);
        preview.images.assign(size_t(m_request.candidates), small);
        m_observer->onPreview(preview);
    }
    EnhanceProgress progress = m_clock.progress();
    progress.stageCount = int(m_stages.size());
    progress.stepCount = m_stepCount;
    if (m_shiftSteps.empty())
        progress.fraction = 1.0;
    m_observer->onProgress(progress);
}

torch::Tensor PipelineRun::runResidualShiftStage(int stage, const torch::Tensor& lowRes, CandidateNoise& noise,
                                                 int first, int chunk, int chunkCount)
{
    const CascadeStage& plan = m_stages[stage];
    const int64_t count = lowRes.size(0), height = lowRes.size(2) * plan.modelScale,
                  width = lowRes.size(3) * plan.modelScale;
    const torch::Device device = m_settings.device;
    // Every candidate starts from the clean result of its own input: the same photo at stage 0,
    // the candidate's previous stage later on.
    const auto base = stage == 0 ? m_firstClean.expand({count, -1, -1, -1}).contiguous() : cleanOf(lowRes);
    // Soft consistency keeps what the clean upscaler made of the input, not the input itself.
    const auto target = soft() ? downscaleBicubic(base, plan.modelScale) : lowRes;

    const ConsistencyProjection* projection =
        projects() ? &projectionFor(height, width, plan.modelScale) : nullptr;
    auto& detailNet = m_model.residual->detail;
    auto network = [detailNet](const torch::Tensor& input, const torch::Tensor& level) mutable {
        return detailNet->forward(input, level);
    };
    TilingOptions tiling{m_request.tileSize, m_request.tileOverlap, m_settings.memoryBudgetGiB};
    TiledDenoiser denoiser(network, NetworkFootprint::ofDetailNet(m_model.residual->config()), m_settings.dtype, tiling,
                           m_cancel);

    ResidualShiftCallbacks callbacks;
    callbacks.predictX0 = [&](const torch::Tensor& x, double noiseStd) {
        checkCancel();
        return denoiser.predictNoise(base, x, noiseStd);
    };
    callbacks.refineX0 = x0Refiner(projection, target);
    callbacks.noise = [&](int) { return noise.next({3, height, width}, device); };
    callbacks.onStep = stepObserver(stage, first, chunk, chunkCount, double(height) * width * count);

    const auto start = noise.next({3, height, width}, device);
    auto result = residualShiftSample(base, start, m_shiftSteps, m_model.residual->config().schedule.kappa, callbacks);
    m_finalTile = denoiser.tileSize();
    result = coreDetail(result, base, kDetailCoringThreshold);  // the projection below restores consistency
    return projection ? projection->projectWithinRange(result, target) : result.clamp(-1, 1);
}

void PipelineRun::finish(torch::Tensor images, EnhanceResult& result)
{
    // One more projection against the original input: stages were projected against their own
    // inputs only, and a stage's downscale (x2 and x8 plans) is not part of that projection. A
    // single pass at the model's own scale already ended with exactly this projection.
    images = images.to(m_settings.device);
    const auto input = m_input.expand({images.size(0), -1, -1, -1});
    const auto target = soft() ? m_softTarget.expand({images.size(0), -1, -1, -1}) : input;
    const bool singleNativePass = m_stages.size() == 1 && m_stages.front().downscaleAfter == 1;
    if (projects() && !singleNativePass)
        images = projectionFor(images.size(2), images.size(3), m_request.scale).projectWithinRange(images, target);
    requireFinite(images);
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

int64_t candidatesPerChunk(const std::vector<CascadeStage>& stages, int64_t inputPixels, int candidates,
                           double memoryBudgetGiB)
{
    // The sampler keeps about eight full-size float32 tensors per candidate (x, x0, the previous
    // x0, condition, noise, tile sums...): split the candidates when they would not fit together.
    int64_t side = 1;
    for (const auto& stage : stages)
        side *= stage.modelScale;
    const double perCandidate = 8.0 * 3 * 4 * double(inputPixels) * double(side * side);
    const double budget = memoryBudgetGiB * 1024.0 * 1024.0 * 1024.0;
    return std::clamp<int64_t>(int64_t(budget / perCandidate), 1, candidates);
}

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
