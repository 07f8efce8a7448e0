// MainWindow: starting enhancement jobs and following them (progress, previews, results, errors).
#include "main_window.h"

#include <QAction>
#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QUndoStack>

#include <utility>

#include "explore/explore_session.h"
#include "repair/repair_session.h"
#include "jobs/batch_queue.h"
#include "jobs/enhance_controller.h"
#include "jobs/preset_resolution.h"
#include "jobs/preview_outcome.h"
#include "model/candidate_set.h"
#include "panels/alternatives_strip.h"
#include "panels/inline_banner.h"
#include "panels/queue_panel.h"
#include "panels/settings_panel.h"
#include "views/candidate_grid.h"

namespace refine::ui {
namespace {

QString formatSeconds(double seconds)
{
    const int s = int(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

void MainWindow::connectController()
{
    connect(m_controller, &EnhanceController::progress, this, &MainWindow::onProgress);
    connect(m_controller, &EnhanceController::previewReady, this, [this](quint64 id, const PreviewFrame& frame) {
        if (id == m_jobId && !isCropJob(m_jobKind))
            m_set->setPreview(frame);
    });
    connect(m_controller, &EnhanceController::cleanReady, this, [this](quint64 id, const CleanFrame& clean) {
        // A region or repair job's clean result is of the crop only: the candidate's stays.
        if (id == m_jobId && !isCropJob(m_jobKind))
            m_set->setRefiningClean(clean);
    });
    connect(m_controller, &EnhanceController::cleanDraftReady, this, [this](quint64 id, const QImage& draft) {
        if (id == m_jobId && !isCropJob(m_jobKind))
            m_set->setRefiningCleanDraft(draft);
    });
    connect(m_controller, &EnhanceController::finished, this, &MainWindow::onFinished);
    connect(m_controller, &EnhanceController::failed, this, &MainWindow::onFailed);
    connect(m_controller, &EnhanceController::cancelled, this, &MainWindow::onCancelled);
    connect(m_controller, &EnhanceController::modelLoaded, this, [this](const QString& model, const QString& device) {
        showStatus(tr("Model %1 loaded on %2").arg(model, device));
    });
}

void MainWindow::enhance()
{
    if (!m_set->hasPhoto() || m_controller->isBusy())
        return;
    if (m_loader->isLoading()) {  // Enhance would run on the photo we are leaving
        showStatus(tr("Still opening %1…").arg(QFileInfo(m_loader->loadingPath()).fileName()));
        return;
    }
    if (!m_settings->hasModels()) {
        reportError(enhanceErrorText(JobError{JobError::Kind::NoModel, tr("no model is installed")}));
        return;
    }
    const EnhanceSettings s = m_settings->settings();
    startJob(JobKind::Enhance, s.toRequest(m_set->input(), s.nextSeed()));
}

quint64 MainWindow::startJob(JobKind kind, EnhanceRequest request)
{
    // Refused before it starts when it cannot fit, rather than failing after minutes of work.
    if (const ModelInfo* model = m_settings->currentModel()) {
        const MemoryCheck memory = memoryCheckOf(request, request.input.width, request.input.height, *model);
        if (!memory.fits) {
            refuseJob(kind, JobError{JobError::Kind::OutOfMemory, memory.problem, memory.problem});
            return 0;
        }
    }
    const EnhanceSettings s = m_settings->settings();
    // The input pixels go to the job alone (the worker releases them when the engine is done);
    // the window keeps the settings, for a cancelled job's previews.
    ImageF input = std::move(request.input);
    request.input = ImageF();
    m_jobInputSize = QSize(input.width, input.height);
    m_jobRequest = std::make_shared<const EnhanceRequest>(request);
    EnhanceJob job;
    job.request = std::make_shared<EnhanceRequest>(std::move(request));
    job.request->input = std::move(input);
    job.modelId = s.modelId.toStdString();
    job.precision = s.precisionValue();
    job.colourSpace = m_set->colourSpace();
    m_jobKind = kind;
    m_jobModel = m_settings->currentModel() ? *m_settings->currentModel() : ModelInfo{};
    m_cancelledPreviews = {};
    m_keepPreviewsAction->setEnabled(false);
    if (kind == JobKind::Enhance || kind == JobKind::Batch) {
        m_undo->clear();  // the edits belonged to the candidates this job replaces
        m_explore->reset();
        m_repair->reset();
        m_alternatives->hide();
        m_grid->clearRegion();
    }
    if (!isCropJob(kind)) {
        // A clean-only job (a residual-shift model's Fast preset) makes no candidates to wait for.
        const int candidates = isCleanOnly(*m_jobRequest, m_jobModel) ? 0 : m_jobRequest->candidates;
        m_set->beginRefinement(candidates, m_jobRequest->scale, kind == JobKind::More, m_jobModel.hasCleanUpscale());
    }
    m_jobId = m_controller->start(job);

    m_progress->setValue(0);
    m_progress->show();
    m_progressLabel->setText(kind == JobKind::Region   ? tr("Re-sampling the region…")
                             : kind == JobKind::Repair ? tr("Repairing the painted area…")
                                                       : tr("Loading the model…"));
    m_progressLabel->show();
    updateTitle(0);
    updateActions();
    return m_jobId;
}

void MainWindow::refuseJob(JobKind kind, const JobError& error)
{
    if (kind == JobKind::Batch) {
        m_lastError = error.detail;
        m_batch->jobFailed(error);  // marked; a smaller photo may still fit
        return;
    }
    reportError(enhanceErrorText(error));
}

void MainWindow::cancel()
{
    if (!m_controller->isBusy())
        return;
    m_controller->cancel();  // a batch stops too, when the job's cancel is reported
    m_progressLabel->setText(tr("Cancelling…"));
    showStatus(tr("Cancelling…"), 0);
    updateActions();
}

void MainWindow::onProgress(quint64 id, const EnhanceProgress& p)
{
    if (id != m_jobId)
        return;
    m_progress->setValue(int(p.fraction * 1000));
    QString text = tr("Step %1 of %2").arg(p.step).arg(p.stepCount);
    if (p.stageCount > 1)
        text += tr(" · pass %1 of %2").arg(p.stage + 1).arg(p.stageCount);
    if (p.chunkCount > 1)
        text += tr(" · group %1 of %2").arg(p.chunk + 1).arg(p.chunkCount);
    if (p.etaSeconds >= 0)
        text += tr(" · %1 left").arg(formatSeconds(p.etaSeconds));
    m_progressLabel->setText(text);
    updateTitle(int(p.fraction * 100));
}

void MainWindow::onFinished(quint64 id, const JobOutcome& outcome)
{
    if (id != m_jobId)
        return;
    const JobKind kind = m_jobKind;
    endJobUi();
    if (kind == JobKind::Region) {
        m_explore->takeRegionOutcome(outcome);
    } else if (kind == JobKind::Repair) {
        m_repair->takeFillOutcome(outcome);
    } else if (kind == JobKind::More) {
        m_explore->takeMoreOutcome(outcome);
    } else {
        m_set->setOutcome(outcome);
        m_estimator.calibrate(jobSizeOf(outcome), outcome.result->seconds);
        updateDeviceAndEstimate();
        const bool cleanOnly = m_set->count() == 0 && m_set->hasClean();
        if (kind != JobKind::Batch)  // the batch says what it saved
            m_queue->setStatus(m_set->path(), cleanOnly ? tr("✓ clean result") : tr("✓ %n candidate(s)", "", m_set->count()));
        const QString made = cleanOnly ? tr("Clean result") : tr("%n candidate(s)", "", m_set->count());
        showStatus(tr("%1 in %2 s on %3")
                       .arg(made)
                       .arg(outcome.result->seconds, 0, 'f', 1)
                       .arg(QString::fromStdString(outcome.result->device)), 10000);
    }
    updateActions();
    if (kind == JobKind::Batch)
        finishBatchPhoto();
    Q_EMIT jobCompleted();
}

void MainWindow::onFailed(quint64 id, const JobError& error)
{
    if (id != m_jobId)
        return;
    const JobKind kind = m_jobKind;
    endJobUi();
    m_set->endRefinement();  // the previous candidates come back
    updateActions();
    if (kind == JobKind::Batch) {
        m_lastError = error.detail;  // the batch goes on; what stops it is reported by it
        m_batch->jobFailed(error);
        return;
    }
    reportError(enhanceErrorText(error));
}

void MainWindow::onCancelled(quint64 id)
{
    if (id != m_jobId)
        return;
    const JobKind kind = m_jobKind;
    endJobUi();
    offerCancelledPreviews(kind);
    m_set->endRefinement();
    if (kind == JobKind::Batch)
        m_batch->jobCancelled();
    showStatus(tr("Cancelled. Nothing was changed."));
    updateActions();
}

void MainWindow::offerCancelledPreviews(JobKind kind)
{
    if ((kind != JobKind::Enhance && kind != JobKind::More) || !m_jobRequest)
        return;
    // "More like this" keeps its candidates only; a new job also its clean result, which comes
    // before any step and is final as it is.
    const CleanFrame clean = kind == JobKind::Enhance ? m_set->refiningClean() : CleanFrame{};
    m_cancelledPreviews = {kind, outcomeFromPreviews(m_set->previews(), m_set->previewStep(), *m_jobRequest,
                                                     m_jobInputSize, m_jobModel, clean, m_set->colourSpace())};
    if (!canKeepPreviews())
        return;
    m_keepPreviewsAction->setEnabled(true);
    const QString text = m_cancelledPreviews.outcome.candidates.isEmpty()
                           ? tr("Cancelled before the first step; the candidates are as they were. "
                                "The clean result is ready and can be kept.")
                           : tr("Cancelled at step %1 of %2; the candidates are as they were. "
                                "The previews so far can be kept as candidates.")
                                 .arg(m_set->previewStep()).arg(m_set->previewStepCount());
    m_banner->showMessage(text, InlineBanner::Kind::Info, 0, m_keepPreviewsAction);
}

void MainWindow::keepPreviews()
{
    if (!canKeepPreviews() || m_controller->isBusy())
        return;
    const CancelledPreviews kept = std::exchange(m_cancelledPreviews, {});
    m_keepPreviewsAction->setEnabled(false);
    m_banner->hide();
    if (kept.kind == JobKind::More) {
        m_explore->takeMoreOutcome(kept.outcome);  // undoable like the job it stands for
    } else {
        m_set->setOutcome(kept.outcome);
        m_queue->setStatus(m_set->path(), tr("preview kept"));
    }
    showStatus(kept.outcome.candidates.isEmpty()
                   ? tr("Clean result kept")
                   : tr("%n preview(s) kept as candidates", "", int(kept.outcome.candidates.size())));
    updateActions();
}

void MainWindow::endJobUi()
{
    m_jobKind = JobKind::None;
    m_jobId = 0;
    m_progress->hide();
    m_progressLabel->hide();
    statusBar()->clearMessage();
    updateTitle();
}

JobSize MainWindow::jobSizeOf(const JobOutcome& outcome)
{
    return JobSize{outcome.inputSize.width(), outcome.inputSize.height(), outcome.request->scale,
                   outcome.model.nativeScale, int(outcome.result->candidates.size()), outcome.result->steps,
                   outcome.model.hasCleanUpscale()};
}


}  // namespace refine::ui
