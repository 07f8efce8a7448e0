#pragma once
/// @file batch_queue.h
/// @brief "Enhance and Export Queue": every queued photo in turn is opened, enhanced and all its
/// results (the clean result and every candidate) written into one folder. A photo that cannot
/// be read or enhanced is marked and skipped; its faces go into its files as the window's own
/// export writes them (the clean result's face by default); what would fail every photo the same way (a broken
/// model, a folder that cannot be written) stops the batch and is said once.
///
/// The queue decides what happens next; opening photos and running jobs are the caller's (the
/// window's), asked for by signals and reported back through the slots, so the queue works, and
/// is tested, without a window.

#include <QObject>
#include <QString>
#include <QStringList>

#include "files/candidate_exporter.h"
#include "jobs/job_types.h"
#include "model/error_text.h"

namespace refine::ui {

class CandidateSet;

class BatchQueue : public QObject {
    Q_OBJECT
public:
    /// `set`: where the enhanced photo's results are when jobFinished() is called.
    explicit BatchQueue(const CandidateSet* set, QObject* parent = nullptr);

    /// Enhances `photos` in turn into `directory`; openRequested follows for the first (at once).
    void start(const QStringList& photos, const QString& directory);
    bool isRunning() const { return m_running; }
    /// The photo the batch waits to see opened (empty: none): its opening is the batch's.
    QString opening() const { return m_opening; }
    int done() const { return m_done; }
    int failed() const { return m_failed; }
    /// The last batch ended with a cancel.
    bool wasCancelled() const { return m_cancelled; }

    /// The job asked for by enhanceRequested ended with its results in the set: they are written,
    /// with `faces` (the photo's faces and their picks, as the window exports them) blended in.
    void jobFinished(const QVector<Face>* faces = nullptr);

public Q_SLOTS:
    /// openRequested(path) ended; `ok`: it is the set's photo now. The window may answer a
    /// request at once, from inside it (a photo already open): everything here allows that.
    void photoOpened(const QString& openedPath, bool ok);
    void jobFailed(const refine::ui::JobError& error);
    /// A cancel stops the batch; the photos done so far stay done.
    void jobCancelled();

Q_SIGNALS:
    /// Open `path` (off the GUI thread is fine) and report with photoOpened().
    void openRequested(const QString& path);
    /// Enhance the photo just opened with the current settings and report with jobFinished(),
    /// jobFailed() or jobCancelled().
    void enhanceRequested(const QString& path);
    /// What the queue shows beside a photo ("enhancing…", "✓ saved 2 files", "failed").
    void photoStatusChanged(const QString& path, const QString& status);
    /// Why the batch stopped early, in plain words.
    void stoppedByError(const refine::ui::ErrorText& error);
    /// The batch is over (all done, stopped or cancelled).
    void finished(int done, int failed);

private:
    void next();
    void finishPhoto(bool ok);
    void stop();

    const CandidateSet* m_set;
    bool m_running = false;
    QStringList m_pending;
    QString m_directory;
    QString m_opening;    ///< the photo being opened for the batch
    QString m_enhancing;  ///< the photo whose job runs
    int m_done = 0, m_failed = 0;
    bool m_cancelled = false;
};

}  // namespace refine::ui
