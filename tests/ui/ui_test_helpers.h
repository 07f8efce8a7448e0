#pragma once
/// @file ui_test_helpers.h
/// @brief Qt-side helpers of the UI tests: an isolated settings store, the tiny model installed
/// through REFINE_MODELS_DIR, small photos on disk and a window set up for fast jobs.

#include <QCoreApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include "main_window.h"
#include "model/candidate_set.h"
#include "model/enhance_settings.h"
#include "panels/settings_panel.h"
#include "refine/imaging/image_io.h"
#include "ui_test_model.h"

namespace refine::ui::test {

/// Keeps the tests away from the user's settings and gives them the tiny model (and, when
/// asked, the tiny residual-shift model beside it).
struct UiTestEnvironment {
    QTemporaryDir dir;
    QString modelsDir;

    explicit UiTestEnvironment(bool withResidualShift = false)
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("RefineUiTests"));
        QCoreApplication::setApplicationName(QStringLiteral("RefineUiTests"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
        QSettings().clear();
        modelsDir = dir.filePath(QStringLiteral("models"));
        writeTinyModelInto(modelsDir.toStdString());
        if (withResidualShift)
            writeTinyResidualShiftModelInto(modelsDir.toStdString());
        qputenv("REFINE_MODELS_DIR", modelsDir.toLocal8Bit());
    }

    QString path(const QString& name) const { return dir.filePath(name); }

    /// A smooth synthetic photo written at `name` (PNG or JPEG by extension).
    QString photo(const QString& name, int width = 16, int height = 16, unsigned seed = 1) const
    {
        const QString file = path(name);
        writeTestPhoto(file.toStdString(), width, height, seed);
        return file;
    }
};

/// Fast job settings: the tiny model, x4, `candidates` candidates, 2 steps.
inline EnhanceSettings fastSettings(int candidates = 2)
{
    EnhanceSettings s;
    s.modelId = QStringLiteral("tiny-test");
    s.scale = 4;
    s.candidates = candidates;
    s.preset = QStringLiteral("Fast");
    s.steps = 2;
    s.fixedSeed = true;
    s.seed = 42;
    s.uncertaintyMap = true;
    return s;
}

/// The tiny residual-shift model with `preset` ("Fast": the clean result only; "Balanced": 2
/// steps), `candidates` candidates, a fixed seed.
inline EnhanceSettings residualShiftSettings(const QString& preset = QStringLiteral("Balanced"), int candidates = 2)
{
    EnhanceSettings s = fastSettings(candidates);
    s.modelId = QStringLiteral("tiny-residual-test");
    s.preset = preset;
    s.steps = 0;  // the preset's
    return s;
}

/// A window with dialogs off and fast settings.
inline std::unique_ptr<MainWindow> makeWindow(int candidates = 2)
{
    auto window = std::make_unique<MainWindow>();
    window->setDialogsEnabled(false);
    window->settingsPanel()->setSettings(fastSettings(candidates));
    window->resize(1200, 800);
    return window;
}

/// Starts `start` and waits until the window reports the job's results.
template <typename Start>
bool runAndWait(MainWindow& window, Start start, int timeoutMs = 120000)
{
    QSignalSpy done(&window, &MainWindow::jobCompleted);
    start();
    return done.wait(timeoutMs);
}

/// Queues `paths` and waits until the photo that opens has been decoded (off the GUI thread);
/// true when one opened.
inline bool openAndWait(MainWindow& window, const QStringList& paths, int timeoutMs = 30000)
{
    QSignalSpy opened(&window, &MainWindow::photoOpenFinished);
    window.openPaths(paths);
    if (opened.isEmpty() && !opened.wait(timeoutMs))
        return false;
    return opened.last().at(1).toBool();
}

inline double maxDifference(const ImageF& a, const ImageF& b)
{
    double d = 0;
    for (size_t i = 0; i < a.pixels.size() && i < b.pixels.size(); ++i)
        d = std::max(d, double(std::abs(a.pixels[i] - b.pixels[i])));
    return d;
}

}  // namespace refine::ui::test
