#include "jobs/batch_queue.h"

#include "model/candidate_set.h"

namespace refine::ui {

BatchQueue::BatchQueue(const CandidateSet* set, QObject* parent) : QObject(parent), m_set(set) {}

void BatchQueue::start(const QStringList& photos, const QString& directory)
{
    m_running = true;
    m_pending = photos;
    m_directory = directory;
    m_opening.clear();
    m_enhancing.clear();
    m_done = m_failed = 0;
    m_cancelled = false;
    next();
}

void BatchQueue::next()
{
    if (!m_running)
        return;
    if (m_pending.isEmpty()) {
        m_running = false;
        Q_EMIT finished(m_done, m_failed);
        return;
    }
    // Signals carry copies: a receiver that answers at once (a photo already open) changes the members.
    const QString path = m_pending.takeFirst();
    m_opening = path;
    Q_EMIT openRequested(path);
}

void BatchQueue::photoOpened(const QString& openedPath, bool ok)
{
    if (!m_running || m_opening.isEmpty() || openedPath != m_opening)
        return;  // not the batch's photo
    const QString path = openedPath;  // a copy: `openedPath` may be m_opening itself
    m_opening.clear();
    if (!ok) {
        Q_EMIT photoStatusChanged(path, tr("cannot be read"));
        ++m_failed;
        next();
        return;
    }
    m_enhancing = path;
    Q_EMIT photoStatusChanged(path, tr("enhancing…"));
    Q_EMIT enhanceRequested(path);  // answered at once, it may already have finished the photo
}

void BatchQueue::jobFinished(const QVector<Face>* faces)
{
    if (!m_running || m_enhancing.isEmpty())
        return;
    ExportOptions options;
    options.directory = m_directory;
    options.faces = faces;
    const ExportReport report = exportAllResults(*m_set, options);
    const bool ok = report.ok();
    const QString path = m_enhancing;
    Q_EMIT photoStatusChanged(path, ok ? tr("✓ saved %n file(s)", "", int(report.written.size()))
                                              : tr("not saved: %1").arg(report.failed.join(QStringLiteral("; "))));
    if (!ok && report.written.isEmpty()) {
        stop();  // the folder cannot be written: every other photo would fail too
        Q_EMIT stoppedByError(exportFailureText(report));
    }
    finishPhoto(ok);
}

void BatchQueue::jobFailed(const JobError& error)
{
    if (!m_running || m_enhancing.isEmpty())
        return;
    const QString path = m_enhancing;
    Q_EMIT photoStatusChanged(path, tr("failed"));
    // A broken model fails every photo the same way: stop and say so once.
    if (error.kind == JobError::Kind::BadModel || error.kind == JobError::Kind::NoModel) {
        stop();
        Q_EMIT stoppedByError(enhanceErrorText(error));
    }
    finishPhoto(false);
}

void BatchQueue::jobCancelled()
{
    if (!m_running)
        return;
    const QString path = m_enhancing;
    if (!path.isEmpty())
        Q_EMIT photoStatusChanged(path, tr("cancelled"));
    stop();
    m_opening.clear();
    m_enhancing.clear();
    m_running = false;
    m_cancelled = true;
    Q_EMIT finished(m_done, m_failed);
}

void BatchQueue::finishPhoto(bool ok)
{
    m_enhancing.clear();
    ok ? ++m_done : ++m_failed;
    next();
}

void BatchQueue::stop()
{
    m_pending.clear();
}

}  // namespace refine::ui
