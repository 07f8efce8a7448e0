#pragma once
/// @file engine.h
/// @brief Refine's engine facade: load an SR3 model, enhance images with progress, previews and
/// cancel. Torch-free header (pimpl), safe to include from Qt code.
///
/// @code
///   refine::Engine engine({});                      // CUDA when available, else all CPU cores
///   engine.loadModel("refine-x4-natural");           // a name from installedModels() or a path
///   refine::EnhanceRequest request;
///   request.input = image;                           // RGB float in [0, 1]
///   request.scale = 4; request.candidates = 4; request.seed = 42;
///   refine::CancelToken cancel;
///   refine::EnhanceResult result = engine.enhance(request, &observer, &cancel);
/// @endcode
/// Thread contract: one Engine runs one job at a time; call it from a single worker thread.
/// CancelToken::cancel() may be called from any thread.

#include <memory>
#include <string>
#include <vector>

#include "refine/engine/enhance.h"
#include "refine/engine/error.h"
#include "refine/engine/memory_plan.h"
#include "refine/engine/model_info.h"

namespace refine {

struct EngineOptions {
    std::string device = "auto";        ///< "auto", "cpu", "cuda" or "cuda:N"
    Precision precision = Precision::Float32;
    int cpuThreads = 0;                 ///< 0 = all cores
};

struct DeviceInfo {
    std::string torchVersion;
    bool cudaAvailable = false;
    int cudaDeviceCount = 0;
    int cpuThreads = 0;
    std::string summary;                ///< a line for people, e.g. "CUDA (1 device)" or "CPU, 2 threads"
};

class Engine {
public:
    explicit Engine(const EngineOptions& options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Loads a model by id (see installedModels) or by path (.safetensors with its card, or an
    /// SR3 .pth). Throws refine::Error(BadModel) with a message naming the problem.
    void loadModel(const std::string& nameOrPath);
    bool hasModel() const;
    const ModelInfo& model() const;

    /// Runs a job on the calling thread. Throws refine::Cancelled when cancelled, refine::Error
    /// otherwise; the engine stays usable afterwards. A job whose memory plan does not fit is
    /// refused before any work (OutOfMemory, with planMemory()'s problem as the message).
    EnhanceResult enhance(const EnhanceRequest& request, EnhanceObserver* observer = nullptr,
                          const CancelToken* cancel = nullptr);

    /// The memory plan of a job on this engine (its model, device and precision) against the
    /// memory free now. Call it with the size from the photo's header (imaging::readImageInfo)
    /// before decoding, so that a job that cannot fit is refused in milliseconds; shape.cleanOnly
    /// from resolvedPreset() (0 steps). Throws refine::Error(InvalidArgument) when no model is loaded.
    MemoryPlan planMemory(const JobShape& shape) const;
    /// The shape planMemory() needs for `request` on `model`, for a photo of `width` x `height`
    /// (from its header when it is not decoded yet: request.input may be empty), the preset
    /// resolved as enhance() resolves it.
    static JobShape jobShape(const ModelInfo& model, const EnhanceRequest& request, int width, int height,
                             bool photoDecoded);
    /// The same estimate without an engine, from a model's card (e.g. for the app's estimate
    /// before a model is loaded); all zeros when the card does not describe the network.
    static MemoryEstimate estimateMemory(const ModelInfo& model, const JobShape& shape, bool onGpu = false,
                                         Precision precision = Precision::Float32);

    /// The device this engine runs on, e.g. "cuda:0" or "cpu".
    std::string deviceName() const;

    static DeviceInfo deviceInfo();
    /// Models found in the model folders (REFINE_MODELS_DIR, the install's share/refine/models,
    /// the source tree's models/), each with its card.
    /// A folder whose card cannot be read is left out and, when `problems` is given, described
    /// there ("<folder>: <why>"); listing never fails because of one broken model.
    static std::vector<ModelInfo> installedModels(std::vector<std::string>* problems = nullptr);
    /// The id of the model used when none is named.
    static std::string defaultModelId();
    /// The bundled model for old, damaged photos (the app's "Old photo" switch, the CLI's --restore).
    static std::string restoreModelId();
    /// What `request` will run on `model`: its preset (the card's default when none is named),
    /// with the request's sampler and steps applied, as enhance() resolves it. For residual-shift
    /// models "clean" means 0 steps (the clean result only) and 0 steps means "clean". Throws
    /// refine::Error(InvalidArgument) for an unknown preset or a sampler of the other family.
    static SamplingPreset resolvedPreset(const ModelInfo& model, const EnhanceRequest& request);
    /// FLOPs a job would cost, counted from the model card's UNet shape: every pass of every
    /// cascade stage, for `steps` steps and `candidates` candidates (tile overlap not counted).
    /// 0 when the card does not describe the network (a bare .pth) or the scale is unreachable.
    /// Lets a caller estimate a job's time before it has run one.
    static double estimateJobFlops(const ModelInfo& model, int inputWidth, int inputHeight, int scale,
                                   int candidates, int steps);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace refine
