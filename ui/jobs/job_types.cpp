#include "jobs/job_types.h"

namespace refine::ui {

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
