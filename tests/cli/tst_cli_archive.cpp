// refine-cli archive end to end with a tiny model and tiny photos: plan, sharded runs killed
// at random and resumed (byte-identical to one uninterrupted run), concurrent runs of a shard,
// a changed model, settings or photo refused, damaged manifests and unwritable folders.
#include <QtTest>

#include <fstream>
#include <set>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "archive_log.h"
#include "archive_manifest.h"
#include "archive_test_support.h"
#include "refine/engine/enhance.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/metadata.h"
#include "test_support.h"

using namespace refine;
using namespace refine::test;
namespace fs = std::filesystem;

namespace {

int lineCount(const fs::path& file)
{
    std::ifstream in(file);
    return int(std::count(std::istreambuf_iterator<char>(in), {}, '\n'));
}

/// Kills `process` at a random moment after it has logged `afterLines` photos.
void killAfterLoggedPhotos(QProcess& process, const fs::path& log, int afterLines, int extraMs)
{
    for (int waited = 0; waited < 120000 && process.state() != QProcess::NotRunning; ++waited) {
        if (lineCount(log) >= afterLines)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(extraMs));
    process.kill();  // SIGKILL: nothing is cleaned up, as when a node dies
    process.waitForFinished();
}

/// SIGKILLs one of the running shards (of 4, ids k mod 4) after a random number of photos, while
/// it still has at least three to go, so the kill lands inside a photo (enhancing or writing it).
void killOneShardAtRandom(std::vector<std::unique_ptr<QProcess>>& shards, const fs::path& manifest,
                          QRandomGenerator& random)
{
    const fs::path logs = cli::logFolderOf(manifest);
    std::vector<int> remaining(4, 10);
    for (const auto& [photo, count] : doneRecordsPerPhoto(logs))
        remaining[size_t(photo % 4)] -= 1;
    std::vector<int> victims;
    for (int k = 0; k < 4; ++k)
        if (remaining[size_t(k)] >= 4)
            victims.push_back(k);
    QVERIFY2(!victims.empty(), "no shard has work left to interrupt");
    const int victim = victims[size_t(random.bounded(int(victims.size())))];
    const fs::path log = logs / ("shard-" + std::to_string(victim) + "-of-4.jsonl");
    const int after = lineCount(log) + 1 + random.bounded(std::min(3, remaining[size_t(victim)] - 3));
    const int extraMs = random.bounded(3);
    qInfo("killing shard %d/4 after %d log lines + %d ms", victim, after, extraMs);
    killAfterLoggedPhotos(*shards[size_t(victim)], log, after, extraMs);
    QCOMPARE(shards[size_t(victim)]->exitStatus(), QProcess::CrashExit);  // it really was killed mid-run
}

void waitForAll(std::vector<std::unique_ptr<QProcess>>& processes)
{
    for (auto& p : processes)
        p->waitForFinished(240000);
}

}  // namespace

class TestCliArchive : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_model;

    fs::path path(const std::string& name) const { return fs::path(m_dir.path().toStdString()) / name; }

    static QStringList planArguments(const fs::path& in, const fs::path& out, const fs::path& model,
                                     const QString& steps = "2")
    {
        return {"archive", "plan", str(in), "-o", str(out), "--model", str(model), "--candidates", "2",
                "--steps", steps, "--format", "png"};
    }

    /// Plans `count` tiny photos into a new folder `name`; returns its manifest.
    fs::path planned(const std::string& name, int count, const QStringList& extra = {})
    {
        writeTinyPhotos(path(name + "-in"), count);
        const CliRun run = runCli(planArguments(path(name + "-in"), path(name), m_model) + extra);
        if (run.exitCode != 0)
            qWarning().noquote() << run.output;
        return path(name) / "refine-archive.jsonl";
    }

    static QStringList runArguments(const fs::path& manifest, const QString& shard = "0/1")
    {
        return {"archive", "run", str(manifest), "--shard", shard, "--threads", "1", "--quiet"};
    }

    static nlohmann::json statusJson(const fs::path& manifest)
    {
        const CliRun run = runCli({"archive", "status", str(manifest), "--json"});
        return nlohmann::json::parse(run.output.toStdString(), nullptr, false);
    }

private Q_SLOTS:
    void initTestCase() { m_model = writeTinyModel(path("model")); }

    void planListsEveryPhotoWithItsOutputs()
    {
        writeTinyPhotos(path("scans"), 2, 12, 10, 1, "a");
        writeTinyPhotos(path("scans/1999"), 1, 12, 10, 5, "c");
        writeTinyPhotos(path("scans/.thumbnails"), 1, 12, 10, 9, "t");  // hidden: not part of the archive
        const QStringList plan = planArguments(path("scans"), path("scans/enhanced"), m_model);
        CliRun run = runCli(plan);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY2(run.output.contains("planned 3 photos, 6 output files"), qPrintable(run.output));
        const fs::path manifestPath = path("scans/enhanced/refine-archive.jsonl");
        const auto manifest = cli::readManifest(manifestPath);
        QCOMPARE(manifest.photos.size(), size_t(3));
        QCOMPARE(manifest.outputFolder, std::string("."));
        QCOMPARE(manifest.sampler, std::string("ddim"));
        QCOMPARE(manifest.steps, 2);
        QCOMPARE(manifest.model.id, std::string("tiny-test"));
        QCOMPARE(manifest.photos[0].input, path("scans/1999/c00.png"));
        QCOMPARE(manifest.photos[0].outputs[1].file, std::string("1999/c00_x4_c2.png"));
        QCOMPARE(manifest.photos[1].outputs[0].file, std::string("a00_x4_c1.png"));
        QCOMPARE(manifest.photos[2].width, 12);
        QCOMPARE(manifest.photos[2].height, 10);
        QCOMPARE(manifest.photos[2].seed, std::stoull(manifest.photos[2].sha256.substr(0, 16), nullptr, 16));

        // Planning again changes nothing; a new photo gets the next id, the others keep theirs.
        const auto before = fileBytes(manifestPath);
        QCOMPARE(runCli(plan).exitCode, 0);
        QCOMPARE(fileBytes(manifestPath), before);
        writeTinyPhotos(path("scans"), 1, 12, 10, 7, "0new");
        QCOMPARE(runCli(plan).exitCode, 0);
        const auto grown = cli::readManifest(manifestPath);
        QCOMPARE(grown.photos.size(), size_t(4));
        QCOMPARE(grown.photos[0].input, path("scans/0new00.png"));
        QCOMPARE(grown.photos[0].id, 3);
        QCOMPARE(grown.photos[1].id, 0);
        QCOMPARE(grown.created, manifest.created);

        // Other settings over the same manifest are refused, naming what changed.
        run = runCli(planArguments(path("scans"), path("scans/enhanced"), m_model, "3"));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains("steps: 2 in the plan, 3 now"), qPrintable(run.output));

        run = runCli(runArguments(manifestPath));
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const auto photo = imaging::readPhoto(path("scans/enhanced/1999/c00_x4_c2.png"));
        QCOMPARE(photo.rgb.cols, 48);
        const auto provenance = imaging::readProvenance(photo.sourceBytes);
        QCOMPARE(provenance.seed, candidateSeed(manifest.photos[0].seed, 1));
        QCOMPARE(provenance.steps, 2);
        QVERIFY(!fs::exists(path("scans/enhanced/.thumbnails")));
        QVERIFY(!fs::exists(path("scans/enhanced/enhanced")));  // the output folder is not an input
    }

    void planRefusesWhatCannotWork()
    {
        writeTinyPhotos(path("clash"), 1, 12, 10, 1, "x");
        imaging::EncodeOptions jpeg;
        jpeg.format = "jpg";
        const auto bytes = imaging::encodePhoto(cv::Mat(10, 12, CV_32FC3, cv::Scalar(0.2, 0.4, 0.6)), cv::Mat(), jpeg);
        std::ofstream(path("clash/x00.jpg"), std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                                     std::streamsize(bytes.size()));
        CliRun run = runCli(planArguments(path("clash"), path("clash-out"), m_model));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains("would both write x00_x4_c1.png"), qPrintable(run.output));
        QVERIFY(!fs::exists(path("clash-out/refine-archive.jsonl")));

        run = runCli(planArguments(path("no-such-folder"), path("x-out"), m_model));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains("no such file or folder"), qPrintable(run.output));
        run = runCli(planArguments(path("clash/x00.png"), path("x-out"), path("missing.safetensors")));
        QCOMPARE(run.exitCode, 3);
        run = runCli(planArguments(path("clash/x00.png"), path("x-out"), m_model) + QStringList{"--detail", "0.5"});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.output.contains("residual-shift"), qPrintable(run.output));
        run = runCli(planArguments(path("clash/x00.png"), path("x-out"), m_model) + QStringList{"--sampler", "resshift"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains("do not work with the model"), qPrintable(run.output));
        std::ofstream(path("a-file")) << "not a folder";
        run = runCli(planArguments(path("clash/x00.png"), path("a-file/out"), m_model));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains("a-file"), qPrintable(run.output));
    }

    void damagedPhotosAndLinkLoopsAreLeftOutByName()
    {
        // A 10-byte JPEG used to be planned as 0 x 0 (and failed by every run), a symbolic link
        // loop named like a photo left out in silence. Both are named; the good photo is planned.
        writeTinyPhotos(path("damaged"), 1, 12, 10, 1, "good");
        std::ofstream(path("damaged/bad.jpg"), std::ios::binary) << "\xFF\xD8\xFF\xE0junk";
        fs::create_symlink("loop.png", path("damaged/loop.png"));
        const CliRun run = runCli(planArguments(path("damaged"), path("damaged-out"), m_model));
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY2(run.output.contains("left out of the plan: " + str(path("damaged/bad.jpg"))), qPrintable(run.output));
        QVERIFY2(run.output.contains("left out of the plan: " + str(path("damaged/loop.png"))), qPrintable(run.output));
        const nlohmann::json status = statusJson(path("damaged-out/refine-archive.jsonl"));
        QVERIFY2(status.dump().find("\"photos\":1") != std::string::npos, status.dump().c_str());
    }

    void shardListsCoverEveryPhotoOnce()
    {
        const fs::path manifest = planned("listed", 7);
        std::multiset<QString> listed;
        for (int n = 1; n <= 7; ++n) {
            listed.clear();
            for (int k = 0; k < n; ++k) {
                const CliRun run = runCli({"archive", "run", str(manifest), "--list", "--shard",
                                           QString("%1/%2").arg(k).arg(n)});
                QCOMPARE(run.exitCode, 0);
                for (const QString& line : run.output.split('\n', Qt::SkipEmptyParts))
                    listed.insert(line);
            }
            QCOMPARE(int(listed.size()), 7);
            QCOMPARE(int(std::set<QString>(listed.begin(), listed.end()).size()), 7);
        }
        const CliRun bad = runCli({"archive", "run", str(manifest), "--shard", "3/3"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.output.contains("below N"), qPrintable(bad.output));
    }

    void killedAndResumedRunIsByteIdenticalToAnUninterruptedOne()
    {
        const fs::path manifest = planned("sharded", 40, {"--seed", "11"});
        // The same plan copied beside another output folder: one uninterrupted run there.
        fs::create_directories(path("whole"));
        fs::copy_file(manifest, path("whole/refine-archive.jsonl"));
        CliRun whole = runCli(runArguments(path("whole/refine-archive.jsonl")));
        QVERIFY2(whole.exitCode == 0, qPrintable(whole.output));

        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("random kills with seed %u", seed);
        QRandomGenerator random(seed);
        const fs::path logs = cli::logFolderOf(manifest);
        // Round 1 kills one shard, round 2 (the resume) kills one again, round 3 finishes.
        for (int round = 0; round < 3; ++round) {
            std::vector<std::unique_ptr<QProcess>> shards;
            for (int k = 0; k < 4; ++k)
                shards.emplace_back(startCli(runArguments(manifest, QString("%1/4").arg(k))));
            if (round < 2)
                killOneShardAtRandom(shards, manifest, random);
            if (QTest::currentTestFailed())
                return;
            waitForAll(shards);
        }
        for (int k = 0; k < 4; ++k)  // every shard finished its share in the end
            QVERIFY(fs::exists(logs / ("shard-" + std::to_string(k) + "-of-4.jsonl")));

        const auto expected = outputFilesUnder(path("whole"));
        const auto actual = outputFilesUnder(path("sharded"));
        QCOMPARE(expected.size(), size_t(40 * 2));
        QCOMPARE(actual.size(), expected.size());  // no temporary file left behind either
        for (const auto& [file, bytes] : expected) {
            QVERIFY2(actual.count(file), file.c_str());
            QVERIFY2(actual.at(file) == bytes, file.c_str());
        }
        // Nothing was done twice: one done line per photo.
        const auto done = doneRecordsPerPhoto(logs);
        QCOMPARE(int(done.size()), 40);
        for (const auto& [photo, count] : done)
            QCOMPARE(count, 1);
        // Running again finds everything finished and writes nothing.
        for (int k = 0; k < 4; ++k) {
            const CliRun again = runCli(runArguments(manifest, QString("%1/4").arg(k)));
            QVERIFY2(again.exitCode == 0 && again.output.contains("0 enhanced, 10 already done"), qPrintable(again.output));
        }
        QCOMPARE(doneRecordsPerPhoto(logs), done);
        const auto status = statusJson(manifest);
        QCOMPARE(status.at("done").get<int>(), 40);
        QCOMPARE(status.at("left").get<int>(), 0);
        QCOMPARE(status.at("shard_count").get<int>(), 4);
    }

    void photosCutShortAreCompletedAndFinishedOnesKept()
    {
        const fs::path manifest = planned("partial", 3, {"--seed", "5"});
        fs::create_directories(path("partial-whole"));
        fs::copy_file(manifest, path("partial-whole/refine-archive.jsonl"));
        QCOMPARE(runCli(runArguments(path("partial-whole/refine-archive.jsonl"))).exitCode, 0);
        // As a kill leaves them: photo 0 stopped between its two files (with a temporary file
        // beside them), photo 1 after both files but before its log line, photo 2 not started.
        fs::copy_file(path("partial-whole/p00_x4_c1.png"), path("partial/p00_x4_c1.png"));
        std::ofstream(path("partial/p00_x4_c2.png.tmp-Ab12Cd")) << "half a file";
        fs::copy_file(path("partial-whole/p01_x4_c1.png"), path("partial/p01_x4_c1.png"));
        fs::copy_file(path("partial-whole/p01_x4_c2.png"), path("partial/p01_x4_c2.png"));
        const auto keptTime = fs::last_write_time(path("partial/p00_x4_c1.png"));

        const CliRun run = runCli(runArguments(manifest));
        QVERIFY2(run.exitCode == 0 && run.output.contains("2 enhanced, 1 already done"), qPrintable(run.output));
        QCOMPARE(outputFilesUnder(path("partial")), outputFilesUnder(path("partial-whole")));  // and no temporary file
        QCOMPARE(fs::last_write_time(path("partial/p00_x4_c1.png")), keptTime);  // not written again
        bool reusedLogged = false;
        for (const auto& record : cli::readLogs(cli::logFolderOf(manifest)).records)
            reusedLogged = reusedLogged || (record.photo == 1 && record.reused);
        QVERIFY(reusedLogged);
    }

    void twoRunsOfOneShardNeverDoAPhotoTwice()
    {
        const fs::path manifest = planned("twice", 12);
        std::vector<std::unique_ptr<QProcess>> runs;
        runs.emplace_back(startCli(runArguments(manifest)));
        runs.emplace_back(startCli(runArguments(manifest)));
        waitForAll(runs);
        for (auto& run : runs)
            QVERIFY2(run->exitCode() == 0, run->readAll().constData());
        const auto done = doneRecordsPerPhoto(cli::logFolderOf(manifest));
        QCOMPARE(int(done.size()), 12);
        for (const auto& [photo, count] : done)
            QCOMPARE(count, 1);
        QCOMPARE(outputFilesUnder(path("twice")).size(), size_t(24));
    }

    void aPhotoInProgressIsLeftToItsRun()
    {
        const fs::path manifest = planned("busy", 2);
        const fs::path logs = cli::logFolderOf(manifest);
        fs::create_directories(logs);
        // This test holds photo 0's lock, as a running worker would.
        const int fd = ::open((logs / "photos.lock").c_str(), O_RDWR | O_CREAT, 0644);
        struct flock lock {};
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        lock.l_start = 0;
        lock.l_len = 1;
        QVERIFY(::fcntl(fd, F_SETLK, &lock) == 0);
        CliRun run = runCli(runArguments(manifest));
        QVERIFY2(run.exitCode == 0 && run.output.contains("another run is enhancing it"), qPrintable(run.output));
        QVERIFY(!fs::exists(path("busy/p00_x4_c1.png")));
        QVERIFY(fs::exists(path("busy/p01_x4_c1.png")));
        const CliRun status = runCli({"archive", "status", str(manifest)});
        QVERIFY2(status.output.contains("1 done, 0 failed, 1 left (1 in progress)"), qPrintable(status.output));
        ::close(fd);  // the worker is gone
        run = runCli(runArguments(manifest));
        QVERIFY2(run.exitCode == 0 && run.output.contains("1 enhanced, 1 already done"), qPrintable(run.output));
    }

    void aTerminatedRunStopsCleanlyAndResumes()
    {
        const fs::path manifest = planned("terminated", 10);
        std::unique_ptr<QProcess> run(startCli(runArguments(manifest)));
        const fs::path log = cli::logFolderOf(manifest) / "shard-0-of-1.jsonl";
        for (int i = 0; i < 60000 && !fs::exists(log); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        run->terminate();  // SIGTERM, as Slurm sends at the time limit
        run->waitForFinished(60000);
        if (run->exitCode() != 0) {  // unless it finished before the signal came
            QCOMPARE(run->exitCode(), 130);
            QVERIFY(run->readAll().contains("cancelled"));
        }
        const CliRun resumed = runCli(runArguments(manifest));
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.output));
        QCOMPARE(outputFilesUnder(path("terminated")).size(), size_t(20));
    }

    void aChangedModelIsRefused()
    {
        const fs::path model = writeTinyModel(path("model-b"));
        writeTinyPhotos(path("remodel-in"), 2);
        QCOMPARE(runCli(planArguments(path("remodel-in"), path("remodel"), model)).exitCode, 0);
        const fs::path manifest = path("remodel/refine-archive.jsonl");
        QCOMPARE(runCli(runArguments(manifest, "0/2")).exitCode, 0);
        writeTinyModel(path("model-b"), 4, 99);  // other weights under the same name
        CliRun run = runCli(runArguments(manifest, "1/2"));
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.output.contains("the model changed since the plan"), qPrintable(run.output));
        QVERIFY(!fs::exists(path("remodel/p01_x4_c1.png")));
        QCOMPARE(runCli(runArguments(manifest, "0/2")).exitCode, 0);  // a finished shard needs no model
    }

    void outputsOfOtherSettingsOrModelsAreRefused()
    {
        const fs::path manifest = planned("settings", 2);
        QCOMPARE(runCli(runArguments(manifest)).exitCode, 0);
        const auto before = outputFilesUnder(path("settings"));

        // Another plan into the same folder with other steps finds files it did not make.
        const fs::path other = path("settings/steps3.jsonl");
        QCOMPARE(runCli(planArguments(path("settings-in"), path("settings"), m_model, "3") +
                        QStringList{"--manifest", str(other)}).exitCode, 0);
        CliRun run = runCli(runArguments(other));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains("was made with other settings (steps 2, the plan says 3)"), qPrintable(run.output));

        const fs::path otherModel = writeTinyModel(path("model-c"), 4, 5);
        const fs::path third = path("settings/model-c.jsonl");
        QCOMPARE(runCli(planArguments(path("settings-in"), path("settings"), otherModel) +
                        QStringList{"--manifest", str(third)}).exitCode, 0);
        run = runCli(runArguments(third));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains("was made with another model"), qPrintable(run.output));
        QCOMPARE(outputFilesUnder(path("settings")), before);  // nothing was replaced

        // A damaged output is not taken as done.
        std::ofstream(path("settings/p00_x4_c2.png"), std::ios::binary | std::ios::trunc) << "broken";
        run = runCli(runArguments(manifest));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains("p00_x4_c2.png exists but is not a readable image"), qPrintable(run.output));
    }

    void changedAndMissingPhotosFailClearly()
    {
        const fs::path manifest = planned("changed", 3);
        writeTinyPhotos(path("changed-in"), 1, 12, 10, 50);  // p00.png is another picture now
        fs::remove(path("changed-in/p01.png"));
        CliRun run = runCli(runArguments(manifest));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains("p00.png: the photo changed since the plan"), qPrintable(run.output));
        QVERIFY2(run.output.contains("p01.png: the photo is gone"), qPrintable(run.output));
        QVERIFY(fs::exists(path("changed/p02_x4_c2.png")));

        run = runCli({"archive", "status", str(manifest), "--workers", "3"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.output.contains("3: 1 done, 2 failed, 0 left"), qPrintable(run.output));
        QVERIFY2(run.output.contains("p01.png: the photo is gone"), qPrintable(run.output));
        QVERIFY2(run.output.contains("resubmit: sbatch --array=0 --export=ALL,REFINE_SHARD_COUNT=1"), qPrintable(run.output));
        const auto status = statusJson(manifest);
        QCOMPARE(status.at("failed").get<int>(), 2);
        QCOMPARE(status.at("failures").size(), size_t(2));
        QVERIFY(status.at("seconds_per_photo").get<double>() > 0);
    }

    void statusEstimatesTheTimeLeft()
    {
        const fs::path manifest = planned("halfway", 4);
        QCOMPARE(runCli(runArguments(manifest, "0/2")).exitCode, 0);
        const CliRun run = runCli({"archive", "status", str(manifest), "--workers", "2"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.output.contains("4: 2 done, 0 failed, 2 left"), qPrintable(run.output));
        QVERIFY2(run.output.contains("with 2 workers"), qPrintable(run.output));
        QVERIFY2(run.output.contains("of 2, with photos failed or left: 1"), qPrintable(run.output));
        const auto status = statusJson(manifest);
        QVERIFY(status.at("seconds_left").get<double>() > 0);
    }

    void damagedManifestsAndUnwritableFoldersFailClearly()
    {
        const fs::path manifest = planned("damaged", 2);
        const fs::path copy = path("damaged/copy.jsonl");
        std::ifstream in(manifest);
        std::string header;
        std::getline(in, header);
        std::ofstream(copy) << header << "\n{\"id\": 0, \"input\": \"/x\n";
        CliRun run = runCli(runArguments(copy));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains("line 2 is not valid JSON"), qPrintable(run.output));
        QCOMPARE(runCli({"archive", "status", str(copy)}).exitCode, 2);
        run = runCli(runArguments(path("damaged/none.jsonl")));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains("cannot read the manifest"), qPrintable(run.output));

        std::ofstream(cli::logFolderOf(manifest)) << "a file where the log folder goes";
        run = runCli(runArguments(manifest));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.output.contains("cannot write the archive's logs"), qPrintable(run.output));
    }

    void residualShiftArchivesWriteTheCleanResult()
    {
        const fs::path model = writeTinyResidualShiftModel(path("residual"));
        writeTinyPhotos(path("rs-in"), 2);
        const QStringList common{"archive", "plan", str(path("rs-in")), "--model", str(model), "--candidates", "2",
                                 "--format", "png"};
        CliRun run = runCli(common + QStringList{"-o", str(path("rs")), "--clean", "--detail", "0.5"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY2(run.output.contains("6 output files"), qPrintable(run.output));
        run = runCli(runArguments(path("rs/refine-archive.jsonl")));
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const auto clean = imaging::readPhoto(path("rs/p01_x4_clean.png"));
        QCOMPARE(imaging::readProvenance(clean.sourceBytes).detail, std::string("clean"));
        const auto half = imaging::readPhoto(path("rs/p01_x4_c2.png"));
        QCOMPARE(imaging::readProvenance(half.sourceBytes).detail, std::string("0.5"));
        run = runCli(runArguments(path("rs/refine-archive.jsonl")));
        QVERIFY2(run.output.contains("0 enhanced, 2 already done"), qPrintable(run.output));

        run = runCli(common + QStringList{"-o", str(path("rs-fast")), "--preset", "Fast"});
        QVERIFY2(run.exitCode == 0 && run.output.contains("2 output files"), qPrintable(run.output));
        QCOMPARE(runCli(runArguments(path("rs-fast/refine-archive.jsonl"))).exitCode, 0);
        QVERIFY(fs::exists(path("rs-fast/p00_x4_clean.png")));
        QVERIFY(!fs::exists(path("rs-fast/p00_x4_c1.png")));
        run = runCli(common + QStringList{"-o", str(path("rs-map")), "--preset", "Fast", "--uncertainty-map"});
        QCOMPARE(run.exitCode, 2);
    }

    void helpNamesTheSubcommands()
    {
        const CliRun run = runCli({"archive", "--help"});
        QCOMPARE(run.exitCode, 0);
        for (const char* word : {"plan", "run", "status"})
            QVERIFY2(run.output.contains(word), word);
        QVERIFY(runCli({"archive", "run", "--help"}).output.contains("--shard"));
    }
};

QTEST_GUILESS_MAIN(TestCliArchive)
#include "tst_cli_archive.moc"
