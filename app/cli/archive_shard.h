#pragma once
/// @file archive_shard.h
/// @brief Which photos of an archive one worker does: shard K of N takes the photos whose
/// permanent id is K modulo N. Ids never change once planned, so the assignment is stable, the
/// shards are disjoint and together cover every photo; with ids 0..n-1 (a fresh plan) their sizes
/// differ by at most one.

#include <string>
#include <vector>

namespace refine::cli {

struct Shard {
    int index = 0;  ///< K, 0-based (a Slurm array task id)
    int count = 1;  ///< N
};

/// "K/N" with 0 <= K < N; `std::invalid_argument` with a message for people otherwise.
Shard parseShard(const std::string& text);

/// "K/N".
std::string shardName(const Shard& shard);

bool inShard(int photoId, const Shard& shard);

/// The positions in `photoIds` that belong to `shard`, in order.
std::vector<size_t> shardMembers(const std::vector<int>& photoIds, const Shard& shard);

}  // namespace refine::cli
