#pragma once
/// @file cascade.h
/// @brief The enhance pipeline: x2..x16 from a model of native scale n by a CDM-style cascade of
/// model passes, N candidates sampled together, consistency projection, progress, previews,
/// cancel, uncertainty map.
///
/// Plan: k = ceil(log_n(scale)) passes. When n^k exceeds the scale, the first pass's output is
/// downscaled (with the consistency operator H) by n^k / scale, so the expensive later passes run
/// at the smallest size: x8 with a x4 model is [x4, /2] then [x4] (80 output units of work per
/// input pixel instead of 272 for [x4][x4] then /2).

#include <vector>

#include "diffusion/samplers.h"
#include "model/model_loader.h"
#include "refine/engine/enhance.h"

namespace refine {

struct CascadeStage {
    int modelScale = 4;      ///< one model pass
    int downscaleAfter = 1;  ///< then downscale by this
};

/// Throws refine::Error(InvalidArgument) when the scale cannot be reached from nativeScale.
std::vector<CascadeStage> planCascade(int scale, int nativeScale);

/// How many candidates are sampled together (the rest wait for the next chunk), so that their
/// full-size tensors fit `memoryBudgetGiB`; at least 1.
int64_t candidatesPerChunk(const std::vector<CascadeStage>& stages, int64_t inputPixels, int candidates,
                           double memoryBudgetGiB);

/// Everything resolved from a request and the model: what a pipeline run needs.
struct PipelineSettings {
    SamplerOptions sampler;       ///< SR3 models; residual-shift models always shift residuals
    int steps = 20;               ///< network evaluations per candidate; 0 = the clean result only (residual shift)
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;
    double memoryBudgetGiB = 3;
    double cascadeNoise = 0;
};

/// Runs one job on the calling thread. Throws refine::Cancelled or refine::Error.
EnhanceResult runEnhancePipeline(LoadedModel& model, const EnhanceRequest& request, const PipelineSettings& settings,
                                 EnhanceObserver* observer, const CancelToken* cancel);

}  // namespace refine
