#include "diffusion/consistency.h"

#include <limits>
#include <vector>

namespace refine {
namespace {

torch::Tensor gramInverse(const BandMatrix& a, const torch::Device& device)
{
    // float64: the inverse is formed in double precision. A A^T comes from A's few weights per
    // row, so no dense A (n x N: gigabytes on a long side) is ever made.
    const auto inverse = torch::inverse(a.gram());
    // A banded matrix's inverse decays exponentially away from the diagonal: far from it, the
    // entries are below float32's smallest normal number, and denormal operands make the CPU's
    // matrix products more than ten times slower (640 x 480 at x4: 175 ms instead of 13 ms per
    // projection). Flushed to zero they change nothing a float32 product could represent.
    const auto tiny = inverse.abs() < double(std::numeric_limits<float>::min());
    return inverse.masked_fill(tiny, 0.0).to(device, torch::kFloat32);
}

/// Moves each pixel outside [-1, 1] back past the range's end by 0.9 of its overshoot (and
/// clamps what is still outside). With a plain clamp, alternating projections converge slowly
/// near highlights whose shrunk value is at the range's end: each projection gives back about 0.6
/// of what the clamp took. Over-relaxed (by 1.9, inside the (0, 2) of relaxed POCS) a 640 x 480
/// photo's highlights at x4 are in range and consistent after 7 rounds, where 10 plain ones still
/// left pixels 1e-3 outside.
torch::Tensor clampOverRelaxed(const torch::Tensor& x, const torch::Tensor& clamped)
{
    constexpr double kOverRelaxation = 1.9;
    return (clamped - x).mul_(kOverRelaxation - 1).add_(clamped).clamp_(-1, 1);
}

}  // namespace

ConsistencyProjection::ConsistencyProjection(int64_t height, int64_t width, int factor, const torch::Device& device)
    : m_down(height, width, factor, device),
      m_rowsInverse(gramInverse(m_down.rowsOperator(), device)),
      m_colsInverse(gramInverse(m_down.colsOperator(), device))
{
}

torch::Tensor ConsistencyProjection::project(const torch::Tensor& x, const torch::Tensor& lowRes) const
{
    const auto x32 = x.to(torch::kFloat32);
    const auto residual = lowRes.to(x32.device(), torch::kFloat32) - m_down.apply(x32);
    // (H H^T)^-1 r = (A_r A_r^T)^-1 r (A_c A_c^T)^-1 (both Gram inverses are symmetric).
    const auto solved = torch::matmul(torch::matmul(m_rowsInverse, residual), m_colsInverse);
    return x32 + m_down.applyTransposed(solved);
}

torch::Tensor ConsistencyProjection::projectWithinRange(const torch::Tensor& x, const torch::Tensor& lowRes,
                                                        int rounds) const
{
    // One image at a time: each stops on its own, so a candidate comes out the same alone or in
    // a batch, and only one image's temporaries exist at once.
    const auto targetOf = [&](int64_t i) { return lowRes.size(0) == 1 ? lowRes : lowRes.narrow(0, i, 1); };
    if (x.size(0) == 1)
        return projectImageWithinRange(x, targetOf(0), rounds);
    std::vector<torch::Tensor> images;
    for (int64_t i = 0; i < x.size(0); ++i)
        images.push_back(projectImageWithinRange(x.narrow(0, i, 1), targetOf(i), rounds));
    return torch::cat(images);
}

torch::Tensor ConsistencyProjection::projectImageWithinRange(torch::Tensor x, const torch::Tensor& lowRes,
                                                             int rounds) const
{
    for (int i = 0; i < rounds; ++i) {
        x = project(x, lowRes);
        // Once the projection stays in range, clamping changes nothing and further rounds would
        // repeat the same projection: the usual case, and a large image's dominant cost.
        if (x.abs().max().item<double>() <= 1.0)
            return x;
        // The nearest in-range image: good enough once its error is far below what 8-bit output
        // can show. Where no in-range image is consistent (black next to a light), the error
        // falls only slowly and the rounds run out: the plain clamp is the answer there too.
        auto clamped = x.clamp(-1, 1);
        if (i + 1 == rounds || error(clamped, lowRes).item<double>() * 0.25 <= kWithinRangeTolerance)
            return clamped;
        x = clampOverRelaxed(x, clamped);
    }
    return x;
}

torch::Tensor consistencyError(const Downscaler& down, const torch::Tensor& x, const torch::Tensor& lowRes)
{
    // H in float32 (its rounding, ~1e-7, is far below what the error can resolve), the mean in float64.
    const auto diff = (down.apply(x.to(torch::kFloat32)) - lowRes.to(x.device(), torch::kFloat32)).to(torch::kFloat64);
    return diff.pow(2).flatten(1).mean(1).cpu();
}

}  // namespace refine
