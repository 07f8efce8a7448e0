#include "panels/queue_panel.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPointer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "files/thumbnail_reader.h"

namespace refine::ui {
namespace {

constexpr int kThumbSide = 56;
constexpr int kPathRole = Qt::UserRole;
constexpr int kStatusRole = Qt::UserRole + 1;

}  // namespace

QueuePanel::QueuePanel(QWidget* parent)
    : QWidget(parent), m_list(new QListWidget(this)),
      m_empty(new QLabel(tr("No photos yet.\nDrop photos or folders here, paste an image, or use File > Open."), this))
{
    m_list->setIconSize(QSize(kThumbSide, kThumbSide));
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setToolTip(tr("Photos to enhance. Select one to open it; Delete removes it from the queue."));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_empty);
    layout->addWidget(m_list, 1);
    m_list->hide();

    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (item)
            Q_EMIT currentFileChanged(item->data(kPathRole).toString());
    });
    connect(m_list, &QListWidget::customContextMenuRequested, this, &QueuePanel::showContextMenu);
}

QStringList QueuePanel::addFiles(const QStringList& paths)
{
    QStringList added;
    for (const QString& path : paths) {
        if (itemFor(path))
            continue;
        auto* item = new QListWidgetItem(QFileInfo(path).fileName(), m_list);
        item->setData(kPathRole, path);
        item->setToolTip(path);
        item->setSizeHint(QSize(kThumbSide * 3, kThumbSide + 8));
        loadThumbnail(path);
        added << path;
    }
    m_empty->setVisible(m_list->count() == 0);
    m_list->setVisible(m_list->count() > 0);
    if (!added.isEmpty() && !m_list->currentItem())
        setCurrentFile(added.first());
    if (!added.isEmpty())
        Q_EMIT countChanged(m_list->count());
    return added;
}

void QueuePanel::loadThumbnail(const QString& path)
{
    auto* watcher = new QFutureWatcher<QImage>(this);
    connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        QListWidgetItem* item = itemFor(path);
        if (!item)
            return;  // removed meanwhile
        const QImage thumb = watcher->result();
        if (thumb.isNull()) {
            item->setData(kStatusRole, tr("cannot be read"));
            updateLabel(item);
        } else {
            item->setIcon(QIcon(QPixmap::fromImage(thumb)));
        }
    });
    // A reduced decode on the pool: a folder of large photos neither freezes nor fills memory.
    watcher->setFuture(QtConcurrent::run([path] { return readThumbnail(path, kThumbSide); }));
}

QListWidgetItem* QueuePanel::itemFor(const QString& path) const
{
    for (int row = 0; row < m_list->count(); ++row)
        if (m_list->item(row)->data(kPathRole).toString() == path)
            return m_list->item(row);
    return nullptr;
}

QStringList QueuePanel::files() const
{
    QStringList paths;
    for (int row = 0; row < m_list->count(); ++row)
        paths << m_list->item(row)->data(kPathRole).toString();
    return paths;
}

int QueuePanel::count() const { return m_list->count(); }

QString QueuePanel::currentFile() const
{
    const QListWidgetItem* item = m_list->currentItem();
    return item ? item->data(kPathRole).toString() : QString();
}

void QueuePanel::setCurrentFile(const QString& path)
{
    if (QListWidgetItem* item = itemFor(path))
        m_list->setCurrentItem(item);
}

void QueuePanel::removeFile(const QString& path)
{
    delete itemFor(path);
    m_empty->setVisible(m_list->count() == 0);
    m_list->setVisible(m_list->count() > 0);
    Q_EMIT countChanged(m_list->count());
}

void QueuePanel::clear()
{
    m_list->clear();
    m_empty->show();
    m_list->hide();
    Q_EMIT countChanged(0);
}

void QueuePanel::setStatus(const QString& path, const QString& status)
{
    if (QListWidgetItem* item = itemFor(path)) {
        item->setData(kStatusRole, status);
        updateLabel(item);
    }
}

void QueuePanel::updateLabel(QListWidgetItem* item)
{
    const QString name = QFileInfo(item->data(kPathRole).toString()).fileName();
    const QString status = item->data(kStatusRole).toString();
    item->setText(status.isEmpty() ? name : name + QStringLiteral("\n") + status);
}

void QueuePanel::removeSelected()
{
    const QList<QListWidgetItem*> selected = m_list->selectedItems();
    for (QListWidgetItem* item : selected)
        removeFile(item->data(kPathRole).toString());
}

void QueuePanel::keyPressEvent(QKeyEvent* event)
{
    if (event->matches(QKeySequence::Delete) || event->key() == Qt::Key_Backspace) {
        removeSelected();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void QueuePanel::showContextMenu(const QPoint& pos)
{
    QMenu menu(this);
    menu.addAction(tr("Remove from Queue"), this, &QueuePanel::removeSelected)->setEnabled(!m_list->selectedItems().isEmpty());
    menu.addAction(tr("Clear Queue"), this, &QueuePanel::clear)->setEnabled(m_list->count() > 0);
    menu.exec(m_list->viewport()->mapToGlobal(pos));
}

}  // namespace refine::ui
