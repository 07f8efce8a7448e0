#include <algorithm>
#include <string>

#include "refine/engine/detail.h"
#include "refine/engine/error.h"

namespace refine {

ImageF blendDetail(const ImageF& clean, const ImageF& candidate, double detail)
{
    if (clean.width != candidate.width || clean.height != candidate.height || clean.channels != candidate.channels
        || clean.pixels.size() != candidate.pixels.size())
        throw Error(ErrorCode::InvalidArgument, "the clean result and the candidate differ in size");
    if (!(detail >= kMinDetail && detail <= kMaxDetail))
        throw Error(ErrorCode::InvalidArgument, "Detail must be between " + std::to_string(kMinDetail).substr(0, 3)
                                                    + " and " + std::to_string(kMaxDetail).substr(0, 3));
    if (detail == 1.0)
        return candidate;
    ImageF out = clean;
    const float s = float(detail);
    for (size_t i = 0; i < out.pixels.size(); ++i)
        out.pixels[i] = std::clamp(clean.pixels[i] + s * (candidate.pixels[i] - clean.pixels[i]), 0.f, 1.f);
    return out;
}

}  // namespace refine
