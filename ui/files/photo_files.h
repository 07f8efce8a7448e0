#pragma once
/// @file photo_files.h
/// @brief Which of the paths a person hands over (drop, File > Open, command line, paste) are
/// photos Refine can enhance, and why the others are not.

#include <QList>
#include <QStringList>
#include <QUrl>

class QImage;
class QMimeData;

namespace refine::ui {

struct PathSorting {
    QStringList accepted;  ///< supported image files, absolute paths
    QStringList rejected;  ///< "name (reason)" for each refused item
};

/// Files are taken when their extension is supported; folders contribute their supported
/// images (not recursively, sorted by name).
PathSorting sortPaths(const QStringList& paths);
/// As sortPaths for dropped URLs; remote URLs are refused.
PathSorting sortUrls(const QList<QUrl>& urls);
/// Whether a drag carries anything worth showing the drop overlay for.
bool mimeHasFilesOrImage(const QMimeData* mime);

/// Saves a pasted image as PNG in the app's data folder so it can be queued like a file;
/// returns its path, or an empty string (with `error` set).
QString savePastedImage(const QImage& image, QString* error);

/// The file dialog filter for supported photos.
QString photoFileFilter();

}  // namespace refine::ui
