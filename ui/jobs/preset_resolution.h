#pragma once
/// @file preset_resolution.h
/// @brief What a request will actually run, worked out on the GUI side as the engine does it
/// (Engine::enhance's preset resolution): the GUI needs it before the job starts, to know how
/// many candidate cells to show and how long the job should take.

#include "refine/engine/enhance.h"
#include "refine/engine/model_info.h"

namespace refine::ui {

/// The request's preset on `model` (its own, else the card's default), with the request's
/// sampler and steps overriding it. For a residual-shift model "clean" means 0 steps and 0 steps
/// means "clean"; an SR3 preset without steps is taken as 20, as the engine does.
SamplingPreset resolvedPreset(const EnhanceRequest& request, const ModelInfo& model);

/// A residual-shift job that makes the clean result only (the Fast preset): no candidates.
bool isCleanOnly(const EnhanceRequest& request, const ModelInfo& model);

}  // namespace refine::ui
