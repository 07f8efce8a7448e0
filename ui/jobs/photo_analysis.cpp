#include "jobs/photo_analysis.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

#include "refine/imaging/photo.h"

namespace refine::ui {

PhotoAnalysis analysePhoto(const QString& path, const std::optional<imaging::JpegQuality>& jpeg, const ImageF& pixels)
{
    PhotoAnalysis analysis;
    analysis.path = path;
    if (pixels.channels != 3 || pixels.empty())
        return analysis;
    // A read-only view of the photo's pixels, not a copy: a large photo stays held once.
    const cv::Mat rgb(pixels.height, pixels.width, CV_32FC3, const_cast<float*>(pixels.pixels.data()));
    try {
        analysis.condition = imaging::assessPhotoCondition(jpeg, rgb);
    } catch (const std::exception&) {
        // Not measurable (a photo too small for the masks): it is not suggested for Old photo.
        analysis.condition = imaging::PhotoCondition{};
    }
    try {
        analysis.faces = imaging::detectFaces(rgb);
    } catch (const std::exception& e) {
        analysis.faceProblem = QString::fromStdString(e.what());
    }
    return analysis;
}

PhotoAnalyzer::PhotoAnalyzer(QObject* parent) : QObject(parent), m_watcher(new QFutureWatcher<PhotoAnalysis>(this))
{
    connect(m_watcher, &QFutureWatcher<PhotoAnalysis>::finished, this, [this] {
        const PhotoAnalysis analysis = m_watcher->result();
        if (analysis.path == m_latest)
            Q_EMIT analysed(analysis);
    });
}

PhotoAnalyzer::~PhotoAnalyzer()
{
    m_watcher->disconnect(this);  // a task still running reports to no one
}

void PhotoAnalyzer::analyse(const QString& path, const imaging::Photo& photo, std::shared_ptr<const ImageF> pixels)
{
    m_latest = path;
    if (!pixels)
        return;
    // The header is read here (a few hundred bytes before the image data), so the task needs
    // only the pixels, which stay shared with the open photo.
    const std::optional<imaging::JpegQuality> jpeg = imaging::estimateJpegQuality(photo.sourceBytes);
    m_watcher->setFuture(QtConcurrent::run([path, jpeg, pixels = std::move(pixels)] {
        return analysePhoto(path, jpeg, *pixels);
    }));
}

bool PhotoAnalyzer::isRunning() const
{
    return m_watcher->isRunning();
}

}  // namespace refine::ui
