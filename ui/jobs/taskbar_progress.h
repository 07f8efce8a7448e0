#pragma once
/// @file taskbar_progress.h
/// @brief The running job's progress on the app's taskbar / dock entry, so it can be followed
/// while the window is minimised or behind others. On Linux this is the launcher-entry D-Bus
/// signal that KDE Plasma's task manager and GNOME's docks read (com.canonical.Unity.LauncherEntry);
/// without a session bus it does nothing. The window title carries the percentage too.

#include <QObject>
#include <QVariantMap>

namespace refine::ui {

class TaskbarProgress : public QObject {
    Q_OBJECT
public:
    explicit TaskbarProgress(QObject* parent = nullptr);
    ~TaskbarProgress() override;

    /// Shows `fraction` (0..1) of the job done; repeated values are not sent again.
    void setProgress(double fraction);
    /// Hides the progress (the job ended).
    void clear();

    /// The percentage shown now, -1 when hidden (for tests).
    int percent() const { return m_percent; }
    /// The launcher-entry properties for `percent` (-1: hidden).
    static QVariantMap launcherProperties(int percent);

private:
    void send(int percent);

    int m_percent = -1;
};

}  // namespace refine::ui
