#include "screenshot_driver.h"

#include <QApplication>
#include <QMouseEvent>
#include <QTimer>

#include <cstdio>

#include "jobs/enhance_controller.h"
#include "main_window.h"
#include "model/candidate_set.h"
#include "panels/settings_panel.h"
#include "views/candidate_grid.h"
#include "views/image_view.h"

namespace refine::app {
namespace {

void sendMouse(ui::ImageView* view, QEvent::Type type, QPointF contentPos)
{
    const QPointF at = view->mapFromContent(contentPos);
    const Qt::MouseButtons held = type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::LeftButton;
    const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
    QMouseEvent event(type, at, view->mapToGlobal(at), button, held, Qt::NoModifier);
    QApplication::sendEvent(view, &event);
}

/// Paints a brush stroke over the mount of the sample photo (384x216 content pixels) on
/// candidate `position`, through the view's own mouse handling, as a person would.
void paintSampleStroke(ui::MainWindow* window, int position)
{
    window->grid()->setBrushDiameter(24);
    window->setBrushMode(true);
    ui::ImageView* view = window->grid()->candidateView(position);
    if (!view)
        return;  // a clean-only result has no candidate to paint on
    const QPointF path[] = {{215, 125}, {242, 92}, {256, 52}, {268, 92}, {300, 125}, {262, 116}, {236, 118}};
    sendMouse(view, QEvent::MouseButtonPress, path[0]);
    for (const QPointF& point : path)
        sendMouse(view, QEvent::MouseMove, point);
    sendMouse(view, QEvent::MouseButtonRelease, path[std::size(path) - 1]);
}

}  // namespace

ScreenshotDriver::ScreenshotDriver(ui::MainWindow* window, QString path, QString state, int steps)
    : QObject(window), m_window(window), m_path(std::move(path)), m_state(std::move(state)), m_steps(steps)
{
}

void ScreenshotDriver::start()
{
    m_window->setDialogsEnabled(false);
    if (m_steps > 0) {
        ui::EnhanceSettings settings = m_window->settingsPanel()->settings();
        settings.steps = m_steps;
        m_window->settingsPanel()->setSettings(settings);
    }
    if (m_state == QLatin1String("empty")) {
        QTimer::singleShot(1500, this, &ScreenshotDriver::grabAndQuit);
        return;
    }
    connect(m_window->candidates(), &ui::CandidateSet::previewChanged, this, &ScreenshotDriver::onPreview);
    connect(m_window, &ui::MainWindow::jobCompleted, this, &ScreenshotDriver::onCompleted);
    // The photo is decoded off the GUI thread: enhance once it is open (and the window settled).
    connect(m_window, &ui::MainWindow::photoOpenFinished, this, [this](const QString&, bool ok) {
        if (!ok) {
            std::fprintf(stderr, "screenshot: the photo could not be opened\n");
            QApplication::exit(1);
            return;
        }
        QTimer::singleShot(500, m_window, &ui::MainWindow::enhance);
    });
    // Never hang a script: give up after five minutes.
    QTimer::singleShot(300000, this, [] { QApplication::exit(2); });
}

void ScreenshotDriver::onPreview()
{
    const ui::CandidateSet* set = m_window->candidates();
    // Mid-way: every cell has a preview and about half the steps are done.
    if (m_state != QLatin1String("refining") || set->previewStepCount() <= 0
        || set->previewStep() * 2 < set->previewStepCount())
        return;
    for (int i = 0; i < set->displayCount(); ++i)
        if (set->displayImage(i).isNull())
            return;
    QTimer::singleShot(100, this, &ScreenshotDriver::grabAndQuit);
}

void ScreenshotDriver::onCompleted()
{
    if (m_state == QLatin1String("refining"))
        return;
    if (m_window->candidates()->count() > 0)  // a clean-only result keeps the clean result selected
        m_window->candidates()->setSelected(std::min(1, m_window->candidates()->count() - 1));
    if (m_state == QLatin1String("uncertainty"))
        m_window->setUncertaintyShown(true);
    if (m_state == QLatin1String("split"))
        m_window->setSplitViewShown(true);
    if (m_state == QLatin1String("brush"))
        paintSampleStroke(m_window, m_window->candidates()->selected());
    QTimer::singleShot(700, this, &ScreenshotDriver::grabAndQuit);
}

void ScreenshotDriver::grabAndQuit()
{
    if (m_grabbed)
        return;
    m_grabbed = true;
    const bool saved = m_window->grab().save(m_path);
    std::fprintf(stderr, "screenshot %s: %s\n", saved ? "saved" : "NOT saved", qPrintable(m_path));
    m_window->controller()->cancel();
    QApplication::exit(saved ? 0 : 1);
}

}  // namespace refine::app
