#pragma once
/// @file photo_loader.h
/// @brief Decodes photos off the GUI thread (QtConcurrent), so opening a huge or slow file
/// never freezes the window. Only the newest request is reported: opening B while A is still
/// decoding drops A's result.

#include <QObject>
#include <QString>

#include <memory>

#include "model/candidate_set.h"
#include "refine/engine/error.h"
#include "refine/imaging/photo.h"

template <typename T>
class QFutureWatcher;

namespace refine::ui {

/// What a decode produced: the photo, or why there is none.
struct LoadedPhoto {
    QString path;
    /// Null when decoding failed. Its pixels (Photo::rgb) were moved into `views.input`, so the
    /// app holds them once; the rest (bytes, alpha, format) is what export needs.
    std::shared_ptr<const imaging::Photo> photo;
    PhotoViews views;                             ///< what CandidateSet::setPhoto needs, made on the pool
    ErrorCode errorCode = ErrorCode::Internal;
    QString errorMessage;                         ///< the library's message when it failed
    bool ok() const { return photo != nullptr; }
};

class PhotoLoader : public QObject {
    Q_OBJECT
public:
    explicit PhotoLoader(QObject* parent = nullptr);

    /// Starts decoding `path` on the thread pool, its Original to be shown at `scale`;
    /// `loaded` follows on this object's thread.
    void load(const QString& path, int scale);
    bool isLoading() const { return m_current != nullptr; }
    /// The file being decoded now (empty when idle).
    QString loadingPath() const { return m_loadingPath; }

    /// Decodes `path` here and now; never throws. Runs on the pool for load().
    static LoadedPhoto decode(const QString& path, int scale);

Q_SIGNALS:
    void loaded(const refine::ui::LoadedPhoto& photo);

private:
    QFutureWatcher<LoadedPhoto>* m_current = nullptr;
    QString m_loadingPath;
};

}  // namespace refine::ui
