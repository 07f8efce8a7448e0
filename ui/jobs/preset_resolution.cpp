#include "jobs/preset_resolution.h"

#include "refine/engine/engine.h"
#include "refine/engine/error.h"

namespace refine::ui {

SamplingPreset resolvedPreset(const EnhanceRequest& request, const ModelInfo& model)
{
    try {
        return Engine::resolvedPreset(model, request);
    } catch (const Error&) {
        // A request the engine will refuse: show it as asked; the job then fails with the
        // engine's own message.
        return {request.preset, request.sampler, request.steps};
    }
}

bool isCleanOnly(const EnhanceRequest& request, const ModelInfo& model)
{
    return model.hasCleanUpscale() && resolvedPreset(request, model).steps == 0;
}

}  // namespace refine::ui
