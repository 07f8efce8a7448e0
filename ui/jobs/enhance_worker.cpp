#include "jobs/enhance_worker.h"

#include <QElapsedTimer>
#include <QMutexLocker>

#include <new>

#include "model/image_convert.h"
#include "model/uncertainty_map.h"
#include "refine/engine/engine.h"

namespace refine::ui {
namespace {

constexpr qint64 kProgressIntervalMs = 50;  // a faster progress bar only costs the GUI thread

}  // namespace

/// Forwards the engine's callbacks (on the worker thread) as throttled signals.
class EnhanceWorker::Observer : public EnhanceObserver {
public:
    Observer(EnhanceWorker& worker, quint64 jobId, const EnhanceJob& job)
        : m_worker(worker), m_jobId(jobId), m_request(*job.request), m_colourSpace(job.colourSpace)
    {
        m_sinceProgress.start();
    }

    void onProgress(const EnhanceProgress& p) override
    {
        // Throttled, except the last step and the first step of every cascade pass, so the
        // user always sees a new pass begin however fast the steps are.
        const bool last = p.step >= p.stepCount && p.stage + 1 >= p.stageCount;
        const bool newPass = p.stage != m_reportedStage;
        if (!last && !newPass && m_sinceProgress.isValid() && m_sinceProgress.elapsed() < kProgressIntervalMs)
            return;
        m_reportedStage = p.stage;
        m_sinceProgress.restart();
        Q_EMIT m_worker.progress(m_jobId, p);
    }

    void onPreview(const EnhancePreview& p) override
    {
        m_worker.storePreview(m_jobId, p, m_request.firstCandidateIndex, m_request.candidates, m_colourSpace);
    }

    void onClean(const CandidateOutput& clean) override
    {
        // Not throttled: it comes once, and it is what the user sees first. Its pixels are
        // shared with the outcome, which so holds the clean result once.
        auto pixels = std::make_shared<const ImageF>(clean.image);
        CleanFrame frame{pixels, toQImage(*pixels, m_colourSpace), clean.consistencyMse};
        m_clean = frame;
        Q_EMIT m_worker.cleanReady(m_jobId, frame);
    }

    void onCleanDraft(const ImageF& draft) override
    {
        // Converted here, on the worker, like every image the window paints.
        Q_EMIT m_worker.cleanDraftReady(m_jobId, toQImage(draft, m_colourSpace));
    }

    /// What onClean() sent (no pixels before).
    const CleanFrame& clean() const { return m_clean; }

private:
    EnhanceWorker& m_worker;
    int m_reportedStage = -1;  ///< cascade pass of the last progress signal
    quint64 m_jobId;
    const EnhanceRequest& m_request;
    QColorSpace m_colourSpace;
    QElapsedTimer m_sinceProgress;
    CleanFrame m_clean;
};

EnhanceWorker::EnhanceWorker(QObject* parent) : QObject(parent)
{
    registerJobMetaTypes();
}

EnhanceWorker::~EnhanceWorker() = default;

void EnhanceWorker::run(quint64 jobId, const EnhanceJob& job)
{
    // Nothing may escape a slot called through the event loop: every exception becomes a signal.
    try {
        if (!job.request)
            throw Error(ErrorCode::InvalidArgument, "a job without a request");
        if (job.cancel && job.cancel->isCancelled())
            throw Cancelled();
        if (job.modelId.empty() && Engine::installedModels().empty()) {
            Q_EMIT failed(jobId, JobError{JobError::Kind::NoModel, QStringLiteral("no model is installed")});
            return;
        }
        ensureModel(jobId, job.modelId, job.precision);
        JobOutcome outcome = runJob(jobId, job);
        Q_EMIT finished(jobId, outcome);
    } catch (const Cancelled&) {
        Q_EMIT cancelled(jobId);
    } catch (const Error& e) {
        JobError error{jobErrorKind(e.code()), QString::fromStdString(e.what()), {}};
        // The engine's memory messages are written for people: what it needs, what would fit.
        if (e.code() == ErrorCode::OutOfMemory)
            error.plainText = error.detail;
        Q_EMIT failed(jobId, error);
    } catch (const std::bad_alloc&) {
        Q_EMIT failed(jobId, JobError{JobError::Kind::OutOfMemory, QStringLiteral("out of memory")});
    } catch (const std::exception& e) {
        Q_EMIT failed(jobId, JobError{JobError::Kind::Internal, QString::fromStdString(e.what())});
    } catch (...) {
        Q_EMIT failed(jobId, JobError{JobError::Kind::Internal, QStringLiteral("unknown error")});
    }
}

void EnhanceWorker::prepareModel(const QString& modelId, Precision precision)
{
    try {
        if (!modelId.isEmpty() || !Engine::installedModels().empty())
            ensureModel(0, modelId.toStdString(), precision);
    } catch (...) {
        // The job that needs the model loads it again and reports what went wrong.
    }
}

void EnhanceWorker::ensureModel(quint64 jobId, const std::string& modelId, Precision precision)
{
    // Precision is an engine option: a different one needs a new engine (and a reload).
    if (!m_engine || m_enginePrecision != precision) {
        EngineOptions options;
        options.precision = precision;
        m_engine.reset();
        m_loadedModel.clear();
        m_engine = std::make_unique<Engine>(options);
        m_enginePrecision = precision;
    }
    const std::string wanted = modelId.empty() ? Engine::defaultModelId() : modelId;
    if (m_loadedModel == wanted && m_engine->hasModel())
        return;
    m_loadedModel.clear();
    m_engine->loadModel(wanted);
    m_loadedModel = wanted;
    Q_EMIT modelLoaded(jobId, QString::fromStdString(m_engine->model().id),
                       QString::fromStdString(m_engine->deviceName()));
}

JobOutcome EnhanceWorker::runJob(quint64 jobId, const EnhanceJob& job)
{
    EnhanceRequest& request = *job.request;
    JobOutcome outcome;
    outcome.inputSize = QSize(request.input.width, request.input.height);
    auto result = std::make_shared<EnhanceResult>();
    {
        Observer observer(*this, jobId, job);
        *result = m_engine->enhance(request, &observer, job.cancel.get());
        outcome.cleanPixels = observer.clean().pixels;  // the clean result, shown already
        outcome.clean = observer.clean().image;
    }
    // The input is the photo's, which the app holds: the provenance needs the settings only.
    request.input = ImageF();
    outcome.request = job.request;
    outcome.model = m_engine->model();

    // Here, not on the GUI thread: the pixels change hands without a copy and the display
    // images (multi-megapixel conversions) are made.
    takePixels(*result, outcome, job.colourSpace);
    outcome.uncertaintyHeat = uncertaintyOverlay(result->uncertainty);
    result->uncertainty = ImageF();  // edits recompute it from the candidates
    outcome.result = std::move(result);
    return outcome;
}

void EnhanceWorker::storePreview(quint64 jobId, const EnhancePreview& preview, int firstIndex, int candidates,
                                 const QColorSpace& colourSpace)
{
    // Convert outside the lock; the GUI only waits for the swap.
    QVector<QImage> converted;
    for (const auto& image : preview.images)
        converted.push_back(toQImage(image, colourSpace));

    bool notify = false;
    {
        QMutexLocker lock(&m_previewMutex);
        if (m_previewJob != jobId) {
            m_previewJob = jobId;
            m_preview = PreviewFrame{};
            m_previewPending = false;
        }
        // Latest wins per candidate: chunks of candidates fill their own cells.
        m_preview.images.resize(candidates);
        for (int i = 0; i < converted.size(); ++i) {
            const int slot = preview.firstCandidate - firstIndex + i;
            if (slot >= 0 && slot < candidates)
                m_preview.images[slot] = converted[i];
        }
        m_preview.stage = preview.stage;
        m_preview.step = preview.step;
        m_preview.stepCount = preview.stepCount;
        notify = !m_previewPending;
        m_previewPending = true;
    }
    if (notify)
        Q_EMIT previewReady(jobId);
}

PreviewFrame EnhanceWorker::takePreview(quint64 jobId)
{
    QMutexLocker lock(&m_previewMutex);
    if (m_previewJob != jobId)
        return {};
    m_previewPending = false;
    return m_preview;
}

}  // namespace refine::ui
