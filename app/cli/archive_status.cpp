#include "archive_status.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "archive_lock.h"
#include "archive_log.h"
#include "archive_manifest.h"
#include "archive_summary.h"
#include "exit_codes.h"

namespace refine::cli {
namespace fs = std::filesystem;
namespace {

constexpr size_t kFailuresShown = 20;

std::string joined(const std::vector<int>& values, const char* separator)
{
    std::string text;
    for (size_t i = 0; i < values.size(); ++i)
        text += (i ? separator : "") + std::to_string(values[i]);
    return text;
}

nlohmann::json toJson(const ArchiveSummary& s)
{
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& f : s.failures)
        failures.push_back({{"id", f.id}, {"input", f.input}, {"reason", f.reason}});
    return {{"photos", s.photos},
            {"done", s.done},
            {"reused", s.reused},
            {"failed", s.failed},
            {"left", s.left},
            {"in_progress", s.inProgress},
            {"seconds_per_photo", s.secondsPerPhoto},
            {"seconds_per_megapixel", s.secondsPerMegapixel},
            {"seconds_left", s.secondsLeft < 0 ? nlohmann::json() : nlohmann::json(s.secondsLeft)},
            {"workers", s.workers},
            {"shard_count", s.shardCount},
            {"shards_with_work", s.shardsWithWork},
            {"failures", failures},
            {"unreadable_log_lines", s.unreadableLogLines}};
}

void printShards(const ArchiveSummary& s, const fs::path& manifestPath)
{
    if (s.shardCount == 0 || s.shardsWithWork.empty())
        return;
    std::printf("shards    of %d, with photos failed or left: %s\n", s.shardCount, joined(s.shardsWithWork, ", ").c_str());
    std::printf("          resubmit: sbatch --array=%s --export=ALL,REFINE_SHARD_COUNT=%d "
                "packaging/slurm/refine-archive.sbatch %s\n",
                joined(s.shardsWithWork, ",").c_str(), s.shardCount, manifestPath.string().c_str());
}

void printFailures(const ArchiveSummary& s)
{
    if (s.failures.empty())
        return;
    std::printf("failed:\n");
    for (size_t i = 0; i < s.failures.size() && i < kFailuresShown; ++i)
        std::printf("  %s: %s\n", s.failures[i].input.c_str(), s.failures[i].reason.c_str());
    if (s.failures.size() > kFailuresShown)
        std::printf("  ... and %zu more (archive status --json lists them all)\n", s.failures.size() - kFailuresShown);
}

void printText(const ArchiveSummary& s, const ArchiveManifest& m, const fs::path& manifestPath)
{
    std::printf("archive   %s\n", manifestPath.string().c_str());
    std::printf("model     %s, x%d, %d candidate%s, %s %d steps\n", m.model.id.c_str(), m.settings.scale,
                m.settings.candidates, m.settings.candidates == 1 ? "" : "s", m.sampler.c_str(), m.steps);
    std::printf("photos    %d: %d done", s.photos, s.done);
    if (s.reused > 0)
        std::printf(" (%d found already finished)", s.reused);
    std::printf(", %d failed, %d left", s.failed, s.left);
    if (s.inProgress > 0)
        std::printf(" (%d in progress)", s.inProgress);
    std::printf("\n");
    if (s.secondsPerPhoto > 0) {
        std::printf("speed     %.1f s per photo", s.secondsPerPhoto);
        if (s.secondsPerMegapixel > 0)
            std::printf(", %.1f s per input megapixel", s.secondsPerMegapixel);
        std::printf("\n");
    }
    if (s.left > 0 && s.secondsLeft < 0)
        std::printf("time left unknown until a photo is done\n");
    else if (s.left > 0)
        std::printf("time left about %s with %d worker%s\n", formatLongDuration(s.secondsLeft).c_str(), s.workers,
                    s.workers == 1 ? "" : "s");
    printShards(s, manifestPath);
    printFailures(s);
    if (s.unreadableLogLines > 0)
        std::printf("note      %d damaged log lines were skipped\n", s.unreadableLogLines);
}

std::vector<int> photoIds(const ArchiveManifest& m)
{
    std::vector<int> ids;
    for (const auto& photo : m.photos)
        ids.push_back(photo.id);
    return ids;
}

}  // namespace

std::string formatLongDuration(double seconds)
{
    if (seconds < 0)
        return "unknown";
    const long total = std::lround(seconds);
    const long days = total / 86400, hours = total % 86400 / 3600, minutes = total % 3600 / 60;
    if (days > 0)
        return std::to_string(days) + " d " + std::to_string(hours) + " h";
    if (hours > 0)
        return std::to_string(hours) + " h " + std::to_string(minutes) + " min";
    if (minutes > 0)
        return std::to_string(minutes) + " min";
    return std::to_string(total) + " s";
}

int runArchiveStatus(const ArchiveStatusOptions& options)
{
    try {
        const fs::path manifestPath = fs::absolute(options.manifest);
        const ArchiveManifest manifest = readManifest(manifestPath);
        const fs::path logFolder = logFolderOf(manifestPath);
        const ArchiveSummary summary = summarise(manifest, readLogs(logFolder),
                                                 lockedPhotos(lockFileIn(logFolder), photoIds(manifest)),
                                                 options.workers, options.shards);
        if (options.json)
            std::printf("%s\n", toJson(summary).dump(2).c_str());
        else
            printText(summary, manifest, manifestPath);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-cli: %s\n", e.what());
        return kExitArchive;
    }
}

}  // namespace refine::cli
