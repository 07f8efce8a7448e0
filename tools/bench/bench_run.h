#pragma once
/// @file bench_run.h
/// @brief Runs one benchmark workload through the public Engine, exactly as the app and the CLI
/// do (model preparation, conditioning upsample, tiling, sampler, consistency projection,
/// transfers, the final images), and measures it.

#include <filesystem>
#include <string>

#include "bench_workloads.h"
#include "refine/engine/engine.h"

namespace refine::bench {

struct BenchOptions {
    EngineOptions engine;        ///< device, precision, CPU threads
    double memoryBudgetGiB = 0;  ///< 0 = the device's default
    int previewInterval = 1;     ///< as the desktop app: an x0 preview after every step
    int warmupSteps = 2;         ///< an untimed short job first (cuDNN plans, allocator, caches)
    int stepsOverride = 0;       ///< > 0: run this many steps instead of the preset's
};

struct BenchResult {
    Workload workload;
    std::string device, precision, sampler;
    int outputWidth = 0, outputHeight = 0, steps = 0, tileSize = 0;
    double loadSeconds = 0;         ///< loading the model onto the device (0 when already loaded)
    double warmupSeconds = 0;       ///< the untimed first job: one-off costs before the first step
    double msPerStep = 0;           ///< first to last denoising step of the timed job, per step
    double endToEndSeconds = 0;     ///< the whole timed job, input image to output images
    double firstPreviewSeconds = -1;///< from the start of the timed job to its first preview
    double flopsPerStep = 0;        ///< network FLOPs of one step over all candidates
    int64_t peakMemoryBytes = -1;   ///< GPU only
    double tflops() const { return msPerStep > 0 ? flopsPerStep / (msPerStep * 1e-3) / 1e12 : 0; }
};

class BenchRunner {
public:
    explicit BenchRunner(const BenchOptions& options);
    ~BenchRunner();

    BenchResult run(const Workload& workload);

    /// The presets of an installed model (from its card), for building workloads.
    static std::vector<SamplingPreset> presetsOf(const std::string& model);

private:
    /// Loads the workload's model into the engine unless it is already there; returns seconds.
    double load(const Workload& workload);
    std::string randomModelFolder(const Workload& workload);

    BenchOptions m_options;
    Engine m_engine;
    std::string m_loaded;                          ///< what the engine holds now
    std::filesystem::path m_scratch;               ///< random-weight models, removed at the end
};

}  // namespace refine::bench
