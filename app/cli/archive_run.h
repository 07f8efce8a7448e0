#pragma once
/// @file archive_run.h
/// @brief `refine-cli archive run`: enhance one shard of a planned archive. Safe to kill and run
/// again at any point: finished photos are skipped (their outputs verified), a photo cut short
/// is done again, files are written atomically and never replaced, and a photo another run is
/// working on is left to it.

#include <string>

#include "refine/engine/enhance.h"

namespace refine::cli {

struct ArchiveRunOptions {
    std::string manifest;
    std::string shard = "0/1";  ///< "K/N"
    std::string device = "auto";
    int threads = 0;
    bool quiet = false;
    bool list = false;          ///< print the shard's photos and stop
};

/// Exit codes: 0 the shard is done (or the rest is being done by another run), 1 some photos
/// failed (each named with the reason, also in the log), 2 an unusable manifest or log folder,
/// 3 the plan's model cannot be loaded or changed since the plan, 130 cancelled.
int runArchiveRun(const ArchiveRunOptions& options, const CancelToken& cancel);

}  // namespace refine::cli
