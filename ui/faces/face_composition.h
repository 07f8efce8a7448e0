#pragma once
/// @file face_composition.h
/// @brief A result as Refine writes it when the photo has faces: the result's own pixels (at its
/// Detail) with each face's pick blended in by the face's feathered ellipse (explore/region_mask.h,
/// as Explore's brush blends), and what the provenance records of it. Pixels farther than a face's
/// feather from its ellipse are the result's own, bit for bit.

#include <QRect>
#include <QVector>

#include <vector>

#include "faces/face_picks.h"
#include "refine/engine/image.h"
#include "refine/imaging/candidate_export.h"

namespace refine::ui {

class CandidateSet;

/// The result at `position` (a candidate, or CandidateSet::kClean) over `rect` (its pixels), as
/// CandidateSet::outputPixels() gives it but computed on `rect` only.
ImageF resultCrop(const CandidateSet& set, int position, const QRect& rect);

/// The pixels `pick` gives a face over `rect`: the clean result's, or a candidate's at the pick's
/// Detail; for Source::AsSampled, the result at `position`'s own.
ImageF facePixels(const CandidateSet& set, int position, const FacePick& pick, const QRect& rect);

/// The result at `position` with every face blended in by its resolved pick: what export writes.
/// Without faces, or when every pick leaves the result as it is, exactly outputPixels(position).
ImageF composeFaces(const CandidateSet& set, int position, const QVector<Face>& faces);

/// `rect` of composeFaces(set, position, faces), computed on `rect` only (the navigator's preview).
ImageF composedCrop(const CandidateSet& set, int position, const QVector<Face>& faces, const QRect& rect);

/// Where composeFaces(set, position, faces) can differ from the result's own pixels: the reach
/// (face ellipse and feather) of every face whose pick changes that result. Empty when none does.
QVector<QRect> blendedReaches(const CandidateSet& set, int position, const QVector<Face>& faces);

/// The faces as a result's provenance records them: their boxes in the results' pixels, their picks.
std::vector<imaging::FaceChoice> faceChoices(const CandidateSet& set, const QVector<Face>& faces);

}  // namespace refine::ui
