#pragma once
/// @file main_window.h
/// @brief Refine's main window. Its implementation is split by concern:
///   main_window.cpp          layout, docks, settings persistence, window title
///   main_window_menus.cpp    actions, menus, toolbar, enabling
///   main_window_jobs.cpp     starting jobs, progress, previews, results, errors
///   main_window_files.cpp    opening, dropping, pasting photos; the queue
///   main_window_export.cpp   exporting candidates; the queue batch's wiring
///   main_window_explore.cpp  the Explore session's wiring (regions, blending, "more like this", Detail)
///   main_window_repair.cpp   the repair brush's wiring (painting over damage, its fills)
///   main_window_faces.cpp    a photo's analysis: the Old photo suggestion; the Faces panel and marks
/// What is not the window's lives in its own objects: the document (CandidateSet), the jobs
/// (EnhanceController), the queue batch (BatchQueue) and Explore (ExploreSession).

#include <QMainWindow>
#include <QSize>
#include <QStringList>

#include <memory>
#include <string>
#include <vector>

#include "files/candidate_exporter.h"
#include "files/photo_files.h"
#include "files/photo_loader.h"
#include "jobs/job_types.h"
#include "jobs/memory_check.h"
#include "jobs/time_estimator.h"
#include "model/error_text.h"
#include "refine/imaging/candidate_export.h"

class QAction;
class QDockWidget;
class QActionGroup;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QUndoStack;

namespace refine::ui {

class AlternativesStrip;
class BatchQueue;
class CandidateGrid;
class CandidateSet;
class DropOverlay;
class EmptyState;
class EnhanceController;
class FaceMarks;
class FaceDisplay;
class FaceNavigator;
class FaceSession;
class ExploreSession;
class RepairSession;
class InlineBanner;
class PhotoAnalyzer;
struct PhotoAnalysis;
class QueuePanel;
class RecentFiles;
class SettingsPanel;
class SplitView;
class TaskbarProgress;
class ViewSync;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Queues photos (files or folders); unsupported ones are named in a banner. Opens the first
    /// one when nothing is open.
    void openPaths(const QStringList& paths);
    /// Makes `path` the current photo. It is decoded off the GUI thread; photoOpenFinished
    /// follows (at once when it is already open). A file that cannot be read is named in a dialog
    /// and the open photo stays.
    void openPhoto(const QString& path);
    /// A photo is being decoded.
    bool isOpeningPhoto() const;

    /// Tests and scripted runs: record errors (lastError) instead of showing dialogs.
    void setDialogsEnabled(bool enabled) { m_dialogsEnabled = enabled; }
    QString lastError() const { return m_lastError; }

    // The parts, for tests and the screenshot driver.
    EnhanceController* controller() const { return m_controller; }
    CandidateSet* candidates() const { return m_set; }
    CandidateGrid* grid() const { return m_grid; }
    SplitView* splitView() const { return m_split; }
    QueuePanel* queuePanel() const { return m_queue; }
    SettingsPanel* settingsPanel() const { return m_settings; }
    InlineBanner* banner() const { return m_banner; }
    AlternativesStrip* alternatives() const { return m_alternatives; }
    QUndoStack* undoStack() const { return m_undo; }
    ViewSync* viewSync() const { return m_sync; }
    TaskbarProgress* taskbarProgress() const { return m_taskbar; }
    PhotoAnalyzer* photoAnalyzer() const { return m_analyzer; }
    FaceSession* faces() const { return m_faces; }
    FaceNavigator* faceNavigator() const { return m_faceNavigator; }
    FaceMarks* faceMarks() const { return m_faceMarks; }
    ExploreSession* explore() const { return m_explore; }
    RepairSession* repair() const { return m_repair; }
    BatchQueue* batchQueue() const { return m_batch; }
    /// The status bar's job line ("Step 3 of 20 · pass 1 of 2 · 0:12 left").
    QString progressText() const;
    bool isDropOverlayVisible() const;
    /// A cancelled job left previews that keepPreviews() can take.
    bool canKeepPreviews() const { return m_cancelledPreviews.outcome.result != nullptr; }

public Q_SLOTS:
    void enhance();
    void cancel();
    /// After a cancel: makes the cancelled job's last previews the candidates (or, for "more
    /// like this", adds them), so an early look that is good enough is not lost.
    void keepPreviews();
    void moreLikeThis();
    /// Re-samples the region selected in the grid on the selected candidate.
    void resampleRegion();
    /// Puts alternative `index` of the last region job into the candidate (-1: as it was).
    void chooseAlternative(int index);
    /// Copies the selected region of the selected candidate into candidate `target`.
    void blendRegionInto(int target);
    /// Sets the Detail of candidate `position` (residual-shift models), undoably.
    void setCandidateDetail(int position, double detail);
    void exportSelected();
    void exportAll();
    /// Writes the clean result (if any) and every candidate into `directory`, default names;
    /// returns what happened.
    ExportReport exportAllTo(const QString& directory, const QString& format = QString());
    /// Asks for a folder, then enhanceQueueInto() it.
    void enhanceQueue();
    /// Enhances every queued photo in turn and writes its candidates into `directory`;
    /// queueFinished follows.
    void enhanceQueueInto(const QString& directory);
    void setSplitViewShown(bool shown);
    void setUncertaintyShown(bool shown);
    /// Rectangle selection on (off: no selection tool unless the brush is on).
    void setRegionMode(bool enabled);
    /// Brush selection on: painting on a candidate selects the area to explore.
    void setBrushMode(bool enabled);
    /// The repair brush on: painting on a candidate marks damage for repairPaintedArea().
    void setRepairBrushMode(bool enabled);
    /// Fills the painted area of the selected candidate from its surroundings, as several fills.
    void repairPaintedArea();

Q_SIGNALS:
    /// A job's results are in the candidate set (tests and the screenshot driver wait on it).
    void jobCompleted();
    /// openPhoto(path) ended: `ok` when it is now the current photo.
    void photoOpenFinished(const QString& path, bool ok);
    /// enhanceQueueInto() has gone through the queue.
    void queueFinished(int done, int failed);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dragLeaveEvent(QDragLeaveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;

private:
    enum class JobKind { None, Enhance, More, Region, Repair, Batch };
    /// Region and repair jobs run on a crop: their previews and clean result are not the photo's.
    static bool isCropJob(JobKind kind) { return kind == JobKind::Region || kind == JobKind::Repair; }

    // main_window.cpp
    void buildCentralArea();
    void buildDocks();
    void buildStatusBar();
    void loadSettings();
    /// The first start: a sensible share of the screen, room for the whole settings panel.
    void placeOnFirstStart();
    void saveSettings() const;
    void updateTitle(int percent = -1);
    void updateDeviceAndEstimate();
    /// The engine's memory estimate of `request` against what is free now.
    MemoryCheck memoryCheckOf(const EnhanceRequest& request, int inputWidth, int inputHeight,
                              const ModelInfo& model) const;
    void showCentralPage();
    void reportError(const ErrorText& error);
    void showStatus(const QString& text, int timeoutMs = 6000);
    bool forwardViewKey(QKeyEvent* event);

    // main_window_menus.cpp
    void createActions();
    void createMenus();
    void createToolBar();
    void updateActions();
    void rebuildBlendMenu();
    void showAbout();

    // main_window_jobs.cpp
    void connectController();
    /// Starts `request` (its input moved to the job) and follows it as `kind`.
    quint64 startJob(JobKind kind, EnhanceRequest request);
    /// A job that was not started (it cannot fit), said as its failure would be.
    void refuseJob(JobKind kind, const JobError& error);
    void onProgress(quint64 id, const EnhanceProgress& progress);
    void onFinished(quint64 id, const JobOutcome& outcome);
    void onFailed(quint64 id, const JobError& error);
    void onCancelled(quint64 id);
    void endJobUi();
    void offerCancelledPreviews(JobKind kind);
    /// What a finished job did, for the time estimator.
    static JobSize jobSizeOf(const JobOutcome& outcome);
    /// "Clean (most likely)" or "Candidate 3", for captions, titles and messages.
    QString resultName(int position) const;

    // main_window_files.cpp
    void queueSorted(const PathSorting& sorting);
    void openDialog();
    void paste();
    void onQueueSelection(const QString& path);
    void onPhotoLoaded(const LoadedPhoto& loaded);
    /// What the imaging library says about how the file was read (Photo::notices), in the banner.
    void showReadingNotices(const QString& path, const std::vector<std::string>& notices);
    void photoOpened(const QString& path, bool ok);

    // main_window_export.cpp
    QString exportDirectoryFor(const QString& photoPath) const;
    void reportExport(const ExportReport& report);
    void connectBatch();
    void showBatchSummary(int done, int failed);
    /// Writes the batch's photo once its faces are known (main_window_faces.cpp).
    void finishBatchPhoto();

    // main_window_explore.cpp
    void connectExplore();
    // main_window_faces.cpp
    void buildFaces();
    /// A photo has been opened: it is analysed (condition, faces) unless it is the one already open.
    void analyseOpenedPhoto();
    void takeAnalysis(const PhotoAnalysis& analysis);
    // main_window_repair.cpp
    void createRepairActions(QActionGroup* tools);
    void connectRepair();
    void updateRepairActions(bool results, bool resultSelected, bool busy);
    /// Gives the grid the tool the rectangle and brush actions ask for.
    void applySelectionTool();

    EnhanceController* m_controller;
    CandidateSet* m_set;
    ViewSync* m_sync;
    QUndoStack* m_undo;
    RecentFiles* m_recent;
    PhotoLoader* m_loader;
    TaskbarProgress* m_taskbar;
    ExploreSession* m_explore;
    RepairSession* m_repair;
    BatchQueue* m_batch;
    TimeEstimator m_estimator;
    PhotoAnalyzer* m_analyzer = nullptr;
    FaceSession* m_faces = nullptr;
    FaceDisplay* m_faceDisplay = nullptr;
    FaceNavigator* m_faceNavigator = nullptr;
    FaceMarks* m_faceMarks = nullptr;
    QDockWidget* m_facesDock = nullptr;
    std::weak_ptr<const ImageF> m_analysedInput;  ///< the pixels last analysed: a new photo's differ

    QStackedWidget* m_pages = nullptr;
    EmptyState* m_empty = nullptr;
    CandidateGrid* m_grid = nullptr;
    SplitView* m_split = nullptr;
    InlineBanner* m_banner = nullptr;
    AlternativesStrip* m_alternatives = nullptr;
    bool m_stripShowsRepair = false;  ///< the strip offers the repair's fills, not Explore's alternatives
    DropOverlay* m_dropOverlay = nullptr;
    QueuePanel* m_queue = nullptr;
    SettingsPanel* m_settings = nullptr;
    QPushButton* m_enhanceButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressLabel = nullptr;

    // Actions referenced after creation.
    QAction* m_openAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_exportAllAction = nullptr;
    QAction* m_enhanceQueueAction = nullptr;
    QAction* m_pasteAction = nullptr;
    QAction* m_enhanceAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_keepPreviewsAction = nullptr;
    QAction* m_moreAction = nullptr;
    QAction* m_regionModeAction = nullptr;
    QAction* m_brushModeAction = nullptr;
    QAction* m_repairBrushAction = nullptr;
    QAction* m_repairAction = nullptr;
    QAction* m_clearSelectionAction = nullptr;
    QAction* m_resampleAction = nullptr;
    QAction* m_splitAction = nullptr;
    QAction* m_uncertaintyAction = nullptr;
    QMenu* m_blendMenu = nullptr;
    QMenu* m_recentMenu = nullptr;

    JobKind m_jobKind = JobKind::None;
    quint64 m_jobId = 0;
    std::shared_ptr<const EnhanceRequest> m_jobRequest;  ///< of the running job, without its input pixels
    QSize m_jobInputSize;                                ///< of its input
    ModelInfo m_jobModel;                                ///< the model picked when it started

    // What a cancelled job's previews would give, until the next job or photo.
    struct CancelledPreviews {
        JobKind kind = JobKind::None;
        JobOutcome outcome;
    } m_cancelledPreviews;
    QString m_deviceText;
    QString m_loadedModelId;  ///< the model the worker holds (its memory is in use already)
    bool m_gpu = false;
    bool m_dialogsEnabled = true;
    bool m_forwardingKey = false;
    QString m_lastError;
};

}  // namespace refine::ui
