#include "archive_summary.h"

#include <algorithm>
#include <map>

namespace refine::cli {
namespace {

/// The latest record per photo; ties (same time) go to the later line.
std::map<int, const LogRecord*> latestRecords(const LogBook& logs)
{
    std::map<int, const LogRecord*> latest;
    for (const auto& record : logs.records) {
        const LogRecord*& slot = latest[record.photo];
        if (!slot || record.time >= slot->time)
            slot = &record;
    }
    return latest;
}

int latestShardCount(const LogBook& logs)
{
    const LogRecord* newest = nullptr;
    for (const auto& record : logs.records)
        if (!newest || record.time >= newest->time)
            newest = &record;
    if (!newest)
        return 0;
    try {
        return parseShard(newest->shard).count;
    } catch (const std::exception&) {
        return 0;
    }
}

double megapixels(const ArchivePhoto& photo) { return double(photo.width) * photo.height / 1e6; }

/// Time per photo and per input megapixel, from the photos enhanced (not reused).
void measureSpeed(const ArchiveManifest& manifest, const std::map<int, const LogRecord*>& latest, ArchiveSummary& s)
{
    double seconds = 0, pixels = 0;
    int timed = 0;
    bool pixelsKnown = true;
    for (const auto& photo : manifest.photos) {
        const auto it = latest.find(photo.id);
        if (it == latest.end() || it->second->result != LogRecord::Result::Done || it->second->reused)
            continue;
        seconds += it->second->seconds;
        pixels += megapixels(photo);
        pixelsKnown = pixelsKnown && photo.width > 0;
        ++timed;
    }
    if (timed == 0)
        return;
    s.secondsPerPhoto = seconds / timed;
    if (pixelsKnown && pixels > 0)
        s.secondsPerMegapixel = seconds / pixels;
}

/// Photos left, weighted by their size when every size is known, shared among the workers.
void estimateTimeLeft(const std::vector<const ArchivePhoto*>& left, ArchiveSummary& s)
{
    if (s.secondsPerPhoto <= 0)
        return;
    bool sized = s.secondsPerMegapixel > 0;
    double pixels = 0;
    for (const ArchivePhoto* photo : left) {
        sized = sized && photo->width > 0;
        pixels += megapixels(*photo);
    }
    const double total = sized ? pixels * s.secondsPerMegapixel : s.secondsPerPhoto * double(left.size());
    s.secondsLeft = total / s.workers;
}

}  // namespace

ArchiveSummary summarise(const ArchiveManifest& manifest, const LogBook& logs, const std::set<int>& locked,
                         int workers, int shards)
{
    ArchiveSummary s;
    s.photos = int(manifest.photos.size());
    s.unreadableLogLines = logs.unreadableLines;
    s.shardCount = shards > 0 ? shards : latestShardCount(logs);
    s.workers = workers > 0 ? workers : std::max(1, s.shardCount);
    const auto latest = latestRecords(logs);
    std::vector<const ArchivePhoto*> left;
    std::set<int> shardsWithWork;
    for (const auto& photo : manifest.photos) {
        const auto it = latest.find(photo.id);
        const LogRecord* record = it == latest.end() ? nullptr : it->second;
        if (record && record->result == LogRecord::Result::Done) {
            ++s.done;
            s.reused += record->reused ? 1 : 0;
            continue;
        }
        if (record) {
            ++s.failed;
            s.failures.push_back({photo.id, photo.input.string(), record->reason});
        } else {
            ++s.left;
            s.inProgress += locked.count(photo.id) ? 1 : 0;
            left.push_back(&photo);
        }
        if (s.shardCount > 0)
            shardsWithWork.insert(photo.id % s.shardCount);
    }
    s.shardsWithWork.assign(shardsWithWork.begin(), shardsWithWork.end());
    measureSpeed(manifest, latest, s);
    estimateTimeLeft(left, s);
    return s;
}

}  // namespace refine::cli
