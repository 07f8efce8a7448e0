#pragma once
/// @file queue_panel.h
/// @brief The photos waiting to be enhanced, as thumbnails. Selecting one opens it; thumbnails
/// are decoded in the background so a folder of large photos does not freeze the window.

#include <QStringList>
#include <QWidget>

class QLabel;
class QListWidget;
class QListWidgetItem;

namespace refine::ui {

class QueuePanel : public QWidget {
    Q_OBJECT
public:
    explicit QueuePanel(QWidget* parent = nullptr);

    /// Adds the files not queued yet and returns them; the first added becomes current when
    /// nothing was.
    QStringList addFiles(const QStringList& paths);
    QStringList files() const;
    int count() const;
    QString currentFile() const;
    void setCurrentFile(const QString& path);
    void removeFile(const QString& path);
    void clear();
    /// Marks a photo as enhanced (a tick in its label) or failed.
    void setStatus(const QString& path, const QString& status);

Q_SIGNALS:
    void currentFileChanged(const QString& path);
    void countChanged(int count);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    QListWidgetItem* itemFor(const QString& path) const;
    void loadThumbnail(const QString& path);
    void updateLabel(QListWidgetItem* item);
    void removeSelected();
    void showContextMenu(const QPoint& pos);

    QListWidget* m_list;
    QLabel* m_empty;
};

}  // namespace refine::ui
