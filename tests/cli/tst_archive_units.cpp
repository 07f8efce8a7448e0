// Archive mode's pieces without the engine: shard assignment, the manifest, the logs, the
// locks and the status summary.
#include <QtTest>

#include <fstream>
#include <numeric>
#include <set>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive_inputs.h"
#include "archive_lock.h"
#include "archive_log.h"
#include "archive_manifest.h"
#include "archive_settings.h"
#include "archive_shard.h"
#include "archive_status.h"
#include "archive_summary.h"

using namespace refine::cli;
namespace fs = std::filesystem;

namespace {

ArchivePhoto photo(int id, int width = 100, int height = 50)
{
    ArchivePhoto p;
    p.id = id;
    p.input = "/archive/scans/photo" + std::to_string(id) + ".jpg";
    p.size = 1000 + id;
    p.sha256 = std::string(64, 'a');
    p.width = width;
    p.height = height;
    p.seed = 40 + id;
    p.format = "jpeg";
    p.outputs = {{"scans/photo" + std::to_string(id) + "_x4_c1.jpg", 0, false},
                 {"scans/photo" + std::to_string(id) + "_x4_uncertainty.png", 0, true}};
    return p;
}

ArchiveManifest manifestOf(int photos)
{
    ArchiveManifest m;
    m.created = "2024-05-01T12:00:00Z";
    m.model = {"/models/tiny/model.safetensors", "tiny-test", std::string(64, 'b'), "sr3"};
    m.settings.candidates = 1;
    m.settings.uncertaintyMap = true;
    m.sampler = "ddim";
    m.steps = 2;
    for (int i = 0; i < photos; ++i)
        m.photos.push_back(photo(i));
    return m;
}

LogRecord record(int photoId, double time, LogRecord::Result result, double seconds = 10, const char* shard = "0/2")
{
    LogRecord r;
    r.photo = photoId;
    r.time = time;
    r.result = result;
    r.seconds = seconds;
    r.shard = shard;
    r.reason = result == LogRecord::Result::Failed ? "the photo is gone" : "";
    return r;
}

void writeText(const fs::path& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

class TestArchiveUnits : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path path(const std::string& name) const { return fs::path(m_dir.path().toStdString()) / name; }

private Q_SLOTS:
    void anUnreadableSubfolderIsAProblemNotASilentGap()
    {
        if (geteuid() == 0)
            QSKIP("running as root: permissions do not stop root from reading a folder");
        const fs::path archive = path("unreadable-archive");
        fs::create_directories(archive / "1950s");
        fs::create_directories(archive / "locked");
        writeText(archive / "1950s" / "a.png", "x");
        writeText(archive / "locked" / "b.png", "x");
        fs::permissions(archive / "locked", fs::perms::none);
        const ArchiveInputs inputs = collectArchiveInputs({archive.string()}, path("out"));
        fs::permissions(archive / "locked", fs::perms::owner_all);
        QCOMPARE(inputs.problems.size(), size_t(1));
        QVERIFY2(inputs.problems[0].find("its subfolder locked cannot be read: permission denied") != std::string::npos,
                 inputs.problems[0].c_str());
    }

    void shardTextIsParsedStrictly()
    {
        QCOMPARE(parseShard("0/1").count, 1);
        QCOMPARE(parseShard("3/4").index, 3);
        QCOMPARE(shardName(parseShard("2/7")), std::string("2/7"));
        for (const char* bad : {"4/4", "1/0", "-1/4", "a/b", "1", "", "1/", "/4", "1/4/2", " 1/4", "99999999999/2"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseShard(bad));
    }

    void shardsCoverEveryPhotoExactlyOnce()
    {
        for (int photos = 0; photos <= 25; ++photos) {
            std::vector<int> ids(static_cast<size_t>(photos));
            std::iota(ids.begin(), ids.end(), 0);
            for (int n = 1; n <= 7; ++n) {
                std::vector<int> covered(size_t(photos), 0);
                size_t smallest = SIZE_MAX, largest = 0;
                for (int k = 0; k < n; ++k) {
                    const auto members = shardMembers(ids, Shard{k, n});
                    for (size_t m : members)
                        ++covered[m];
                    smallest = std::min(smallest, members.size());
                    largest = std::max(largest, members.size());
                }
                for (int c : covered)
                    QCOMPARE(c, 1);
                QVERIFY2(largest - smallest <= 1, qPrintable(QString("%1 photos, %2 shards").arg(photos).arg(n)));
            }
        }
    }

    void shardsStayDisjointWithGapsInTheIds()
    {
        const std::vector<int> ids{0, 2, 3, 7, 8, 9, 15, 40, 41};  // planned again after photos went away
        for (int n = 1; n <= 7; ++n) {
            std::multiset<int> seen;
            for (int k = 0; k < n; ++k)
                for (size_t m : shardMembers(ids, Shard{k, n}))
                    seen.insert(ids[m]);
            QCOMPARE(seen, std::multiset<int>(ids.begin(), ids.end()));
        }
    }

    void manifestRoundTrips()
    {
        ArchiveManifest m = manifestOf(3);
        m.settings.seed = 12345678901234567890ull;
        m.settings.detail = 0.5;
        m.photos[1].outputs.push_back({"scans/photo1_x4_clean.jpg", -1, false});
        writeManifest(path("m.jsonl"), m);
        const ArchiveManifest back = readManifest(path("m.jsonl"));
        QCOMPARE(back.created, m.created);
        QCOMPARE(back.model.sha256, m.model.sha256);
        QCOMPARE(back.sampler, std::string("ddim"));
        QVERIFY(settingDifferences(back.settings, m.settings).empty());
        QCOMPARE(*back.settings.seed, 12345678901234567890ull);
        QCOMPARE(back.photos.size(), size_t(3));
        QCOMPARE(back.photos[1].outputs.size(), size_t(3));
        QCOMPARE(back.photos[1].outputs[2].candidate, -1);
        QVERIFY(back.photos[1].outputs[1].uncertainty);
        QCOMPARE(back.photos[2].seed, uint64_t(42));
        QCOMPARE(back.photos[2].input, fs::path("/archive/scans/photo2.jpg"));
        QCOMPARE(outputFolderOf(path("m.jsonl"), back), fs::path(m_dir.path().toStdString()));
        QCOMPARE(logFolderOf(path("m.jsonl")), path("m-logs"));
    }

    void damagedManifestsAreRefusedWithTheLine()
    {
        writeManifest(path("good.jsonl"), manifestOf(3));
        std::ifstream in(path("good.jsonl"));
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);)
            lines.push_back(line);
        auto join = [](const std::vector<std::string>& l) {
            std::string text;
            for (const auto& line : l)
                text += line + "\n";
            return text;
        };
        auto expectRefused = [this](const std::string& text, const char* expected) {
            writeText(path("bad.jsonl"), text);
            try {
                readManifest(path("bad.jsonl"));
                QFAIL("a damaged manifest was read");
            } catch (const ManifestError& e) {
                QVERIFY2(std::string(e.what()).find(expected) != std::string::npos, e.what());
            }
        };
        expectRefused("", "empty");
        expectRefused("{\"hello\": 1}\n", "not a Refine archive manifest");
        expectRefused(join({lines[0], lines[1], "{\"id\": 5, \"inp"}), "line 3 is not valid JSON");
        expectRefused(join({lines[0], lines[1], lines[2]}), "announces 3");  // cut short
        expectRefused(join({lines[0], lines[1], lines[1], lines[2]}), "appears twice");
        std::string escaping = lines[1];
        escaping.replace(escaping.find("scans/photo0_x4_c1.jpg"), 22, "../../etc/passwd_c1.jpg");
        expectRefused(join({lines[0], escaping, lines[2], lines[3]}), "not a path inside the output folder");
        std::string future = lines[0];
        future.replace(future.find("\"refine_archive\":1"), 18, "\"refine_archive\":9");
        expectRefused(join({future, lines[1], lines[2], lines[3]}), "version 9");
        expectRefused("not json at all\n", "line 1 is not valid JSON");
        QVERIFY_THROWS_EXCEPTION(ManifestError, readManifest(path("missing.jsonl")));
    }

    void settingDifferencesNameTheField()
    {
        ArchiveSettings a, b;
        b.steps = 3;
        b.seed = 7;
        const auto differences = settingDifferences(a, b);
        QCOMPARE(differences.size(), size_t(2));
        QVERIFY(std::find(differences.begin(), differences.end(), "steps: 0 in the plan, 3 now") != differences.end());
        QVERIFY(std::find(differences.begin(), differences.end(), "seed: none in the plan, 7 now") != differences.end());
    }

    void logsAppendWholeLinesAndSkipDamagedOnes()
    {
        const fs::path folder = path("logs");
        fs::create_directories(folder);
        {
            ShardLog log(folder, Shard{1, 4});
            LogRecord done = record(5, 0, LogRecord::Result::Done, 2.5);
            done.files = {{"a_x4_c1.png", 1234}};
            log.append(done);
            log.append(record(9, 0, LogRecord::Result::Failed));
        }
        std::ofstream(folder / "shard-0-of-4.jsonl", std::ios::app) << "{\"time\": 1, \"sha";  // a torn line
        const LogBook book = readLogs(folder);
        QCOMPARE(book.records.size(), size_t(2));
        QCOMPARE(book.unreadableLines, 1);
        QCOMPARE(book.records[0].photo, 5);
        QCOMPARE(book.records[0].shard, std::string("1/4"));
        QCOMPARE(book.records[0].files.at("a_x4_c1.png"), uintmax_t(1234));
        QVERIFY(book.records[0].time > 1e9);
        QCOMPARE(book.records[0].pid, long(getpid()));
        QCOMPARE(book.records[1].reason, std::string("the photo is gone"));
        QCOMPARE(readLogs(path("no-such-folder")).records.size(), size_t(0));
    }

    void photoLocksExcludeOtherProcesses()
    {
        PhotoLocks locks(path("photos.lock"));
        QVERIFY(locks.tryLock(3));
        const pid_t child = fork();
        if (child == 0) {
            // Another process: photo 3 is taken, photo 4 is free.
            PhotoLocks other(path("photos.lock"));
            const bool ok = !other.tryLock(3) && other.tryLock(4) &&
                            lockedPhotos(path("photos.lock"), {2, 3, 4}) == std::set<int>{3};
            _exit(ok ? 0 : 1);
        }
        int status = 0;
        waitpid(child, &status, 0);
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        locks.unlock(3);
        QVERIFY(locks.tryLock(3));
    }

    void summaryTakesEachPhotosLatestRecord()
    {
        const ArchiveManifest m = manifestOf(6);
        LogBook logs;
        logs.records = {record(0, 100, LogRecord::Result::Failed), record(0, 200, LogRecord::Result::Done, 20),
                        record(1, 300, LogRecord::Result::Done, 40), record(2, 150, LogRecord::Result::Done, 0),
                        record(3, 400, LogRecord::Result::Failed)};
        logs.records[3].reused = true;
        const ArchiveSummary s = summarise(m, logs, {4}, 0, 0);
        QCOMPARE(s.photos, 6);
        QCOMPARE(s.done, 3);
        QCOMPARE(s.reused, 1);
        QCOMPARE(s.failed, 1);
        QCOMPARE(s.left, 2);
        QCOMPARE(s.inProgress, 1);
        QCOMPARE(s.failures.size(), size_t(1));
        QCOMPARE(s.failures[0].id, 3);
        QCOMPARE(s.secondsPerPhoto, 30.0);                   // reused photos are not timed
        QCOMPARE(s.secondsPerMegapixel, 60.0 / (2 * 0.005));  // 100x50 inputs
        QCOMPARE(s.shardCount, 2);
        QCOMPARE(s.workers, 2);
        QCOMPARE(s.secondsLeft, 2 * 30.0 / 2);               // two photos left, two workers
        QCOMPARE(s.shardsWithWork, (std::vector<int>{0, 1}));  // 3 failed and 5 left (odd), 4 left (even)

        const ArchiveSummary fourWorkers = summarise(m, logs, {}, 4, 3);
        QCOMPARE(fourWorkers.secondsLeft, 2 * 30.0 / 4);
        QCOMPARE(fourWorkers.shardsWithWork, (std::vector<int>{0, 1, 2}));  // 3, 4, 5 of 3 shards
        QCOMPARE(summarise(m, LogBook{}, {}, 0, 0).secondsLeft, -1.0);     // nothing timed yet
    }

    void longDurationsReadWell()
    {
        QCOMPARE(formatLongDuration(40), std::string("40 s"));
        QCOMPARE(formatLongDuration(12 * 60 + 5), std::string("12 min"));
        QCOMPARE(formatLongDuration(5 * 3600 + 12 * 60), std::string("5 h 12 min"));
        QCOMPARE(formatLongDuration(3 * 86400 + 4 * 3600), std::string("3 d 4 h"));
        QCOMPARE(formatLongDuration(-1), std::string("unknown"));
    }
};

QTEST_GUILESS_MAIN(TestArchiveUnits)
#include "tst_archive_units.moc"
