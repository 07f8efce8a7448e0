#pragma once
/// @file enhance_worker.h
/// @brief Runs enhancement jobs on its own thread. It owns the Engine, so the model stays loaded
/// between jobs, and it turns the engine's callbacks into throttled, GUI-friendly signals.

#include <QMutex>
#include <QObject>

#include <memory>

#include "jobs/job_types.h"

namespace refine {
class Engine;
}

namespace refine::ui {

class EnhanceWorker : public QObject {
    Q_OBJECT
public:
    explicit EnhanceWorker(QObject* parent = nullptr);
    ~EnhanceWorker() override;

    /// The latest previews of `jobId` (and clears the pending flag); thread-safe. Images of a
    /// different job are never returned.
    PreviewFrame takePreview(quint64 jobId);

public Q_SLOTS:
    /// Runs one job to its end on the calling (worker) thread; every outcome is a signal.
    void run(quint64 jobId, const refine::ui::EnhanceJob& job);
    /// Loads the model a coming job will use (modelLoaded with job id 0), so that its first
    /// Enhance does not wait for it. A failure is left for that job to report.
    void prepareModel(const QString& modelId, refine::Precision precision);

Q_SIGNALS:
    void progress(quint64 jobId, const refine::EnhanceProgress& progress);
    /// New previews are waiting in takePreview(); emitted again only after they were taken.
    void previewReady(quint64 jobId);
    /// A residual-shift model's clean result (once per job, before the first candidate step).
    void cleanReady(quint64 jobId, const refine::ui::CleanFrame& clean);
    /// The clean result before its consistency projection, for the screen only: cleanReady follows.
    void cleanDraftReady(quint64 jobId, const QImage& draft);
    void modelLoaded(quint64 jobId, const QString& modelId, const QString& device);
    void finished(quint64 jobId, const refine::ui::JobOutcome& outcome);
    void failed(quint64 jobId, const refine::ui::JobError& error);
    void cancelled(quint64 jobId);

private:
    class Observer;
    friend class Observer;

    void ensureModel(quint64 jobId, const std::string& modelId, Precision precision);
    JobOutcome runJob(quint64 jobId, const EnhanceJob& job);
    void storePreview(quint64 jobId, const EnhancePreview& preview, int firstIndex, int candidates,
                      const QColorSpace& colourSpace);

    std::unique_ptr<Engine> m_engine;
    Precision m_enginePrecision = Precision::Float32;
    std::string m_loadedModel;

    QMutex m_previewMutex;        // guards the three members below
    quint64 m_previewJob = 0;
    PreviewFrame m_preview;
    bool m_previewPending = false;
};

}  // namespace refine::ui
