#include "jobs/taskbar_progress.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QGuiApplication>

#include <algorithm>
#include <cmath>

namespace refine::ui {
namespace {

/// The entry the desktop knows the app by: its .desktop file (packaging/linux/refine.desktop).
QString applicationUri()
{
    const QString name = QGuiApplication::desktopFileName().isEmpty() ? QStringLiteral("refine")
                                                                       : QGuiApplication::desktopFileName();
    return QStringLiteral("application://%1.desktop").arg(name);
}

}  // namespace

TaskbarProgress::TaskbarProgress(QObject* parent) : QObject(parent) {}

TaskbarProgress::~TaskbarProgress()
{
    clear();  // a closed window must not leave a bar on the dock
}

void TaskbarProgress::setProgress(double fraction)
{
    const int percent = std::clamp(int(std::floor(fraction * 100)), 0, 100);
    if (percent != m_percent)
        send(percent);
}

void TaskbarProgress::clear()
{
    if (m_percent >= 0)
        send(-1);
}

QVariantMap TaskbarProgress::launcherProperties(int percent)
{
    return {{QStringLiteral("progress"), std::max(percent, 0) / 100.0},
            {QStringLiteral("progress-visible"), percent >= 0}};
}

void TaskbarProgress::send(int percent)
{
    m_percent = percent;
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return;
    QDBusMessage signal = QDBusMessage::createSignal(QStringLiteral("/org/refine/Refine"),
                                                     QStringLiteral("com.canonical.Unity.LauncherEntry"),
                                                     QStringLiteral("Update"));
    signal << applicationUri() << launcherProperties(percent);
    bus.send(signal);
}

}  // namespace refine::ui
