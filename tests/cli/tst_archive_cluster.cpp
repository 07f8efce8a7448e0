// Opt-in (label cluster, -DREFINE_CLUSTER_TESTS=ON): a single-node Slurm on this machine
// (munged, slurmctld, slurmd on loopback with a generated config in a temporary folder) runs
// packaging/slurm/refine-archive.sbatch as a job array over tiny photos with a tiny model;
// every output and the status summary are checked, then one shard is resubmitted alone.
#include <QtTest>

#include <chrono>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

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

constexpr int kPhotos = 6;
constexpr int kShards = 3;
constexpr int kJobSeconds = 240;  ///< the whole array must finish within this

/// A TCP port on 127.0.0.1 that nothing listens on now.
int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

CliRun runTool(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment,
               int timeoutMs = 60000)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAll())};
}

}  // namespace

class TestArchiveCluster : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_cluster, m_manifest;
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();
    bool m_started = false;

    fs::path path(const std::string& name) const { return fs::path(m_dir.path().toStdString()) / name; }

    /// Waits until the job has left the queue; false when it did not within kJobSeconds.
    bool waitForJob(const QString& job) const
    {
        for (int waited = 0; waited < kJobSeconds * 2; ++waited) {
            // The cluster is ours alone: the job is done when nothing is queued or running.
            const CliRun queue = runTool("squeue", {"-h", "-o", "%F %t"}, m_environment);
            if (queue.exitCode == 0 && !queue.output.contains(job))
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        return false;
    }

    QString submit(const QStringList& sbatchOptions) const
    {
        const CliRun run = runTool("sbatch", QStringList{"--parsable", "--cpus-per-task=1", "--chdir", str(m_cluster),
                                                         "--output", str(m_cluster / "task-%A_%a.out")} +
                                                 sbatchOptions +
                                                 QStringList{REFINE_SBATCH_SCRIPT, str(m_manifest)},
                                   m_environment);
        if (run.exitCode != 0)
            qWarning().noquote() << "sbatch:" << run.output;
        return run.exitCode == 0 ? run.output.trimmed().section(';', 0, 0) : QString();
    }

    QString taskOutputs() const
    {
        QString text;
        for (const auto& entry : fs::directory_iterator(m_cluster))
            if (entry.path().filename().string().rfind("task-", 0) == 0)
                text += QString::fromStdString(entry.path().filename().string()) + ":\n" +
                        QString::fromUtf8(reinterpret_cast<const char*>(fileBytes(entry.path()).data()),
                                          int(fileBytes(entry.path()).size()));
        return text;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const fs::path model = writeTinyModel(path("model"));
        writeTinyPhotos(path("scans"), kPhotos);
        const CliRun plan = runCli({"archive", "plan", str(path("scans")), "-o", str(path("enhanced")), "--model",
                                    str(model), "--candidates", "2", "--steps", "2", "--seed", "3", "--format", "png"});
        QVERIFY2(plan.exitCode == 0, qPrintable(plan.output));
        m_manifest = path("enhanced/refine-archive.jsonl");

        m_cluster = path("slurm");
        const CliRun start = runTool(REFINE_LOCAL_SLURM, {"start", str(m_cluster), QString::number(freeLoopbackPort()),
                                                          QString::number(freeLoopbackPort())},
                                     m_environment, 120000);
        m_started = true;
        QVERIFY2(start.exitCode == 0, qPrintable(start.output));
        m_environment.insert("SLURM_CONF", str(m_cluster / "slurm.conf"));
        m_environment.insert("REFINE_CLI", REFINE_CLI_PATH);
    }

    void jobArrayEnhancesTheWholeArchive()
    {
        const QString job = submit({QString("--array=0-%1").arg(kShards - 1)});
        QVERIFY(!job.isEmpty());
        QVERIFY2(waitForJob(job), qPrintable("the job array did not finish in time\n" + taskOutputs()));
        const QString tasks = taskOutputs();
        for (int k = 0; k < kShards; ++k)
            QVERIFY2(tasks.contains(QString("shard %1/%2:").arg(k).arg(kShards)), qPrintable(tasks));

        const auto manifest = cli::readManifest(m_manifest);
        for (const auto& photo : manifest.photos)
            for (const auto& output : photo.outputs) {
                const fs::path file = path("enhanced") / output.file;
                QVERIFY2(fs::exists(file), qPrintable(str(file) + "\n" + tasks));
                const auto decoded = imaging::readPhoto(file);
                QCOMPARE(decoded.rgb.cols, 48);
                QCOMPARE(decoded.rgb.rows, 40);
                const auto provenance = imaging::readProvenance(decoded.sourceBytes);
                QCOMPARE(provenance.seed, candidateSeed(3, output.candidate));
                QCOMPARE(provenance.modelSha256, manifest.model.sha256);
            }

        const CliRun status = runCli({"archive", "status", str(m_manifest), "--json"});
        QCOMPARE(status.exitCode, 0);
        const auto summary = nlohmann::json::parse(status.output.toStdString());
        QCOMPARE(summary.at("done").get<int>(), kPhotos);
        QCOMPARE(summary.at("failed").get<int>(), 0);
        QCOMPARE(summary.at("left").get<int>(), 0);
        QCOMPARE(summary.at("shard_count").get<int>(), kShards);
        QCOMPARE(doneRecordsPerPhoto(cli::logFolderOf(m_manifest)).size(), size_t(kPhotos));
    }

    void aResubmittedShardRedoesOnlyItsMissingPhotos()
    {
        // Shard 1's outputs are lost; resubmitting that one task (a smaller array) redoes them.
        const auto manifest = cli::readManifest(m_manifest);
        std::map<std::string, std::vector<unsigned char>> lost;
        for (const auto& photo : manifest.photos)
            if (photo.id % kShards == 1)
                for (const auto& output : photo.outputs) {
                    lost[output.file] = fileBytes(path("enhanced") / output.file);
                    fs::remove(path("enhanced") / output.file);
                }
        const QString job = submit({"--array=1", QString("--export=ALL,REFINE_SHARD_COUNT=%1").arg(kShards)});
        QVERIFY(!job.isEmpty());
        QVERIFY2(waitForJob(job), qPrintable("the resubmitted shard did not finish in time\n" + taskOutputs()));
        QVERIFY2(taskOutputs().contains(QString("shard 1/%1: 2 photos: 2 enhanced, 0 already done").arg(kShards)),
                 qPrintable(taskOutputs()));
        for (const auto& [file, bytes] : lost)
            QVERIFY2(fileBytes(path("enhanced") / file) == bytes, file.c_str());  // the same bytes again
    }

    void cleanupTestCase()
    {
        if (m_started)
            runTool(REFINE_LOCAL_SLURM, {"stop", str(m_cluster)}, m_environment, 60000);
    }
};

QTEST_GUILESS_MAIN(TestArchiveCluster)
#include "tst_archive_cluster.moc"
