#include "model/detail_preview.h"

#include <algorithm>

#include "model/image_convert.h"
#include "refine/engine/detail.h"

namespace refine::ui {
namespace {

bool sameShape(const ImageF& a, const ImageF& b)
{
    return a.width == b.width && a.height == b.height && a.channels == b.channels && !a.empty();
}

}  // namespace

double clampDetail(double detail)
{
    return std::clamp(detail, kMinDetail, kMaxDetail);
}

ImageF applyDetail(const ImageF& clean, const ImageF& sampled, double detail)
{
    if (!sameShape(clean, sampled))
        return sampled;
    return blendDetail(clean, sampled, clampDetail(detail));
}

DetailPreview::DetailPreview(const ImageF& clean, const ImageF& sampled, int maxSide, const QColorSpace& colourSpace)
    : m_colourSpace(colourSpace)
{
    if (!sameShape(clean, sampled))
        return;
    m_clean = shrink(clean, maxSide);
    m_sampled = shrink(sampled, maxSide);
}

QImage DetailPreview::render(double detail) const
{
    return isEmpty() ? QImage() : toQImage(blendDetail(m_clean, m_sampled, clampDetail(detail)), m_colourSpace);
}

ImageF DetailPreview::shrink(const ImageF& image, int maxSide)
{
    const int longer = std::max(image.width, image.height);
    const int factor = (longer + std::max(1, maxSide) - 1) / std::max(1, maxSide);
    if (factor <= 1)
        return image;
    ImageF out((image.width + factor - 1) / factor, (image.height + factor - 1) / factor, image.channels);
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x) {
            // Blocks at the right and bottom edges may be partial: average what is there.
            const int x1 = std::min(image.width, (x + 1) * factor), y1 = std::min(image.height, (y + 1) * factor);
            const float n = float((x1 - x * factor) * (y1 - y * factor));
            for (int c = 0; c < image.channels; ++c) {
                float sum = 0;
                for (int sy = y * factor; sy < y1; ++sy)
                    for (int sx = x * factor; sx < x1; ++sx)
                        sum += image.at(sx, sy, c);
                out.at(x, y, c) = sum / n;
            }
        }
    return out;
}

}  // namespace refine::ui
