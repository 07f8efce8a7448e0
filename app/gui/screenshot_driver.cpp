#include "screenshot_driver.h"

#include <QApplication>
#include <QCheckBox>
#include <QMouseEvent>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <vector>

#include "faces/face_marks.h"
#include "faces/face_picks.h"
#include "faces/face_session.h"
#include "jobs/enhance_controller.h"
#include "main_window.h"
#include "model/candidate_set.h"
#include "panels/old_photo_switch.h"
#include "panels/settings_panel.h"
#include "views/candidate_grid.h"
#include "views/image_view.h"
#include "views/view_sync.h"

namespace refine::app {
namespace {

/// The crease scratched into the sample photo for the "repair" state (docs/screenshots/README.md
/// draws it), in the photo's 192x108 pixels; the results are 4 times larger.
const QPointF kScratch[] = {{14, 95}, {45, 86}, {78, 83}, {108, 88}};
constexpr double kScratchScale = 4;

void sendMouse(ui::ImageView* view, QEvent::Type type, QPointF contentPos, bool buttonHeld = true)
{
    const QPointF at = view->mapFromContent(contentPos);
    const Qt::MouseButtons held = type == QEvent::MouseButtonRelease || !buttonHeld ? Qt::NoButton : Qt::LeftButton;
    const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
    QMouseEvent event(type, at, view->mapToGlobal(at), button, held, Qt::NoModifier);
    QApplication::sendEvent(view, &event);
}

/// Drags the mouse along `path` (content pixels) on `view`, as a person paints a stroke.
void dragAlong(ui::ImageView* view, const std::vector<QPointF>& path)
{
    sendMouse(view, QEvent::MouseButtonPress, path.front());
    for (const QPointF& point : path)
        sendMouse(view, QEvent::MouseMove, point);
    sendMouse(view, QEvent::MouseButtonRelease, path.back());
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
    dragAlong(view, {{215, 125}, {242, 92}, {256, 52}, {268, 92}, {300, 125}, {262, 116}, {236, 118}});
}

/// Paints over the scratch with the repair brush on candidate `position`; false: no candidate.
bool paintOverScratch(ui::MainWindow* window, int position)
{
    window->grid()->setBrushDiameter(10);  // just over the crease, as one paints a repair
    window->setRepairBrushMode(true);
    ui::ImageView* view = window->grid()->candidateView(position);
    if (!view)
        return false;
    std::vector<QPointF> path;
    for (const QPointF& point : kScratch)
        path.push_back(point * kScratchScale);
    dragAlong(view, path);
    return true;
}

/// Zooms every view to twice the fit onto the scratch, and rests the brush (its outline shows)
/// just above it.
void zoomOntoScratch(ui::MainWindow* window, int position)
{
    ui::ImageView* view = window->grid()->candidateView(position);
    if (!view)
        return;
    constexpr double kZoomIn = 2.0;
    const QSizeF content = view->contentSize();
    // The scratch's middle, moved in just enough for the views to stay filled with the photo.
    const QSizeF half = QSizeF(view->size()) / (2 * kZoomIn * view->effectiveZoom());
    const QPointF middle = (kScratch[0] + kScratch[std::size(kScratch) - 1]) / 2 * kScratchScale;
    const QPointF centre(std::clamp(middle.x(), half.width(), content.width() - half.width()),
                         std::clamp(middle.y(), half.height(), content.height() - half.height()));
    window->viewSync()->zoomAbout(view->effectiveZoom(), kZoomIn,
                                  QPointF(centre.x() / content.width(), centre.y() / content.height()), QPointF(),
                                  content);
    sendMouse(view, QEvent::MouseMove, (kScratch[1] + QPointF(8, -10)) * kScratchScale, /*buttonHeld=*/false);
}

/// The "restored" state: the Old photo switch on (the restore model, soft consistency) before
/// the photo is enhanced; false when the restore model is not installed.
bool turnOldPhotoOn(ui::MainWindow* window)
{
    ui::OldPhotoSwitch* oldPhoto = window->settingsPanel()->oldPhotoSwitch();
    if (!oldPhoto->toggle()->isEnabled())
        return false;
    if (!oldPhoto->isOn())
        oldPhoto->toggle()->click();
    return true;
}

/// The "faces" state: face 1 taken from candidate 2, every view zoomed to it.
void showFirstFace(ui::MainWindow* window)
{
    ui::FaceSession* faces = window->faces();
    if (faces->count() == 0)
        return;
    faces->setCurrent(0);
    if (window->candidates()->count() > 1)
        faces->pickCandidate(0, 1);
    if (ui::ImageView* view = window->grid()->originalView())
        ui::FaceMarks::zoomTo(window->viewSync(), view,
                              ui::outputBox(faces->faces()[0].box, window->candidates()->scale()));
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
    if (m_state == QLatin1String("empty") || m_state == QLatin1String("first-start")) {
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
        QTimer::singleShot(500, m_window, [this] {
            if (m_state == QLatin1String("restored") && !turnOldPhotoOn(m_window)) {
                std::fprintf(stderr, "screenshot: the restore model is not installed\n");
                QApplication::exit(1);
                return;
            }
            m_window->enhance();
        });
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
    if (m_state == QLatin1String("faces"))
        showFirstFace(m_window);
    if (m_state == QLatin1String("repair")) {
        repairAndGrab();
        return;
    }
    QTimer::singleShot(700, this, &ScreenshotDriver::grabAndQuit);
}

void ScreenshotDriver::repairAndGrab()
{
    // First the enhancement ends: paint over the scratch and repair it. Then the repair ends:
    // take its first fill, zoom in and grab, the brush resting beside the painted area.
    const int position = m_window->candidates()->selected();
    if (!m_repairStarted) {
        m_repairStarted = true;
        if (!paintOverScratch(m_window, position)) {
            std::fprintf(stderr, "screenshot: no candidate to repair\n");
            QApplication::exit(1);
            return;
        }
        QTimer::singleShot(300, m_window, &ui::MainWindow::repairPaintedArea);
        return;
    }
    m_window->chooseAlternative(0);
    QTimer::singleShot(700, this, [this, position] {
        zoomOntoScratch(m_window, position);
        grabAndQuit();
    });
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
