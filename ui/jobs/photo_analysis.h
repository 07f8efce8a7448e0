#pragma once
/// @file photo_analysis.h
/// @brief What Refine notices about a photo as it opens, off the GUI thread: how worn it looks
/// (imaging::assessPhotoCondition: JPEG quality, noise, blocks), for the Old photo suggestion,
/// and where its faces are (imaging::detectFaces), for the face navigator.

#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

#include "refine/engine/image.h"
#include "refine/imaging/face_detection.h"
#include "refine/imaging/photo_condition.h"

template <typename T>
class QFutureWatcher;

namespace refine::imaging {
struct Photo;
}

namespace refine::ui {

struct PhotoAnalysis {
    QString path;
    imaging::PhotoCondition condition;
    std::vector<imaging::FaceBox> faces;   ///< in the photo's pixels, left to right
    QString faceProblem;                   ///< why faces were not looked for, in plain words; empty: they were
};

class PhotoAnalyzer : public QObject {
    Q_OBJECT
public:
    explicit PhotoAnalyzer(QObject* parent = nullptr);
    ~PhotoAnalyzer() override;

    /// Analyses the photo at `path`: `photo` for its file's JPEG tables (read here, at once),
    /// `pixels` for the rest (on the thread pool). analysed() follows, unless another photo is
    /// analysed before it ends: only the latest photo's analysis is reported.
    void analyse(const QString& path, const imaging::Photo& photo, std::shared_ptr<const ImageF> pixels);
    bool isRunning() const;

Q_SIGNALS:
    void analysed(const PhotoAnalysis& analysis);

private:
    QFutureWatcher<PhotoAnalysis>* m_watcher;
    QString m_latest;
};

/// The analysis itself (what analyse() runs on the pool); never throws.
PhotoAnalysis analysePhoto(const QString& path, const std::optional<imaging::JpegQuality>& jpeg, const ImageF& pixels);

}  // namespace refine::ui

Q_DECLARE_METATYPE(refine::ui::PhotoAnalysis)
