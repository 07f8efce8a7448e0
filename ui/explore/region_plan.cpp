#include "explore/region_plan.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace refine::ui {
namespace {

constexpr int kMinCropInput = 8;  // the model needs a few pixels of context in every direction

/// Grows `r` to at least `minSide` per axis, staying inside `bounds` where possible.
QRect growTo(QRect r, int minSide, const QRect& bounds)
{
    auto grow = [](int& lo, int& hi, int want, int boundLo, int boundHi) {
        int missing = want - (hi - lo + 1);
        if (missing <= 0)
            return;
        lo -= missing / 2;
        hi += missing - missing / 2;
        if (lo < boundLo) { hi += boundLo - lo; lo = boundLo; }
        if (hi > boundHi) { lo -= hi - boundHi; hi = boundHi; }
        lo = std::max(lo, boundLo);
    };
    int l = r.left(), ri = r.right(), t = r.top(), b = r.bottom();
    grow(l, ri, minSide, bounds.left(), bounds.right());
    grow(t, b, minSide, bounds.top(), bounds.bottom());
    return QRect(QPoint(l, t), QPoint(ri, b));
}

}  // namespace

RegionPlan planRegion(const QRect& selection, QSize inputSize, int scale, int marginInput)
{
    RegionPlan plan;
    const QRect outputBounds(0, 0, inputSize.width() * scale, inputSize.height() * scale);
    plan.selection = selection.normalized().intersected(outputBounds);
    if (plan.selection.isEmpty() || scale < 1)
        return {};
    // The input pixels under the selection, then the context margin around them.
    const QRect under(QPoint(plan.selection.left() / scale, plan.selection.top() / scale),
                      QPoint(plan.selection.right() / scale, plan.selection.bottom() / scale));
    const int margin = marginInput > 0 ? marginInput
                                       : std::max(4, int(std::ceil(std::max(under.width(), under.height()) / 4.0)));
    const QRect inputBounds(QPoint(0, 0), inputSize);
    plan.inputCrop = growTo(under.adjusted(-margin, -margin, margin, margin).intersected(inputBounds),
                            kMinCropInput, inputBounds);
    plan.patchRect = QRect(plan.inputCrop.topLeft() * scale, plan.inputCrop.size() * scale);
    // Blend over the inner half of the margin: the outer half is context the model saw only at
    // the crop's edge, where it is least reliable.
    plan.feather = std::max(1, margin * scale / 2);
    return plan;
}

EnhanceRequest regionJobRequest(const EnhanceRequest& candidateJob, ImageF input, int candidates, std::uint64_t seed)
{
    EnhanceRequest request = candidateJob;
    request.input = std::move(input);
    request.candidates = candidates;
    request.firstCandidateIndex = 0;
    request.seed = seed;
    request.uncertaintyMap = false;
    request.previewInterval = 0;
    request.tileSize = 0;
    return request;
}

ImageF cropImage(const ImageF& image, const QRect& rect)
{
    ImageF out(rect.width(), rect.height(), image.channels);
    for (int y = 0; y < rect.height(); ++y) {
        const float* from = &image.pixels[(size_t(rect.top() + y) * image.width + rect.left()) * image.channels];
        std::copy(from, from + size_t(rect.width()) * image.channels,
                  &out.pixels[size_t(y) * rect.width() * image.channels]);
    }
    return out;
}

float featherWeight(double distance, int feather)
{
    if (distance <= 0)
        return 1.f;
    if (feather <= 0 || distance >= feather)
        return 0.f;
    const double t = distance / feather;
    return float(1.0 - t * t * (3.0 - 2.0 * t));  // smoothstep: no visible edge where it starts or ends
}

ImageF blendWeighted(const ImageF& target, const ImageF& patch, QPoint patchOrigin, const QRect& reach,
                     const std::function<float(int, int)>& weightAt)
{
    ImageF out = target;
    const QRect covered = reach.intersected(QRect(patchOrigin, QSize(patch.width, patch.height)))
                              .intersected(QRect(0, 0, target.width, target.height));
    const int channels = std::min(target.channels, patch.channels);
    for (int y = covered.top(); y <= covered.bottom(); ++y)
        for (int x = covered.left(); x <= covered.right(); ++x) {
            const float w = weightAt(x, y);
            if (w <= 0.f)
                continue;  // untouched, bit for bit
            for (int c = 0; c < channels; ++c) {
                const float p = patch.at(x - patchOrigin.x(), y - patchOrigin.y(), c);
                out.at(x, y, c) = w * p + (1.f - w) * target.at(x, y, c);
            }
        }
    return out;
}

ImageF blendPatch(const ImageF& target, const ImageF& patch, QPoint patchOrigin, const QRect& selection, int feather)
{
    const QRect reach = selection.adjusted(-feather, -feather, feather, feather);
    return blendWeighted(target, patch, patchOrigin, reach, [&](int x, int y) {
        const double dx = std::max({selection.left() - x, 0, x - selection.right()});
        const double dy = std::max({selection.top() - y, 0, y - selection.bottom()});
        return featherWeight(std::hypot(dx, dy), feather);
    });
}

}  // namespace refine::ui
