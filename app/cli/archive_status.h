#pragma once
/// @file archive_status.h
/// @brief `refine-cli archive status`: the archive's progress from all shards' logs.

#include <string>

namespace refine::cli {

struct ArchiveStatusOptions {
    std::string manifest;
    int workers = 0;  ///< for the time left; 0: as many as the shards
    int shards = 0;   ///< which shards have work, of this many; 0: the sharding in the logs
    bool json = false;
};

/// Exit codes: 0 (whatever the progress), 2 an unusable manifest.
int runArchiveStatus(const ArchiveStatusOptions& options);

/// "3 d 4 h", "5 h 12 min", "12 min", "40 s"; "unknown" when negative.
std::string formatLongDuration(double seconds);

}  // namespace refine::cli
