// MainWindow: actions, menus, the toolbar and which actions are enabled when.
#include "main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QToolBar>
#include <QUndoStack>

#include "explore/explore_session.h"
#include "files/recent_files.h"
#include "jobs/batch_queue.h"
#include "jobs/enhance_controller.h"
#include "model/candidate_set.h"
#include "panels/queue_panel.h"
#include "panels/settings_panel.h"
#include "refine/engine/engine.h"
#include "views/candidate_grid.h"
#include "views/view_sync.h"

namespace refine::ui {
namespace {

QAction* makeAction(QObject* parent, const QString& text, const QString& tip, const QKeySequence& keys = {})
{
    auto* action = new QAction(text, parent);
    action->setToolTip(tip);
    action->setStatusTip(tip);
    if (!keys.isEmpty())
        action->setShortcut(keys);
    return action;
}

}  // namespace

void MainWindow::createActions()
{
    m_openAction = makeAction(this, tr("&Open Photos…"), tr("Add photos to the queue"), QKeySequence::Open);
    m_openAction->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openDialog);
    m_exportAction = makeAction(this, tr("&Export Candidate…"), tr("Save the chosen candidate (or the clean result)"),
                                QKeySequence::Save);
    m_exportAction->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportSelected);
    m_exportAllAction = makeAction(this, tr("Export &All Candidates…"),
                                   tr("Save every candidate, and the clean result, into a folder"),
                                   QKeySequence::SaveAs);
    connect(m_exportAllAction, &QAction::triggered, this, &MainWindow::exportAll);
    m_enhanceQueueAction = makeAction(this, tr("Enhance and Export &Queue…"),
                                      tr("Enhance every queued photo and save all their candidates into a folder"));
    connect(m_enhanceQueueAction, &QAction::triggered, this, &MainWindow::enhanceQueue);
    m_pasteAction = makeAction(this, tr("&Paste Image"), tr("Add the image on the clipboard to the queue"),
                               QKeySequence::Paste);
    connect(m_pasteAction, &QAction::triggered, this, &MainWindow::paste);

    m_enhanceAction = makeAction(this, tr("&Enhance"), tr("Make the candidates"), QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_enhanceAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_enhanceAction->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    connect(m_enhanceAction, &QAction::triggered, this, &MainWindow::enhance);
    m_cancelAction = makeAction(this, tr("&Cancel"), tr("Stop the running job"), QKeySequence(Qt::Key_Escape));
    m_cancelAction->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancel);
    m_keepPreviewsAction = makeAction(this, tr("&Keep the Previews"),
                                      tr("Use the last previews of the cancelled job as candidates"));
    m_keepPreviewsAction->setEnabled(false);
    connect(m_keepPreviewsAction, &QAction::triggered, this, &MainWindow::keepPreviews);
    m_moreAction = makeAction(this, tr("&More Like This"), tr("Add more candidates with new seeds"),
                              QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(m_moreAction, &QAction::triggered, this, &MainWindow::moreLikeThis);
    m_regionModeAction = makeAction(this, tr("Select &Region"), tr("Drag a rectangle on a candidate to explore it"),
                                    QKeySequence(Qt::Key_R));
    m_regionModeAction->setCheckable(true);
    m_brushModeAction = makeAction(this, tr("&Brush Selection"),
                                   tr("Paint over part of a candidate to explore only that area "
                                      "([ and ] or Ctrl+wheel: brush size; Esc clears)"),
                                   QKeySequence(Qt::Key_B));
    m_brushModeAction->setCheckable(true);
    // One selection tool at a time, or none.
    auto* tools = new QActionGroup(this);
    tools->setExclusionPolicy(QActionGroup::ExclusionPolicy::ExclusiveOptional);
    tools->addAction(m_regionModeAction);
    tools->addAction(m_brushModeAction);
    connect(m_regionModeAction, &QAction::toggled, this, &MainWindow::applySelectionTool);
    connect(m_brushModeAction, &QAction::toggled, this, &MainWindow::applySelectionTool);
    createRepairActions(tools);
    m_clearSelectionAction = makeAction(this, tr("C&lear Selection"), tr("Forget the selected region (Esc)"),
                                        QKeySequence::Deselect);
    connect(m_clearSelectionAction, &QAction::triggered, this, [this] {
        m_grid->clearRegion();
        updateActions();
    });
    m_resampleAction = makeAction(this, tr("Re-sample Re&gion"), tr("Make new versions of the selected region"),
                                  QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(m_resampleAction, &QAction::triggered, this, &MainWindow::resampleRegion);

    m_splitAction = makeAction(this, tr("&Before/After Split"), tr("Compare the chosen candidate with the original"),
                               QKeySequence(Qt::Key_S));
    m_splitAction->setCheckable(true);
    connect(m_splitAction, &QAction::toggled, this, &MainWindow::setSplitViewShown);
    m_uncertaintyAction = makeAction(this, tr("&Uncertainty Overlay"), tr("Show where the candidates disagree"),
                                     QKeySequence(Qt::Key_U));
    m_uncertaintyAction->setCheckable(true);
    connect(m_uncertaintyAction, &QAction::toggled, this, &MainWindow::setUncertaintyShown);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recent->attach(m_recentMenu);
    connect(m_recent, &RecentFiles::openRequested, this, [this](const QString& path) { openPaths({path}); });
    file->addAction(m_pasteAction);
    file->addSeparator();
    file->addAction(m_exportAction);
    file->addAction(m_exportAllAction);
    file->addAction(m_enhanceQueueAction);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addAction(m_enhanceAction);
    edit->addAction(m_cancelAction);
    edit->addAction(m_keepPreviewsAction);
    edit->addAction(m_moreAction);
    edit->addSeparator();
    edit->addAction(m_regionModeAction);
    edit->addAction(m_brushModeAction);
    edit->addAction(m_clearSelectionAction);
    edit->addAction(m_resampleAction);
    edit->addAction(m_repairBrushAction);
    edit->addAction(m_repairAction);
    m_blendMenu = edit->addMenu(tr("&Blend Region Into"));
    m_blendMenu->setToolTip(tr("Copy the selected region of the chosen candidate into another one"));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_splitAction);
    view->addAction(m_uncertaintyAction);
    view->addSeparator();
    view->addAction(tr("Zoom &In"), this, [this] { m_sync->setZoom((m_sync->isFit() ? 1.0 : m_sync->zoom()) * 1.25); })
        ->setShortcut(QKeySequence::ZoomIn);
    view->addAction(tr("Zoom &Out"), this, [this] { m_sync->setZoom((m_sync->isFit() ? 1.0 : m_sync->zoom()) / 1.25); })
        ->setShortcut(QKeySequence::ZoomOut);
    view->addAction(tr("&Fit in Window"), this, [this] { m_sync->fit(); })->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    view->addAction(tr("&Actual Pixels (1:1)"), this, [this] { m_sync->setZoom(1.0 / devicePixelRatioF()); })
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    QAction* fullScreen = view->addAction(tr("Full &Screen"), this, [this](bool on) {
        on ? showFullScreen() : showNormal();
    });
    fullScreen->setCheckable(true);
    fullScreen->setShortcut(QKeySequence::FullScreen);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Refine"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::createToolBar()
{
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("MainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_openAction);
    bar->addAction(m_exportAction);
    bar->addSeparator();
    bar->addAction(m_enhanceAction);
    bar->addAction(m_cancelAction);
    bar->addAction(m_moreAction);
    bar->addSeparator();
    bar->addAction(m_splitAction);
    bar->addAction(m_uncertaintyAction);
    bar->addAction(m_regionModeAction);
    bar->addAction(m_brushModeAction);
    bar->addAction(m_resampleAction);
    bar->addAction(m_repairBrushAction);
    bar->addAction(m_repairAction);
}

void MainWindow::updateActions()
{
    const bool busy = m_controller->isBusy();
    const bool photo = m_set->hasPhoto();
    // The clean result alone (a Fast job) is a result to view and export, but has nothing to
    // explore: regions, blending and "more like this" need candidates.
    const bool results = (m_set->count() > 0 || m_set->hasClean()) && !m_set->isRefining();
    const bool candidates = m_set->count() > 0 && !m_set->isRefining();
    const bool selected = results && m_set->isResult(m_set->selected());
    const bool candidateSelected = candidates && m_set->selected() >= 0;
    m_enhanceAction->setEnabled(photo && !busy);
    m_enhanceButton->setEnabled(photo && !busy);
    m_cancelAction->setEnabled(busy && !m_controller->isCancelling());
    m_cancelButton->setEnabled(busy && !m_controller->isCancelling());
    m_exportAction->setEnabled(selected);
    m_exportAllAction->setEnabled(results);
    m_enhanceQueueAction->setEnabled(!busy && !m_batch->isRunning() && m_queue->count() > 0);
    m_moreAction->setEnabled(candidates && !busy && m_set->count() < ExploreSession::kMaxCandidates);
    m_regionModeAction->setEnabled(candidates);
    m_brushModeAction->setEnabled(candidates);
    const bool tool = m_regionModeAction->isChecked() || m_brushModeAction->isChecked()
                   || m_repairBrushAction->isChecked();
    const bool region = tool && !m_grid->regionSelection().isEmpty();
    m_clearSelectionAction->setEnabled(region);
    m_resampleAction->setEnabled(candidateSelected && region && !busy);
    updateRepairActions(results, selected, busy);
    m_blendMenu->setEnabled(candidateSelected && region && m_set->count() > 1);
    m_uncertaintyAction->setEnabled(!m_set->uncertaintyHeat().isNull());
    m_splitAction->setEnabled(results);
}

void MainWindow::rebuildBlendMenu()
{
    m_blendMenu->clear();
    for (int position = 0; position < m_set->count(); ++position) {
        QAction* action = m_blendMenu->addAction(tr("Candidate %1").arg(position + 1), this,
                                                 [this, position] { blendRegionInto(position); });
        action->setEnabled(position != m_set->selected());
    }
}

void MainWindow::showAbout()
{
    QString text = tr("<h3>Refine %1</h3><p>Enlarges photos with a diffusion model (SR3, or a clean upscale with "
                      "residual-shift detail) and offers several plausible results. Each result, shrunk back, "
                      "equals your photo; files keep the photo's metadata and declare the AI edit.</p>")
                       .arg(QApplication::applicationVersion());
    const DeviceInfo device = Engine::deviceInfo();
    text += tr("<p>Device: %1 — LibTorch %2</p>")
                .arg(m_deviceText.toHtmlEscaped(), QString::fromStdString(device.torchVersion));
    const auto models = Engine::installedModels();
    if (models.empty())
        text += tr("<p><b>No model is installed.</b> Models are folders with model.json and model.safetensors in "
                   "share/refine/models next to the program, or in a folder named by REFINE_MODELS_DIR.</p>");
    for (const ModelInfo& m : models)
        text += QStringLiteral("<p><b>Model card</b><br>%1</p>")
                    .arg(SettingsPanel::describeModel(m).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    QMessageBox about(QMessageBox::NoIcon, tr("About Refine"), text, QMessageBox::Ok, this);
    about.setIconPixmap(windowIcon().pixmap(64, 64));
    about.setTextFormat(Qt::RichText);
    if (!models.empty())
        about.setDetailedText(QString::fromStdString(models.front().cardJson));
    about.exec();
}

}  // namespace refine::ui
