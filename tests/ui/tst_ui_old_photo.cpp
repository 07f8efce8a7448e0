// The Old photo switch (panels/old_photo_switch.h) and its suggestion: on = the restore model with
// soft consistency, off = the default model, exactly consistent; disabled without the restore
// model; a degraded photo (a noisy JPEG at quality 40) is suggested the switch with the reason, a
// clean one is not, and nothing is switched silently. The consistency mode in the settings
// (saved by name, old true/false still read) and in the exported file's provenance.
#include <QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QToolButton>

#include <opencv2/core.hpp>


#include "panels/advanced_settings.h"
#include "panels/old_photo_switch.h"
#include "refine/engine/engine.h"
#include "refine/imaging/metadata.h"
#include "ui_analysis_helpers.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;

namespace {

/// A `width` x `height` photo of the synthetic scene with strong noise, saved as a JPEG at
/// quality 40: what an old, small, re-saved JPEG looks like to the estimates.
QString writeDegradedJpeg(const QString& path, int width = 64, int height = 48)
{
    const QString clean = path + QStringLiteral(".png");
    test::writeTestPhoto(clean.toStdString(), width, height);
    cv::Mat rgb = imaging::readPhoto(clean.toStdString()).rgb;
    cv::Mat noise(rgb.size(), rgb.type());
    cv::RNG(3).fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(12.0 / 255));
    rgb = cv::min(cv::max(rgb + noise, 0.0), 1.0);
    imaging::EncodeOptions options;
    options.format = "jpeg";
    options.jpegQuality = 40;
    imaging::writeFileAtomically(path.toStdString(), imaging::encodePhoto(rgb, cv::Mat(), options), true);
    return path;
}

}  // namespace

class TestUiOldPhoto : public QObject {
    Q_OBJECT

    std::unique_ptr<test::UiTestEnvironment> m_env;
    QString m_restoreId;

    OldPhotoSwitch* oldPhoto(MainWindow& window) const { return window.settingsPanel()->oldPhotoSwitch(); }
    QComboBox* consistencyBox(MainWindow& window) const
    {
        return window.settingsPanel()->findChild<QComboBox*>(QStringLiteral("consistency"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_env = std::make_unique<test::UiTestEnvironment>(/*withResidualShift=*/true);
        m_restoreId = QString::fromStdString(test::writeTinyRestoreModelInto(m_env->modelsDir.toStdString()));
        QCOMPARE(m_restoreId, QString::fromStdString(Engine::restoreModelId()));
    }

    void init() { QSettings().clear(); }

    void switchSetsTheRestoreModelAndSoftConsistency()
    {
        auto window = test::makeWindow();
        OldPhotoSwitch* button = oldPhoto(*window);
        QVERIFY(button->isRestoreInstalled());
        QVERIFY(button->toggle()->isEnabled());
        QVERIFY(!button->isOn());

        button->toggle()->click();
        EnhanceSettings s = window->settingsPanel()->settings();
        QCOMPARE(s.modelId, m_restoreId);
        QCOMPARE(s.consistency, Consistency::Soft);
        QCOMPARE(s.toRequest({}, 1).consistency, Consistency::Soft);
        QCOMPARE(consistencyBox(*window)->currentData().toString(), QStringLiteral("soft"));

        button->toggle()->click();
        s = window->settingsPanel()->settings();
        QVERIFY(s.modelId != m_restoreId);
        QCOMPARE(s.consistency, Consistency::Exact);
        QVERIFY(!button->isOn());
    }

    void choosingTheRestoreModelShowsTheSwitchOn()
    {
        auto window = test::makeWindow();
        EnhanceSettings s = test::residualShiftSettings();
        s.modelId = m_restoreId;
        window->settingsPanel()->setSettings(s);
        QVERIFY(oldPhoto(*window)->isOn());
        window->settingsPanel()->setSettings(test::residualShiftSettings());
        QVERIFY(!oldPhoto(*window)->isOn());
    }

    void switchIsDisabledWithoutTheRestoreModel()
    {
        SettingsPanel panel;
        std::vector<ModelInfo> models;
        for (const ModelInfo& m : Engine::installedModels())
            if (m.id != Engine::restoreModelId())
                models.push_back(m);
        panel.setModels(models, QStringLiteral("tiny-test"));
        OldPhotoSwitch* button = panel.oldPhotoSwitch();
        QVERIFY(!button->isRestoreInstalled());
        QVERIFY(!button->toggle()->isEnabled());
        QVERIFY(!button->isOn());
        QVERIFY2(button->toggle()->toolTip().contains(QStringLiteral("not installed")),
                 qPrintable(button->toggle()->toolTip()));
        QVERIFY(button->toggle()->toolTip().contains(m_restoreId));
        // A worn photo is still explained, without a button for a model that is not there.
        button->suggest(QStringLiteral("JPEG quality 40"));
        QVERIFY(button->isSuggesting());
        QVERIFY(button->suggestionText().contains(QStringLiteral("not installed")));
        QVERIFY(button->useButton()->isHidden());
    }

    void softNeedsAResidualShiftModel()
    {
        auto window = test::makeWindow();
        EnhanceSettings s = test::fastSettings();  // the SR3 test model
        s.consistency = Consistency::Soft;
        window->settingsPanel()->setSettings(s);
        QCOMPARE(window->settingsPanel()->settings().consistency, Consistency::Exact);
        s = test::residualShiftSettings();
        s.consistency = Consistency::Soft;
        window->settingsPanel()->setSettings(s);
        QCOMPARE(window->settingsPanel()->settings().consistency, Consistency::Soft);
    }

    void degradedPhotoIsSuggestedTheSwitch()
    {
        auto window = test::makeWindow();
        QVERIFY(test::openAndAnalyse(*window, writeDegradedJpeg(m_env->path(QStringLiteral("worn.jpg")))));
        OldPhotoSwitch* button = oldPhoto(*window);
        QVERIFY(button->isSuggesting());
        QVERIFY2(button->suggestionText().contains(QStringLiteral("JPEG quality 40")),
                 qPrintable(button->suggestionText()));
        QVERIFY(!button->isOn());  // suggested, never switched silently
        QVERIFY(window->settingsPanel()->settings().modelId != m_restoreId);

        button->useButton()->click();
        QVERIFY(button->isOn());
        QVERIFY(!button->isSuggesting());
        QCOMPARE(window->settingsPanel()->settings().modelId, m_restoreId);
        QCOMPARE(window->settingsPanel()->settings().consistency, Consistency::Soft);
    }

    void cleanPhotoIsNotSuggestedTheSwitch()
    {
        auto window = test::makeWindow();
        QVERIFY(test::openAndAnalyse(*window, m_env->photo(QStringLiteral("clean.png"), 64, 48)));
        QVERIFY(!oldPhoto(*window)->isSuggesting());
        // After a worn photo, a clean one takes the suggestion away.
        QVERIFY(test::openAndAnalyse(*window, writeDegradedJpeg(m_env->path(QStringLiteral("worn2.jpg")))));
        QVERIFY(oldPhoto(*window)->isSuggesting());
        QVERIFY(test::openAndAnalyse(*window, m_env->photo(QStringLiteral("clean2.png"), 64, 48)));
        QVERIFY(!oldPhoto(*window)->isSuggesting());
    }

    void consistencyIsSavedByNameAndOldSettingsRead()
    {
        EnhanceSettings s = test::residualShiftSettings();
        s.consistency = Consistency::Soft;
        {
            QSettings store;
            s.save(store);
            QCOMPARE(store.value(QStringLiteral("enhance/consistency")).toString(), QStringLiteral("soft"));
        }
        QSettings reread;
        QCOMPARE(EnhanceSettings::load(reread).consistency, Consistency::Soft);
        const std::pair<QVariant, Consistency> older[] = {{QVariant(true), Consistency::Exact},
                                                          {QVariant(false), Consistency::Off},
                                                          {QVariant(QStringLiteral("off")), Consistency::Off},
                                                          {QVariant(QStringLiteral("nonsense")), Consistency::Exact}};
        for (const auto& [stored, expected] : older) {
            QSettings store;
            store.setValue(QStringLiteral("enhance/consistency"), stored);
            store.sync();
            QCOMPARE(EnhanceSettings::load(store).consistency, expected);
        }
    }

    void oldPhotoResultsRecordSoftConsistency()
    {
        auto window = test::makeWindow();
        window->settingsPanel()->setSettings(test::residualShiftSettings(QStringLiteral("Balanced"), 1));
        QVERIFY(test::openAndAnalyse(*window, writeDegradedJpeg(m_env->path(QStringLiteral("worn3.jpg")), 16, 16)));
        oldPhoto(*window)->useButton()->click();
        QVERIFY(test::runAndWait(*window, [&] { window->enhance(); }));
        const QString dir = m_env->path(QStringLiteral("old-photo-out"));
        QDir().mkpath(dir);
        const ExportReport report = window->exportAllTo(dir, QStringLiteral("png"));
        QVERIFY2(report.ok(), qPrintable(report.failed.join(QLatin1Char('\n'))));
        QVERIFY(!report.written.isEmpty());
        for (const QString& file : report.written) {
            const imaging::Provenance p = imaging::readProvenance(test::readBytes(file));
            QCOMPARE(QString::fromStdString(p.modelId), m_restoreId);
            QCOMPARE(p.consistency, std::string("soft"));
        }
    }
};

QTEST_MAIN(TestUiOldPhoto)
#include "tst_ui_old_photo.moc"
