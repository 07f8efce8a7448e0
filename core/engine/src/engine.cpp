#include "refine/engine/engine.h"

#include <algorithm>
#include <cctype>

#include <torch/cuda.h>
#include <torch/utils.h>
#include <torch/version.h>

#include <nlohmann/json.hpp>

#include "model/model_card.h"
#include "model/model_catalog.h"
#include "model/model_loader.h"
#include "model/unet_flops.h"
#include "pipeline/cascade.h"
#include "pipeline/job_memory.h"
#include "runtime/available_memory.h"
#include "runtime/device.h"
#include "runtime/host_memory.h"

namespace refine {
namespace {

constexpr int kMaxCandidates = 16;
constexpr int64_t kMaxOutputPixels = 400'000'000;  // 400 MP per candidate: beyond this nobody is served

void validate(const EnhanceRequest& r)
{
    auto invalid = [](const std::string& why) { throw Error(ErrorCode::InvalidArgument, why); };
    if (r.input.empty() || r.input.channels != 3 || r.input.width < 1 || r.input.height < 1)
        invalid("the input must be a non-empty RGB image");
    if (r.input.pixels.size() != size_t(r.input.width) * r.input.height * 3)
        invalid("the input's pixel buffer does not match its size");
    if (r.scale != 2 && r.scale != 4 && r.scale != 8 && r.scale != 16)
        invalid("the scale must be 2, 4, 8 or 16, not " + std::to_string(r.scale));
    if (r.candidates < 1 || r.candidates > kMaxCandidates)
        invalid("the number of candidates must be between 1 and " + std::to_string(kMaxCandidates));
    const int64_t outputPixels = int64_t(r.input.width) * r.input.height * r.scale * r.scale;
    if (outputPixels > kMaxOutputPixels)
        invalid("the result would be " + std::to_string(outputPixels / 1'000'000) + " megapixels per candidate; "
                "choose a smaller scale or crop the photo (the limit is 400 MP)");
    if (r.tileSize < 0 || r.steps < 0 || r.previewInterval < 0)
        invalid("tile size, steps and preview interval cannot be negative");
}

/// Residual-shift models sample with "resshift" (or give the clean result alone, "clean");
/// SR3 models with their three samplers.
void checkSamplerFits(const ModelInfo& info, const SamplingPreset& preset)
{
    const bool residual = info.hasCleanUpscale();
    const bool residualSampler = preset.sampler == "resshift" || preset.sampler == "clean";
    if (residual != residualSampler)
        throw Error(ErrorCode::InvalidArgument,
                    "the sampler '" + preset.sampler + "' does not fit the model '" + info.id + "' ("
                        + (residual ? "a residual-shift model samples with 'resshift'; 'clean' or 0 steps give "
                                      "the clean result only"
                                    : "an SR3 model samples with 'ddpm', 'ddim' or 'dpmpp2m'")
                        + ")");
    if (!residual)
        samplerKindFromName(preset.sampler);  // throws for an unknown name
}

/// Preset names as people type them: "fast" is "Fast".
bool sameNameIgnoringCase(const std::string& a, const std::string& b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

SamplingPreset resolvePreset(const ModelInfo& info, const EnhanceRequest& r)
{
    const std::string wanted = r.preset.empty() ? info.defaultPreset : r.preset;
    SamplingPreset preset;
    bool found = false;
    for (const auto& p : info.presets)
        if (sameNameIgnoringCase(p.name, wanted) || (!found && p.name == info.defaultPreset)) {
            preset = p;
            found = sameNameIgnoringCase(p.name, wanted);
        }
    if (!r.preset.empty() && !found) {
        std::string names;
        for (const auto& p : info.presets)
            names += (names.empty() ? "" : ", ") + p.name;
        throw Error(ErrorCode::InvalidArgument, "the model has no preset named '" + r.preset + "'" +
                                                    (names.empty() ? std::string() : " (it has " + names + ")"));
    }
    if (!r.sampler.empty())
        preset.sampler = r.sampler;
    if (r.steps > 0)
        preset.steps = r.steps;
    if (info.hasCleanUpscale()) {
        if (preset.sampler == "clean")
            preset.steps = 0;
        else if (preset.steps == 0)
            preset.sampler = "clean";
    } else if (preset.steps <= 0) {
        preset.steps = 20;
    }
    checkSamplerFits(info, preset);
    return preset;
}

/// The clean upscaler once per stage (shared by all candidates at the first stage, once per
/// candidate later), plus `steps` detail evaluations per candidate and stage. 2 FLOPs per MAC.
double residualShiftJobFlops(const ResidualShiftConfig& c, int inputWidth, int inputHeight, int scale, int candidates,
                             int steps)
{
    double flops = 0, width = inputWidth, height = inputHeight;
    bool first = true;
    for (const CascadeStage& stage : planCascade(scale, c.scale)) {
        const double lowPixels = width * height;
        flops += 2 * cleanNetMacsPerPixel(c) * lowPixels * (first || steps == 0 ? 1 : candidates);
        flops += 2 * detailNetMacsPerPixel(c) * lowPixels * steps * candidates;
        width = width * stage.modelScale / stage.downscaleAfter;
        height = height * stage.modelScale / stage.downscaleAfter;
        first = false;
    }
    return flops;
}


/// Plain words for an allocation that failed although the plan said it would fit (other programs
/// took memory meanwhile, or the estimate was short): never LibTorch's text, which carries a
/// backtrace, and never a hint to use the device the job already runs on.
std::string ranOutOfMemory(const torch::Device& device, const MemoryPlan& plan)
{
    std::string text = "Refine ran out of memory during the enhancement (it expected to need about "
                     + formatBytes(device.is_cuda() ? plan.need.deviceBytes : plan.need.workBytes());
    const std::uint64_t free = device.is_cuda() ? plan.available.deviceBytes : plan.available.hostBytes;
    if (free > 0)
        text += ", with " + formatBytes(free) + " free when it started";
    text += "): choose fewer candidates, a smaller scale or smaller tiles, or close other programs";
    return text + (device.is_cuda() ? ", or run it on the CPU" : "");
}

}  // namespace

struct Engine::Impl {
    EngineOptions options;
    torch::Device device = torch::kCPU;
    std::optional<LoadedModel> model;
};

Engine::Engine(const EngineOptions& options) : m_impl(std::make_unique<Impl>())
{
    m_impl->options = options;
    m_impl->device = selectDevice(options.device);
    configureCpuThreads(options.cpuThreads);
    if (!m_impl->device.is_cuda())
        keepFreedHostMemoryForReuse();
}

Engine::~Engine() = default;

void Engine::loadModel(const std::string& nameOrPath)
{
    try {
        LoadedModel model = loadModelFile(resolveModelPath(nameOrPath));
        const auto dtype = networkDtype(m_impl->options.precision, m_impl->device);
        if (model.isResidualShift())
            prepareModuleForInference(*model.residual, m_impl->device, dtype);
        else
            prepareForInference(model.net, m_impl->device, dtype);
        m_impl->model = std::move(model);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        if (isOutOfMemory(e))
            throw Error(ErrorCode::OutOfMemory, "not enough memory to load the model '" + nameOrPath + "'");
        throw Error(ErrorCode::BadModel, "cannot load model '" + nameOrPath + "': " + e.what());
    }
}

bool Engine::hasModel() const { return m_impl->model.has_value(); }

const ModelInfo& Engine::model() const
{
    if (!m_impl->model)
        throw Error(ErrorCode::InvalidArgument, "no model is loaded");
    return m_impl->model->info;
}

std::string Engine::deviceName() const { return m_impl->device.str(); }

EnhanceResult Engine::enhance(const EnhanceRequest& request, EnhanceObserver* observer, const CancelToken* cancel)
{
    if (!m_impl->model)
        throw Error(ErrorCode::InvalidArgument, "no model is loaded");
    validate(request);
    LoadedModel& model = *m_impl->model;
    const SamplingPreset preset = resolvePreset(model.info, request);
    // Refused before anything is allocated, with what would fit.
    const MemoryPlan plan = planMemory(jobShape(model.info, request, request.input.width, request.input.height, true));
    if (!plan.fits)
        throw Error(ErrorCode::OutOfMemory, plan.problem);

    PipelineSettings settings;
    if (!model.isResidualShift())
        settings.sampler.kind = samplerKindFromName(preset.sampler);
    settings.sampler.ddimEta = request.ddimEta;
    settings.steps = preset.steps;
    settings.device = m_impl->device;
    settings.dtype = networkDtype(m_impl->options.precision, m_impl->device);
    settings.memoryBudgetGiB = plan.memoryBudgetGiB;  // the request's, the device's, or less where only that fits
    settings.cascadeNoise = request.cascadeNoise >= 0 ? request.cascadeNoise : model.info.cascadeNoise;

    // Inference mode is thread-local: set it here, on the thread that runs the job.
    c10::InferenceMode inferenceMode;
    struct ReleaseMemoryAfterJob {
        ~ReleaseMemoryAfterJob() { releaseFreeHostMemory(); }
    } releaseAfterJob;
    try {
        EnhanceResult result = runEnhancePipeline(model, request, settings, observer, cancel);
        result.device = m_impl->device.str();
        // What actually ran: half precisions fall back to float32 on the CPU.
        result.precision = settings.dtype == torch::kFloat32 ? precisionName(Precision::Float32)
                                                             : precisionName(m_impl->options.precision);
        return result;
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        if (e.code() == ErrorCode::OutOfMemory)
            throw Error(ErrorCode::OutOfMemory, ranOutOfMemory(m_impl->device, plan));
        throw;
    } catch (const std::exception& e) {
        if (isOutOfMemory(e))
            throw Error(ErrorCode::OutOfMemory, ranOutOfMemory(m_impl->device, plan));
        throw Error(ErrorCode::Internal, "the enhancement failed: " + std::string(e.what()).substr(0, 600));
    }
}

MemoryPlan Engine::planMemory(const JobShape& shape) const
{
    if (!m_impl->model)
        throw Error(ErrorCode::InvalidArgument, "no model is loaded");
    const torch::Device device = m_impl->device;
    MemoryAvailable available;
    available.onDevice = device.is_cuda();
    available.hostBytes = availableHostMemory();
    available.deviceBytes = freeDeviceMemory(device);
    const RunTarget target{device, networkDtype(m_impl->options.precision, device)};
    return planJobMemory(ModelShape::of(*m_impl->model), shape, target, available, /*runtimeLoaded=*/true);
}

MemoryEstimate Engine::estimateMemory(const ModelInfo& model, const JobShape& shape, bool onGpu, Precision precision)
{
    const std::optional<ModelShape> network = ModelShape::ofCard(model);
    if (!network || shape.inputWidth < 1 || shape.inputHeight < 1)
        return {};
    const torch::Device device = onGpu ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    return estimateJobMemory(*network, shape, RunTarget{device, networkDtype(precision, device)});
}

DeviceInfo Engine::deviceInfo()
{
    DeviceInfo info;
    info.torchVersion = TORCH_VERSION;
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDeviceCount = int(torch::cuda::device_count());
    info.cpuThreads = torch::get_num_threads();
    info.summary = info.cudaAvailable ? "CUDA (" + std::to_string(info.cudaDeviceCount) + " device(s))"
                                      : "CPU, " + std::to_string(info.cpuThreads) + " threads";
    return info;
}

std::vector<ModelInfo> Engine::installedModels(std::vector<std::string>* problems)
{
    return listInstalledModels(problems);
}

std::string Engine::defaultModelId() { return kDefaultModelId; }
std::string Engine::restoreModelId() { return kRestoreModelId; }

SamplingPreset Engine::resolvedPreset(const ModelInfo& model, const EnhanceRequest& request)
{
    return resolvePreset(model, request);
}

JobShape Engine::jobShape(const ModelInfo& model, const EnhanceRequest& request, int width, int height,
                          bool photoDecoded)
{
    JobShape shape;
    shape.inputWidth = width;
    shape.inputHeight = height;
    shape.scale = request.scale;
    shape.candidates = request.candidates;
    shape.cleanOnly = resolvePreset(model, request).steps == 0;
    shape.tileSize = request.tileSize;
    shape.memoryBudgetGiB = request.memoryBudgetGiB;
    shape.uncertaintyMap = request.uncertaintyMap;
    shape.photoDecoded = photoDecoded;
    return shape;
}

double Engine::estimateJobFlops(const ModelInfo& model, int inputWidth, int inputHeight, int scale, int candidates,
                                int steps)
{
    if (inputWidth < 1 || inputHeight < 1 || candidates < 1 || steps < 0 || model.cardJson.empty())
        return 0;
    try {
        const ModelCard card = modelCardFromJson(nlohmann::json::parse(model.cardJson), model.id);
        if (card.residualShift)
            return residualShiftJobFlops(*card.residualShift, inputWidth, inputHeight, scale, candidates, steps);
        if (!card.unet)
            return 0;
        // Each stage enlarges its input by the model's scale, then maybe shrinks it (x2, x8 plans).
        double perStep = 0;
        int64_t width = inputWidth, height = inputHeight;
        for (const CascadeStage& stage : planCascade(scale, model.nativeScale)) {
            width *= stage.modelScale;
            height *= stage.modelScale;
            perStep += unetForwardFlops(*card.unet, height, width);
            width /= stage.downscaleAfter;
            height /= stage.downscaleAfter;
        }
        return perStep * steps * candidates;
    } catch (const std::exception&) {
        return 0;  // an estimate is optional: an unreadable card only means "unknown"
    }
}

}  // namespace refine
