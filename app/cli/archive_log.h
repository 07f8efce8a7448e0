#pragma once
/// @file archive_log.h
/// @brief Per-shard logs of an archive: one JSON line per photo finished (done or failed, with
/// the seconds it took), appended with a single write and synced, so a killed worker leaves
/// whole lines only and `archive status` can sum all shards' logs.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "archive_shard.h"

namespace refine::cli {

struct LogRecord {
    enum class Result { Done, Failed };
    double time = 0;              ///< when it was written, seconds since the epoch
    std::string shard;            ///< "K/N" of the run that wrote it
    std::string host;
    long pid = 0;
    int photo = -1;               ///< the manifest's photo id
    std::string input;
    Result result = Result::Done;
    double seconds = 0;           ///< enhancing and writing (0 when reused)
    bool reused = false;          ///< done: its outputs were already there and verified
    std::string reason;           ///< failed: why, for people
    std::map<std::string, uintmax_t> files;  ///< done: output file (relative) -> bytes
};

/// `shard-K-of-N.jsonl`.
std::string logFileName(const Shard& shard);

/// Appends records to one shard's log.
class ShardLog {
public:
    /// @throws refine::Error Io when the log cannot be opened for appending
    ShardLog(const std::filesystem::path& folder, const Shard& shard);
    ~ShardLog();
    ShardLog(const ShardLog&) = delete;
    ShardLog& operator=(const ShardLog&) = delete;

    /// Fills in time, shard, host and pid, then appends the line. @throws refine::Error Io
    void append(LogRecord record);

private:
    int m_fd = -1;
    std::filesystem::path m_path;
    std::string m_shard;
    std::string m_host;
};

struct LogBook {
    std::vector<LogRecord> records;  ///< every shard's, in file then line order
    int unreadableLines = 0;         ///< damaged lines, skipped
};

/// Every `*.jsonl` log in `folder` (none when the folder does not exist).
LogBook readLogs(const std::filesystem::path& folder);

/// One log line (exposed for tests).
std::string toLogLine(const LogRecord& record);
/// @throws std::exception for a line that is not a log record
LogRecord logRecordFromLine(const std::string& line);

}  // namespace refine::cli
