// refine: the desktop app. Sets up the application (style, icon, HiDPI), opens the photos named
// on the command line and runs the main window.
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QStyleFactory>

#include "main_window.h"
#include "screenshot_driver.h"

namespace {

QIcon appIcon()
{
    QIcon icon;
    icon.addFile(QStringLiteral(":/icons/refine-48.png"), QSize(48, 48));
    icon.addFile(QStringLiteral(":/icons/refine-256.png"), QSize(256, 256));
    return icon;
}

}  // namespace

int main(int argc, char* argv[])
{
    // Fractional scale factors (1.25, 1.5) are used as they are: crisp images at 1:1.
    QApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Refine"));
    QApplication::setOrganizationName(QStringLiteral("Refine"));
    QApplication::setApplicationVersion(QStringLiteral(REFINE_APP_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("refine"));
    // Fusion draws every control from the palette, so the system's light or dark palette applies.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setWindowIcon(appIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Enlarge photos with a diffusion model and choose among several results."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("photos"), QStringLiteral("Photos or folders to queue."), QStringLiteral("[photos...]"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Grab the window into PATH and quit."),
                                  QStringLiteral("PATH"));
    QCommandLineOption state(QStringLiteral("screenshot-state"), QStringLiteral("first-start|empty|refining|grid|uncertainty|split|brush|repair|old-photo|restored|faces"),
                             QStringLiteral("STATE"), QStringLiteral("empty"));
    QCommandLineOption steps(QStringLiteral("screenshot-steps"), QStringLiteral("Steps for the screenshot job."),
                             QStringLiteral("N"), QStringLiteral("0"));
    for (QCommandLineOption* hidden : {&screenshot, &state, &steps}) {
        hidden->setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(*hidden);
    }
    parser.process(app);

    refine::ui::MainWindow window;
    // The documentation's screenshots share one size; "first-start" shows the size a first start picks.
    if (parser.isSet(screenshot) && parser.value(state) != QLatin1String("first-start"))
        window.resize(1480, 900);
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openPaths(parser.positionalArguments());
    if (parser.isSet(screenshot)) {
        auto* driver = new refine::app::ScreenshotDriver(&window, parser.value(screenshot), parser.value(state),
                                                         parser.value(steps).toInt());
        driver->start();
    }
    return app.exec();
}
