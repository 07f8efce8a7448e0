#include "files/photo_loader.h"

#include <QFutureWatcher>
#include <QtConcurrent>

#include <new>

#include "refine/imaging/image_io.h"

namespace refine::ui {

PhotoLoader::PhotoLoader(QObject* parent) : QObject(parent) {}

LoadedPhoto PhotoLoader::decode(const QString& path, int scale)
{
    LoadedPhoto result;
    result.path = path;
    try {
        imaging::Photo photo = imaging::readPhoto(path.toStdString());
        PhotoViews views = CandidateSet::preparePhotoViews(photo);
        views.scale = scale;
        photo.rgb.release();  // views.input has the pixels now
        result.views = std::move(views);
        // Only now: a failure above leaves no half-made result.
        result.photo = std::make_shared<const imaging::Photo>(std::move(photo));
    } catch (const Error& e) {
        result.errorCode = e.code();
        result.errorMessage = QString::fromStdString(e.what());
    } catch (const std::bad_alloc&) {
        result.errorCode = ErrorCode::OutOfMemory;
        result.errorMessage = QObject::tr("not enough memory to decode it");
    } catch (const std::exception& e) {
        result.errorCode = ErrorCode::BadImage;
        result.errorMessage = QString::fromStdString(e.what());
    }
    return result;
}

void PhotoLoader::load(const QString& path, int scale)
{
    // The watcher of a superseded decode stays alive until its decode ends (a running decode
    // cannot be stopped), then deletes itself without reporting.
    auto* watcher = new QFutureWatcher<LoadedPhoto>(this);
    m_current = watcher;
    m_loadingPath = path;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        if (watcher != m_current)
            return;
        m_current = nullptr;
        m_loadingPath.clear();
        Q_EMIT loaded(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&PhotoLoader::decode, path, scale));
}

}  // namespace refine::ui
