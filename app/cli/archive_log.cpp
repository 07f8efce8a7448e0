#include "archive_log.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "refine/engine/error.h"

namespace refine::cli {
namespace fs = std::filesystem;
using nlohmann::json;
namespace {

double secondsSinceEpoch()
{
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string hostName()
{
    char name[256] = {};
    return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("unknown");
}

[[noreturn]] void throwIo(const std::string& what, const fs::path& path)
{
    throw Error(ErrorCode::Io, "cannot " + what + " the log " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

std::string logFileName(const Shard& shard)
{
    return "shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count) + ".jsonl";
}

std::string toLogLine(const LogRecord& r)
{
    nlohmann::ordered_json j{{"time", r.time},   {"shard", r.shard}, {"host", r.host},
           {"pid", r.pid},     {"photo", r.photo}, {"input", r.input},
           {"result", r.result == LogRecord::Result::Done ? "done" : "failed"},
           {"seconds", r.seconds}};
    if (r.result == LogRecord::Result::Done) {
        j["reused"] = r.reused;
        j["files"] = r.files;
    } else {
        j["reason"] = r.reason;
    }
    return j.dump() + "\n";
}

LogRecord logRecordFromLine(const std::string& line)
{
    const json j = json::parse(line);
    LogRecord r;
    r.time = j.at("time").get<double>();
    r.shard = j.at("shard").get<std::string>();
    r.host = j.value("host", std::string());
    r.pid = j.value("pid", 0L);
    r.photo = j.at("photo").get<int>();
    r.input = j.value("input", std::string());
    const std::string result = j.at("result").get<std::string>();
    if (result != "done" && result != "failed")
        throw std::runtime_error("unknown result '" + result + "'");
    r.result = result == "done" ? LogRecord::Result::Done : LogRecord::Result::Failed;
    r.seconds = j.value("seconds", 0.0);
    r.reused = j.value("reused", false);
    r.reason = j.value("reason", std::string());
    if (j.contains("files"))
        r.files = j.at("files").get<std::map<std::string, uintmax_t>>();
    return r;
}

ShardLog::ShardLog(const fs::path& folder, const Shard& shard)
    : m_path(folder / logFileName(shard)), m_shard(shardName(shard)), m_host(hostName())
{
    m_fd = ::open(m_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throwIo("open", m_path);
}

ShardLog::~ShardLog()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void ShardLog::append(LogRecord record)
{
    record.time = secondsSinceEpoch();
    record.shard = m_shard;
    record.host = m_host;
    record.pid = long(::getpid());
    const std::string line = toLogLine(record);
    // One write() of the whole line: with O_APPEND, lines of concurrent writers never interleave.
    const ssize_t written = ::write(m_fd, line.data(), line.size());
    if (written != ssize_t(line.size()))
        throwIo("append to", m_path);
    if (::fdatasync(m_fd) != 0)
        throwIo("sync", m_path);
}

LogBook readLogs(const fs::path& folder)
{
    LogBook book;
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.path().extension() == ".jsonl")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        std::ifstream in(file);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty())
                continue;
            try {
                book.records.push_back(logRecordFromLine(line));
            } catch (const std::exception&) {
                ++book.unreadableLines;  // a line torn by a full disk, or edited by hand
            }
        }
    }
    return book;
}

}  // namespace refine::cli
