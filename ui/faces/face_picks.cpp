#include "faces/face_picks.h"

#include <QObject>

#include <algorithm>

#include "explore/region_mask.h"
#include "model/candidate_set.h"
#include "model/detail_preview.h"

namespace refine::ui {

bool FacePick::operator==(const FacePick& o) const
{
    return source == o.source && candidateIndex == o.candidateIndex && job.lock() == o.job.lock()
        && detail == o.detail && chosenByUser == o.chosenByUser;
}

FacePick defaultPick(const CandidateSet& set)
{
    FacePick pick;
    pick.source = set.hasClean() ? FacePick::Source::Clean : FacePick::Source::AsSampled;
    return pick;
}

int pickedPosition(const CandidateSet& set, const FacePick& pick)
{
    if (pick.source != FacePick::Source::Candidate)
        return -1;
    const std::shared_ptr<const EnhanceResult> job = pick.job.lock();
    for (int i = 0; job && i < set.count(); ++i)
        if (set.candidate(i).index == pick.candidateIndex && set.candidate(i).result == job)
            return i;
    return -1;
}

FacePick resolvedPick(const CandidateSet& set, const FacePick& pick)
{
    if (!pick.chosenByUser)
        return defaultPick(set);  // the default of the results there are now (faces are found before any)
    const bool lapsed = (pick.source == FacePick::Source::Candidate && pickedPosition(set, pick) < 0)
                     || (pick.source == FacePick::Source::Clean && !set.hasClean());
    return lapsed ? defaultPick(set) : pick;
}

FacePick candidatePick(const CandidateSet& set, int position, double detail)
{
    FacePick pick;
    pick.source = FacePick::Source::Candidate;
    pick.candidateIndex = set.candidate(position).index;
    pick.job = set.candidate(position).result;
    pick.detail = set.hasClean() ? clampDetail(detail) : 1.0;
    pick.chosenByUser = true;
    return pick;
}

QRect outputBox(const QRect& inputBox, int scale)
{
    return QRect(inputBox.topLeft() * scale, inputBox.size() * scale);
}

int faceFeather(const QRect& outputBox)
{
    return std::max(2, std::min(outputBox.width(), outputBox.height()) / 8);
}

QPainterPath faceArea(const QRect& outputBox)
{
    // The detector's square runs from the brows to the mouth: an eighth more above and below
    // takes the forehead and chin, whose seams would show otherwise.
    const QRectF box = QRectF(outputBox).adjusted(0, -outputBox.height() / 8.0, 0, outputBox.height() / 8.0);
    QPainterPath area;
    area.addEllipse(box);
    return area;
}

QRect faceReach(const QRect& outputBox, const QRect& bounds)
{
    return maskReach(faceArea(outputBox), faceFeather(outputBox), bounds);
}

QString pickText(const CandidateSet& set, const FacePick& requested)
{
    const FacePick pick = resolvedPick(set, requested);
    QString text;
    switch (pick.source) {
    case FacePick::Source::Clean:
        text = QObject::tr("Clean (most likely)");
        break;
    case FacePick::Source::AsSampled:
        text = QObject::tr("As in each result");
        break;
    case FacePick::Source::Candidate:
        text = QObject::tr("Candidate %1").arg(pickedPosition(set, pick) + 1);
        if (set.hasClean())
            text += QObject::tr(" · Detail %1").arg(pick.detail, 0, 'f', 2);
        break;
    }
    return pick.chosenByUser ? text : QObject::tr("%1 (default)").arg(text);
}

}  // namespace refine::ui
