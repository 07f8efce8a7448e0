#pragma once
/// @file explore_session.h
/// @brief Explore: re-sampling a selected region of a candidate (the session of alternatives the
/// strip offers), blending a region from one candidate into another, "more like this" and a
/// candidate's Detail. Every change goes through the undo stack. Region edits change a
/// candidate's sampled pixels; its Detail is applied on top of them.
///
/// The session prepares the jobs and takes their outcomes; running them is the caller's (the
/// window starts them on its EnhanceController), so it works, and is tested, without a window.

#include <QImage>
#include <QObject>
#include <QPainterPath>
#include <QRect>
#include <QVector>

#include <memory>
#include <optional>
#include <vector>

#include "explore/region_plan.h"
#include "jobs/job_types.h"
#include "refine/imaging/candidate_export.h"

class QUndoStack;

namespace refine::ui {

class CandidateSet;

class ExploreSession : public QObject {
    Q_OBJECT
public:
    /// Alternatives a region job makes, and the most candidates "more like this" goes to.
    static constexpr int kRegionAlternatives = 3;
    static constexpr int kMaxCandidates = 9;

    ExploreSession(CandidateSet* set, QUndoStack* undo, QObject* parent = nullptr);

    /// The region job for `selection` (output pixels) of candidate `position`: the candidate's
    /// own settings on the input crop around it, with a fresh seed. `brush`: the painted area the
    /// alternatives will be blended by (empty: the rectangle). `continuing`: the alternatives of
    /// the last job are still offered, so the same selection continues its session (its
    /// alternatives blend into the pixels from before the first one was tried). Empty when there
    /// is nothing to re-sample.
    std::optional<EnhanceRequest> regionRequest(int position, const QRect& selection, const QPainterPath& brush,
                                                bool continuing);
    /// A region job ended: its patches blended into the candidate as alternatives (nothing is
    /// applied yet); alternativesReady follows.
    void takeRegionOutcome(const JobOutcome& outcome);
    /// Puts alternative `index` of the session into its candidate (-1: the pixels from before),
    /// undoably; trying alternative after alternative leaves one undo step.
    void chooseAlternative(int index);
    int alternativeCount() const { return int(m_region.alternatives.size()); }

    /// Copies `selection` (or the painted `brush` area inside it) of candidate `source` into
    /// candidate `target`, with a soft edge, undoably.
    void blendRegion(int source, int target, const QRect& selection, const QPainterPath& brush);
    /// Sets the Detail of candidate `position` (residual-shift models), undoably.
    void setDetail(int position, double detail);

    /// The job for `wanted` more candidates like the first ("more like this"): its settings, the
    /// next candidate indices (new seeds; the existing candidates stay reproducible), at most
    /// kMaxCandidates in all. Empty when there is no candidate or no room.
    std::optional<EnhanceRequest> moreRequest(int wanted) const;
    /// A "more like this" job ended: its candidates are added, undoably.
    void takeMoreOutcome(const JobOutcome& outcome);

    /// Forgets the region session (a new photo, or a job that replaces the candidates).
    void reset();

Q_SIGNALS:
    /// The alternatives of a region job: `before` and each alternative as the region will look
    /// (at the candidate's Detail), and a line saying which region of which candidate they are.
    void alternativesReady(const QImage& before, const QVector<QImage>& alternatives, const QString& caption);
    /// What just happened, for the status bar.
    void statusMessage(const QString& text);

private:
    /// The region shown in the strip: the selection and its feather, as the candidate looks.
    QImage regionThumbnail(const ImageF& pixels) const;
    bool sessionValid() const;

    CandidateSet* m_set;
    QUndoStack* m_undo;

    // The last region job, whose alternatives the strip offers.
    struct RegionJob {
        int position = -1;
        RegionPlan plan;
        int session = 0;
        std::shared_ptr<const ImageF> before;
        std::vector<imaging::RegionEdit> editsBefore;  ///< the candidate's edits when the session began
        QVector<std::shared_ptr<const ImageF>> alternatives;
        QVector<imaging::RegionEdit> alternativeEdits;  ///< what choosing each alternative records
        QPainterPath brush;  ///< the painted area the alternatives are blended by (empty: the rectangle)
    } m_region;
};

}  // namespace refine::ui
