// refine-cli end to end: a photo with EXIF in, candidates out with the right size, the metadata
// kept and the provenance written; clear failures and exit codes for bad input.
#include <QtTest>

#include <csignal>
#include <fstream>

#include <exiv2/exiv2.hpp>
#include <opencv2/imgcodecs.hpp>

#include "refine/engine/enhance.h"
#include "refine/imaging/engine_image.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/metadata.h"
#include "archive_test_support.h"
#include "test_support.h"

using namespace refine;
namespace fs = std::filesystem;

class TestCliSmoke : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_model, m_photo;

    fs::path path(const std::string& name) const { return fs::path(m_dir.path().toStdString()) / name; }

    using Run = test::CliRun;
    static Run cli(const QStringList& arguments) { return test::runCli(arguments, 240000); }

    static std::vector<unsigned char> readBytes(const fs::path& p)
    {
        std::ifstream in(p, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), {}};
    }

    static QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

    /// Sends `signal` to the running refine-cli; false when it has already ended. Never kill(0, ...):
    /// a finished QProcess reports pid 0, which would signal this test's own process group.
    static bool signalRunning(QProcess& process, int signal)
    {
        const qint64 pid = process.processId();
        return process.state() == QProcess::Running && pid > 0 && ::kill(pid_t(pid), signal) == 0;
    }

    /// The quickest job on the tiny SR3 model: one candidate, one step, PNG out.
    QStringList quickJob() const
    {
        return {"--model", q(m_model), "--candidates", "1", "--steps", "1", "--seed", "1", "--format", "png",
                "--threads", "1", "--quiet"};
    }

    /// A fresh folder holding a copy of the test photo under each name.
    fs::path folderWithPhotos(const std::string& name, const std::vector<std::string>& photos) const
    {
        const fs::path folder = path(name);
        fs::create_directories(folder);
        for (const auto& photo : photos)
            fs::copy_file(m_photo, folder / photo);
        return folder;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_model = test::writeTinyModel(path("model"));
        // A 20x16 JPEG whose EXIF says who took it.
        imaging::EncodeOptions jpeg;
        jpeg.format = "jpg";
        const auto bytes = imaging::encodePhoto(imaging::fromImageF(test::syntheticImage(20, 16)), cv::Mat(), jpeg);
        auto image = Exiv2::ImageFactory::open(bytes.data(), long(bytes.size()));
        image->readMetadata();
        image->exifData()["Exif.Image.Make"] = "Refine Test Camera";
        image->writeMetadata();
        auto& io = image->io();
        io.seek(0, Exiv2::BasicIo::beg);
        std::vector<unsigned char> withExif(io.size());
        io.read(withExif.data(), long(withExif.size()));
        m_photo = path("family.jpg");
        std::ofstream(m_photo, std::ios::binary).write(reinterpret_cast<const char*>(withExif.data()),
                                                       std::streamsize(withExif.size()));
    }

    void helpListsEveryOption()
    {
        const Run run = cli({"enhance", "--help"});
        QCOMPARE(run.exitCode, 0);
        for (const char* option : {"--scale", "--candidates", "--steps", "--sampler", "--seed", "--model", "--device",
                                   "--precision", "--tile", "--consistency", "--uncertainty-map", "--format", "--clean", "--detail",
                                   "--overwrite"})
            QVERIFY2(run.output.contains(option), option);
        QVERIFY2(run.output.contains("inputs are never replaced"), qPrintable(run.output));
    }

    void enhanceWritesCandidatesWithProvenance()
    {
        const auto inputBefore = readBytes(m_photo);
        const QString out = QString::fromStdString(path("out").string());
        const Run run = cli({"enhance", QString::fromStdString(m_photo.string()), "--model",
                             QString::fromStdString(m_model.string()), "--scale", "4", "--candidates", "2", "--steps",
                             "2", "--seed", "42", "-o", out, "--uncertainty-map", "--format", "png", "--threads", "1"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QCOMPARE(readBytes(m_photo), inputBefore);  // the input is never touched
        for (int c = 1; c <= 2; ++c) {
            const fs::path file = path("out") / ("family_x4_c" + std::to_string(c) + ".png");
            QVERIFY2(fs::exists(file), qPrintable(run.output));
            const auto photo = imaging::readPhoto(file);
            QCOMPARE(photo.rgb.cols, 80);
            QCOMPARE(photo.rgb.rows, 64);
            const auto provenance = imaging::readProvenance(photo.sourceBytes);
            QCOMPARE(provenance.modelId, std::string("tiny-test"));
            QCOMPARE(provenance.candidateIndex, c - 1);
            QCOMPARE(provenance.scale, 4);
            QCOMPARE(provenance.steps, 2);
            QCOMPARE(provenance.seed, candidateSeed(42, c - 1));
            const auto metadata = imaging::readMetadata(photo.sourceBytes);
            QCOMPARE(metadata.exif.at("Exif.Image.Make"), std::string("Refine Test Camera"));
            QVERIFY(metadata.xmp.at("Xmp.iptcExt.DigitalSourceType").find("compositeWithTrainedAlgorithmicMedia")
                    != std::string::npos);
        }
        QVERIFY(fs::exists(path("out") / "family_x4_uncertainty.png"));

        // Same seed, same pixels.
        const Run again = cli({"enhance", QString::fromStdString(m_photo.string()), "--model",
                               QString::fromStdString(m_model.string()), "--candidates", "2", "--steps", "2", "--seed",
                               "42", "-o", QString::fromStdString(path("again").string()), "--format", "png",
                               "--threads", "1"});
        QCOMPARE(again.exitCode, 0);
        const auto a = imaging::readPhoto(path("out") / "family_x4_c2.png").rgb;
        const auto b = imaging::readPhoto(path("again") / "family_x4_c2.png").rgb;
        QCOMPARE(cv::norm(a, b, cv::NORM_INF), 0.0);
    }

    void residualShiftWritesCleanAndDetailWithProvenance()
    {
        const fs::path model = test::writeTinyResidualShiftModel(path("residual"));
        const QString out = QString::fromStdString(path("rs").string());
        const QStringList common{"enhance", QString::fromStdString(m_photo.string()), "--model",
                                 QString::fromStdString(model.string()), "--candidates", "2", "--seed", "5",
                                 "--format", "png", "--threads", "1", "--quiet"};
        Run run = cli(common + QStringList{"-o", out, "--clean", "--detail", "0.5"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        const auto clean = imaging::readPhoto(path("rs") / "family_x4_clean.png");
        QCOMPARE(clean.rgb.cols, 80);
        QCOMPARE(imaging::readProvenance(clean.sourceBytes).detail, std::string("clean"));
        QCOMPARE(imaging::readProvenance(clean.sourceBytes).candidateIndex, -1);
        const auto half = imaging::readPhoto(path("rs") / "family_x4_c1.png");
        const auto provenance = imaging::readProvenance(half.sourceBytes);
        QCOMPARE(provenance.detail, std::string("0.5"));
        QCOMPARE(provenance.sampler, std::string("resshift"));

        // Detail 0 is the clean result, pixel for pixel.
        run = cli(common + QStringList{"-o", QString::fromStdString(path("rs0").string()), "--detail", "0"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QCOMPARE(cv::norm(imaging::readPhoto(path("rs0") / "family_x4_c2.png").rgb, clean.rgb, cv::NORM_INF), 0.0);
        QVERIFY(!fs::exists(path("rs0") / "family_x4_clean.png"));  // only with --clean

        // Fast is the clean result alone.
        run = cli(common + QStringList{"-o", QString::fromStdString(path("fast").string()), "--preset", "Fast"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY(fs::exists(path("fast") / "family_x4_clean.png"));
        QVERIFY(!fs::exists(path("fast") / "family_x4_c1.png"));

        // --detail means nothing to an SR3 model: refused before any work.
        run = cli({"enhance", QString::fromStdString(m_photo.string()), "--model", QString::fromStdString(m_model.string()),
                   "--detail", "0.5", "-o", QString::fromStdString(path("sr3").string())});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.output.contains("residual-shift"), qPrintable(run.output));
    }

    void existingOutputsAreNotOverwritten()
    {
        const Run run = cli({"enhance", QString::fromStdString(m_photo.string()), "--model",
                             QString::fromStdString(m_model.string()), "--candidates", "2", "--steps", "1", "--seed",
                             "42", "-o", QString::fromStdString(path("out").string()), "--format", "png", "--quiet"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains("exists"), qPrintable(run.output));
    }

    void badInputsFailClearly()
    {
        std::ofstream(path("broken.jpg")) << "this is not a JPEG";
        Run run = cli({"enhance", QString::fromStdString(path("broken.jpg").string()), "--model",
                       QString::fromStdString(m_model.string()), "--quiet"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains("broken.jpg"), qPrintable(run.output));
        run = cli({"enhance", QString::fromStdString(m_photo.string()), "--model", "/nonexistent.safetensors"});
        QCOMPARE(run.exitCode, 3);
        run = cli({"enhance", QString::fromStdString(m_photo.string()), "--scale", "3"});
        QVERIFY(run.exitCode != 0);
        run = cli({"enhance", QString::fromStdString(path("missing.png").string())});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.output.contains("no such file"));
    }

    void folderWithASymlinkLoopEnhancesItsOtherPhotos()
    {
        const fs::path folder = folderWithPhotos("with-loop", {"family.jpg"});
        fs::create_symlink("loop.jpg", folder / "loop.jpg");  // a link to itself
        Run run = cli(QStringList{"enhance", q(folder)} + quickJob());
        QVERIFY2(run.exitCode == 1, qPrintable(run.output));  // the loop is named; it used to abort the run
        QVERIFY2(run.output.contains("loop.jpg: skipped: a loop of symbolic links"), qPrintable(run.output));
        QVERIFY2(fs::exists(folder / "family_x4_c1.png"), qPrintable(run.output));

        // Run again on the folder: the earlier output is left out, not enhanced again.
        run = cli(QStringList{"enhance", q(folder), "--overwrite"} + quickJob());
        QVERIFY2(run.output.contains("left out 1 file(s) named like Refine's earlier outputs (such as "
                                     "family_x4_c1.png)"), qPrintable(run.output));
        QVERIFY2(!fs::exists(folder / "family_x4_c1_x4_c1.png"), qPrintable(run.output));
    }

    void overwriteNeverReplacesAnInput()
    {
        const fs::path folder = folderWithPhotos("clash", {"p.jpg"});
        imaging::EncodeOptions png;
        png.format = "png";
        const auto earlier = imaging::encodePhoto(imaging::fromImageF(test::syntheticImage(12, 10, 3)), cv::Mat(), png);
        imaging::writeFileAtomically(folder / "p_x4_c1.png", earlier, false);
        const Run run = cli(QStringList{"enhance", q(folder / "p.jpg"), q(folder / "p_x4_c1.png"), "--overwrite"} +
                            quickJob());
        QVERIFY2(run.exitCode == 1, qPrintable(run.output));
        QVERIFY2(run.output.contains("would replace an input"), qPrintable(run.output));
        QCOMPARE(readBytes(folder / "p_x4_c1.png"), earlier);
        QVERIFY2(fs::exists(folder / "p_x4_c1_x4_c1.png"), qPrintable(run.output));  // the other input is enhanced
    }

    void aBadOutputFolderFailsBeforeAnyWork()
    {
        std::ofstream(path("not-a-folder")) << "a file";
        QStringList job = quickJob();
        job.removeAll("--quiet");  // so that the model's line would show if it were loaded
        const Run run = cli(QStringList{"enhance", q(m_photo), "-o", q(path("not-a-folder") / "out")} + job);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.output.contains("cannot be used: it cannot be created: a part of the path is a file"),
                 qPrintable(run.output));
        QVERIFY2(!run.output.contains("model tiny-test"), qPrintable(run.output));
    }

    void theSamePhotoTwiceIsEnhancedOnce()
    {
        const fs::path folder = folderWithPhotos("twice", {"family.jpg"});
        const Run run = cli(QStringList{"enhance", q(folder / "family.jpg"), q(folder / "." / "family.jpg"), "-o",
                                        q(path("out-twice"))} + quickJob());
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY2(run.output.contains("is the same photo as"), qPrintable(run.output));
        QVERIFY(fs::exists(path("out-twice") / "family_x4_c1.png"));
    }

    void aSeedOutsideItsRangeIsExplained()
    {
        for (const QStringList& seed : {QStringList{"--seed", "-5"}, QStringList{"--seed=-5"},
                                        QStringList{"--seed", "18446744073709551616"}}) {
            const Run run =
                cli(QStringList{"enhance", q(m_photo), "--model", q(m_model), "-o", q(path("seeds"))} + seed);
            QVERIFY2(run.exitCode > 0 && run.exitCode != 130, qPrintable(run.output));
            QVERIFY2(run.output.contains("--seed takes a whole number from 0 to 18446744073709551615"),
                     qPrintable(run.output));
        }
        QVERIFY(!fs::exists(path("seeds")));
    }

    void interruptsStopTheRunWithExitCode130()
    {
        for (const int signal : {SIGINT, SIGTERM}) {
            const fs::path out = path("interrupted-" + std::to_string(signal));
            QProcess process;
            process.setProcessChannelMode(QProcess::MergedChannels);
            // Long enough to be running when the signal comes: 16 candidates of 2000 steps.
            process.start(REFINE_CLI_PATH, {"enhance", q(m_photo), "--model", q(m_model), "--candidates", "16",
                                            "--steps", "2000", "--sampler", "ddpm", "-o", q(out), "--threads", "1"});
            QString output;
            QElapsedTimer waited;
            waited.start();
            while (!output.contains("model tiny-test") && waited.elapsed() < 60000 && process.waitForReadyRead(1000))
                output += QString::fromUtf8(process.readAll());
            QVERIFY2(output.contains("model tiny-test"), qPrintable(output));
            QTest::qWait(300);
            QElapsedTimer stopping;
            stopping.start();
            QVERIFY2(signalRunning(process, signal), qPrintable(output));
            if (signal == SIGINT)
                signalRunning(process, SIGINT);  // pressed twice: still one clean stop
            QVERIFY(process.waitForFinished(20000));
            output += QString::fromUtf8(process.readAll());
            QVERIFY2(stopping.elapsed() < 5000, qPrintable(QString::number(stopping.elapsed())));
            QCOMPARE(process.exitStatus(), QProcess::NormalExit);
            QVERIFY2(process.exitCode() == 130, qPrintable(output));
            QVERIFY2(output.contains("cancelled"), qPrintable(output));
            for (const auto& entry : fs::directory_iterator(out))  // nothing half-written is left
                QVERIFY2(entry.path().string().find(".tmp-") == std::string::npos, entry.path().c_str());
        }
    }

    void anInterruptStopsALongDecodeAtOnce()
    {
        // No decoder looks at the cancel token: Ctrl+C used to wait for the whole decode and
        // preparation of a large photo. Now the run stops within a fraction of a second, whether
        // the signal lands in the decode or in the job after it. The clean result only (a
        // residual-shift model's Fast preset) of a 1500x1500 photo, so that the memory plan,
        // made from the header before the decode, lets the job start on a small machine (~2.5 GB).
        const fs::path model = test::writeTinyResidualShiftModel(path("decode-model"));
        cv::Mat pattern(1500, 1500, CV_8UC3);
        cv::randu(pattern, cv::Scalar::all(0), cv::Scalar::all(255));
        QVERIFY(cv::imwrite(path("large.png").string(), pattern));
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(REFINE_CLI_PATH, {"enhance", q(path("large.png")), "--model", q(model), "--scale", "2",
                                        "--preset", "Fast", "-o", q(path("large-out")), "--threads", "1"});
        QString output;
        while (!output.contains("model tiny-") && process.waitForReadyRead(30000))
            output += QString::fromUtf8(process.readAll());
        QVERIFY2(output.contains("model tiny-"), qPrintable(output));
        QElapsedTimer stopping;
        stopping.start();
        QVERIFY2(signalRunning(process, SIGINT), qPrintable(output + QString::fromUtf8(process.readAll())));
        QVERIFY(process.waitForFinished(30000));
        output += QString::fromUtf8(process.readAll());
        QVERIFY2(stopping.elapsed() < 1000, qPrintable(QString::number(stopping.elapsed()) + " ms\n" + output));
        QVERIFY2(process.exitCode() == 130, qPrintable(output));
        QVERIFY(fs::is_empty(path("large-out")));
    }

    void aJobThatCannotFitIsRefusedFromTheHeaderAlone()
    {
        // A JPEG header claiming 9000 x 9000 (81 MP, within the decoder's limit) and nothing else:
        // at x16 with four candidates no machine has the memory. The plan refuses it from the
        // header, so the message is about memory, not about the missing pixels, and it is quick.
        const char header[] = "\xFF\xD8\xFF\xC0\x00\x11\x08\x23\x28\x23\x28\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01";
        std::ofstream(path("vast.jpg"), std::ios::binary).write(header, sizeof header - 1);
        QElapsedTimer timer;
        timer.start();
        const Run run = cli({"enhance", q(path("vast.jpg")), "--model", q(m_model), "--scale", "16", "--candidates",
                             "4", "-o", q(path("vast-out")), "--threads", "1", "--quiet"});
        QVERIFY2(run.exitCode == 1, qPrintable(run.output));
        QVERIFY2(run.output.contains("Not enough memory") && run.output.contains("9000 x 9000 photo"), qPrintable(run.output));
        QVERIFY2(!run.output.contains("truncated"), qPrintable(run.output));
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed()) + " ms"));
        QVERIFY(fs::is_empty(path("vast-out")));
    }

    void anUnknownPresetIsRefusedOnceAtLoad()
    {
        // Two photos: the preset is the model's problem, said once before any photo, exit 3.
        const fs::path folder = folderWithPhotos("presets", {"a.jpg", "b.jpg"});
        Run run = cli({"enhance", q(folder), "--model", q(m_model), "--preset", "Sharpest", "--threads", "1"});
        QVERIFY2(run.exitCode == 3, qPrintable(run.output));
        QVERIFY2(run.output.count("no preset named 'Sharpest' (it has ") == 1, qPrintable(run.output));
        QVERIFY2(!run.output.contains("a.jpg:"), qPrintable(run.output));
        // Names are matched as people type them.
        const fs::path model = test::writeTinyResidualShiftModel(path("preset-model"));
        run = cli({"enhance", q(folder / "a.jpg"), "--model", q(model), "--preset", "fast", "-o", q(path("fast")),
                   "--threads", "1", "--quiet"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY(fs::exists(path("fast") / "a_x4_clean.jpg"));
    }

    void brokenModelFolderIsNamedNotFatal()
    {
        const fs::path models = path("models-mixed");
        test::writeTinyModel(models / "tiny-test");
        fs::create_directories(models / "broken");
        std::ofstream(models / "broken" / "model.json") << "{ not json";
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.insert("REFINE_MODELS_DIR", QString::fromStdString(models.string()));
        process.setProcessEnvironment(environment);
        process.start(REFINE_CLI_PATH, {"models"});
        process.waitForFinished(60000);
        const QString output = QString::fromUtf8(process.readAll());
        QCOMPARE(process.exitCode(), 0);
        QVERIFY2(output.contains("tiny-test"), qPrintable(output));
        QVERIFY2(output.contains("skipping the model folder") && output.contains("broken"), qPrintable(output));
    }

    void infoAndModelsRun()
    {
        QVERIFY(cli({"info"}).output.contains("LibTorch"));
        QCOMPARE(cli({"models"}).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestCliSmoke)
#include "tst_cli_smoke.moc"
