// refine-ui-bench: times what a person waits for in the desktop app. For each photo it opens
// the app's main window (offscreen, settings in a temporary folder), presses Enhance a few times
// and prints, per run, when the Clean cell first shows a result (the draft, where the job sends
// one), when the exact clean result arrives and when the job is done. The engine-only figures of
// the same job come from refine-bench; the difference is the app's conversions, signals and
// painting.
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "jobs/enhance_controller.h"
#include "main_window.h"
#include "model/candidate_set.h"
#include "panels/settings_panel.h"
#include "views/candidate_grid.h"
#include "views/image_view.h"

using namespace refine::ui;

namespace {

struct RunTimes {
    double cleanShown = -1, cleanExact = -1, done = -1;
    bool ok = false;
};

/// Calls `start` and waits for `signal` of `sender` (or the timeout); true when it came.
template <typename Sender, typename Signal, typename Start>
bool waitFor(Sender* sender, Signal signal, Start start, int timeoutMs)
{
    QEventLoop loop;
    bool came = false;
    const auto connection = QObject::connect(sender, signal, &loop, [&] {
        came = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    start();
    if (!came)
        loop.exec();
    QObject::disconnect(connection);
    return came;
}

/// Enhances the photo open in `window` once and times it.
RunTimes timeOneJob(MainWindow& window)
{
    RunTimes times;
    QElapsedTimer clock;
    QObject context;  // the connections of this job only
    QObject::connect(window.candidates(), &CandidateSet::previewChanged, &context, [&] {
        const ImageView* clean = window.grid()->cleanView();
        if (times.cleanShown < 0 && clean && !clean->image().isNull())
            times.cleanShown = clock.nsecsElapsed() * 1e-9;
    });
    QObject::connect(window.controller(), &EnhanceController::cleanReady, &context,
                     [&] { times.cleanExact = clock.nsecsElapsed() * 1e-9; });
    clock.start();
    times.ok = waitFor(&window, &MainWindow::jobCompleted, [&] { window.enhance(); }, 3600 * 1000)
               && window.lastError().isEmpty();
    times.done = clock.nsecsElapsed() * 1e-9;
    return times;
}

/// The photo a run opens and its size: `photo` itself, or shrunk (INTER_AREA) or enlarged to
/// `size` into `folder`. An empty path when it cannot be read or written.
struct BenchPhoto {
    QString path;
    QSize size;
};

BenchPhoto photoAtSize(const QString& photo, const QSize& size, const QTemporaryDir& folder)
{
    const cv::Mat image = cv::imread(photo.toStdString(), cv::IMREAD_COLOR);
    if (image.empty())
        return {};
    if (size.isEmpty())
        return {photo, QSize(image.cols, image.rows)};
    cv::Mat resized;
    cv::resize(image, resized, cv::Size(size.width(), size.height()), 0, 0, cv::INTER_AREA);
    const QString path = folder.filePath(QStringLiteral("%1x%2.png").arg(size.width()).arg(size.height()));
    return cv::imwrite(path.toStdString(), resized) ? BenchPhoto{path, size} : BenchPhoto{};
}

QString seconds(double s) { return s < 0 ? QStringLiteral("-") : QString::number(s, 'f', 2); }

}  // namespace

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir scratch;
    // Never the user's settings, recent files or window layout.
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, scratch.filePath(QStringLiteral("settings")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Time the desktop app from Enhance to the clean result on screen."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("photos"), QStringLiteral("Photos to enhance."), QStringLiteral("PHOTO..."));
    QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Resize each photo to WxH first (e.g. 640x480)."), QStringLiteral("WxH"));
    QCommandLineOption preset(QStringLiteral("preset"), QStringLiteral("Quality preset (default Fast)."), QStringLiteral("NAME"), QStringLiteral("Fast"));
    QCommandLineOption candidates(QStringLiteral("candidates"), QStringLiteral("Candidates (default 1)."), QStringLiteral("N"), QStringLiteral("1"));
    QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Model id (default: the default model)."), QStringLiteral("ID"));
    QCommandLineOption consistency(QStringLiteral("consistency"), QStringLiteral("exact (default), soft or off."),
                                   QStringLiteral("MODE"), QStringLiteral("exact"));
    QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Jobs per photo, in one window (default 3)."), QStringLiteral("N"), QStringLiteral("3"));
    for (const auto* option : {&size, &preset, &candidates, &model, &consistency, &runs})
        parser.addOption(*option);
    parser.process(app);
    if (parser.positionalArguments().isEmpty())
        parser.showHelp(2);

    QSize wanted;
    if (parser.isSet(size)) {
        const QStringList parts = parser.value(size).split(QLatin1Char('x'));
        wanted = parts.size() == 2 ? QSize(parts[0].toInt(), parts[1].toInt()) : QSize();
        if (wanted.isEmpty()) {
            std::fprintf(stderr, "--size takes WxH, e.g. 640x480\n");
            return 2;
        }
    }
    EnhanceSettings settings;
    settings.modelId = parser.value(model);
    settings.preset = parser.value(preset);
    settings.candidates = parser.value(candidates).toInt();
    settings.fixedSeed = true;
    if (!refine::parseConsistency(parser.value(consistency).toStdString(), &settings.consistency)) {
        std::fprintf(stderr, "--consistency takes exact, soft or off\n");
        return 2;
    }

    std::printf("| photo | input | preset | run | clean on screen s | exact clean s | done s |\n|---|---|---|---:|---:|---:|---:|\n");
    int failures = 0;
    for (const QString& photo : parser.positionalArguments()) {
        const BenchPhoto input = photoAtSize(photo, wanted, scratch);
        if (input.path.isEmpty()) {
            std::fprintf(stderr, "%s: not a readable image\n", qPrintable(photo));
            ++failures;
            continue;
        }
        // One window per photo, as a person would use it.
        MainWindow window;
        window.setDialogsEnabled(false);
        window.resize(1480, 900);
        window.show();
        window.settingsPanel()->setSettings(settings);
        // Opening the photo loads the model in the background, as it does for a person looking at
        // it before pressing Enhance: wait for that too (a fresh window always loads it).
        QEventLoop modelReady;
        QObject::connect(window.controller(), &EnhanceController::modelLoaded, &modelReady, &QEventLoop::quit);
        if (!waitFor(&window, &MainWindow::photoOpenFinished, [&] { window.openPaths({input.path}); }, 60000)) {
            std::fprintf(stderr, "%s: did not open\n", qPrintable(photo));
            ++failures;
            continue;
        }
        QTimer::singleShot(30000, &modelReady, &QEventLoop::quit);
        modelReady.exec();
        for (int run = 1; run <= parser.value(runs).toInt(); ++run) {
            const RunTimes t = timeOneJob(window);
            failures += t.ok ? 0 : 1;
            std::printf("| %s | %dx%d | %s | %d | %s | %s | %s%s |\n", qPrintable(QFileInfo(photo).fileName()),
                        input.size.width(), input.size.height(), qPrintable(settings.preset), run,
                        qPrintable(seconds(t.cleanShown)), qPrintable(seconds(t.cleanExact)), qPrintable(seconds(t.done)),
                        t.ok ? "" : " (failed)");
            std::fflush(stdout);
        }
    }
    return failures == 0 ? 0 : 1;
}
