#include "jobs/preview_outcome.h"

#include "jobs/preset_resolution.h"
#include "model/display_colour.h"
#include "model/image_convert.h"

namespace refine::ui {
namespace {

/// The previews as candidates (index and seed as the job would have given them).
void addPreviewCandidates(const QVector<QImage>& previews, const EnhanceRequest& request, QSize inputSize,
                          const QColorSpace& colourSpace, EnhanceResult& result, JobOutcome& outcome)
{
    const QSize outputSize = inputSize * request.scale;
    for (int i = 0; i < previews.size(); ++i) {
        if (previews[i].isNull())
            continue;  // a later chunk of candidates had not started
        // Previews of large photos arrive downscaled (EnhanceRequest::previewMaxSide).
        const QImage image = previews[i].size() == outputSize
                               ? previews[i]
                               : previews[i].scaled(outputSize, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        CandidateOutput candidate;
        candidate.index = request.firstCandidateIndex + i;
        candidate.seed = candidateSeed(request.seed, candidate.index);
        candidate.consistencyMse = -1;
        outcome.candidatePixels << std::make_shared<const ImageF>(toImageF(fromDisplayColours(image, colourSpace)));
        outcome.candidates << image.convertToFormat(QImage::Format_RGB32);
        result.candidates.push_back(std::move(candidate));
    }
}

}  // namespace

JobOutcome outcomeFromPreviews(const QVector<QImage>& previews, int step, const EnhanceRequest& request,
                               QSize inputSize, const ModelInfo& model, const CleanFrame& clean,
                               const QColorSpace& colourSpace)
{
    auto result = std::make_shared<EnhanceResult>();
    JobOutcome outcome;
    if (step > 0)
        addPreviewCandidates(previews, request, inputSize, colourSpace, *result, outcome);
    if (clean.pixels) {
        result->clean.index = -1;
        result->clean.consistencyMse = clean.consistencyMse;
        outcome.cleanPixels = clean.pixels;
        outcome.clean = clean.image;
    }
    if (result->candidates.empty() && !outcome.cleanPixels)
        return {};
    result->steps = result->candidates.empty() ? 0 : step;
    result->sampler = result->candidates.empty() ? std::string("clean") : resolvedPreset(request, model).sampler;
    outcome.request = std::make_shared<const EnhanceRequest>(request);
    outcome.inputSize = inputSize;
    outcome.model = model;
    outcome.previewStep = result->candidates.empty() ? 0 : step;
    outcome.result = std::move(result);
    return outcome;
}

}  // namespace refine::ui
