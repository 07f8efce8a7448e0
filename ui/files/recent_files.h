#pragma once
/// @file recent_files.h
/// @brief The File > Open Recent list, kept in QSettings, newest first.

#include <QObject>
#include <QStringList>

class QMenu;

namespace refine::ui {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    explicit RecentFiles(QObject* parent = nullptr);

    void add(const QString& path);
    void clear();
    QStringList files() const { return m_files; }
    /// Fills `menu` with the files (and a Clear entry); rebuilt whenever the list changes.
    void attach(QMenu* menu);

    static constexpr int kMaxFiles = 10;

Q_SIGNALS:
    void openRequested(const QString& path);
    void changed();

private:
    void save() const;
    void rebuild();

    QStringList m_files;
    QMenu* m_menu = nullptr;
};

}  // namespace refine::ui
