#pragma once
/// @file preview_outcome.h
/// @brief A cancelled job's last x0 previews turned into a result the user can keep: an early
/// look is sometimes good enough, and throwing it away would lose the work already done.

#include <QImage>
#include <QVector>

#include "jobs/job_types.h"

namespace refine::ui {

/// The candidates of `request` as previewed at `step` of `stepCount`: each non-null preview,
/// enlarged to the output size when the engine sent it smaller. Provenance records the steps
/// actually run; the consistency with the photo was not measured (consistencyMse < 0).
/// Returns an outcome without result when there is no preview to keep.
JobOutcome outcomeFromPreviews(const QVector<QImage>& previews, int step, const EnhanceRequest& request,
                               const ModelInfo& model);

}  // namespace refine::ui
