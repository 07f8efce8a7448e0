#pragma once
/// @file archive_summary.h
/// @brief What the logs say about an archive: done, failed and left photos, time per photo,
/// time left for a number of workers, and the shards that still have work.

#include <set>
#include <string>
#include <vector>

#include "archive_log.h"
#include "archive_manifest.h"

namespace refine::cli {

struct FailedPhoto {
    int id = 0;
    std::string input;
    std::string reason;
};

struct ArchiveSummary {
    int photos = 0;
    int done = 0;
    int reused = 0;              ///< of done: found finished, not enhanced by a run
    int failed = 0;              ///< whose last record is a failure
    int left = 0;                ///< neither (includes those in progress)
    int inProgress = 0;          ///< of left: locked by a running worker now
    double secondsPerPhoto = 0;  ///< mean over the photos enhanced; 0 when none yet
    double secondsPerMegapixel = 0;  ///< of input pixels; 0 when unknown
    double secondsLeft = -1;     ///< for `workers` workers; < 0 while unknown
    int workers = 1;
    int shardCount = 0;          ///< the sharding the workers used (the latest log's), 0 when none
    std::vector<int> shardsWithWork;  ///< of shardCount: those with failed or left photos
    std::vector<FailedPhoto> failures;
    int unreadableLogLines = 0;
};

/// The latest record of each photo decides its state. `workers` <= 0: as many as the shard
/// count; `shards` <= 0: the shard count of the latest record. `locked` lists photos in progress.
ArchiveSummary summarise(const ArchiveManifest& manifest, const LogBook& logs, const std::set<int>& locked,
                         int workers, int shards);

}  // namespace refine::cli
