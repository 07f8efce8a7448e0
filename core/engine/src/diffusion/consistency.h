#pragma once
/// @file consistency.h
/// @brief The exact consistency projection of Explorable Super-Resolution (Bahat & Michaeli,
/// CVPR 2020): x_out = x + H^T (H H^T)^-1 (y - H x), so that H x_out = y exactly while the
/// generated detail (the component of x in the null space of H) is kept.
///
/// H is Refine's antialiased bicubic downscaler. It is separable, H x = A_r x A_c^T, so
/// (H H^T)^-1 = (A_r A_r^T)^-1 (x) (A_c A_c^T)^-1: two small dense inverses, exact at the borders
/// too (the original inverts H H^T approximately with a truncated FFT kernel).

#include <torch/types.h>

#include "diffusion/resampling.h"

namespace refine {

/// Mean squared error between H x and lowRes per batch element ([B], float64, on the CPU): how far
/// x is from consistent. Needs only H, not the projection's inverses.
torch::Tensor consistencyError(const Downscaler& down, const torch::Tensor& x, const torch::Tensor& lowRes);

class ConsistencyProjection {
public:
    /// For outputs of `height` x `width` pixels and inputs `factor` times smaller.
    ConsistencyProjection(int64_t height, int64_t width, int factor, const torch::Device& device = torch::kCPU);

    /// Projects x [B, C, H, W] onto { x : H x = lowRes } (lowRes [B, C, H/f, W/f]), in float32.
    torch::Tensor project(const torch::Tensor& x, const torch::Tensor& lowRes) const;

    /// Alternating projections onto the consistent set and the valid range [-1, 1] (POCS, the
    /// clamp over-relaxed): the result is in range and, after a few rounds, consistent to well
    /// below what 8-bit output can show even where the plain projection would leave the range and
    /// be clipped. Each image of the batch (lowRes: one per image, or one for all) stops early
    /// once its projection stays in range (then it is exact), or once its clamped result's error
    /// (MSE in [0, 1] units) is at most kWithinRangeTolerance.
    torch::Tensor projectWithinRange(const torch::Tensor& x, const torch::Tensor& lowRes, int rounds = 10) const;

    /// 1e-8: an RMS error of a fortieth of an 8-bit level, a thousandth of the consistency bound
    /// Refine promises (1e-5) and a ten-thousandth of bicubic's. On clipped photos the rounds after
    /// it cost a second of a 640x480 x4 job and change nothing visible.
    static constexpr double kWithinRangeTolerance = 1e-8;

    /// Mean squared error between H x and lowRes, per batch element ([B], float64).
    torch::Tensor error(const torch::Tensor& x, const torch::Tensor& lowRes) const { return consistencyError(m_down, x, lowRes); }

    const Downscaler& downscaler() const { return m_down; }

private:
    /// projectWithinRange() for a batch of one.
    torch::Tensor projectImageWithinRange(torch::Tensor x, const torch::Tensor& lowRes, int rounds) const;

    Downscaler m_down;
    torch::Tensor m_rowsInverse;  ///< (A_r A_r^T)^-1, float32 on the device
    torch::Tensor m_colsInverse;  ///< (A_c A_c^T)^-1
};

}  // namespace refine
