#include "jobs/enhance_controller.h"

#include <QMetaObject>

#include "jobs/enhance_worker.h"

namespace refine::ui {

EnhanceController::EnhanceController(QObject* parent) : QObject(parent)
{
    registerJobMetaTypes();
    m_thread.setObjectName(QStringLiteral("refine-enhance"));
    m_worker = new EnhanceWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connectWorker();
    m_thread.start();
}

EnhanceController::~EnhanceController()
{
    shutdown();
}

void EnhanceController::connectWorker()
{
    connect(m_worker, &EnhanceWorker::progress, this, [this](quint64 id, const EnhanceProgress& p) {
        if (isCurrent(id) && !m_cancelling)
            Q_EMIT progress(id, p);
    });
    connect(m_worker, &EnhanceWorker::previewReady, this, [this](quint64 id) {
        // Taking the frame (even a stale one) re-arms the worker's notification.
        const PreviewFrame frame = m_worker->takePreview(id);
        if (isCurrent(id) && !m_cancelling)
            Q_EMIT previewReady(id, frame);
    });
    connect(m_worker, &EnhanceWorker::cleanReady, this, [this](quint64 id, const CleanFrame& clean) {
        if (isCurrent(id) && !m_cancelling)
            Q_EMIT cleanReady(id, clean);
    });
    connect(m_worker, &EnhanceWorker::cleanDraftReady, this, [this](quint64 id, const QImage& draft) {
        if (isCurrent(id) && !m_cancelling)
            Q_EMIT cleanDraftReady(id, draft);
    });
    connect(m_worker, &EnhanceWorker::modelLoaded, this, [this](quint64, const QString& model, const QString& device) {
        Q_EMIT modelLoaded(model, device);  // the engine keeps it whichever job asked
    });
    connect(m_worker, &EnhanceWorker::finished, this, [this](quint64 id, const JobOutcome& outcome) {
        if (!isCurrent(id))
            return;
        endJob(id);
        Q_EMIT finished(id, outcome);
        Q_EMIT idle();
    });
    connect(m_worker, &EnhanceWorker::failed, this, [this](quint64 id, const JobError& error) {
        if (!isCurrent(id))
            return;
        const bool wasCancelling = m_cancelling;
        endJob(id);
        // A failure racing a cancel is reported as the cancel the user asked for.
        if (wasCancelling)
            Q_EMIT cancelled(id);
        else
            Q_EMIT failed(id, error);
        Q_EMIT idle();
    });
    connect(m_worker, &EnhanceWorker::cancelled, this, [this](quint64 id) {
        if (!isCurrent(id))
            return;
        endJob(id);
        Q_EMIT cancelled(id);
        Q_EMIT idle();
    });
}

quint64 EnhanceController::start(EnhanceJob job)
{
    if (m_cancel)
        m_cancel->cancel();  // the worker finishes the old job quickly; its signals are stale
    const quint64 id = m_nextId++;
    m_current = id;
    m_cancelling = false;
    m_cancel = std::make_shared<CancelToken>();
    job.cancel = m_cancel;
    EnhanceWorker* worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, id, job] { worker->run(id, job); }, Qt::QueuedConnection);
    Q_EMIT started(id);
    return id;
}

void EnhanceController::prepareModel(const QString& modelId, Precision precision)
{
    EnhanceWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, modelId, precision] { worker->prepareModel(modelId, precision); }, Qt::QueuedConnection);
}

void EnhanceController::cancel()
{
    if (!m_current || !m_cancel)
        return;
    m_cancelling = true;
    m_cancel->cancel();
}

void EnhanceController::endJob(quint64 jobId)
{
    if (jobId != m_current)
        return;
    m_current = 0;
    m_cancelling = false;
    m_cancel.reset();
}

void EnhanceController::shutdown()
{
    if (!m_thread.isRunning())
        return;
    if (m_cancel)
        m_cancel->cancel();
    m_current = 0;
    m_thread.quit();
    m_thread.wait();
}

}  // namespace refine::ui
