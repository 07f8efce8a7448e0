#include "files/recent_files.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace refine::ui {
namespace {

const char* const kKey = "recentFiles";

}  // namespace

RecentFiles::RecentFiles(QObject* parent) : QObject(parent)
{
    m_files = QSettings().value(QLatin1String(kKey)).toStringList();
}

void RecentFiles::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_files.removeAll(absolute);
    m_files.prepend(absolute);
    while (m_files.size() > kMaxFiles)
        m_files.removeLast();
    save();
    rebuild();
    Q_EMIT changed();
}

void RecentFiles::clear()
{
    m_files.clear();
    save();
    rebuild();
    Q_EMIT changed();
}

void RecentFiles::attach(QMenu* menu)
{
    m_menu = menu;
    rebuild();
}

void RecentFiles::save() const
{
    QSettings().setValue(QLatin1String(kKey), m_files);
}

void RecentFiles::rebuild()
{
    if (!m_menu)
        return;
    m_menu->clear();
    int number = 1;
    for (const QString& path : std::as_const(m_files)) {
        // &1..&9 give keyboard access; missing files stay listed but disabled.
        const QString label = number <= 9 ? QStringLiteral("&%1  %2").arg(number).arg(QFileInfo(path).fileName())
                                          : QFileInfo(path).fileName();
        QAction* action = m_menu->addAction(label, this, [this, path] { Q_EMIT openRequested(path); });
        action->setToolTip(path);
        action->setEnabled(QFileInfo::exists(path));
        ++number;
    }
    if (!m_files.isEmpty())
        m_menu->addSeparator();
    QAction* clearAction = m_menu->addAction(tr("Clear Recent Files"), this, &RecentFiles::clear);
    clearAction->setEnabled(!m_files.isEmpty());
}

}  // namespace refine::ui
