#include "model/uncertainty_map.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "model/image_convert.h"
#include "refine/imaging/engine_image.h"

namespace refine::ui {
namespace {

constexpr float kMaxOverlayOpacity = 0.8f;  // the most uncertain pixels still let the photo show

/// Colours of `map` with opacity from its values; `high` is the value of full opacity.
QImage withOpacity(const QImage& colours, const ImageF& map, float high)
{
    QImage out = colours.convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < out.height(); ++y) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(y));
        for (int x = 0; x < out.width(); ++x) {
            const float v = map.at(x, y, 0);
            const float t = high > 0.f && std::isfinite(v) ? v / high : 0.f;
            line[x] = qRgba(qRed(line[x]), qGreen(line[x]), qBlue(line[x]), uncertaintyAlpha(t));
        }
    }
    return out;
}

}  // namespace

ImageF candidateSpread(const QVector<std::shared_ptr<const ImageF>>& candidates)
{
    if (candidates.size() < 2 || !candidates.first())
        return {};
    const ImageF& first = *candidates.first();
    for (const auto& c : candidates)
        if (!c || c->width != first.width || c->height != first.height || c->channels != first.channels)
            return {};
    const double n = double(candidates.size());
    ImageF spread(first.width, first.height, 1);
    const size_t pixels = size_t(first.width) * size_t(first.height);
    const int channels = first.channels;
    for (size_t p = 0; p < pixels; ++p) {
        double sumOfStd = 0;
        for (int ch = 0; ch < channels; ++ch) {
            double sum = 0, squares = 0;
            for (const auto& c : candidates) {
                const double v = c->pixels[p * size_t(channels) + size_t(ch)];
                sum += v;
                squares += v * v;
            }
            const double mean = sum / n;
            sumOfStd += std::sqrt(std::max(0.0, squares / n - mean * mean));
        }
        spread.pixels[p] = float(sumOfStd / channels);
    }
    return spread;
}

int uncertaintyAlpha(float t)
{
    return int(std::lround(255.f * kMaxOverlayOpacity * std::clamp(t, 0.f, 1.f)));
}

QImage uncertaintyOverlay(const ImageF& map)
{
    if (map.empty())
        return {};
    return withOpacity(toQImage(imaging::heatmap(map)), map, imaging::robustMaximum(map.pixels));
}

QImage uncertaintyRamp(int width)
{
    ImageF ramp(std::max(2, width), 1, 1);
    for (int x = 0; x < ramp.width; ++x)
        ramp.at(x, 0, 0) = float(x) / float(ramp.width - 1);
    // heatmap() normalises by the 99th percentile; the ramp's own maximum keeps it a full sweep.
    return withOpacity(toQImage(imaging::heatmap(ramp)), ramp, 1.f);
}

}  // namespace refine::ui
