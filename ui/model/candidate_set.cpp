#include "model/candidate_set.h"

#include "model/image_convert.h"
#include "model/uncertainty_map.h"
#include "refine/imaging/engine_image.h"

namespace refine::ui {

CandidateSet::CandidateSet(QObject* parent) : QObject(parent) {}

PhotoViews CandidateSet::preparePhotoViews(const imaging::Photo* photo, int scale)
{
    PhotoViews views;
    views.scale = scale;
    views.input = photo ? imaging::toImageF(photo->rgb) : ImageF();
    views.inputImage = toQImage(views.input);
    views.original = bicubicEnlarged(views.input, scale);
    return views;
}

void CandidateSet::setPhoto(const QString& path, std::shared_ptr<const imaging::Photo> photo, PhotoViews views)
{
    m_path = path;
    m_photo = std::move(photo);
    if (views.scale <= 0)
        views = preparePhotoViews(m_photo.get(), m_scale);
    m_scale = views.scale;
    m_input = std::move(views.input);
    m_inputImage = std::move(views.inputImage);
    m_original = std::move(views.original);
    m_candidates.clear();
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

void CandidateSet::setScale(int scale)
{
    if (scale == m_scale)
        return;
    m_scale = scale;
    m_original = bicubicEnlarged(m_input, m_scale);
    Q_EMIT photoChanged();
}

void CandidateSet::beginRefinement(int candidates, int scale, bool append)
{
    setScale(scale);
    m_refining = true;
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

void CandidateSet::endRefinement()
{
    if (!m_refining)
        return;
    m_refining = false;
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
    return position >= 0 && position < m_candidates.size() ? m_candidates[position].image : QImage();
}

QVector<Candidate> CandidateSet::candidatesFrom(const JobOutcome& outcome)
{
    QVector<Candidate> candidates;
    const auto& outputs = outcome.result->candidates;
    for (size_t i = 0; i < outputs.size(); ++i) {
        Candidate c;
        c.index = outputs[i].index;
        c.seed = outputs[i].seed;
        c.consistencyMse = outputs[i].consistencyMse;
        c.pixels = std::make_shared<const ImageF>(outputs[i].image);
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
    m_previews.clear();
    m_candidates.clear();
    m_model = outcome.model;
    m_uncertaintyHeat = outcome.uncertaintyHeat;
    m_uncertaintyWanted = !outcome.uncertaintyHeat.isNull();
    appendOutcome(outcome);
    Q_EMIT uncertaintyChanged();
    m_selected = m_candidates.isEmpty() ? -1 : 0;
    Q_EMIT selectionChanged(m_selected);
}

void CandidateSet::appendOutcome(const JobOutcome& outcome)
{
    m_refining = false;
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
        m_selected = int(m_candidates.size()) - 1;
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
    if (position < 0 || position >= m_candidates.size() || !pixels)
        return;
    Candidate& c = m_candidates[position];
    c.pixels = std::move(pixels);
    c.image = toQImage(*c.pixels);
    c.edits = std::move(edits);
    Q_EMIT candidateChanged(position);
    refreshUncertainty();
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
    if (position < -1 || position >= m_candidates.size() || position == m_selected)
        return;
    m_selected = position;
    Q_EMIT selectionChanged(position);
}

}  // namespace refine::ui
