#pragma once
/// @file detail_preview.h
/// @brief A candidate of a residual-shift model at a Detail s: clean + s (candidate - clean).
/// Exact at full resolution for export and the settled display (refine::blendDetail), and quick
/// at display resolution while the slider moves, so dragging stays smooth on a 12-megapixel result.

#include <QColorSpace>
#include <QImage>

#include "refine/engine/image.h"

namespace refine::ui {

/// The Detail a caller may ask for, clamped to [kMinDetail, kMaxDetail].
double clampDetail(double detail);

/// `sampled` at `detail` over `clean` (refine::blendDetail): `sampled` itself at 1, bit for bit.
/// Without a clean result of the same size (an SR3 model) the Detail does not apply: `sampled`.
ImageF applyDetail(const ImageF& clean, const ImageF& sampled, double detail);

/// Shrunk copies of a clean result and a candidate, blended while the slider moves.
class DetailPreview {
public:
    DetailPreview() = default;
    /// Both images box-averaged to at most `maxSide` pixels on their longer side (as they are
    /// when already that small, so small photos preview exactly); their pixels are in
    /// `colourSpace` (the photo's), converted for the screen when rendered.
    DetailPreview(const ImageF& clean, const ImageF& sampled, int maxSide, const QColorSpace& colourSpace = {});

    bool isEmpty() const { return m_clean.empty(); }
    /// The candidate at `detail`, at the preview's resolution.
    QImage render(double detail) const;

    /// Box average of `image` by an integer factor, so that its longer side is at most `maxSide`.
    static ImageF shrink(const ImageF& image, int maxSide);

private:
    ImageF m_clean, m_sampled;
    QColorSpace m_colourSpace;
};

}  // namespace refine::ui
