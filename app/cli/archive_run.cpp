#include "archive_run.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <set>

#include "archive_lock.h"
#include "archive_log.h"
#include "archive_manifest.h"
#include "archive_shard.h"
#include "archive_verify.h"
#include "exit_codes.h"
#include "file_digest.h"
#include "interruptible_work.h"
#include "photo_enhancement.h"
#include "refine/engine/engine.h"
#include "refine/imaging/image_io.h"

namespace refine::cli {
namespace fs = std::filesystem;
namespace {

constexpr const char* kCancelledMessage = "refine-cli: cancelled; photos finished so far are kept and logged, the one "
                                          "in progress is done again by the next run";

/// The run cannot go on (model, manifest, log folder); the message says why.
struct RunAbort {
    int exitCode;
    std::string message;
};

/// A photo that cannot be done; logged as failed with this reason.
struct PhotoFailure {
    std::string reason;
};

/// Temporary files a killed run left beside the outputs (`<output>.tmp-XXXXXX`), by photo.
std::map<int, std::vector<fs::path>> staleTemporaries(const fs::path& outputFolder,
                                                      const std::vector<const ArchivePhoto*>& photos)
{
    std::map<fs::path, int> owner;
    std::set<fs::path> folders;
    for (const ArchivePhoto* photo : photos)
        for (const auto& output : photo->outputs) {
            const fs::path path = (outputFolder / output.file).lexically_normal();
            owner[path] = photo->id;
            folders.insert(path.parent_path());
        }
    std::map<int, std::vector<fs::path>> stale;
    for (const auto& folder : folders) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(folder, ec)) {
            const std::string name = entry.path().filename().string();
            const auto mark = name.rfind(".tmp-");
            if (mark == std::string::npos)
                continue;
            const auto it = owner.find(folder / name.substr(0, mark));
            if (it != owner.end())
                stale[it->second].push_back(entry.path());
        }
    }
    return stale;
}

class ShardRun {
public:
    ShardRun(const ArchiveRunOptions& options, const fs::path& manifestPath, const ArchiveManifest& manifest,
             const Shard& shard, const CancelToken& cancel)
        : m_options(options), m_manifest(manifest), m_shard(shard), m_cancel(cancel),
          m_work(cancel, kCancelledMessage), m_outputFolder(outputFolderOf(manifestPath, manifest)),
          m_logFolder(logFolderOf(manifestPath)),
          m_verifier(manifest, m_outputFolder, LogBook{})
    {
        refreshFromLogs();
    }

    int run(const std::vector<const ArchivePhoto*>& photos)
    {
        openLogAndLocks();
        m_stale = staleTemporaries(m_outputFolder, photos);
        for (size_t i = 0; i < photos.size(); ++i) {
            if (m_cancel.isCancelled())
                throw Cancelled();
            process(*photos[i], i + 1, photos.size());
        }
        std::printf("shard %s: %zu photos: %d enhanced, %d already done, %d failed, %d left to another run\n",
                    shardName(m_shard).c_str(), photos.size(), m_enhanced, m_alreadyDone, m_failed, m_busy);
        return m_failed == 0 ? 0 : kExitSomeFailed;
    }

private:
    void openLogAndLocks()
    {
        try {
            fs::create_directories(m_logFolder);
            fs::create_directories(m_outputFolder);
            m_log = std::make_unique<ShardLog>(m_logFolder, m_shard);
            m_locks = std::make_unique<PhotoLocks>(lockFileIn(m_logFolder));
        } catch (const std::exception& e) {
            throw RunAbort{kExitArchive, std::string("cannot write the archive's logs or outputs: ") + e.what()};
        }
    }

    void process(const ArchivePhoto& photo, size_t position, size_t count)
    {
        PhotoLockGuard lock(*m_locks, photo.id);
        if (!lock.held()) {
            ++m_busy;
            std::printf("[%zu/%zu] %s: another run is enhancing it; left to that run\n", position, count,
                        photo.input.string().c_str());
            return;
        }
        removeStaleTemporaries(photo.id);
        auto started = std::chrono::steady_clock::now();
        try {
            const OutputCheck check = m_verifier.check(photo);
            if (!check.mismatch.empty())
                throw PhotoFailure{check.mismatch};
            if (check.complete()) {
                recordAlreadyDone(photo, check);
                return;
            }
            // Loading, decoding and enhancing on a worker thread: Ctrl+C stops them at once (interruptible_work.h).
            m_work.run([&] { loadedEngine(); });
            started = std::chrono::steady_clock::now();  // a photo's time leaves out loading the model
            std::map<std::string, uintmax_t> files;
            m_work.run([&] {
                files = enhance(photo, check, "[" + std::to_string(position) + "/" + std::to_string(count) + "] ");
            });
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            recordDone(photo, std::move(files), seconds);
        } catch (const PhotoFailure& failure) {
            recordFailure(photo, failure.reason, started);
        } catch (const Cancelled&) {
            throw;
        } catch (const Error& e) {
            if (e.code() == ErrorCode::BadModel)
                throw RunAbort{kExitModel, e.what()};
            recordFailure(photo, e.what(), started);
        } catch (const std::exception& e) {
            recordFailure(photo, e.what(), started);
        }
    }

    /// What every shard's log says is done (other runs may have logged since we started).
    void refreshFromLogs()
    {
        for (const auto& record : readLogs(m_logFolder).records)
            if (record.result == LogRecord::Result::Done) {
                m_loggedDone.insert(record.photo);
                m_verifier.recordWritten(record.photo, record.files);
            }
    }

    void removeStaleTemporaries(int photoId)
    {
        const auto it = m_stale.find(photoId);
        if (it == m_stale.end())
            return;
        for (const auto& path : it->second) {
            std::error_code ignored;  // we hold the photo's lock: nobody else is writing them
            fs::remove(path, ignored);
        }
    }

    std::vector<unsigned char> readUnchangedInput(const ArchivePhoto& photo) const
    {
        std::error_code ec;
        if (!fs::exists(photo.input, ec))
            throw PhotoFailure{"the photo is gone (no such file)"};
        auto bytes = imaging::readFileBytes(photo.input);
        if (bytes.size() != photo.size || sha256Hex(bytes) != photo.sha256)
            throw PhotoFailure{"the photo changed since the plan (its sha256 differs); plan again to enhance the new version"};
        return bytes;
    }

    std::map<std::string, uintmax_t> enhance(const ArchivePhoto& photo, const OutputCheck& check,
                                             const std::string& position)
    {
        const auto bytes = readUnchangedInput(photo);
        Engine& engine = loadedEngine();
        EnhanceOptions options = enhanceOptionsFrom(m_manifest.settings, m_manifest.model.ref);
        options.format = photo.format;  // as planned, whatever the decoder thinks the input is
        options.quiet = m_options.quiet;
        const imaging::Photo decoded = decodeWhatFits(engine, options, bytes, photo.input.filename().string());
        std::printf("%s", position.c_str());  // the line enhanceIntoFiles() goes on with

        std::set<fs::path> missing;
        for (const auto& output : check.missing)
            missing.insert((m_outputFolder / output.file).lexically_normal());
        PhotoTarget target;
        target.input = photo.input;
        target.outputDir = (m_outputFolder / photo.outputs.front().file).lexically_normal().parent_path();
        target.seed = photo.seed;
        target.editTime = m_manifest.created;
        target.shouldWrite = [&missing](const fs::path& path) { return missing.count(path.lexically_normal()) > 0; };
        target.writes = &m_work;
        fs::create_directories(target.outputDir);

        std::map<std::string, uintmax_t> files = check.present;
        for (const auto& path : enhanceIntoFiles(engine, options, decoded, target, m_cancel))
            files[path.lexically_relative(m_outputFolder).string()] = fs::file_size(path);
        return files;
    }

    Engine& loadedEngine()
    {
        if (m_engine)
            return *m_engine;
        EngineOptions engineOptions;
        engineOptions.device = m_options.device;
        engineOptions.cpuThreads = m_options.threads;
        const std::string& precision = m_manifest.settings.precision;
        engineOptions.precision = precision == "fp16" ? Precision::Float16
                                : precision == "bf16" ? Precision::BFloat16
                                                      : Precision::Float32;
        try {
            m_engine = std::make_unique<Engine>(engineOptions);
            m_engine->loadModel(m_manifest.model.ref);
        } catch (const std::exception& e) {
            throw RunAbort{kExitModel, std::string("cannot load the plan's model: ") + e.what()};
        }
        const ModelInfo& model = m_engine->model();
        if (model.sha256 != m_manifest.model.sha256)
            throw RunAbort{kExitModel, "the model changed since the plan: " + m_manifest.model.ref + " is now " +
                                           model.id + " with sha256 " + model.sha256.substr(0, 12) + "..., the plan used " +
                                           m_manifest.model.id + " with sha256 " +
                                           m_manifest.model.sha256.substr(0, 12) +
                                           "...; put the plan's model back, or plan again into another folder"};
        if (!m_options.quiet)
            std::fprintf(stderr, "model %s on %s\n", model.id.c_str(), m_engine->deviceName().c_str());
        return *m_engine;
    }

    void recordAlreadyDone(const ArchivePhoto& photo, const OutputCheck& check)
    {
        ++m_alreadyDone;
        if (!m_loggedDone.count(photo.id))
            refreshFromLogs();  // perhaps a concurrent run of this shard did it
        if (m_loggedDone.count(photo.id))
            return;  // logged before: the logs keep one done line per photo
        // Finished by a run killed before it could log, or by `refine-cli enhance`.
        LogRecord record;
        record.photo = photo.id;
        record.input = photo.input.string();
        record.reused = true;
        record.files = check.present;
        append(record);
        m_loggedDone.insert(photo.id);
    }

    void recordDone(const ArchivePhoto& photo, std::map<std::string, uintmax_t> files, double seconds)
    {
        ++m_enhanced;
        LogRecord record;
        record.photo = photo.id;
        record.input = photo.input.string();
        record.seconds = seconds;
        record.files = std::move(files);
        m_verifier.recordWritten(photo.id, record.files);
        append(record);
        m_loggedDone.insert(photo.id);
    }

    void recordFailure(const ArchivePhoto& photo, const std::string& reason,
                       std::chrono::steady_clock::time_point started)
    {
        ++m_failed;
        std::fprintf(stderr, "refine-cli: %s: %s\n", photo.input.string().c_str(), reason.c_str());
        LogRecord record;
        record.photo = photo.id;
        record.input = photo.input.string();
        record.result = LogRecord::Result::Failed;
        record.reason = reason;
        record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        append(record);
    }

    void append(const LogRecord& record)
    {
        try {
            m_log->append(record);
        } catch (const Error& e) {
            throw RunAbort{kExitArchive, e.what()};
        }
    }

    const ArchiveRunOptions& m_options;
    const ArchiveManifest& m_manifest;
    Shard m_shard;
    const CancelToken& m_cancel;
    InterruptibleWork m_work;
    fs::path m_outputFolder, m_logFolder;
    OutputVerifier m_verifier;
    std::set<int> m_loggedDone;
    std::map<int, std::vector<fs::path>> m_stale;
    std::unique_ptr<ShardLog> m_log;
    std::unique_ptr<PhotoLocks> m_locks;
    std::unique_ptr<Engine> m_engine;
    int m_enhanced = 0, m_alreadyDone = 0, m_failed = 0, m_busy = 0;
};

std::vector<const ArchivePhoto*> photosOf(const ArchiveManifest& manifest, const Shard& shard)
{
    std::vector<const ArchivePhoto*> photos;
    for (const auto& photo : manifest.photos)
        if (inShard(photo.id, shard))
            photos.push_back(&photo);
    return photos;
}

int listPhotos(const std::vector<const ArchivePhoto*>& photos)
{
    for (const ArchivePhoto* photo : photos)
        std::printf("%d\t%s\n", photo->id, photo->input.string().c_str());
    return 0;
}

}  // namespace

int runArchiveRun(const ArchiveRunOptions& options, const CancelToken& cancel)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // a batch job's log shows each photo as it is done
    try {
        const Shard shard = parseShard(options.shard);
        const fs::path manifestPath = fs::absolute(options.manifest);
        const ArchiveManifest manifest = readManifest(manifestPath);
        const auto photos = photosOf(manifest, shard);
        if (options.list)
            return listPhotos(photos);
        ShardRun run(options, manifestPath, manifest, shard, cancel);
        return run.run(photos);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "refine-cli: %s\n", e.what());
        return kExitArchive;
    } catch (const ManifestError& e) {
        std::fprintf(stderr, "refine-cli: %s\n", e.what());
        return kExitArchive;
    } catch (const RunAbort& e) {
        std::fprintf(stderr, "refine-cli: %s\n", e.message.c_str());
        return e.exitCode;
    } catch (const Cancelled&) {
        std::fprintf(stderr, "\n%s\n", kCancelledMessage);
        return kExitCancelled;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-cli: %s\n", e.what());
        return kExitArchive;
    }
}

}  // namespace refine::cli
