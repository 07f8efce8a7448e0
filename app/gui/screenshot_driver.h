#pragma once
/// @file screenshot_driver.h
/// @brief Hidden `--screenshot PATH --screenshot-state STATE` support: drives the real window
/// into a state (empty, refining, grid, uncertainty, split, brush), grabs it and quits. Used to make
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

    ui::MainWindow* m_window;
    QString m_path;
    QString m_state;
    int m_steps;
    bool m_grabbed = false;
};

}  // namespace refine::app
