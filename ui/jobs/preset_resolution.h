#pragma once
/// @file preset_resolution.h
/// @brief What a request will actually run (Engine::resolvedPreset): the GUI needs it before the
/// job starts, to know how many candidate cells to show and how long the job should take.

#include "refine/engine/enhance.h"
#include "refine/engine/model_info.h"

namespace refine::ui {

/// The engine's resolution of the request's preset on `model`; a request the engine would
/// refuse comes back as asked (the job then fails with the engine's message).
SamplingPreset resolvedPreset(const EnhanceRequest& request, const ModelInfo& model);

/// A residual-shift job that makes the clean result only (the Fast preset): no candidates.
bool isCleanOnly(const EnhanceRequest& request, const ModelInfo& model);

}  // namespace refine::ui
