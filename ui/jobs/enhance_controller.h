#pragma once
/// @file enhance_controller.h
/// @brief The GUI thread's handle on enhancement: owns the worker thread, numbers jobs, cancels
/// them and forwards only the signals of the current job (a cancelled job's late signals are
/// dropped, so they can never overwrite a newer job's results).

#include <QObject>
#include <QThread>

#include <memory>

#include "jobs/job_types.h"

namespace refine::ui {

class EnhanceWorker;

class EnhanceController : public QObject {
    Q_OBJECT
public:
    explicit EnhanceController(QObject* parent = nullptr);
    ~EnhanceController() override;

    /// Queues `job` on the worker and returns its id. A running job is cancelled first: only
    /// the newest job reports.
    quint64 start(EnhanceJob job);
    /// Asks the current job to stop. The token is set right here on the GUI thread (the worker
    /// is busy inside the engine and could not receive a queued call); `cancelled` follows
    /// within one denoising step.
    void cancel();
    /// Loads `modelId` (empty: the default model) on the worker ahead of the first job, after any
    /// job already queued; modelLoaded follows. Never fails: a job reports a model that won't load.
    void prepareModel(const QString& modelId, Precision precision);

    bool isBusy() const { return m_current != 0; }
    bool isCancelling() const { return m_cancelling; }
    quint64 currentJob() const { return m_current; }

    /// Cancels, stops the thread and waits for it; called by the destructor too.
    void shutdown();

Q_SIGNALS:
    void started(quint64 jobId);
    void progress(quint64 jobId, const refine::EnhanceProgress& progress);
    void previewReady(quint64 jobId, const refine::ui::PreviewFrame& frame);
    void cleanReady(quint64 jobId, const refine::ui::CleanFrame& clean);
    void cleanDraftReady(quint64 jobId, const QImage& draft);
    void modelLoaded(const QString& modelId, const QString& device);
    void finished(quint64 jobId, const refine::ui::JobOutcome& outcome);
    void failed(quint64 jobId, const refine::ui::JobError& error);
    void cancelled(quint64 jobId);
    /// The controller became idle (after finished, failed or cancelled).
    void idle();

private:
    void connectWorker();
    bool isCurrent(quint64 jobId) const { return jobId != 0 && jobId == m_current; }
    void endJob(quint64 jobId);

    QThread m_thread;
    EnhanceWorker* m_worker = nullptr;  // lives on m_thread; deleted when it finishes
    quint64 m_nextId = 1;
    quint64 m_current = 0;
    std::shared_ptr<CancelToken> m_cancel;
    bool m_cancelling = false;
};

}  // namespace refine::ui
