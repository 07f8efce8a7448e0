#pragma once
/// @file face_picks.h
/// @brief The faces found in the photo and, for each, which version of it the results Refine
/// writes carry: the clean (most likely) result's by default, because a wrong guess hurts most
/// on a face, or the candidate the person picked, at its own Detail. A face is blended into a
/// result by an ellipse around its box with a feathered edge, so nothing outside the feather
/// changes.

#include <QPainterPath>
#include <QRect>
#include <QString>
#include <QVector>

#include <cstdint>
#include <memory>

#include "refine/engine/enhance.h"

namespace refine::ui {

class CandidateSet;

/// Where one face's pixels come from.
struct FacePick {
    enum class Source {
        AsSampled,  ///< each result keeps its own face (the default without a clean result: SR3)
        Clean,      ///< the clean result's face (the default of residual-shift models)
        Candidate,  ///< one candidate's face, at `detail`
    };
    Source source = Source::Clean;
    int candidateIndex = -1;                  ///< Candidate: the engine's index (stable across "more like this")
    std::weak_ptr<const EnhanceResult> job;   ///< Candidate: the job that made it; gone or replaced: the pick lapses
    double detail = 1.0;                      ///< Candidate: clean + detail (candidate - clean)
    bool chosenByUser = false;                ///< false: Refine's default

    bool operator==(const FacePick& o) const;
    bool operator!=(const FacePick& o) const { return !(*this == o); }
};

/// A face of the photo and its pick.
struct Face {
    QRect box;      ///< in the photo's (input) pixels, as detected
    FacePick pick;  ///< as chosen; resolvedPick() says what applies to the current candidates
};

/// The default pick: the clean result when the set has one, else each result's own face.
FacePick defaultPick(const CandidateSet& set);
/// `pick` as it applies now: defaultPick() unless the person chose it; a candidate pick whose
/// candidate is no longer in the set (a new job replaced it), or a clean pick without a clean
/// result, falls back to defaultPick() too.
FacePick resolvedPick(const CandidateSet& set, const FacePick& pick);
/// The set's position of a candidate pick's candidate (-1: none).
int pickedPosition(const CandidateSet& set, const FacePick& pick);
/// A pick of candidate `position` of the set at `detail`, chosen by the person.
FacePick candidatePick(const CandidateSet& set, int position, double detail);

/// The face's box in the results' pixels (the photo enlarged `scale` times).
QRect outputBox(const QRect& inputBox, int scale);
/// The width of the soft edge a face is blended with: an eighth of its box's smaller side, at
/// least 2 pixels.
int faceFeather(const QRect& outputBox);
/// The area a face is blended by: the ellipse through its box, a little taller (to take the chin
/// and forehead the detector's square leaves out).
QPainterPath faceArea(const QRect& outputBox);
/// The pixels a face's blend reaches (its area widened by the feather), inside `bounds`.
QRect faceReach(const QRect& outputBox, const QRect& bounds);

/// "Clean (most likely)", "Candidate 2 · Detail 0.80", "As in each result", with "(default)" or
/// nothing for a person's pick.
QString pickText(const CandidateSet& set, const FacePick& pick);

}  // namespace refine::ui
