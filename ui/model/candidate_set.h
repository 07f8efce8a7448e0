#pragma once
/// @file candidate_set.h
/// @brief The photo being worked on and its candidates: the document every view shows and every
/// edit (region re-sampling, blending, "more like this") changes through the undo stack.

#include <QColorSpace>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QString>
#include <QVector>

#include <memory>
#include <vector>

#include "jobs/job_types.h"
#include "model/lazy_original.h"
#include "refine/imaging/candidate_export.h"
#include "refine/imaging/photo.h"

namespace refine::ui {

/// One candidate as shown and exported. Images are shared and immutable: an edit swaps in a new
/// image, so undo commands keep both versions for the price of two pointers. The clean result of
/// a residual-shift model is kept in the same form (index -1, seed 0).
struct Candidate {
    int index = 0;                                  ///< the engine's candidate index (seed derivation)
    std::uint64_t seed = 0;
    double consistencyMse = 0;                      ///< < 0: not measured
    /// Full precision as sampled, region edits included, before the Detail: what region edits
    /// and the uncertainty map work on.
    std::shared_ptr<const ImageF> pixels;
    QImage image;                                   ///< for display, with the Detail applied
    /// Residual-shift models: the candidate is shown and exported as clean + detail (pixels - clean).
    double detail = 1.0;
    std::shared_ptr<const EnhanceRequest> request;  ///< the job that made it (provenance)
    std::shared_ptr<const EnhanceResult> result;
    std::vector<imaging::RegionEdit> edits;         ///< region edits since sampling (provenance)
    /// Residual-shift models: the clean result this candidate's Detail blends over, once a repair
    /// mended it under the repaired area too (null: the photo's, CandidateSet::clean()).
    std::shared_ptr<const ImageF> repairedClean;
    int previewStep = 0;                            ///< > 0: an early preview kept after a cancel
};

/// What CandidateSet takes of a newly opened photo. Each is a full-size conversion, so
/// PhotoLoader makes them on the thread pool.
struct PhotoViews {
    std::shared_ptr<const ImageF> input;  ///< the photo's pixels: the app's only copy of them
    QImage inputImage;                     ///< for display, in screen colours
    QColorSpace colourSpace;               ///< of the photo's pixels (display_colour.h)
    int scale = 0;                         ///< the scale the Original is shown at (0: the set's)
    bool isEmpty() const { return !input; }
};

class CandidateSet : public QObject {
    Q_OBJECT
public:
    /// The clean result's position, wherever a candidate position is taken (selection, solo,
    /// export); -1 stays "none".
    static constexpr int kClean = -2;

    explicit CandidateSet(QObject* parent = nullptr);

    /// A new photo: forgets the candidates. `photo` stays shared with whoever loaded it; it is
    /// what export needs (bytes, alpha, format), and its pixels may have been moved into `views`
    /// (PhotoLoader does). `views`: made by preparePhotoViews() on another thread; when empty
    /// they are made here from photo->rgb.
    void setPhoto(const QString& path, std::shared_ptr<const imaging::Photo> photo, PhotoViews views = {});
    /// The conversions setPhoto needs; thread-safe (no QObject touched).
    static PhotoViews preparePhotoViews(const imaging::Photo& photo);
    void clear();

    QString path() const { return m_path; }
    bool hasPhoto() const { return m_photo != nullptr; }
    /// The source file's bytes, alpha and format (its pixels: input()).
    const imaging::Photo* photo() const { return m_photo.get(); }
    const ImageF& input() const;
    std::shared_ptr<const ImageF> sharedInput() const { return m_input; }
    QImage inputImage() const { return m_inputImage; }
    /// The colour space of the photo's pixels, and so of every candidate (display_colour.h).
    QColorSpace colourSpace() const { return m_colourSpace; }

    int scale() const { return m_scale; }
    /// The input size times the scale: the size of every result and of the Original.
    QSize outputSize() const;
    /// The bicubic enlargement at the current scale, rendered for what the views show.
    LazyOriginal* original() const { return m_original; }
    void setScale(int scale);

    // --- refinement in progress ---
    /// Previews of `candidates` new candidates follow (none for a clean-only job); `append`:
    /// after the existing ones ("more like this"), else in their place (the old ones come back if
    /// the job is cancelled). `withClean`: the job's model has a clean result, whose cell shows
    /// from now on (the current clean result while appending, else empty until it arrives).
    void beginRefinement(int candidates, int scale, bool append, bool withClean = false);
    void setPreview(const PreviewFrame& frame);
    /// The refining job's clean result: shown in its cell, and as the first preview of every
    /// candidate that has none yet (every candidate starts from it). previewChanged follows.
    void setRefiningClean(const CleanFrame& clean);
    /// The refining job's clean result before its consistency projection: shown like the clean
    /// result until setRefiningClean() replaces it (for the screen only: never kept or exported).
    void setRefiningCleanDraft(const QImage& draft);
    /// What setRefiningClean() gave (no pixels: none yet); empty when not refining.
    CleanFrame refiningClean() const { return m_refiningClean; }
    bool isRefining() const { return m_refining; }
    /// Back to the finished candidates (cancel, failure).
    void endRefinement();
    int previewStep() const { return m_previewStep; }
    /// The latest preview of each refining candidate (null: none yet); empty when not refining.
    QVector<QImage> previews() const { return m_previews; }
    int previewStepCount() const { return m_previewStepCount; }

    // --- what the views show: finished candidates and, while refining, previews ---
    int displayCount() const;
    bool isPreviewPosition(int position) const;
    QImage displayImage(int position) const;
    /// The Clean cell is shown: a residual-shift job is refining, or its clean result is here.
    bool showsClean() const;
    /// The Clean cell's image (null while the refining job's clean result is awaited).
    QImage cleanDisplayImage() const;
    /// What the views show of the finished result at `position` (a candidate or kClean) when it
    /// is more than its own pixels: the result with the faces' picks blended in, as export writes
    /// it (faces/face_display.h). It is shown only while the result's own display image is the
    /// one it was made from, so a Detail change or a repair never shows a stale composite until
    /// it is made again. A null image clears it.
    void setComposedImage(int position, const QImage& composed);
    /// The finished result at `position` as the views show it: its composite, else its own image.
    QImage shownImage(int position) const;

    // --- results ---
    void setOutcome(const JobOutcome& outcome);
    /// Adds the candidates of a "more like this" job after the existing ones.
    void appendOutcome(const JobOutcome& outcome);
    /// Removes the last `n` candidates (undo of appendOutcome).
    QVector<Candidate> takeLast(int n);
    void appendCandidates(const QVector<Candidate>& candidates);

    int count() const { return m_candidates.size(); }
    const Candidate& candidate(int position) const { return m_candidates.at(position); }
    const ModelInfo& model() const { return m_model; }

    // --- the clean result (residual-shift models) and the Detail of candidates ---
    bool hasClean() const { return m_clean.pixels != nullptr; }
    const Candidate& clean() const { return m_clean; }
    /// A candidate position, or kClean when there is a clean result.
    bool isResult(int position) const;
    /// The candidate at `position`, or the clean result for kClean.
    const Candidate& result(int position) const;
    /// What export writes, at full resolution: a candidate at its Detail, the clean result as it is.
    ImageF outputPixels(int position) const;
    /// A candidate's Detail (clamped to kMinDetail..kMaxDetail), shown at full resolution at once;
    /// candidateChanged follows. Nothing is re-run: the candidate's sampled pixels stay.
    void setDetail(int position, double detail);
    /// The uncertainty overlay of the current candidates (null unless the job asked for the map).
    /// The engine's map at first; recomputed from the candidates' pixels after every edit.
    QImage uncertaintyHeat() const { return m_uncertaintyHeat; }
    /// Swaps a candidate's (sampled) pixels and the list of edits that made them (edits and their
    /// undo); its Detail stays and is applied to the new pixels. For kClean, the clean result's
    /// (replaceCleanPixels).
    void replacePixels(int position, std::shared_ptr<const ImageF> pixels, std::vector<imaging::RegionEdit> edits);
    /// Swaps the clean result's pixels and edits (a repair of it, or its undo); the candidates'
    /// Detail keeps blending over the clean result they were sampled from.
    void replaceCleanPixels(std::shared_ptr<const ImageF> pixels, std::vector<imaging::RegionEdit> edits);
    /// The same, also setting the clean result the candidate's Detail blends over (a repair
    /// mends it with the candidate; null: the photo's).
    void replacePixels(int position, std::shared_ptr<const ImageF> pixels, std::vector<imaging::RegionEdit> edits,
                       std::shared_ptr<const ImageF> repairedClean);
    /// The clean result `candidate`'s Detail blends over: its repaired one, else clean()'s pixels;
    /// null without a clean result (SR3 models).
    const ImageF* detailBase(const Candidate& candidate) const;
    /// The candidates of a job's outcome, as appendCandidates() takes them.
    static QVector<Candidate> candidatesFrom(const JobOutcome& outcome);

    /// A candidate position, kClean, or -1 (none).
    int selected() const { return m_selected; }
    void setSelected(int position);

Q_SIGNALS:
    void photoChanged();
    /// Candidates were added, removed or replaced as a whole, or refinement began or ended:
    /// displayCount() and showsClean() may have changed.
    void candidatesChanged();
    void candidateChanged(int position);
    void previewChanged();
    void selectionChanged(int position);
    void uncertaintyChanged();
    /// A composite (setComposedImage) was set or cleared: the views show shownImage() again.
    void composedImagesChanged();

private:
    /// Drops the clean result of a running job and its draft (a new photo or job, or the job's end).
    void forgetRefiningClean();
    /// Recomputes the uncertainty overlay from the candidates, when the job asked for one.
    void refreshUncertainty();
    /// A candidate's display image: its pixels at its Detail.
    QImage displayOf(const Candidate& candidate) const;
    /// The selection after the candidates changed: candidate 1, else the clean result, else none.
    int defaultSelection() const;
    Candidate cleanFrom(const JobOutcome& outcome) const;

    /// A composite and the cacheKey() of the display image it was made from.
    struct Composite {
        qint64 madeFrom = 0;
        QImage image;
    };

    QString m_path;
    std::shared_ptr<const imaging::Photo> m_photo;
    std::shared_ptr<const ImageF> m_input;
    QImage m_inputImage;
    QColorSpace m_colourSpace;
    int m_scale = 4;
    LazyOriginal* m_original;

    bool m_refining = false;
    bool m_refiningWithClean = false;
    bool m_appending = false;
    CleanFrame m_refiningClean;
    QImage m_refiningCleanDraft;  ///< until m_refiningClean comes
    int m_previewBase = 0;
    int m_previewStep = 0, m_previewStepCount = 0;
    QVector<QImage> m_previews;

    QVector<Candidate> m_candidates;
    Candidate m_clean;  ///< no pixels: none
    ModelInfo m_model;
    QHash<int, Composite> m_composed;  ///< by result position
    QImage m_uncertaintyHeat;
    bool m_uncertaintyWanted = false;
    int m_selected = -1;
};

}  // namespace refine::ui
