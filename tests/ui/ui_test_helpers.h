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

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "jobs/job_types.h"
#include "main_window.h"
#include "model/candidate_set.h"
#include "model/enhance_settings.h"
#include "model/uncertainty_map.h"
#include "panels/settings_panel.h"
#include "refine/imaging/engine_image.h"
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

/// A colourful `w` x `h` test image; `shift` makes another one.
inline ImageF gradient(int w, int h, float shift)
{
    ImageF image(w, h, 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                image.at(x, y, c) = std::fmod(float(x + y) / float(w + h) + shift * float(c + 1), 1.f);
    return image;
}

/// `pixels` as a photo opened from a PNG, for a CandidateSet without a file.
inline std::shared_ptr<imaging::Photo> photoOf(const ImageF& pixels)
{
    auto photo = std::make_shared<imaging::Photo>();
    photo->rgb = imaging::fromImageF(pixels);
    photo->format = "png";
    return photo;
}

/// What fakeOutcome() makes.
struct FakeJob {
    int candidates = 2;
    int scale = 4;
    std::uint64_t seed = 9;
    int firstIndex = 0;  ///< the first candidate's index
    bool clean = false;  ///< with a clean result, as a residual-shift model makes
};

/// A finished job of `input` (candidates and an uncertainty overlay), made without the engine,
/// in the form the worker hands over (takePixels).
inline JobOutcome fakeOutcome(const ImageF& input, const FakeJob& job)
{
    const int w = input.width * job.scale, h = input.height * job.scale;
    EnhanceResult result;
    for (int i = 0; i < job.candidates; ++i) {
        CandidateOutput c;
        c.index = job.firstIndex + i;
        c.seed = candidateSeed(job.seed, c.index);
        c.image = gradient(w, h, 0.1f * float(c.index + 1));
        c.consistencyMse = 1e-5 * (i + 1);
        result.candidates.push_back(c);
    }
    if (job.clean) {
        result.clean.index = -1;
        result.clean.image = gradient(w, h, 0.7f);
    }
    JobOutcome outcome;
    takePixels(result, outcome, {});
    ImageF spread(w, h, 1);
    for (size_t i = 0; i < spread.pixels.size(); ++i)
        spread.pixels[i] = float(i % 7) / 7.f;
    outcome.uncertaintyHeat = job.candidates > 1 ? uncertaintyOverlay(spread) : QImage();
    auto request = std::make_shared<EnhanceRequest>();
    request->scale = job.scale;
    request->candidates = job.candidates;
    request->seed = job.seed;
    request->firstCandidateIndex = job.firstIndex;
    outcome.request = request;
    outcome.inputSize = QSize(input.width, input.height);
    outcome.result = std::make_shared<EnhanceResult>(std::move(result));
    return outcome;
}

/// fakeOutcome() of `n` candidates at `scale`.
inline JobOutcome fakeOutcome(const ImageF& input, int n, int scale = 4, std::uint64_t seed = 9)
{
    FakeJob job;
    job.candidates = n;
    job.scale = scale;
    job.seed = seed;
    return fakeOutcome(input, job);
}

/// The bytes of the file at `path` (empty when it cannot be read).
inline std::vector<unsigned char> readBytes(const QString& path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Largest difference of two colours' RGB, in 8-bit levels.
inline int maxLevelDifference(QRgb p, QRgb q)
{
    return std::max({std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)), std::abs(qBlue(p) - qBlue(q))});
}

/// Largest difference of two images' RGB, in 8-bit levels (-1 when their sizes differ).
inline int maxLevelDifference(const QImage& a, const QImage& b)
{
    if (a.size() != b.size())
        return -1;
    int d = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            d = std::max(d, maxLevelDifference(a.pixel(x, y), b.pixel(x, y)));
    return d;
}

inline double maxDifference(const ImageF& a, const ImageF& b)
{
    double d = 0;
    for (size_t i = 0; i < a.pixels.size() && i < b.pixels.size(); ++i)
        d = std::max(d, double(std::abs(a.pixels[i] - b.pixels[i])));
    return d;
}

}  // namespace refine::ui::test
