#pragma once
/// @file screenshot_driver.h
/// @brief Hidden `--screenshot PATH --screenshot-state STATE` support: drives the real window
/// into a state (first-start, empty, refining, grid, uncertainty, split, brush, repair, old-photo, restored,
/// faces), grabs it and quits. "old-photo" is "grid" (the Old photo suggestion shows for a worn
/// photo); "restored" turns the Old photo switch on before enhancing (the restore model must be
/// installed); "faces" picks face 1 from candidate 2 and zooms every view to it.
/// "first-start" is "empty" at the size the window picks itself (the others share 1480x900). Used to make
/// the documentation's screenshots reproducibly; not shown in --help.

#include <QObject>
#include <QString>

namespace refine::ui {
class MainWindow;
}

namespace refine::app {

class ScreenshotDriver : public QObject {
    Q_OBJECT
public:
    ScreenshotDriver(ui::MainWindow* window, QString path, QString state, int steps);
    void start();

private:
    void grabAndQuit();
    void onPreview();
    void onCompleted();
    /// The "repair" state: paints over the photo's scratch, repairs it, takes a fill.
    void repairAndGrab();

    ui::MainWindow* m_window;
    QString m_path;
    QString m_state;
    int m_steps;
    bool m_grabbed = false;
    bool m_repairStarted = false;
};

}  // namespace refine::app
