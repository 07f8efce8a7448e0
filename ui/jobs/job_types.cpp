#include "jobs/job_types.h"

#include "model/image_convert.h"

namespace refine::ui {

void takePixels(EnhanceResult& result, JobOutcome& outcome, const QColorSpace& colourSpace)
{
    const bool displayMade = outcome.candidates.size() == int(result.candidates.size());
    for (CandidateOutput& candidate : result.candidates) {
        auto pixels = std::make_shared<const ImageF>(std::move(candidate.image));
        candidate.image = ImageF();  // a moved-from image is valid but unspecified: make it empty
        if (!displayMade)
            outcome.candidates.push_back(toQImage(*pixels, colourSpace));
        outcome.candidatePixels.push_back(std::move(pixels));
    }
    if (!outcome.cleanPixels && !result.clean.image.empty())
        outcome.cleanPixels = std::make_shared<const ImageF>(std::move(result.clean.image));
    result.clean.image = ImageF();  // moved, or the same pixels as outcome.cleanPixels
    if (outcome.cleanPixels && outcome.clean.isNull())
        outcome.clean = toQImage(*outcome.cleanPixels, colourSpace);
    result.stages.clear();
}

JobError::Kind jobErrorKind(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return JobError::Kind::InvalidArgument;
    case ErrorCode::BadModel: return JobError::Kind::BadModel;
    case ErrorCode::BadImage: return JobError::Kind::BadImage;
    case ErrorCode::OutOfMemory: return JobError::Kind::OutOfMemory;
    case ErrorCode::Io: return JobError::Kind::Io;
    case ErrorCode::Internal: return JobError::Kind::Internal;
    }
    return JobError::Kind::Internal;
}

void registerJobMetaTypes()
{
    qRegisterMetaType<EnhanceJob>();
    qRegisterMetaType<PreviewFrame>();
    qRegisterMetaType<CleanFrame>();
    qRegisterMetaType<JobOutcome>();
    qRegisterMetaType<JobError>();
    qRegisterMetaType<EnhanceProgress>();
}

}  // namespace refine::ui
