#pragma once
/// @file archive_plan.h
/// @brief `refine-cli archive plan`: list an archive's photos with everything a worker needs
/// (input size and sha256, job seed, output files) and the job's model and settings, once.

#include <string>

#include "enhance_command.h"

namespace refine::cli {

struct ArchivePlanOptions {
    EnhanceOptions enhance;  ///< inputs, output folder, model and settings (device, threads unused)
    std::string manifest;    ///< empty: OUT/refine-archive.jsonl
};

/// Planning again with the same model and settings adds new photos and keeps the ids, seeds and
/// time of those planned before; other settings are refused. Exit codes: 0 planned, 2 inputs or
/// settings that cannot be planned (nothing written), 3 model problem.
int runArchivePlan(const ArchivePlanOptions& options);

}  // namespace refine::cli
