#include "bench_run.h"

#include <chrono>
#include <cmath>
#include <random>

#include <torch/cuda.h>
#include <torch/torch.h>

#include "gpu_memory.h"
#include "model/model_catalog.h"
#include "model/model_loader.h"
#include "runtime/device.h"

namespace refine::bench {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void synchronize(const torch::Device& device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.index());
}

/// A smooth, photo-like test input (gradients and a few sinusoids), the same for every run.
ImageF syntheticPhoto(int width, int height)
{
    ImageF image(width, height, 3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < 3; ++c) {
                const double u = double(x) / width, v = double(y) / height;
                image.at(x, y, c) = float(0.5 + 0.25 * std::sin(6.0 * u + 2.0 * c) * std::cos(9.0 * v)
                                          + 0.2 * (u - v) * (c - 1));
            }
    return image;
}

/// Times the denoising steps of the first stage without adding host synchronisation inside the
/// step loop: the device is synchronised only after the first and the last step.
class StepTimer : public EnhanceObserver {
public:
    StepTimer(const torch::Device& device, Clock::time_point start) : m_device(device), m_start(start) {}

    void onProgress(const EnhanceProgress& p) override
    {
        if (p.stage != 0 || p.chunk != 0)
            return;
        if (p.step == 1 || p.step == p.stepCount)
            synchronize(m_device);
        if (p.step == 1)
            m_firstStep = Clock::now();
        if (p.step == p.stepCount && p.stepCount > 1)
            m_msPerStep = 1e3 * secondsSince(m_firstStep) / (p.stepCount - 1);
    }

    void onPreview(const EnhancePreview&) override
    {
        if (m_firstPreview < 0)
            m_firstPreview = secondsSince(m_start);
    }

    /// A residual-shift model's clean result is what a person sees first: its draft (before the
    /// consistency projection) where the job sends one, else the result itself.
    void onCleanDraft(const ImageF&) override
    {
        if (m_firstPreview < 0)
            m_firstPreview = secondsSince(m_start);
    }

    void onClean(const CandidateOutput&) override
    {
        if (m_firstPreview < 0)
            m_firstPreview = secondsSince(m_start);
    }

    double msPerStep() const { return m_msPerStep; }
    double firstPreviewSeconds() const { return m_firstPreview; }

private:
    torch::Device m_device;
    Clock::time_point m_start, m_firstStep;
    double m_msPerStep = 0, m_firstPreview = -1;
};

fs::path makeScratchFolder()
{
    const auto folder = fs::temp_directory_path() / ("refine-bench-" + std::to_string(std::random_device{}()));
    fs::create_directories(folder);
    return folder;
}

}  // namespace

BenchRunner::BenchRunner(const BenchOptions& options) : m_options(options), m_engine(options.engine) {}

BenchRunner::~BenchRunner()
{
    std::error_code ignored;
    if (!m_scratch.empty())
        fs::remove_all(m_scratch, ignored);
}

std::vector<SamplingPreset> BenchRunner::presetsOf(const std::string& model)
{
    for (const auto& info : Engine::installedModels())
        if (info.id == model)
            return info.presets;
    return loadModelFile(resolveModelPath(model)).info.presets;
}

std::string BenchRunner::randomModelFolder(const Workload& w)
{
    // A random-weight network goes through the same file and loader as a real model.
    if (m_scratch.empty())
        m_scratch = makeScratchFolder();
    const fs::path folder = m_scratch / ("random-" + w.id.substr(0, 1));
    if (!fs::exists(folder / "model.json")) {
        torch::manual_seed(0);
        Sr3UNet net(*w.randomNetwork);
        nlohmann::json presets = nlohmann::json::array({{{"name", w.sampling.name}, {"sampler", w.sampling.sampler},
                                                         {"steps", w.sampling.steps}}});
        saveModel(folder, net, BetaScheduleSpec{},
                  {{"id", "random-" + w.id.substr(0, 1)}, {"native_scale", w.randomNativeScale},
                   {"presets", presets}, {"default_preset", w.sampling.name}});
    }
    return folder.string();
}

double BenchRunner::load(const Workload& w)
{
    const std::string model = w.randomNetwork ? randomModelFolder(w) : w.model;
    if (model == m_loaded)
        return 0;
    const auto start = Clock::now();
    m_engine.loadModel(model);
    synchronize(torch::Device(m_engine.deviceName()));
    m_loaded = model;
    return secondsSince(start);
}

BenchResult BenchRunner::run(const Workload& w)
{
    BenchResult result;
    result.workload = w;
    result.loadSeconds = load(w);
    const torch::Device device(m_engine.deviceName());

    EnhanceRequest request;
    request.input = syntheticPhoto(w.inputWidth, w.inputHeight);
    request.scale = w.scale;
    request.candidates = w.candidates;
    request.seed = 1;
    request.sampler = w.sampling.sampler;
    request.previewInterval = m_options.previewInterval;
    request.memoryBudgetGiB = m_options.memoryBudgetGiB;

    // The untimed first job pays for one-off costs (kernel selection, allocator growth).
    request.steps = std::max(1, m_options.warmupSteps);
    auto start = Clock::now();
    m_engine.enhance(request);
    result.warmupSeconds = secondsSince(start);

    request.steps = m_options.stepsOverride > 0 ? m_options.stepsOverride : w.sampling.steps;
    resetPeakMemory(device);
    start = Clock::now();
    StepTimer timer(device, start);
    const EnhanceResult out = m_engine.enhance(request, &timer);
    result.endToEndSeconds = secondsSince(start);

    result.device = out.device;
    result.precision = out.precision;
    result.sampler = out.sampler;
    result.steps = out.steps;
    result.tileSize = out.tileSize;
    // A clean-only job (a residual-shift model's Fast preset) has no candidates, only the clean result.
    const ImageF& output = out.candidates.empty() ? out.clean.image : out.candidates.front().image;
    result.outputWidth = output.width;
    result.outputHeight = output.height;
    result.msPerStep = timer.msPerStep();
    result.firstPreviewSeconds = timer.firstPreviewSeconds();
    result.peakMemoryBytes = peakMemoryBytes(device);
    // Useful work of the first stage (one pass at the model's own scale): the whole image once per
    // candidate, tile overlap excluded; from the loaded model's card, as the app estimates jobs.
    const ModelInfo& info = m_engine.model();
    result.flopsPerStep = Engine::estimateJobFlops(info, w.inputWidth, w.inputHeight, info.nativeScale, w.candidates,
                                                   out.steps > 0 ? 1 : 0);
    return result;
}

}  // namespace refine::bench
