#pragma once
/// @file main_window.h
/// @brief Refine's main window. Its implementation is split by concern:
///   main_window.cpp          layout, docks, settings persistence, window title
///   main_window_menus.cpp    actions, menus, toolbar, enabling
///   main_window_jobs.cpp     starting jobs, progress, previews, results, errors
///   main_window_files.cpp    opening, dropping, pasting photos; the queue
///   main_window_export.cpp   exporting candidates and the whole queue
///   main_window_explore.cpp  region re-sampling, region blending, "more like this", Detail

#include <QMainWindow>
#include <QPainterPath>
#include <QPointer>
#include <QStringList>

#include <memory>
#include <vector>

#include "explore/region_plan.h"
#include "files/candidate_exporter.h"
#include "files/photo_files.h"
#include "files/photo_loader.h"
#include "jobs/job_types.h"
#include "jobs/time_estimator.h"
#include "model/error_text.h"
#include "refine/imaging/candidate_export.h"

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QUndoStack;

namespace refine::ui {

class AlternativesStrip;
class CandidateGrid;
class CandidateSet;
class DropOverlay;
class EmptyState;
class EnhanceController;
class InlineBanner;
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
    enum class JobKind { None, Enhance, More, Region, Batch };

    // main_window.cpp
    void buildCentralArea();
    void buildDocks();
    void buildStatusBar();
    void loadSettings();
    void saveSettings() const;
    void updateTitle(int percent = -1);
    void updateDeviceAndEstimate();
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
    quint64 startJob(JobKind kind, const EnhanceRequest& request);
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
    void photoOpened(const QString& path, bool ok);

    // main_window_export.cpp
    QString exportDirectoryFor(const QString& photoPath) const;
    void reportExport(const ExportReport& report);
    void continueBatch();
    void startBatchPhoto(bool opened);
    void finishBatchPhoto(bool ok);

    // main_window_explore.cpp
    void applyRegionOutcome(const JobOutcome& outcome);
    void applyMoreOutcome(const JobOutcome& outcome);
    QImage regionThumbnail(const ImageF& pixels) const;
    /// Gives the grid the tool the rectangle and brush actions ask for.
    void applySelectionTool();

    EnhanceController* m_controller;
    CandidateSet* m_set;
    ViewSync* m_sync;
    QUndoStack* m_undo;
    RecentFiles* m_recent;
    PhotoLoader* m_loader;
    TaskbarProgress* m_taskbar;
    TimeEstimator m_estimator;

    QStackedWidget* m_pages = nullptr;
    EmptyState* m_empty = nullptr;
    CandidateGrid* m_grid = nullptr;
    SplitView* m_split = nullptr;
    InlineBanner* m_banner = nullptr;
    AlternativesStrip* m_alternatives = nullptr;
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
    QAction* m_clearSelectionAction = nullptr;
    QAction* m_resampleAction = nullptr;
    QAction* m_splitAction = nullptr;
    QAction* m_uncertaintyAction = nullptr;
    QMenu* m_blendMenu = nullptr;
    QMenu* m_recentMenu = nullptr;

    JobKind m_jobKind = JobKind::None;
    quint64 m_jobId = 0;
    std::shared_ptr<const EnhanceRequest> m_jobRequest;  ///< of the running job
    ModelInfo m_jobModel;                                ///< the model picked when it started

    // What a cancelled job's previews would give, until the next job or photo.
    struct CancelledPreviews {
        JobKind kind = JobKind::None;
        JobOutcome outcome;
    } m_cancelledPreviews;
    QString m_deviceText;
    bool m_gpu = false;
    bool m_dialogsEnabled = true;
    bool m_forwardingKey = false;
    QString m_lastError;

    // Explore state: the last region job, whose alternatives the strip offers.
    struct RegionJob {
        int position = -1;
        RegionPlan plan;
        int session = 0;
        std::shared_ptr<const ImageF> before;
        std::vector<imaging::RegionEdit> editsBefore;  ///< the candidate's edits when the session began
        QVector<std::shared_ptr<const ImageF>> alternatives;
        QVector<imaging::RegionEdit> alternativeEdits;  ///< what choosing each alternative records
        QPainterPath brush;  ///< the painted area the alternatives are blended by (empty: the rectangle)
    } m_region;
    int m_nextSession = 1;

    // Batch state: photos still to do and where their candidates go.
    struct Batch {
        QStringList pending;
        QString directory;
        QString opening;  ///< the photo being decoded for the batch (empty: none)
        int done = 0, failed = 0;
    } m_batch;
};

}  // namespace refine::ui
