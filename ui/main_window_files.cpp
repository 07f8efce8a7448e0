// MainWindow: getting photos in (File > Open, drag and drop, paste, recent files, the queue).
#include "main_window.h"

#include <QApplication>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QUndoStack>

#include "explore/explore_session.h"
#include "files/photo_files.h"
#include "files/recent_files.h"
#include "jobs/batch_queue.h"
#include "jobs/enhance_controller.h"
#include "model/candidate_set.h"
#include "panels/alternatives_strip.h"
#include "panels/drop_overlay.h"
#include "panels/inline_banner.h"
#include "panels/queue_panel.h"
#include "panels/settings_panel.h"
#include "refine/imaging/image_io.h"
#include "views/candidate_grid.h"
#include "views/view_sync.h"

namespace refine::ui {

void MainWindow::openPaths(const QStringList& paths)
{
    queueSorted(sortPaths(paths));
}

void MainWindow::queueSorted(const PathSorting& sorting)
{
    if (!sorting.rejected.isEmpty())
        m_banner->showMessage(tr("Not added: %1").arg(sorting.rejected.join(QStringLiteral(", "))),
                              InlineBanner::Kind::Warning);
    const QStringList added = m_queue->addFiles(sorting.accepted);
    if (added.isEmpty())
        return;
    showStatus(tr("%n photo(s) added to the queue", "", int(added.size())));
    for (const QString& path : added)
        m_recent->add(path);
    if (!m_set->hasPhoto())
        m_queue->setCurrentFile(added.first());  // opens it (unless the queue already did)
}

void MainWindow::openPhoto(const QString& path)
{
    if (path == m_set->path() && m_set->hasPhoto() && !m_loader->isLoading()) {
        photoOpened(path, true);
        return;
    }
    m_loader->load(path, m_settings->settings().scale);  // the views for the scale the next job uses
    showStatus(tr("Opening %1…").arg(QFileInfo(path).fileName()), 0);
}

bool MainWindow::isOpeningPhoto() const
{
    return m_loader->isLoading();
}

void MainWindow::onPhotoLoaded(const LoadedPhoto& loaded)
{
    const QString& path = loaded.path;
    if (!loaded.ok()) {
        statusBar()->clearMessage();
        m_queue->setStatus(path, tr("cannot be read"));
        const ErrorText error =
            openErrorText(QFileInfo(path).fileName(), Error(loaded.errorCode, loaded.errorMessage.toStdString()));
        if (path == m_batch->opening())
            m_lastError = error.title + QStringLiteral(": ") + error.text;  // marked in the queue; the batch goes on
        else
            reportError(error);
        photoOpened(path, false);
        return;
    }
    if (m_controller->isBusy() && m_jobKind != JobKind::Batch) {
        m_controller->cancel();  // its results would belong to the photo we are leaving
        m_set->endRefinement();
    }
    m_undo->clear();
    m_explore->reset();
    m_alternatives->hide();
    m_grid->clearRegion();
    m_cancelledPreviews = {};  // they belong to the photo we are leaving
    m_keepPreviewsAction->setEnabled(false);
    m_set->setPhoto(path, loaded.photo, loaded.views);
    m_sync->fit();
    showStatus(tr("%1: %2×%3 pixels").arg(QFileInfo(path).fileName()).arg(m_set->input().width).arg(m_set->input().height));
    showReadingNotices(path, loaded.photo->notices);
    photoOpened(path, true);
}

void MainWindow::showReadingNotices(const QString& path, const std::vector<std::string>& notices)
{
    // How the file was read matters to what comes out (only the first page of a multi-page TIFF,
    // a CMYK photo made RGB): said once, in the banner, until dismissed.
    if (notices.empty())
        return;
    QStringList lines;
    for (const std::string& notice : notices)
        lines << QString::fromStdString(notice);
    m_banner->showMessage(QFileInfo(path).fileName() + QStringLiteral(": ") + lines.join(QStringLiteral("; ")),
                          InlineBanner::Kind::Info, 0);
}

void MainWindow::photoOpened(const QString& path, bool ok)
{
    // Enhance is what comes next: the model loads now, while the person looks at the photo.
    if (ok && m_settings->hasModels()) {
        const EnhanceSettings s = m_settings->settings();
        m_controller->prepareModel(s.modelId, s.precisionValue());
    }
    m_batch->photoOpened(path, ok);  // goes on when it is the batch's photo
    Q_EMIT photoOpenFinished(path, ok);
}

void MainWindow::onQueueSelection(const QString& path)
{
    if (m_batch->isRunning())
        return;  // the batch decides what is open
    openPhoto(path);
}

void MainWindow::openDialog()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("paths/open")).toString();
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Open Photos"), dir, photoFileFilter());
    if (files.isEmpty())
        return;
    settings.setValue(QStringLiteral("paths/open"), QFileInfo(files.first()).absolutePath());
    openPaths(files);
}

void MainWindow::paste()
{
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (mime && mime->hasUrls()) {
        openPaths(sortUrls(mime->urls()).accepted);
        return;
    }
    const QImage image = QApplication::clipboard()->image();
    if (image.isNull()) {
        m_banner->showMessage(tr("The clipboard holds no image to paste."), InlineBanner::Kind::Info, 6000);
        return;
    }
    QString error;
    const QString path = savePastedImage(image, &error);
    if (path.isEmpty()) {
        reportError(exportErrorText(tr("The pasted image"), error));
        return;
    }
    openPaths({path});
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!mimeHasFilesOrImage(event->mimeData()))
        return;
    event->acceptProposedAction();
    m_dropOverlay->showOver(tr("Drop photos or folders to add them to the queue"));
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event)
{
    if (mimeHasFilesOrImage(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dragLeaveEvent(QDragLeaveEvent* event)
{
    m_dropOverlay->hide();
    QMainWindow::dragLeaveEvent(event);
}

void MainWindow::dropEvent(QDropEvent* event)
{
    m_dropOverlay->hide();
    const QMimeData* mime = event->mimeData();
    if (!mime)
        return;
    if (mime->hasUrls()) {
        queueSorted(sortUrls(mime->urls()));
    } else if (mime->hasImage()) {
        QString error;
        const QString path = savePastedImage(qvariant_cast<QImage>(mime->imageData()), &error);
        if (!path.isEmpty())
            openPaths({path});
    }
    event->acceptProposedAction();
}

}  // namespace refine::ui
