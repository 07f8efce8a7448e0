#include "model/candidate_set.h"

#include "model/detail_preview.h"
#include "model/display_colour.h"
#include "model/image_convert.h"
#include "model/uncertainty_map.h"
#include "refine/imaging/engine_image.h"

namespace refine::ui {

namespace {

const ImageF kNoPixels;

}  // namespace

CandidateSet::CandidateSet(QObject* parent) : QObject(parent), m_original(new LazyOriginal(this)) {}

PhotoViews CandidateSet::preparePhotoViews(const imaging::Photo& photo)
{
    PhotoViews views;
    views.colourSpace = photoColourSpace(photo);
    views.input = std::make_shared<const ImageF>(photo.rgb.empty() ? ImageF() : imaging::toImageF(photo.rgb));
    views.inputImage = toQImage(*views.input, views.colourSpace);
    return views;
}

void CandidateSet::setPhoto(const QString& path, std::shared_ptr<const imaging::Photo> photo, PhotoViews views)
{
    m_path = path;
    m_photo = std::move(photo);
    if (views.isEmpty() && m_photo)
        views = preparePhotoViews(*m_photo);
    if (views.scale > 0)
        m_scale = views.scale;
    m_input = std::move(views.input);
    m_inputImage = std::move(views.inputImage);
    m_colourSpace = views.colourSpace;
    m_original->setSource(m_input, m_scale, m_colourSpace, m_inputImage);
    m_candidates.clear();
    m_clean = {};
    m_composed.clear();
    forgetRefiningClean();
    m_previews.clear();
    m_uncertaintyHeat = QImage();
    m_uncertaintyWanted = false;
    m_refining = false;
    m_selected = -1;
    Q_EMIT photoChanged();
    Q_EMIT candidatesChanged();
}

void CandidateSet::clear()
{
    setPhoto(QString(), nullptr);
}

const ImageF& CandidateSet::input() const
{
    return m_input ? *m_input : kNoPixels;
}

QSize CandidateSet::outputSize() const
{
    return QSize(input().width * m_scale, input().height * m_scale);
}

void CandidateSet::setScale(int scale)
{
    if (scale == m_scale)
        return;
    m_scale = scale;
    m_original->setSource(m_input, m_scale, m_colourSpace, m_inputImage);  // nothing is rendered yet
    Q_EMIT photoChanged();
}

void CandidateSet::beginRefinement(int candidates, int scale, bool append, bool withClean)
{
    setScale(scale);
    m_refining = true;
    m_refiningWithClean = withClean;
    m_appending = append;
    forgetRefiningClean();
    m_previewBase = append ? int(m_candidates.size()) : 0;
    m_previewStep = 0;
    m_previewStepCount = 0;
    m_previews = QVector<QImage>(candidates);
    Q_EMIT candidatesChanged();
}

void CandidateSet::setPreview(const PreviewFrame& frame)
{
    if (!m_refining)
        return;
    for (int i = 0; i < frame.images.size() && i < m_previews.size(); ++i)
        if (!frame.images[i].isNull())
            m_previews[i] = frame.images[i];
    m_previewStep = frame.step;
    m_previewStepCount = frame.stepCount;
    Q_EMIT previewChanged();
}

void CandidateSet::setRefiningClean(const CleanFrame& clean)
{
    if (!m_refining || !m_refiningWithClean || !clean.pixels)
        return;
    m_refiningClean = clean;
    // The engine's own step-0 preview says the same, but previews are coalesced and a fast first
    // step could replace it before it is shown: the clean start (in place of its draft, where one
    // came first) is shown from here.
    const auto showsDraft = [this](const QImage& preview) {
        return !m_refiningCleanDraft.isNull() && preview.cacheKey() == m_refiningCleanDraft.cacheKey();
    };
    for (QImage& preview : m_previews)
        if (preview.isNull() || showsDraft(preview))
            preview = clean.image;
    m_refiningCleanDraft = QImage();
    Q_EMIT previewChanged();
}

void CandidateSet::forgetRefiningClean()
{
    m_refiningClean = {};
    m_refiningCleanDraft = QImage();
}

void CandidateSet::setRefiningCleanDraft(const QImage& draft)
{
    if (!m_refining || !m_refiningWithClean || draft.isNull() || m_refiningClean.pixels)
        return;
    m_refiningCleanDraft = draft;
    for (QImage& preview : m_previews)
        if (preview.isNull())
            preview = draft;
    Q_EMIT previewChanged();
}

void CandidateSet::endRefinement()
{
    if (!m_refining)
        return;
    m_refining = false;
    forgetRefiningClean();
    m_previews.clear();
    Q_EMIT candidatesChanged();
}

int CandidateSet::displayCount() const
{
    return m_refining ? m_previewBase + int(m_previews.size()) : int(m_candidates.size());
}

bool CandidateSet::isPreviewPosition(int position) const
{
    return m_refining && position >= m_previewBase && position < displayCount();
}

QImage CandidateSet::displayImage(int position) const
{
    if (isPreviewPosition(position))
        return m_previews.value(position - m_previewBase);
    return position >= 0 && position < m_candidates.size() ? shownImage(position) : QImage();
}

bool CandidateSet::showsClean() const
{
    return m_refining ? m_refiningWithClean : hasClean();
}

QImage CandidateSet::cleanDisplayImage() const
{
    if (!m_refining)
        return shownImage(kClean);
    if (!m_refiningClean.image.isNull())
        return m_refiningClean.image;
    if (!m_refiningCleanDraft.isNull())
        return m_refiningCleanDraft;
    return m_appending ? m_clean.image : QImage();  // "more like this" starts from the same clean result
}

void CandidateSet::setComposedImage(int position, const QImage& composed)
{
    if (!isResult(position))
        return;
    if (composed.isNull()) {
        if (m_composed.remove(position) == 0)
            return;
    } else {
        m_composed.insert(position, Composite{result(position).image.cacheKey(), composed});
    }
    Q_EMIT composedImagesChanged();
}

QImage CandidateSet::shownImage(int position) const
{
    if (!isResult(position))
        return QImage();
    const QImage& own = result(position).image;
    const auto composite = m_composed.constFind(position);
    return composite != m_composed.constEnd() && composite->madeFrom == own.cacheKey() ? composite->image : own;
}

bool CandidateSet::isResult(int position) const
{
    return (position >= 0 && position < m_candidates.size()) || (position == kClean && hasClean());
}

const Candidate& CandidateSet::result(int position) const
{
    return position == kClean ? m_clean : m_candidates.at(position);
}

ImageF CandidateSet::outputPixels(int position) const
{
    if (!isResult(position))
        return {};
    const Candidate& c = result(position);
    if (position == kClean || !hasClean())
        return *c.pixels;
    return applyDetail(*detailBase(c), *c.pixels, c.detail);
}

void CandidateSet::setDetail(int position, double detail)
{
    if (position < 0 || position >= m_candidates.size())
        return;
    Candidate& c = m_candidates[position];
    detail = clampDetail(detail);
    if (detail == c.detail)
        return;
    c.detail = detail;
    c.image = displayOf(c);
    Q_EMIT candidateChanged(position);
}

QImage CandidateSet::displayOf(const Candidate& candidate) const
{
    if (!hasClean() || candidate.detail == 1.0)
        return toQImage(*candidate.pixels, m_colourSpace);
    return toQImage(applyDetail(*detailBase(candidate), *candidate.pixels, candidate.detail), m_colourSpace);
}

const ImageF* CandidateSet::detailBase(const Candidate& candidate) const
{
    if (!hasClean())
        return nullptr;
    return candidate.repairedClean ? candidate.repairedClean.get() : m_clean.pixels.get();
}

int CandidateSet::defaultSelection() const
{
    if (!m_candidates.isEmpty())
        return 0;
    return hasClean() ? kClean : -1;
}

Candidate CandidateSet::cleanFrom(const JobOutcome& outcome) const
{
    Candidate clean;
    if (!outcome.result || !outcome.cleanPixels)
        return clean;
    const CandidateOutput& output = outcome.result->clean;
    clean.index = -1;
    clean.seed = output.seed;
    clean.consistencyMse = output.consistencyMse;
    clean.pixels = outcome.cleanPixels;  // shared, not copied
    clean.image = outcome.clean.isNull() ? toQImage(*clean.pixels, m_colourSpace) : outcome.clean;
    clean.request = outcome.request;
    clean.result = outcome.result;
    return clean;
}

QVector<Candidate> CandidateSet::candidatesFrom(const JobOutcome& outcome)
{
    QVector<Candidate> candidates;
    const auto& outputs = outcome.result->candidates;
    for (size_t i = 0; i < outputs.size() && int(i) < outcome.candidatePixels.size(); ++i) {
        Candidate c;
        c.index = outputs[i].index;
        c.seed = outputs[i].seed;
        c.consistencyMse = outputs[i].consistencyMse;
        c.pixels = outcome.candidatePixels[int(i)];  // shared, not copied
        c.image = outcome.candidates.value(int(i));
        c.request = outcome.request;
        c.result = outcome.result;
        c.previewStep = outcome.previewStep;
        candidates.push_back(c);
    }
    return candidates;
}

void CandidateSet::setOutcome(const JobOutcome& outcome)
{
    m_refining = false;
    forgetRefiningClean();
    m_previews.clear();
    m_candidates.clear();
    m_composed.clear();  // of the results replaced
    m_clean = cleanFrom(outcome);
    m_model = outcome.model;
    m_uncertaintyHeat = outcome.uncertaintyHeat;
    m_uncertaintyWanted = !outcome.uncertaintyHeat.isNull();
    appendOutcome(outcome);
    Q_EMIT uncertaintyChanged();
    m_selected = defaultSelection();
    Q_EMIT selectionChanged(m_selected);
}

void CandidateSet::appendOutcome(const JobOutcome& outcome)
{
    m_refining = false;
    forgetRefiningClean();
    m_previews.clear();
    m_candidates += candidatesFrom(outcome);
    Q_EMIT candidatesChanged();
}

QVector<Candidate> CandidateSet::takeLast(int n)
{
    n = std::min(n, int(m_candidates.size()));
    QVector<Candidate> taken(m_candidates.end() - n, m_candidates.end());
    m_candidates.resize(m_candidates.size() - n);
    if (m_selected >= m_candidates.size()) {
        m_selected = m_candidates.isEmpty() ? defaultSelection() : int(m_candidates.size()) - 1;
        Q_EMIT selectionChanged(m_selected);
    }
    Q_EMIT candidatesChanged();
    refreshUncertainty();
    return taken;
}

void CandidateSet::appendCandidates(const QVector<Candidate>& candidates)
{
    m_candidates += candidates;
    Q_EMIT candidatesChanged();
    refreshUncertainty();
}

void CandidateSet::replacePixels(int position, std::shared_ptr<const ImageF> pixels,
                                 std::vector<imaging::RegionEdit> edits)
{
    if (position == kClean) {
        replaceCleanPixels(std::move(pixels), std::move(edits));
        return;
    }
    if (position < 0 || position >= m_candidates.size() || !pixels)
        return;
    Candidate& c = m_candidates[position];
    c.pixels = std::move(pixels);
    c.image = displayOf(c);
    c.edits = std::move(edits);
    Q_EMIT candidateChanged(position);
    refreshUncertainty();
}

void CandidateSet::replaceCleanPixels(std::shared_ptr<const ImageF> pixels, std::vector<imaging::RegionEdit> edits)
{
    if (!hasClean() || !pixels)
        return;
    // The candidates keep blending their Detail over the clean result they were sampled from:
    // a repair of the clean result is the clean result's, not theirs.
    for (Candidate& c : m_candidates)
        if (!c.repairedClean)
            c.repairedClean = m_clean.pixels;
    m_clean.pixels = std::move(pixels);
    m_clean.image = toQImage(*m_clean.pixels, m_colourSpace);
    m_clean.edits = std::move(edits);
    Q_EMIT candidateChanged(kClean);
}

void CandidateSet::replacePixels(int position, std::shared_ptr<const ImageF> pixels,
                                 std::vector<imaging::RegionEdit> edits, std::shared_ptr<const ImageF> repairedClean)
{
    if (position == kClean) {
        replaceCleanPixels(std::move(pixels), std::move(edits));
        return;
    }
    if (position < 0 || position >= m_candidates.size() || !pixels)
        return;
    m_candidates[position].repairedClean = std::move(repairedClean);  // displayed with the new pixels below
    replacePixels(position, std::move(pixels), std::move(edits));
}

void CandidateSet::refreshUncertainty()
{
    if (!m_uncertaintyWanted)
        return;
    QVector<std::shared_ptr<const ImageF>> pixels;
    for (const Candidate& c : std::as_const(m_candidates))
        pixels << c.pixels;
    m_uncertaintyHeat = uncertaintyOverlay(candidateSpread(pixels));
    Q_EMIT uncertaintyChanged();
}

void CandidateSet::setSelected(int position)
{
    if ((position != -1 && !isResult(position)) || position == m_selected)
        return;
    m_selected = position;
    Q_EMIT selectionChanged(position);
}

}  // namespace refine::ui
