#include "explore/explore_session.h"

#include <QUndoStack>

#include <algorithm>

#include "explore/edit_commands.h"
#include "explore/region_mask.h"
#include "model/candidate_set.h"
#include "model/detail_preview.h"
#include "model/enhance_settings.h"
#include "model/image_convert.h"

namespace refine::ui {
namespace {

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

ExploreSession::ExploreSession(CandidateSet* set, QUndoStack* undo, QObject* parent)
    : QObject(parent), m_set(set), m_undo(undo)
{
}

void ExploreSession::reset()
{
    m_region = RegionJob{};
}

bool ExploreSession::sessionValid() const
{
    return m_region.position >= 0 && m_region.position < m_set->count() && m_region.before;
}

std::optional<EnhanceRequest> ExploreSession::regionRequest(int position, const QRect& selection,
                                                            const QPainterPath& brush, bool continuing)
{
    if (position < 0 || position >= m_set->count() || selection.isEmpty())
        return std::nullopt;
    const Candidate& candidate = m_set->candidate(position);
    const RegionPlan plan = planRegion(selection, QSize(m_set->input().width, m_set->input().height), m_set->scale());
    if (!plan.isValid() || !candidate.request)
        return std::nullopt;
    const bool sameSession = continuing && m_region.position == position && m_region.plan.selection == plan.selection
                          && m_region.brush == brush;
    if (!sameSession)
        m_region = RegionJob{position, plan, ReplacePixelsCommand::newSession(), candidate.pixels, candidate.edits, {}, {}, brush};

    // The candidate's own job settings, on the crop, with a fresh seed: new detail, same style.
    return regionJobRequest(*candidate.request, cropImage(m_set->input(), plan.inputCrop), kRegionAlternatives,
                            EnhanceSettings{}.nextSeed());
}

void ExploreSession::takeRegionOutcome(const JobOutcome& outcome)
{
    if (!sessionValid() || !outcome.result)
        return;
    const RegionPlan& plan = m_region.plan;
    m_region.alternatives.clear();
    m_region.alternativeEdits.clear();
    QVector<QImage> thumbnails;
    for (int i = 0; i < outcome.candidatePixels.size() && i < int(outcome.result->candidates.size()); ++i) {
        auto blended = std::make_shared<const ImageF>(blendSelection(*m_region.before, *outcome.candidatePixels[i],
                                                                     plan.patchRect.topLeft(), plan.selection,
                                                                     m_region.brush, plan.feather));
        thumbnails << regionThumbnail(*blended);
        m_region.alternatives << blended;
        imaging::RegionEdit edit = regionEdit(imaging::RegionEdit::Kind::Resampled, plan.selection, plan.feather,
                                              m_region.brush);
        edit.seed = outcome.request ? outcome.request->seed : 0;
        edit.alternative = outcome.result->candidates[size_t(i)].index;
        m_region.alternativeEdits << edit;
    }
    Q_EMIT alternativesReady(regionThumbnail(*m_region.before), thumbnails,
                             tr("Region %1×%2 of candidate %3 — choose a version (Edit > Undo reverts):")
                                 .arg(plan.selection.width()).arg(plan.selection.height())
                                 .arg(m_region.position + 1));
    Q_EMIT statusMessage(tr("%n alternative(s) for the region", "", int(thumbnails.size())));
}

QImage ExploreSession::regionThumbnail(const ImageF& pixels) const
{
    const RegionPlan& plan = m_region.plan;
    const QRect shown = plan.selection.adjusted(-plan.feather, -plan.feather, plan.feather, plan.feather)
                            .intersected(QRect(0, 0, pixels.width, pixels.height));
    const ImageF crop = cropImage(pixels, shown);
    if (!m_set->hasClean() || !sessionValid())
        return toQImage(crop, m_set->colourSpace());
    // As the candidate will look: at its Detail.
    const Candidate& candidate = m_set->candidate(m_region.position);
    return toQImage(applyDetail(cropImage(*m_set->detailBase(candidate), shown), crop, candidate.detail),
                    m_set->colourSpace());
}

void ExploreSession::chooseAlternative(int index)
{
    if (!sessionValid())
        return;
    const bool alternative = index >= 0 && index < m_region.alternatives.size();
    const auto after = alternative ? m_region.alternatives[index] : m_region.before;
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

void ExploreSession::blendRegion(int source, int target, const QRect& selection, const QPainterPath& brush)
{
    if (source < 0 || target < 0 || source == target || source >= m_set->count() || target >= m_set->count()
        || selection.isEmpty())
        return;
    // A soft edge a few pixels wide hides the seam without blurring the copied detail.
    const int feather = std::clamp(std::min(selection.width(), selection.height()) / 8, 2, 32);
    auto blended = std::make_shared<const ImageF>(blendSelection(*m_set->candidate(target).pixels,
                                                                 *m_set->candidate(source).pixels, QPoint(0, 0),
                                                                 selection, brush, feather));
    std::vector<imaging::RegionEdit> edits = m_set->candidate(target).edits;
    edits.push_back(regionEdit(imaging::RegionEdit::Kind::BlendedFrom, selection, feather, brush));
    edits.back().sourceCandidate = m_set->candidate(source).index;
    m_undo->push(new ReplacePixelsCommand(m_set, target, blended, std::move(edits),
                                          tr("Blend region of candidate %1 into candidate %2").arg(source + 1).arg(target + 1)));
    Q_EMIT statusMessage(tr("Region of candidate %1 blended into candidate %2").arg(source + 1).arg(target + 1));
}

void ExploreSession::setDetail(int position, double detail)
{
    if (position < 0 || position >= m_set->count() || !m_set->hasClean())
        return;
    detail = clampDetail(detail);
    if (detail == m_set->candidate(position).detail)
        return;
    m_undo->push(new SetDetailCommand(m_set, position, detail,
                                      tr("Detail %1 for candidate %2").arg(detail, 0, 'f', 2).arg(position + 1)));
}

std::optional<EnhanceRequest> ExploreSession::moreRequest(int wanted) const
{
    const int room = kMaxCandidates - m_set->count();
    if (m_set->count() == 0 || room <= 0 || wanted <= 0 || !m_set->candidate(0).request)
        return std::nullopt;
    // Same job, next candidate indices: new seeds, and the existing candidates stay reproducible.
    EnhanceRequest request = *m_set->candidate(0).request;
    request.input = m_set->input();  // the kept request has no pixels: they are the photo's
    int nextIndex = 0;
    for (int i = 0; i < m_set->count(); ++i)
        nextIndex = std::max(nextIndex, m_set->candidate(i).index + 1);
    request.firstCandidateIndex = nextIndex;
    request.candidates = std::min(wanted, room);
    request.uncertaintyMap = false;
    return request;
}

void ExploreSession::takeMoreOutcome(const JobOutcome& outcome)
{
    m_set->endRefinement();
    if (!outcome.result)
        return;
    const QVector<Candidate> added = CandidateSet::candidatesFrom(outcome);
    m_undo->push(new AddCandidatesCommand(m_set, added, tr("More like this (%n candidate(s))", "", int(added.size()))));
    Q_EMIT statusMessage(tr("%n more candidate(s)", "", int(added.size())));
}

}  // namespace refine::ui
