#include "faces/face_composition.h"

#include "explore/region_mask.h"
#include "explore/region_plan.h"
#include "model/candidate_set.h"
#include "model/detail_preview.h"

namespace refine::ui {
namespace {

QRect pixelBounds(const CandidateSet& set, int position)
{
    const ImageF& pixels = *set.result(position).pixels;
    return QRect(0, 0, pixels.width, pixels.height);
}

/// A candidate's pixels over `rect` at `detail` (its clean result's, for the Detail, cropped too).
ImageF candidateCrop(const CandidateSet& set, const Candidate& candidate, double detail, const QRect& rect)
{
    const ImageF sampled = cropImage(*candidate.pixels, rect);
    const ImageF* base = set.detailBase(candidate);
    return base ? applyDetail(cropImage(*base, rect), sampled, detail) : sampled;
}

/// The pick would give the result at `position` the face it has: nothing to blend.
bool leavesAsItIs(const CandidateSet& set, int position, const FacePick& pick)
{
    switch (pick.source) {
    case FacePick::Source::AsSampled: return true;
    case FacePick::Source::Clean: return position == CandidateSet::kClean;
    case FacePick::Source::Candidate:
        return pickedPosition(set, pick) == position
            && (!set.hasClean() || pick.detail == set.candidate(position).detail);
    }
    return true;
}

/// Blends every face into `target`, which holds the result at `position` over the rectangle
/// starting at `origin` (its pixels): faces outside it leave it alone.
void blendFaces(const CandidateSet& set, int position, const QVector<Face>& faces, ImageF& target, QPoint origin)
{
    const QRect bounds = pixelBounds(set, position);
    const QRect covered(origin, QSize(target.width, target.height));
    for (const Face& face : faces) {
        const FacePick pick = resolvedPick(set, face.pick);
        if (leavesAsItIs(set, position, pick))
            continue;
        const QRect box = outputBox(face.box, set.scale());
        const QRect reach = faceReach(box, bounds).intersected(covered);
        if (reach.isEmpty())
            continue;
        FeatheredMask mask = featheredMask(faceArea(box), reach, faceFeather(box));
        mask.origin -= origin;
        target = blendMasked(target, facePixels(set, position, pick, reach), reach.topLeft() - origin, mask);
    }
}

}  // namespace

ImageF resultCrop(const CandidateSet& set, int position, const QRect& rect)
{
    if (position == CandidateSet::kClean)
        return cropImage(*set.clean().pixels, rect);
    const Candidate& candidate = set.candidate(position);
    return candidateCrop(set, candidate, candidate.detail, rect);
}

ImageF facePixels(const CandidateSet& set, int position, const FacePick& pick, const QRect& rect)
{
    switch (pick.source) {
    case FacePick::Source::Clean: return cropImage(*set.clean().pixels, rect);
    case FacePick::Source::Candidate:
        return candidateCrop(set, set.candidate(pickedPosition(set, pick)), pick.detail, rect);
    case FacePick::Source::AsSampled: break;
    }
    return resultCrop(set, position, rect);
}

ImageF composeFaces(const CandidateSet& set, int position, const QVector<Face>& faces)
{
    ImageF out = set.outputPixels(position);
    if (set.isResult(position))
        blendFaces(set, position, faces, out, QPoint(0, 0));
    return out;
}

ImageF composedCrop(const CandidateSet& set, int position, const QVector<Face>& faces, const QRect& rect)
{
    if (!set.isResult(position))
        return {};
    const QRect inside = rect.intersected(pixelBounds(set, position));
    ImageF out = resultCrop(set, position, inside);
    blendFaces(set, position, faces, out, inside.topLeft());
    return out;
}

QVector<QRect> blendedReaches(const CandidateSet& set, int position, const QVector<Face>& faces)
{
    QVector<QRect> reaches;
    if (!set.isResult(position))
        return reaches;
    const QRect bounds = pixelBounds(set, position);
    for (const Face& face : faces)
        if (!leavesAsItIs(set, position, resolvedPick(set, face.pick))) {
            const QRect reach = faceReach(outputBox(face.box, set.scale()), bounds);
            if (!reach.isEmpty())
                reaches << reach;
        }
    return reaches;
}

std::vector<imaging::FaceChoice> faceChoices(const CandidateSet& set, const QVector<Face>& faces)
{
    std::vector<imaging::FaceChoice> choices;
    for (const Face& face : faces) {
        const FacePick pick = resolvedPick(set, face.pick);
        const QRect box = outputBox(face.box, set.scale());
        imaging::FaceChoice choice;
        choice.x = box.x();
        choice.y = box.y();
        choice.width = box.width();
        choice.height = box.height();
        choice.feather = faceFeather(box);
        choice.chosenByUser = pick.chosenByUser;
        switch (pick.source) {
        case FacePick::Source::AsSampled: choice.source = imaging::FaceChoice::Source::AsSampled; break;
        case FacePick::Source::Clean: choice.source = imaging::FaceChoice::Source::Clean; break;
        case FacePick::Source::Candidate:
            choice.source = imaging::FaceChoice::Source::Candidate;
            choice.sourceCandidate = pick.candidateIndex;
            choice.detail = pick.detail;
            break;
        }
        choices.push_back(choice);
    }
    return choices;
}

}  // namespace refine::ui
