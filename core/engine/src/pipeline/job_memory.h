#pragma once
/// @file job_memory.h
/// @brief The memory estimate behind refine/engine/memory_plan.h: what the enhance pipeline
/// (cascade.cpp, tiled_denoiser.cpp, clean_upscale.cpp) allocates for a job, stage by stage.

#include <optional>

#include <torch/types.h>

#include "model/model_loader.h"
#include "refine/engine/memory_plan.h"

namespace refine {

/// What the estimate needs to know of a model.
struct ModelShape {
    bool residualShift = false;
    UNetConfig unet;               ///< SR3
    ResidualShiftConfig residual;  ///< residual shift
    int nativeScale = 4;
    long long parameters = 0;

    static ModelShape of(const LoadedModel& model);
    /// From a model's card; nullopt when the card does not describe the network (a bare .pth).
    static std::optional<ModelShape> ofCard(const ModelInfo& model);
};

/// Where and how a job runs.
struct RunTarget {
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;
};

/// The peak memory of `job` on `target` (see MemoryEstimate). Throws refine::Error(InvalidArgument)
/// for a scale the model cannot reach.
MemoryEstimate estimateJobMemory(const ModelShape& model, const JobShape& job, const RunTarget& target);

/// The estimate against `available`; `runtimeLoaded`: LibTorch and the model are already resident
/// (a loaded engine), so they need no more room. Says what would fit when the job does not.
MemoryPlan planJobMemory(const ModelShape& model, const JobShape& job, const RunTarget& target,
                         const MemoryAvailable& available, bool runtimeLoaded);

}  // namespace refine
