// refine-cli --restore and --consistency soft, end to end on tiny models: the mode reaches the
// engine and the file's provenance, the user's own --model and --consistency win, and a model
// that cannot be soft is refused with a message that says why.
#include <QtTest>

#include "refine/engine/engine.h"
#include "refine/imaging/engine_image.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/metadata.h"
#include "archive_test_support.h"
#include "test_support.h"

using namespace refine;
namespace fs = std::filesystem;

class TestCliRestore : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_residualModel, m_sr3Model, m_photo;

    fs::path path(const std::string& name) const { return fs::path(m_dir.path().toStdString()) / name; }
    static QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

    using Run = test::CliRun;
    static Run cli(const QStringList& arguments) { return test::runCli(arguments, 120000); }

    /// One candidate of the test photo into `folder`, with `options`; the written candidate's provenance.
    imaging::Provenance enhance(const std::string& folder, const QStringList& options, Run* run) const
    {
        *run = cli(QStringList{"enhance", q(m_photo), "--candidates", "1", "--seed", "3", "--format", "png",
                               "--threads", "1", "--quiet", "-o", q(path(folder))}
                   + options);
        const fs::path written = path(folder) / "worn_x4_c1.png";
        if (run->exitCode != 0 || !fs::exists(written))
            return {};
        return imaging::readProvenance(imaging::readPhoto(written).sourceBytes);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_residualModel = test::writeTinyResidualShiftModel(path("residual"));
        m_sr3Model = test::writeTinyModel(path("sr3"));
        m_photo = path("worn.png");
        imaging::EncodeOptions png;
        png.format = "png";
        const auto bytes = imaging::encodePhoto(imaging::fromImageF(test::syntheticImage(16, 12)), cv::Mat(), png);
        imaging::writeFileAtomically(m_photo, bytes, false);
    }

    void restoreMeansSoftConsistency()
    {
        Run run{};
        const auto provenance = enhance("restore", {"--restore", "--model", q(m_residualModel)}, &run);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QCOMPARE(provenance.consistency, std::string("soft"));
    }

    void theUsersConsistencyWinsInEitherOrder()
    {
        Run run{};
        auto provenance = enhance("exact-after", {"--restore", "--consistency", "exact", "--model", q(m_residualModel)}, &run);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QCOMPARE(provenance.consistency, std::string("exact"));
        provenance = enhance("off-before", {"--consistency", "off", "--restore", "--model", q(m_residualModel)}, &run);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QCOMPARE(provenance.consistency, std::string("off"));
    }

    void softOnAnSr3ModelIsRefusedInPlainWords()
    {
        Run run{};
        enhance("sr3-soft", {"--consistency", "soft", "--model", q(m_sr3Model), "--steps", "1"}, &run);
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.output.contains("soft consistency needs"), qPrintable(run.output));
        QVERIFY(!run.output.contains("libtorch") && !run.output.contains("Exception raised from"));
    }

    void helpNamesTheRestoreModel()
    {
        const Run run = cli({"enhance", "--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.output.contains("--restore"));
        QVERIFY(run.output.contains(QString::fromStdString(Engine::restoreModelId())));
    }
};

QTEST_GUILESS_MAIN(TestCliRestore)
#include "tst_cli_restore.moc"
