#pragma once
/// @file memory_check.h
/// @brief The engine's memory estimate (refine/engine/memory_plan.h) where the app needs it
/// before a job: the estimate line under the settings, and a job that cannot fit refused before
/// it starts, in plain words, with what would fit. The engine checks its own plan again when the
/// job runs (Engine::enhance), with the model it has loaded.

#include <QString>

#include <cstdint>

#include "refine/engine/enhance.h"
#include "refine/engine/memory_plan.h"
#include "refine/engine/model_info.h"

namespace refine::ui {

struct MemoryCheck {
    bool known = false;             ///< the model's card describes its network: there is an estimate
    bool fits = true;               ///< true when unknown too: nothing is refused on a guess
    std::uint64_t needBytes = 0;    ///< what the job adds to this process (host)
    std::uint64_t freeBytes = 0;    ///< what the system has free now (0: unknown)
    std::uint64_t deviceBytes = 0;  ///< on a GPU: its peak there
    QString line;                   ///< for the estimate: "Memory: about 1.4 GB (6.2 GB free)"
    QString problem;                ///< when it does not fit: what it needs, what is free, what would fit
};

/// The memory of job `shape` of `model` on this computer: `gpu` when it runs on CUDA,
/// `runtimeLoaded` when LibTorch and the model are resident already (after a first job with it),
/// against `freeBytes` (what the system has free now; 0: unknown, nothing refused).
MemoryCheck checkJobMemory(const ModelInfo& model, JobShape shape, bool gpu, Precision precision, bool runtimeLoaded,
                           std::uint64_t freeBytes = availableHostMemory());

}  // namespace refine::ui
