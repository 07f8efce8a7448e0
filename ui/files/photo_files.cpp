#include "files/photo_files.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QMimeData>
#include <QObject>
#include <QStandardPaths>

#include "refine/imaging/image_io.h"

namespace refine::ui {
namespace {

bool isSupported(const QFileInfo& info)
{
    return imaging::isSupportedImagePath(info.fileName().toStdString());
}

void addFolder(const QFileInfo& folder, PathSorting& sorting)
{
    const QFileInfoList entries = QDir(folder.absoluteFilePath()).entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
    int added = 0;
    for (const QFileInfo& entry : entries)
        if (isSupported(entry)) {
            sorting.accepted << entry.absoluteFilePath();
            ++added;
        }
    if (added == 0)
        sorting.rejected << QObject::tr("%1 (no photos in this folder)").arg(folder.fileName());
}

}  // namespace

PathSorting sortPaths(const QStringList& paths)
{
    PathSorting sorting;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (!info.exists())
            sorting.rejected << QObject::tr("%1 (not found)").arg(info.fileName());
        else if (info.isDir())
            addFolder(info, sorting);
        else if (!isSupported(info))
            sorting.rejected << QObject::tr("%1 (not a JPEG, PNG, TIFF, WebP or BMP photo)").arg(info.fileName());
        else
            sorting.accepted << info.absoluteFilePath();
    }
    sorting.accepted.removeDuplicates();
    return sorting;
}

PathSorting sortUrls(const QList<QUrl>& urls)
{
    QStringList local;
    PathSorting remote;
    for (const QUrl& url : urls) {
        if (url.isLocalFile())
            local << url.toLocalFile();
        else
            remote.rejected << QObject::tr("%1 (not a local file)").arg(url.toDisplayString());
    }
    PathSorting sorting = sortPaths(local);
    sorting.rejected += remote.rejected;
    return sorting;
}

bool mimeHasFilesOrImage(const QMimeData* mime)
{
    return mime && (mime->hasUrls() || mime->hasImage());
}

QString savePastedImage(const QImage& image, QString* error)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/pasted");
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QObject::tr("cannot create %1").arg(dir);
        return {};
    }
    const QString path = dir + QStringLiteral("/pasted-%1.png")
                                   .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz")));
    if (!image.save(path, "PNG")) {
        if (error)
            *error = QObject::tr("cannot write %1").arg(path);
        return {};
    }
    return path;
}

QString photoFileFilter()
{
    return QObject::tr("Photos (*.jpg *.jpeg *.png *.tif *.tiff *.webp *.bmp *.JPG *.JPEG *.PNG *.TIF *.TIFF *.WEBP *.BMP);;"
                       "All files (*)");
}

}  // namespace refine::ui
