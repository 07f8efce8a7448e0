#pragma once
/// @file repair_session.h
/// @brief The repair brush: filling a painted scratch, crease or speck of dust of a candidate from
/// its surroundings, as several fills to choose from, undoably. The clean result (all a Fast job
/// gives) is repaired the same way, by the clean upscaler alone: one fill, as it has one answer.
///
/// A fill is a region job (the same path as Explore's re-sampling) whose input is the photo's
/// crop around the painted area with the pixels under it inpainted (OpenCV, refine/imaging/
/// inpaint.h): the damage is not in the condition, so the diffusion adds texture to a plausible
/// guess of what lies under it instead of re-drawing the scratch.
///
/// Consistency: the job keeps the candidate's consistency mode, and its projection target is the
/// inpainted crop. Inside the painted area the result is therefore consistent with the inpainted
/// input, not with the original photo (whose scratch would otherwise be copied back); outside it
/// the inpainted crop is the photo itself, pixel for pixel, so nothing changes there. The fill is
/// blended in by the painted area with a feathered edge: pixels beyond the feather stay exactly as
/// they were. With a residual-shift model the fill's clean result mends the clean result the
/// candidate's Detail blends over (Candidate::repairedClean), so the repair holds at every Detail.
///
/// The session prepares the jobs and takes their outcomes; running them is the caller's.

#include <QImage>
#include <QObject>
#include <QPainterPath>
#include <QVector>

#include <memory>
#include <optional>
#include <vector>

#include "explore/region_mask.h"
#include "explore/region_plan.h"
#include "jobs/job_types.h"
#include "refine/imaging/candidate_export.h"
#include "refine/imaging/inpaint.h"

class QUndoStack;

namespace refine::ui {

class CandidateSet;

class RepairSession : public QObject {
    Q_OBJECT
public:
    /// Fills a repair job offers.
    static constexpr int kFills = 3;
    /// How far around each inpainted input pixel its value is estimated from, in input pixels.
    static constexpr double kInpaintRadius = 3.0;

    RepairSession(CandidateSet* set, QUndoStack* undo, QObject* parent = nullptr);

    void setInpaintMethod(imaging::InpaintMethod method) { m_method = method; }
    imaging::InpaintMethod inpaintMethod() const { return m_method; }

    /// The fill job for the painted `area` (output pixels) of result `position` (a candidate or
    /// CandidateSet::kClean): the
    /// candidate's own settings on the inpainted input crop around the area, with a fresh seed.
    /// `continuing`: the fills of the last job are still offered, so the same area continues its
    /// session (its fills blend into the pixels from before the first one was tried). Empty when
    /// there is nothing to repair; statusMessage then says why.
    std::optional<EnhanceRequest> fillRequest(int position, const QPainterPath& area, bool continuing);
    /// A fill job ended: its results blended into the candidate as fills (nothing is applied
    /// yet); fillsReady follows.
    void takeFillOutcome(const JobOutcome& outcome);
    /// Puts fill `index` into its candidate (-1: the pixels from before), undoably; trying fill
    /// after fill leaves one undo step.
    void chooseFill(int index);
    int fillCount() const { return int(m_job.fills.size()); }

    /// Forgets the session (a new photo or new candidates).
    void reset();

Q_SIGNALS:
    /// The fills of a job: `before` and each fill as the repaired region will look (at the
    /// candidate's Detail), and a line saying what they are.
    void fillsReady(const QImage& before, const QVector<QImage>& fills, const QString& caption);
    /// What just happened, or why nothing could be done, for the status bar.
    void statusMessage(const QString& text);

private:
    bool sessionValid() const;
    /// The painted area with its feather and some surroundings, as the candidate looks with
    /// `pixels` over `clean`.
    QImage regionThumbnail(const ImageF& pixels, const ImageF* clean) const;
    /// The input crop of `plan` with the pixels under `area` inpainted; empty (and statusMessage)
    /// when the inpainting cannot be done.
    std::optional<ImageF> inpaintedCrop(const RegionPlan& plan, const QPainterPath& area);

    CandidateSet* m_set;
    QUndoStack* m_undo;
    imaging::InpaintMethod m_method = imaging::InpaintMethod::Telea;

    struct Fill {
        std::shared_ptr<const ImageF> pixels;
        imaging::RegionEdit edit;  ///< what choosing it records in the candidate's provenance
    };
    // The last fill job, whose fills the strip offers.
    struct Job {
        int position = -1;
        std::shared_ptr<const EnhanceRequest> sampledBy;  ///< the candidate's job: a new one ends the session
        QPainterPath area;
        RegionPlan plan;
        FeatheredMask mask;  ///< the painted area and its feather, the fills' blend weights
        int feather = 0;
        int session = 0;
        std::shared_ptr<const ImageF> before, cleanBefore;  ///< the candidate when the session began
        std::vector<imaging::RegionEdit> editsBefore;
        std::shared_ptr<const ImageF> cleanAfter;  ///< the mended clean result every fill comes with
        QVector<Fill> fills;
    } m_job;
};

}  // namespace refine::ui
