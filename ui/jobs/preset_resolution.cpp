#include "jobs/preset_resolution.h"

namespace refine::ui {
namespace {

constexpr int kSr3DefaultSteps = 20;  // the engine's when a preset gives none

}  // namespace

SamplingPreset resolvedPreset(const EnhanceRequest& request, const ModelInfo& model)
{
    const std::string wanted = request.preset.empty() ? model.defaultPreset : request.preset;
    SamplingPreset preset;
    bool found = false;
    for (const SamplingPreset& p : model.presets)
        if (p.name == wanted || (!found && p.name == model.defaultPreset)) {  // the engine's fallback
            preset = p;
            found = p.name == wanted;
        }
    if (!request.sampler.empty())
        preset.sampler = request.sampler;
    if (request.steps > 0)
        preset.steps = request.steps;
    if (model.hasCleanUpscale()) {
        if (preset.sampler == "clean")
            preset.steps = 0;
        else if (preset.steps <= 0)
            preset.sampler = "clean";
    } else if (preset.steps <= 0) {
        preset.steps = kSr3DefaultSteps;
    }
    return preset;
}

bool isCleanOnly(const EnhanceRequest& request, const ModelInfo& model)
{
    return model.hasCleanUpscale() && resolvedPreset(request, model).steps == 0;
}

}  // namespace refine::ui
