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
    Observer(EnhanceWorker& worker, quint64 jobId, const EnhanceRequest& request)
        : m_worker(worker), m_jobId(jobId), m_request(request)
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
        m_worker.storePreview(m_jobId, p, m_request.firstCandidateIndex, m_request.candidates);
    }

    void onClean(const CandidateOutput& clean) override
    {
        // Not throttled: it comes once, and it is what the user sees first.
        CleanFrame frame{std::make_shared<const ImageF>(clean.image), toQImage(clean.image), clean.consistencyMse};
        m_cleanImage = frame.image;
        Q_EMIT m_worker.cleanReady(m_jobId, frame);
    }

    /// The clean result's display image, once onClean() has converted it (null before).
    QImage cleanImage() const { return m_cleanImage; }

private:
    EnhanceWorker& m_worker;
    int m_reportedStage = -1;  ///< cascade pass of the last progress signal
    quint64 m_jobId;
    const EnhanceRequest& m_request;
    QElapsedTimer m_sinceProgress;
    QImage m_cleanImage;
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
        if (job.cancel && job.cancel->isCancelled())
            throw Cancelled();
        if (job.modelId.empty() && Engine::installedModels().empty()) {
            Q_EMIT failed(jobId, JobError{JobError::Kind::NoModel, QStringLiteral("no model is installed")});
            return;
        }
        ensureModel(jobId, job);
        JobOutcome outcome = runJob(jobId, job);
        Q_EMIT finished(jobId, outcome);
    } catch (const Cancelled&) {
        Q_EMIT cancelled(jobId);
    } catch (const Error& e) {
        Q_EMIT failed(jobId, JobError{jobErrorKind(e.code()), QString::fromStdString(e.what())});
    } catch (const std::bad_alloc&) {
        Q_EMIT failed(jobId, JobError{JobError::Kind::OutOfMemory, QStringLiteral("out of memory")});
    } catch (const std::exception& e) {
        Q_EMIT failed(jobId, JobError{JobError::Kind::Internal, QString::fromStdString(e.what())});
    } catch (...) {
        Q_EMIT failed(jobId, JobError{JobError::Kind::Internal, QStringLiteral("unknown error")});
    }
}

void EnhanceWorker::ensureModel(quint64 jobId, const EnhanceJob& job)
{
    // Precision is an engine option: a different one needs a new engine (and a reload).
    if (!m_engine || m_enginePrecision != job.precision) {
        EngineOptions options;
        options.precision = job.precision;
        m_engine.reset();
        m_loadedModel.clear();
        m_engine = std::make_unique<Engine>(options);
        m_enginePrecision = job.precision;
    }
    const std::string wanted = job.modelId.empty() ? Engine::defaultModelId() : job.modelId;
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
    Observer observer(*this, jobId, job.request);
    auto result = std::make_shared<EnhanceResult>(m_engine->enhance(job.request, &observer, job.cancel.get()));

    // Converting here keeps multi-megapixel copies off the GUI thread.
    JobOutcome outcome;
    outcome.model = m_engine->model();
    outcome.request = std::make_shared<const EnhanceRequest>(job.request);
    for (const auto& candidate : result->candidates)
        outcome.candidates.push_back(toQImage(candidate.image));
    if (!result->clean.image.empty())  // converted once already, when it was first shown
        outcome.clean = observer.cleanImage().isNull() ? toQImage(result->clean.image) : observer.cleanImage();
    outcome.uncertaintyHeat = uncertaintyOverlay(result->uncertainty);
    outcome.result = std::move(result);
    return outcome;
}

void EnhanceWorker::storePreview(quint64 jobId, const EnhancePreview& preview, int firstIndex, int candidates)
{
    // Convert outside the lock; the GUI only waits for the swap.
    QVector<QImage> converted;
    for (const auto& image : preview.images)
        converted.push_back(toQImage(image));

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
