// MainWindow: Explore. Re-sampling a selected region, blending a region from one candidate into
// another, "more like this" and a candidate's Detail; every change goes through the undo stack.
// Region edits change a candidate's sampled pixels; its Detail is applied on top of them.
#include "main_window.h"

#include <QAction>
#include <QUndoStack>

#include "explore/edit_commands.h"
#include "explore/region_mask.h"
#include "jobs/enhance_controller.h"
#include "model/candidate_set.h"
#include "model/detail_preview.h"
#include "model/image_convert.h"
#include "panels/alternatives_strip.h"
#include "panels/settings_panel.h"
#include "views/candidate_grid.h"

namespace refine::ui {
namespace {

constexpr int kRegionAlternatives = 3;
constexpr int kMaxCandidates = 9;

imaging::RegionEdit regionEdit(imaging::RegionEdit::Kind kind, const QRect& region, int feather,
                               const QPainterPath& brush)
{
    imaging::RegionEdit edit;
    edit.kind = kind;
    edit.brushMask = !brush.isEmpty();
    edit.x = region.x();
    edit.y = region.y();
    edit.width = region.width();
    edit.height = region.height();
    edit.feather = feather;
    return edit;
}

/// `target` with `patch` blended in over the selection: by the feathered painted area when there
/// is one (only it changes, not its bounding box), else by the feathered rectangle.
ImageF blendSelection(const ImageF& target, const ImageF& patch, QPoint patchOrigin, const QRect& selection,
                      const QPainterPath& brush, int feather)
{
    if (brush.isEmpty())
        return blendPatch(target, patch, patchOrigin, selection, feather);
    const QRect patchRect(patchOrigin, QSize(patch.width, patch.height));
    return blendMasked(target, patch, patchOrigin, featheredMask(brush, maskReach(brush, feather, patchRect), feather));
}

}  // namespace

void MainWindow::setRegionMode(bool enabled)
{
    m_regionModeAction->setChecked(enabled);
    applySelectionTool();
}

void MainWindow::setBrushMode(bool enabled)
{
    m_brushModeAction->setChecked(enabled);
    applySelectionTool();
}

void MainWindow::applySelectionTool()
{
    const bool brush = m_brushModeAction->isChecked();
    const bool enabled = brush || m_regionModeAction->isChecked();
    m_grid->setSelectionTool(brush ? ImageView::SelectionTool::Brush : ImageView::SelectionTool::Rectangle);
    m_grid->setRegionMode(enabled);
    if (enabled && m_splitAction->isChecked())
        m_splitAction->setChecked(false);  // regions are drawn on the grid
    if (brush)
        showStatus(tr("Paint over part of a candidate ([ and ] or Ctrl+wheel: brush size, Esc: clear), then "
                      "Re-sample Region (Ctrl+R) or Blend Region Into."), 0);
    else if (enabled)
        showStatus(tr("Drag a rectangle on a candidate, then Re-sample Region (Ctrl+R) or Blend Region Into."), 0);
    updateActions();
}

void MainWindow::resampleRegion()
{
    const int position = m_set->selected();
    const QRect selection = m_grid->regionSelection();
    if (position < 0 || selection.isEmpty() || m_controller->isBusy())
        return;
    const Candidate& candidate = m_set->candidate(position);
    const RegionPlan plan = planRegion(selection, QSize(m_set->input().width, m_set->input().height), m_set->scale());
    if (!plan.isValid())
        return;
    // "More alternatives" for the same region continues the session: its alternatives still
    // blend into the pixels from before the first one was tried.
    const QPainterPath brush = m_grid->brushArea();
    const bool sameSession = m_region.position == position && m_region.plan.selection == plan.selection
                          && m_region.brush == brush && m_alternatives->isVisible();
    if (!sameSession)
        m_region = RegionJob{position, plan, m_nextSession++, candidate.pixels, candidate.edits, {}, {}, brush};

    // The candidate's own job settings, on the crop, with a fresh seed: new detail, same style.
    EnhanceRequest request = *candidate.request;
    request.input = cropImage(m_set->input(), plan.inputCrop);
    request.candidates = kRegionAlternatives;
    request.firstCandidateIndex = 0;
    request.seed = EnhanceSettings{}.nextSeed();
    request.uncertaintyMap = false;
    request.previewInterval = 0;
    request.tileSize = 0;
    startJob(JobKind::Region, request);
}

void MainWindow::applyRegionOutcome(const JobOutcome& outcome)
{
    if (m_region.position < 0 || m_region.position >= m_set->count() || !m_region.before)
        return;
    const RegionPlan& plan = m_region.plan;
    m_region.alternatives.clear();
    m_region.alternativeEdits.clear();
    QVector<QImage> thumbnails;
    for (const CandidateOutput& patch : outcome.result->candidates) {
        auto blended = std::make_shared<const ImageF>(blendSelection(
            *m_region.before, patch.image, plan.patchRect.topLeft(), plan.selection, m_region.brush, plan.feather));
        thumbnails << regionThumbnail(*blended);
        m_region.alternatives << blended;
        m_region.alternativeEdits << regionEdit(imaging::RegionEdit::Kind::Resampled, plan.selection, plan.feather,
                                                m_region.brush);
        m_region.alternativeEdits.back().seed = outcome.request->seed;
        m_region.alternativeEdits.back().alternative = patch.index;
    }
    m_alternatives->setAlternatives(regionThumbnail(*m_region.before), thumbnails,
                                    tr("Region %1×%2 of candidate %3 — choose a version (Edit > Undo reverts):")
                                        .arg(plan.selection.width()).arg(plan.selection.height())
                                        .arg(m_region.position + 1));
    m_alternatives->show();
    showStatus(tr("%n alternative(s) for the region", "", int(thumbnails.size())));
}

QImage MainWindow::regionThumbnail(const ImageF& pixels) const
{
    const RegionPlan& plan = m_region.plan;
    const QRect shown = plan.selection.adjusted(-plan.feather, -plan.feather, plan.feather, plan.feather)
                            .intersected(QRect(0, 0, pixels.width, pixels.height));
    const ImageF crop = cropImage(pixels, shown);
    if (!m_set->hasClean() || m_region.position < 0 || m_region.position >= m_set->count())
        return toQImage(crop);
    // As the candidate will look: at its Detail.
    return toQImage(applyDetail(cropImage(*m_set->clean().pixels, shown), crop,
                                m_set->candidate(m_region.position).detail));
}

void MainWindow::chooseAlternative(int index)
{
    if (m_region.position < 0 || m_region.position >= m_set->count())
        return;
    const bool alternative = index >= 0 && index < m_region.alternatives.size();
    const auto after = alternative ? m_region.alternatives[index] : m_region.before;
    m_alternatives->setChosen(index);
    if (!after || after == m_set->candidate(m_region.position).pixels)
        return;
    // The edits start again from the session's beginning, so trying alternatives records one edit.
    std::vector<imaging::RegionEdit> edits = m_region.editsBefore;
    if (alternative)
        edits.push_back(m_region.alternativeEdits[index]);
    const QString text = alternative ? tr("Re-sample region of candidate %1").arg(m_region.position + 1)
                                     : tr("Restore region of candidate %1").arg(m_region.position + 1);
    m_undo->push(new ReplacePixelsCommand(m_set, m_region.position, after, std::move(edits), text, m_region.session));
}

void MainWindow::blendRegionInto(int target)
{
    const int source = m_set->selected();
    const QRect selection = m_grid->regionSelection();
    if (source < 0 || target < 0 || source == target || target >= m_set->count() || selection.isEmpty())
        return;
    // A soft edge a few pixels wide hides the seam without blurring the copied detail.
    const int feather = std::clamp(std::min(selection.width(), selection.height()) / 8, 2, 32);
    const QPainterPath brush = m_grid->brushArea();
    auto blended = std::make_shared<const ImageF>(blendSelection(*m_set->candidate(target).pixels,
                                                                 *m_set->candidate(source).pixels, QPoint(0, 0),
                                                                 selection, brush, feather));
    std::vector<imaging::RegionEdit> edits = m_set->candidate(target).edits;
    edits.push_back(regionEdit(imaging::RegionEdit::Kind::BlendedFrom, selection, feather, brush));
    edits.back().sourceCandidate = m_set->candidate(source).index;
    m_undo->push(new ReplacePixelsCommand(m_set, target, blended, std::move(edits),
                                          tr("Blend region of candidate %1 into candidate %2").arg(source + 1).arg(target + 1)));
    showStatus(tr("Region of candidate %1 blended into candidate %2").arg(source + 1).arg(target + 1));
}

void MainWindow::setCandidateDetail(int position, double detail)
{
    if (position < 0 || position >= m_set->count() || !m_set->hasClean())
        return;
    detail = clampDetail(detail);
    if (detail == m_set->candidate(position).detail)
        return;
    m_undo->push(new SetDetailCommand(m_set, position, detail,
                                      tr("Detail %1 for candidate %2").arg(detail, 0, 'f', 2).arg(position + 1)));
}

void MainWindow::moreLikeThis()
{
    if (m_set->count() == 0 || m_set->count() >= kMaxCandidates || m_controller->isBusy())
        return;
    // Same job, next candidate indices: new seeds, and the existing candidates stay reproducible.
    EnhanceRequest request = *m_set->candidate(0).request;
    int nextIndex = 0;
    for (int i = 0; i < m_set->count(); ++i)
        nextIndex = std::max(nextIndex, m_set->candidate(i).index + 1);
    request.firstCandidateIndex = nextIndex;
    request.candidates = std::min(m_settings->settings().candidates, kMaxCandidates - m_set->count());
    request.uncertaintyMap = false;
    startJob(JobKind::More, request);
}

void MainWindow::applyMoreOutcome(const JobOutcome& outcome)
{
    m_set->endRefinement();
    const QVector<Candidate> added = CandidateSet::candidatesFrom(outcome);
    m_undo->push(new AddCandidatesCommand(m_set, added, tr("More like this (%n candidate(s))", "", int(added.size()))));
    showStatus(tr("%n more candidate(s)", "", int(added.size())));
}

}  // namespace refine::ui
