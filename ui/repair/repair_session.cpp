#include "repair/repair_session.h"

#include <QUndoStack>

#include <algorithm>

#include "explore/edit_commands.h"
#include "model/candidate_set.h"
#include "model/detail_preview.h"
#include "model/enhance_settings.h"
#include "model/image_convert.h"
#include "refine/engine/error.h"
#include "repair/repair_mask.h"

namespace refine::ui {
namespace {

/// `reach` widened about its centre to at most twice as long as it is wide, inside `bounds`: a
/// long, thin scratch is shown with enough of its surroundings to judge the fill by.
QRect thumbnailRect(const QRect& reach, const QRect& bounds)
{
    const int width = std::max(reach.width(), reach.height() / 2);
    const int height = std::max(reach.height(), reach.width() / 2);
    QRect shown(0, 0, width, height);
    shown.moveCenter(reach.center());
    return shown.intersected(bounds);
}

}  // namespace

RepairSession::RepairSession(CandidateSet* set, QUndoStack* undo, QObject* parent)
    : QObject(parent), m_set(set), m_undo(undo)
{
    connect(m_set, &CandidateSet::photoChanged, this, &RepairSession::reset);
}

void RepairSession::reset()
{
    m_job = Job{};
}

bool RepairSession::sessionValid() const
{
    // A new job replaces the candidates: their request is another, and the fills belong to none of them.
    return m_job.before && m_set->isResult(m_job.position) && m_set->result(m_job.position).request == m_job.sampledBy;
}

std::optional<ImageF> RepairSession::inpaintedCrop(const RegionPlan& plan, const QPainterPath& area)
{
    const std::vector<std::uint8_t> mask = inputMaskUnder(area, plan.inputCrop, m_set->scale());
    if (std::all_of(mask.begin(), mask.end(), [](std::uint8_t v) { return v != 0; })) {
        Q_EMIT statusMessage(tr("The painted area leaves nothing around it to fill it from: "
                                "paint only over the damage."));
        return std::nullopt;
    }
    try {
        return imaging::inpaint(cropImage(m_set->input(), plan.inputCrop), mask, m_method, kInpaintRadius);
    } catch (const Error& e) {
        Q_EMIT statusMessage(tr("The painted area could not be filled: %1").arg(QString::fromStdString(e.what())));
        return std::nullopt;
    }
}

std::optional<EnhanceRequest> RepairSession::fillRequest(int position, const QPainterPath& area, bool continuing)
{
    if (!m_set->isResult(position) || !m_set->result(position).request) {
        Q_EMIT statusMessage(tr("Choose the result to repair: a candidate or the clean result."));
        return std::nullopt;
    }
    const QRect box = area.boundingRect().toAlignedRect();
    const RegionPlan plan = planRegion(box, QSize(m_set->input().width, m_set->input().height), m_set->scale());
    if (area.isEmpty() || !plan.isValid()) {
        Q_EMIT statusMessage(tr("Paint over the scratch, crease or dust to repair first."));
        return std::nullopt;
    }
    std::optional<ImageF> condition = inpaintedCrop(plan, area);
    if (!condition)
        return std::nullopt;

    const Candidate& candidate = m_set->result(position);
    const bool sameSession = continuing && sessionValid() && m_job.position == position && m_job.area == area;
    if (!sameSession) {
        const int feather = repairFeather(plan, m_set->scale());
        m_job = Job{};
        m_job.position = position;
        m_job.sampledBy = candidate.request;
        m_job.area = area;
        m_job.plan = plan;
        m_job.mask = featheredMask(area, maskReach(area, feather, plan.patchRect), feather);
        m_job.feather = feather;
        m_job.session = ReplacePixelsCommand::newSession();
        m_job.before = candidate.pixels;
        m_job.cleanBefore = candidate.repairedClean;
        m_job.editsBefore = candidate.edits;
    }

    // The candidate's own settings (its consistency mode too), on the inpainted crop, fresh seed.
    EnhanceRequest request = regionJobRequest(*candidate.request, std::move(*condition), kFills, EnhanceSettings{}.nextSeed());
    if (position == CandidateSet::kClean) {
        // The clean result is mended by the clean upscaler alone: one fill, as it has one answer.
        request.sampler = "clean";
        request.candidates = 1;
    }
    return request;
}

void RepairSession::takeFillOutcome(const JobOutcome& outcome)
{
    if (!sessionValid() || !outcome.result)
        return;
    const QPoint patchOrigin = m_job.plan.patchRect.topLeft();
    // The clean result the candidate's Detail blends over, mended like the candidate (residual-shift models).
    // The clean result is its own base: it has no Detail to blend over anything.
    const ImageF* cleanBefore = m_job.position == CandidateSet::kClean ? nullptr
                              : m_job.cleanBefore                      ? m_job.cleanBefore.get()
                              : m_set->hasClean()                      ? m_set->clean().pixels.get()
                                                                       : nullptr;
    m_job.cleanAfter = cleanBefore && outcome.cleanPixels
                         ? std::make_shared<const ImageF>(blendMasked(*cleanBefore, *outcome.cleanPixels, patchOrigin,
                                                                      m_job.mask))
                         : nullptr;
    const ImageF* cleanShown = m_job.cleanAfter ? m_job.cleanAfter.get() : cleanBefore;

    m_job.fills.clear();
    QVector<QImage> thumbnails;
    auto addFill = [&](const ImageF& patch, int alternative) {
        Fill fill;
        fill.pixels = std::make_shared<const ImageF>(blendMasked(*m_job.before, patch, patchOrigin, m_job.mask));
        fill.edit.kind = imaging::RegionEdit::Kind::Repaired;
        fill.edit.brushMask = true;
        const QRect box = m_job.plan.selection;
        fill.edit.x = box.x();
        fill.edit.y = box.y();
        fill.edit.width = box.width();
        fill.edit.height = box.height();
        fill.edit.feather = m_job.feather;
        fill.edit.seed = outcome.request ? outcome.request->seed : 0;
        fill.edit.alternative = alternative;
        fill.edit.inpaint = m_method;
        thumbnails << regionThumbnail(*fill.pixels, cleanShown);
        m_job.fills << fill;
    };
    const bool repairsClean = m_job.position == CandidateSet::kClean;
    if (repairsClean) {
        if (outcome.cleanPixels)
            addFill(*outcome.cleanPixels, outcome.result->clean.index);
    } else {
        const auto& outputs = outcome.result->candidates;
        for (int i = 0; i < outcome.candidatePixels.size() && i < int(outputs.size()); ++i)
            addFill(*outcome.candidatePixels[i], outputs[size_t(i)].index);
    }
    const QString caption = repairsClean ? tr("Repair of the clean result — choose the fill (Edit > Undo reverts):")
                                         : tr("Repair of candidate %1 — choose a fill (Edit > Undo reverts):").arg(m_job.position + 1);
    Q_EMIT fillsReady(regionThumbnail(*m_job.before, cleanBefore), thumbnails, caption);
    Q_EMIT statusMessage(tr("%n fill(s) for the painted area", "", int(thumbnails.size())));
}

QImage RepairSession::regionThumbnail(const ImageF& pixels, const ImageF* clean) const
{
    const QRect shown =
        thumbnailRect(QRect(m_job.mask.origin, m_job.mask.weights.size()), QRect(0, 0, pixels.width, pixels.height));
    const ImageF crop = cropImage(pixels, shown);
    if (!clean)
        return toQImage(crop, m_set->colourSpace());
    // As the candidate will look: at its Detail.
    return toQImage(applyDetail(cropImage(*clean, shown), crop, m_set->candidate(m_job.position).detail),
                    m_set->colourSpace());
}

void RepairSession::chooseFill(int index)
{
    if (!sessionValid())
        return;
    const bool fill = index >= 0 && index < m_job.fills.size();
    const auto after = fill ? m_job.fills[index].pixels : m_job.before;
    if (after == m_set->result(m_job.position).pixels)
        return;
    // The edits start again from the session's beginning, so trying fills records one edit.
    std::vector<imaging::RegionEdit> edits = m_job.editsBefore;
    if (fill)
        edits.push_back(m_job.fills[index].edit);
    const QString which = m_job.position == CandidateSet::kClean ? tr("the clean result")
                                                                 : tr("candidate %1").arg(m_job.position + 1);
    const QString text = fill ? tr("Repair painted area of %1").arg(which) : tr("Restore painted area of %1").arg(which);
    auto* command = new ReplacePixelsCommand(m_set, m_job.position, after, std::move(edits), text, m_job.session);
    command->setRepairedClean(fill && m_job.cleanAfter ? m_job.cleanAfter : m_job.cleanBefore);
    m_undo->push(command);
}

}  // namespace refine::ui
