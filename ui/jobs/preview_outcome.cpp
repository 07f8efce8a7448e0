#include "jobs/preview_outcome.h"

#include "model/image_convert.h"

namespace refine::ui {
namespace {

/// The sampler the job ran, for the provenance: the request's own, else its preset's.
std::string samplerOf(const EnhanceRequest& request, const ModelInfo& model)
{
    if (!request.sampler.empty())
        return request.sampler;
    const std::string preset = request.preset.empty() ? model.defaultPreset : request.preset;
    for (const SamplingPreset& p : model.presets)
        if (p.name == preset)
            return p.sampler;
    return {};
}

}  // namespace

JobOutcome outcomeFromPreviews(const QVector<QImage>& previews, int step, const EnhanceRequest& request,
                               const ModelInfo& model)
{
    const QSize outputSize(request.input.width * request.scale, request.input.height * request.scale);
    auto result = std::make_shared<EnhanceResult>();
    JobOutcome outcome;
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
        candidate.image = toImageF(image);
        candidate.consistencyMse = -1;
        result->candidates.push_back(std::move(candidate));
        outcome.candidates << image.convertToFormat(QImage::Format_RGB32);
    }
    if (result->candidates.empty())
        return {};
    result->steps = step;
    result->sampler = samplerOf(request, model);
    outcome.request = std::make_shared<const EnhanceRequest>(request);
    outcome.model = model;
    outcome.previewStep = step;
    outcome.result = std::move(result);
    return outcome;
}

}  // namespace refine::ui
