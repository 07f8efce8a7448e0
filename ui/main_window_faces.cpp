// MainWindow: what a photo's analysis (jobs/photo_analysis.h) leads to. A photo that looks
// worn gets the Old photo suggestion beside the switch (never the switch itself); a photo with
// faces gets the Faces panel (faces/face_navigator.h) and the marks on the views
// (faces/face_marks.h), and stepping to a face zooms every view to it. The faces' picks are
// shown in the grid and the split view (faces/face_display.h) and go into every export
// (main_window_export.cpp).
#include "main_window.h"

#include <QDockWidget>
#include <QStackedWidget>

#include "faces/face_display.h"
#include "faces/face_marks.h"
#include "faces/face_navigator.h"
#include "faces/face_session.h"
#include "jobs/batch_queue.h"
#include "jobs/photo_analysis.h"
#include "model/candidate_set.h"
#include "panels/old_photo_switch.h"
#include "panels/settings_panel.h"
#include "views/candidate_grid.h"
#include "views/split_view.h"

namespace refine::ui {

void MainWindow::buildFaces()
{
    m_analyzer = new PhotoAnalyzer(this);
    m_faces = new FaceSession(m_set, m_undo, this);
    m_faceDisplay = new FaceDisplay(m_faces, m_set, this);
    m_faceNavigator = new FaceNavigator(m_faces, m_set);
    m_faceMarks = new FaceMarks(m_faces, m_set, m_sync, this);
    m_faceMarks->watch(m_grid);
    m_faceMarks->watch(m_split);

    m_facesDock = new QDockWidget(tr("Faces"), this);
    m_facesDock->setObjectName(QStringLiteral("FacesDock"));
    m_facesDock->setWidget(m_faceNavigator);
    addDockWidget(Qt::BottomDockWidgetArea, m_facesDock);
    m_facesDock->hide();  // until a photo with faces is open

    connect(this, &MainWindow::photoOpenFinished, this, [this](const QString&, bool ok) {
        if (ok)
            analyseOpenedPhoto();
    });
    connect(m_set, &CandidateSet::photoChanged, this, [this] {
        if (!m_set->hasPhoto()) {
            m_faces->clear();
            m_facesDock->hide();
        }
    });
    connect(m_analyzer, &PhotoAnalyzer::analysed, this, &MainWindow::takeAnalysis);
    connect(m_faceNavigator, &FaceNavigator::zoomRequested, this, [this](const QRect& box) {
        ImageView* view = m_pages->currentWidget() == m_split ? m_split : m_grid->originalView();
        if (view)
            FaceMarks::zoomTo(m_sync, view, box);
    });
    connect(m_settings->oldPhotoSwitch(), &OldPhotoSwitch::toggled, this, [this](bool on) {
        showStatus(on ? tr("Old photo: the restore model with soft consistency. Enhance to see its results.")
                      : tr("Old photo off: the default model, exactly consistent."));
    });
}

void MainWindow::finishBatchPhoto()
{
    // The batch writes the faces as the window would export them (the clean face by default).
    // The photo's analysis started as it opened; a quick job can end before it.
    if (m_analyzer->isRunning()) {
        connect(m_analyzer, &PhotoAnalyzer::analysed, this, [this] { m_batch->jobFinished(&m_faces->faces()); },
                Qt::SingleShotConnection);
        return;
    }
    m_batch->jobFinished(&m_faces->faces());
}

void MainWindow::analyseOpenedPhoto()
{
    const std::shared_ptr<const ImageF> input = m_set->sharedInput();
    if (!input || !m_set->photo() || m_analysedInput.lock() == input)
        return;  // the photo that was already open: its analysis and face picks stay
    m_analysedInput = input;
    m_faces->clear();
    m_facesDock->hide();
    m_settings->oldPhotoSwitch()->clearSuggestion();
    m_analyzer->analyse(m_set->path(), *m_set->photo(), input);
}

void MainWindow::takeAnalysis(const PhotoAnalysis& analysis)
{
    if (analysis.path != m_set->path())
        return;
    if (analysis.condition.degraded)
        m_settings->oldPhotoSwitch()->suggest(QString::fromStdString(analysis.condition.reason));
    m_faces->setFaces(analysis.path, analysis.faces);
    m_facesDock->setVisible(!analysis.faces.empty());
    if (!analysis.faceProblem.isEmpty())
        showStatus(tr("Faces were not looked for: %1").arg(analysis.faceProblem), 10000);
}

}  // namespace refine::ui
