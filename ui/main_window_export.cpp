// MainWindow: saving candidates (one, or all), and the wiring of the queue batch
// (jobs/batch_queue.h enhances and saves every queued photo). "All" is the clean result
// (residual-shift models) and every candidate; a Fast job has the clean result only.
#include "main_window.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include "faces/face_session.h"
#include "jobs/batch_queue.h"
#include "jobs/enhance_controller.h"
#include "model/candidate_set.h"
#include "panels/inline_banner.h"
#include "panels/queue_panel.h"
#include "panels/settings_panel.h"

namespace refine::ui {
namespace {

const char* const kExportDirKey = "paths/export";

QString exportFilter()
{
    return QObject::tr("PNG image (*.png);;JPEG image (*.jpg *.jpeg);;TIFF image (*.tif *.tiff);;WebP image (*.webp)");
}

QString filterFor(const QString& format)
{
    if (format == QLatin1String("jpeg") || format == QLatin1String("jpg"))
        return QObject::tr("JPEG image (*.jpg *.jpeg)");
    if (format == QLatin1String("tiff") || format == QLatin1String("tif"))
        return QObject::tr("TIFF image (*.tif *.tiff)");
    if (format == QLatin1String("webp"))
        return QObject::tr("WebP image (*.webp)");
    return QObject::tr("PNG image (*.png)");
}

}  // namespace

QString MainWindow::exportDirectoryFor(const QString& photoPath) const
{
    const QString remembered = QSettings().value(QLatin1String(kExportDirKey)).toString();
    if (!remembered.isEmpty() && QFileInfo(remembered).isDir())
        return remembered;
    // Pasted images live in our data folder: their candidates go to Pictures instead.
    const QString appData = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    const QString dir = QFileInfo(photoPath).absolutePath();
    if (photoPath.isEmpty() || dir.startsWith(appData))
        return QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    return dir;
}

void MainWindow::exportSelected()
{
    const int position = m_set->selected();
    if (!m_set->isResult(position))
        return;
    const QString format = defaultExportFormat(*m_set);
    const QString suggested = defaultExportPath(*m_set, position, exportDirectoryFor(m_set->path()), format);
    QString chosenFilter = filterFor(format);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(resultName(position)), suggested,
                                                      exportFilter(), &chosenFilter);
    if (path.isEmpty())
        return;
    QSettings().setValue(QLatin1String(kExportDirKey), QFileInfo(path).absolutePath());
    reportExport(exportCandidateAs(*m_set, position, path, 95, &m_faces->faces()));
}

void MainWindow::exportAll()
{
    if (m_set->count() == 0 && !m_set->hasClean())
        return;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export All Candidates To"),
                                                          exportDirectoryFor(m_set->path()));
    if (dir.isEmpty())
        return;
    QSettings().setValue(QLatin1String(kExportDirKey), dir);
    reportExport(exportAllTo(dir));
}

ExportReport MainWindow::exportAllTo(const QString& directory, const QString& format)
{
    ExportOptions options;
    options.directory = directory;
    options.format = format;
    options.faces = &m_faces->faces();
    return exportAllResults(*m_set, options);
}

void MainWindow::reportExport(const ExportReport& report)
{
    if (!report.ok())
        reportError(exportFailureText(report));
    if (!report.written.isEmpty())
        showStatus(report.written.size() == 1 ? tr("Saved %1").arg(report.written.first())
                                              : tr("Saved %n file(s) in %1", "", int(report.written.size()))
                                                    .arg(QFileInfo(report.written.first()).absolutePath()),
                   10000);
    if (!report.notes.isEmpty())
        m_banner->showMessage(report.notes.join(QLatin1Char('\n')), InlineBanner::Kind::Info);
}

void MainWindow::enhanceQueue()
{
    if (m_controller->isBusy() || m_queue->count() == 0)
        return;
    if (!m_settings->hasModels()) {
        reportError(enhanceErrorText(JobError{JobError::Kind::NoModel, tr("no model is installed")}));
        return;
    }
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Save the Candidates of Every Queued Photo To"),
                                                          exportDirectoryFor(m_queue->files().first()));
    if (dir.isEmpty())
        return;
    QSettings().setValue(QLatin1String(kExportDirKey), dir);
    enhanceQueueInto(dir);
}

void MainWindow::enhanceQueueInto(const QString& directory)
{
    if (m_controller->isBusy() || m_batch->isRunning() || m_queue->count() == 0 || !m_settings->hasModels())
        return;
    m_batch->start(m_queue->files(), directory);
}

void MainWindow::connectBatch()
{
    connect(m_batch, &BatchQueue::openRequested, this, [this](const QString& path) {
        m_queue->setCurrentFile(path);  // onQueueSelection leaves the batch's photos alone
        openPhoto(path);
    });
    connect(m_batch, &BatchQueue::enhanceRequested, this, [this] {
        const EnhanceSettings s = m_settings->settings();
        startJob(JobKind::Batch, s.toRequest(m_set->input(), s.nextSeed()));
    });
    connect(m_batch, &BatchQueue::photoStatusChanged, m_queue, &QueuePanel::setStatus);
    connect(m_batch, &BatchQueue::stoppedByError, this, &MainWindow::reportError);
    connect(m_batch, &BatchQueue::finished, this, &MainWindow::showBatchSummary);
}

void MainWindow::showBatchSummary(int done, int failed)
{
    const QString summary = (m_batch->wasCancelled() ? tr("Queue stopped: %n photo(s) enhanced", "", done)
                                                     : tr("Queue done: %n photo(s) enhanced", "", done))
                          + (failed ? tr(", %n failed", "", failed) : QString());
    showStatus(summary, 0);
    if (failed)
        m_banner->showMessage(summary + tr(". The failed photos are marked in the queue."), InlineBanner::Kind::Warning);
    updateActions();
    Q_EMIT queueFinished(done, failed);
}

}  // namespace refine::ui
