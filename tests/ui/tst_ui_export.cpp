// Export: files carry the provenance (read back with imaging::readProvenance), default names,
// never the original's file, no silent overwrite; settings persist between sessions.
#include <QtTest>

#include <QFile>
#include <QFileInfo>

#include <fstream>

#include "files/candidate_exporter.h"
#include "refine/imaging/metadata.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;

using test::readBytes;

class TestUiExport : public QObject {
    Q_OBJECT

    std::unique_ptr<test::UiTestEnvironment> m_env;
    std::unique_ptr<MainWindow> m_window;
    QString m_photo;

private Q_SLOTS:
    void initTestCase()
    {
        m_env = std::make_unique<test::UiTestEnvironment>();
        m_window = test::makeWindow(2);
        m_photo = m_env->photo(QStringLiteral("holiday.jpg"));
        QVERIFY(test::openAndWait(*m_window, {m_photo}));
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->enhance(); }));
        QCOMPARE(m_window->candidates()->count(), 2);
    }

    void exportWritesProvenance()
    {
        const QString dir = m_env->path(QStringLiteral("out"));
        QDir().mkpath(dir);
        const ExportReport report = m_window->exportAllTo(dir, QStringLiteral("png"));
        QVERIFY2(report.ok(), qPrintable(report.failed.join(QLatin1Char('\n'))));
        QCOMPARE(report.written, QStringList({dir + QStringLiteral("/holiday_x4_c1.png"),
                                              dir + QStringLiteral("/holiday_x4_c2.png")}));
        for (int i = 0; i < 2; ++i) {
            const imaging::Provenance p = imaging::readProvenance(readBytes(report.written[i]));
            const Candidate& c = m_window->candidates()->candidate(i);
            QCOMPARE(p.modelId, std::string("tiny-test"));
            QCOMPARE(p.scale, 4);
            QCOMPARE(p.candidateIndex, i);
            QCOMPARE(p.candidateCount, 2);
            QCOMPARE(p.seed, c.seed);
            QCOMPARE(p.steps, 2);
            QCOMPARE(p.consistency, std::string("exact"));
            QVERIFY(p.software.rfind("Refine", 0) == 0);
        }
    }

    void jpegExportAndNoSilentOverwrite()
    {
        const QString dir = m_env->path(QStringLiteral("jpeg"));
        QDir().mkpath(dir);
        const ExportReport first = m_window->exportAllTo(dir, QStringLiteral("jpg"));
        QVERIFY(first.ok());
        const ExportReport second = m_window->exportAllTo(dir, QStringLiteral("jpg"));
        QVERIFY(second.ok());
        QCOMPARE(QFileInfo(second.written[0]).fileName(), QStringLiteral("holiday_x4_c1 (2).jpg"));
        QCOMPARE(imaging::readProvenance(readBytes(second.written[1])).candidateIndex, 1);
    }

    void defaultFormatAndNameFollowTheOriginal()
    {
        // Beside the original, with its format: the default name is never the original's.
        const QString path = defaultExportPath(*m_window->candidates(), 0, QFileInfo(m_photo).absolutePath(),
                                               defaultExportFormat(*m_window->candidates()));
        QCOMPARE(QFileInfo(path).fileName(), QStringLiteral("holiday_x4_c1.jpg"));
        QVERIFY(path != m_photo);
    }

    void theOriginalIsNeverOverwritten()
    {
        const auto original = readBytes(m_photo);
        const ExportReport report = exportCandidateAs(*m_window->candidates(), 0, m_photo);
        QVERIFY(!report.ok());
        QVERIFY(report.written.isEmpty());
        QCOMPARE(readBytes(m_photo), original);
    }

    void unwritableFolderFailsCleanly()
    {
        ExportOptions options;
        options.directory = m_env->path(QStringLiteral("does/not/exist"));
        const ExportReport report = exportCandidates(*m_window->candidates(), {0}, options);
        QVERIFY(!report.ok());
        QVERIFY(report.written.isEmpty());
    }

    void settingsPersist()
    {
        EnhanceSettings s = test::fastSettings(5);
        s.scale = 8;
        s.sampler = QStringLiteral("dpmpp2m");
        s.seed = 12345678901234ULL;
        s.tileSize = 256;
        s.consistency = Consistency::Off;
        {
            QSettings store;
            s.save(store);
        }
        QSettings store;
        QVERIFY(EnhanceSettings::load(store) == s);

        // A new window starts with what the last one had.
        m_window->settingsPanel()->setSettings(s);
        auto next = std::make_unique<MainWindow>();
        QCOMPARE(next->settingsPanel()->settings().candidates, 5);
        QCOMPARE(next->settingsPanel()->settings().scale, 8);
        QCOMPARE(next->settingsPanel()->settings().tileSize, 256);
    }
};

QTEST_MAIN(TestUiExport)
#include "tst_ui_export.moc"
