#pragma once
/// @file preview_outcome.h
/// @brief A cancelled job's last x0 previews turned into a result the user can keep: an early
/// look is sometimes good enough, and throwing it away would lose the work already done. With a
/// residual-shift model the clean result, which comes before any step, is kept too.

#include <QImage>
#include <QVector>

#include "jobs/job_types.h"

namespace refine::ui {

/// The candidates of `request` (on an input of `inputSize`) as previewed at `step`: each
/// non-null preview, enlarged to the output size when the engine sent it smaller, its display
/// colours turned back into the photo's `colourSpace`. Provenance records the steps actually
/// run; the consistency with the photo was not measured (consistencyMse < 0). Previews of step 0
/// are not candidates (a residual-shift model's step 0 is the clean result itself). `clean`,
/// when it has pixels, becomes the outcome's clean result (shared, not copied). Returns an
/// outcome without result when there is nothing to keep.
JobOutcome outcomeFromPreviews(const QVector<QImage>& previews, int step, const EnhanceRequest& request,
                               QSize inputSize, const ModelInfo& model, const CleanFrame& clean = {},
                               const QColorSpace& colourSpace = {});

}  // namespace refine::ui
