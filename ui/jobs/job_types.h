#pragma once
/// @file job_types.h
/// @brief What travels between the GUI thread and the enhance worker: the job, its previews, its
/// outcome and its failure. Everything here is copyable and registered as a Qt metatype, so it
/// can cross queued signal connections.

#include <QColorSpace>
#include <QImage>
#include <QMetaType>
#include <QSize>
#include <QString>
#include <QVector>

#include <memory>
#include <string>

#include "refine/engine/enhance.h"
#include "refine/engine/error.h"
#include "refine/engine/model_info.h"

namespace refine::ui {

using JobId = quint64;

/// One enhancement: the engine request plus the engine configuration it needs.
struct EnhanceJob {
    /// The job's own request, its input the only copy of the pixels the job needs: nobody else
    /// holds it, so the worker releases the input as soon as the engine is done and the outcome
    /// keeps the rest as provenance.
    std::shared_ptr<EnhanceRequest> request = std::make_shared<EnhanceRequest>();
    std::string modelId;                         ///< id or path; empty = the engine's default model
    Precision precision = Precision::Float32;
    QColorSpace colourSpace;                     ///< the photo's; the display images are converted from it
    std::shared_ptr<CancelToken> cancel;         ///< set by the controller; cancelled from the GUI thread
};

/// The latest x0 predictions, already converted to QImage on the worker. Indexed by the job's
/// candidate position (candidate index - request.firstCandidateIndex); null images: none yet.
struct PreviewFrame {
    int stage = 0;
    int step = 0, stepCount = 0;
    QVector<QImage> images;
};

/// A residual-shift model's clean result, sent once as soon as the engine has it (before any
/// candidate step): full size, with its display image converted on the worker.
struct CleanFrame {
    std::shared_ptr<const ImageF> pixels;  ///< null: none
    QImage image;
    double consistencyMse = -1;            ///< as the engine measured it; < 0: unknown
};

/// A finished job. Every image is held once: the pixels are shared and never modified, and the
/// engine's result and request keep only what the provenance needs (their pixels were moved
/// into the fields here, or released). The QImages are ready to paint.
struct JobOutcome {
    std::shared_ptr<const EnhanceResult> result;     ///< candidates' index, seed and MSE; no pixels
    std::shared_ptr<const EnhanceRequest> request;   ///< the request as run, without its input pixels
    QSize inputSize;                                 ///< of the request's input
    ModelInfo model;
    QVector<std::shared_ptr<const ImageF>> candidatePixels;  ///< result->candidates' images, in order
    QVector<QImage> candidates;                      ///< for display; may be empty: a clean-only job (Fast preset)
    std::shared_ptr<const ImageF> cleanPixels;       ///< result->clean's image; null for SR3 models
    QImage clean;                                    ///< for display; null for SR3 models
    QImage uncertaintyHeat;                          ///< ARGB overlay; null unless the request asked for the map
    int previewStep = 0;                             ///< > 0: kept from the previews of a job cancelled at this step
};

/// Moves the candidate and clean images of `result` into `outcome` (candidatePixels,
/// cleanPixels), leaving `result` with what the provenance needs, and makes their display
/// images (converted from `colourSpace` for the screen) unless `outcome` has them already.
void takePixels(EnhanceResult& result, JobOutcome& outcome, const QColorSpace& colourSpace);

/// Why a job failed, in the engine's categories plus what the GUI adds.
struct JobError {
    enum class Kind { InvalidArgument, BadModel, NoModel, BadImage, OutOfMemory, Io, Internal };
    Kind kind = Kind::Internal;
    QString detail;     ///< the library's own message (technical, shown as details)
    QString plainText{};  ///< a sentence for people, when the library wrote one (the memory plan's)
};

JobError::Kind jobErrorKind(ErrorCode code);

/// Registers the types above for queued connections; idempotent.
void registerJobMetaTypes();

}  // namespace refine::ui

Q_DECLARE_METATYPE(refine::ui::EnhanceJob)
Q_DECLARE_METATYPE(refine::ui::PreviewFrame)
Q_DECLARE_METATYPE(refine::ui::CleanFrame)
Q_DECLARE_METATYPE(refine::ui::JobOutcome)
Q_DECLARE_METATYPE(refine::ui::JobError)
Q_DECLARE_METATYPE(refine::EnhanceProgress)
