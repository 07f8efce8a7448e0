#include "diffusion/resampling.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <torch/nn/functional.h>

#include "refine/engine/error.h"

namespace refine {
namespace {

/// Keys' cubic convolution kernel with a = -0.5 (the "bicubic" of PIL, MATLAB and torch).
double cubic(double x)
{
    constexpr double a = -0.5;
    x = std::abs(x);
    if (x <= 1)
        return ((a + 2) * x - (a + 3)) * x * x + 1;
    if (x < 2)
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    return 0;
}

}  // namespace

BandMatrix BandMatrix::bicubicDownscale(int64_t inSize, int factor)
{
    if (factor < 1 || inSize % factor != 0)
        throw Error(ErrorCode::InvalidArgument, "a downscale by " + std::to_string(factor) + " needs a size divisible by it, not "
                                                    + std::to_string(inSize));
    const int64_t outSize = inSize / factor;
    auto dense = torch::zeros({outSize, inSize}, torch::kFloat64);
    auto a = dense.accessor<double, 2>();
    for (int64_t i = 0; i < outSize; ++i) {
        // Output sample i sits at input coordinate (i + 0.5) * factor - 0.5; the kernel is
        // stretched by the factor to low-pass before subsampling (antialiasing).
        const double center = (i + 0.5) * factor - 0.5;
        const int64_t first = int64_t(std::floor(center - 2.0 * factor)) + 1;
        const int64_t last = int64_t(std::ceil(center + 2.0 * factor)) - 1;
        double sum = 0;
        for (int64_t j = std::max<int64_t>(first, 0); j <= std::min(last, inSize - 1); ++j) {
            a[i][j] = cubic((j - center) / factor);
            sum += a[i][j];
        }
        // Taps beyond the border are dropped and the rest renormalised (PIL's convention).
        for (int64_t j = 0; j < inSize; ++j)
            a[i][j] /= sum;
    }
    return fromDense(dense, factor);
}

BandMatrix BandMatrix::fromDense(const torch::Tensor& dense, int64_t stride)
{
    BandMatrix band;
    band.m_rows = dense.size(0);
    band.m_cols = dense.size(1);
    band.m_stride = stride;
    band.m_dense = dense;
    auto a = dense.accessor<double, 2>();
    // The stencil is the middle row's (an interior row whenever the line is long enough; on a
    // short line every row is a border row and the correction F carries the difference).
    const int64_t middle = band.m_rows / 2;
    int64_t first = -1, last = -1;
    for (int64_t j = 0; j < band.m_cols; ++j)
        if (a[middle][j] != 0.0) {
            first = first < 0 ? j : first;
            last = j;
        }
    band.m_offset = std::min<int64_t>(0, first - middle * stride);
    const int64_t begin = middle * stride + band.m_offset;
    band.m_stencil = torch::zeros({last - begin + 1}, torch::kFloat64);
    for (int64_t k = 0; k <= last - begin; ++k)
        band.m_stencil[k] = begin + k >= 0 ? a[middle][begin + k] : 0.0;
    // F = A - S, on the (few) rows where they differ.
    const int64_t taps = band.m_stencil.size(0);
    auto stencil = band.m_stencil.accessor<double, 1>();
    auto difference = dense.clone();
    auto d = difference.accessor<double, 2>();
    for (int64_t i = 0; i < band.m_rows; ++i)
        for (int64_t k = 0; k < taps; ++k) {
            const int64_t j = i * stride + band.m_offset + k;
            if (j >= 0 && j < band.m_cols)
                d[i][j] -= stencil[k];
        }
    std::vector<int64_t> rows, cols;
    std::vector<bool> colUsed(size_t(band.m_cols), false);
    for (int64_t i = 0; i < band.m_rows; ++i) {
        bool differs = false;
        for (int64_t j = 0; j < band.m_cols; ++j)
            if (std::abs(d[i][j]) > 1e-15) {
                differs = true;
                colUsed[size_t(j)] = true;
            }
        if (differs)
            rows.push_back(i);
    }
    for (int64_t j = 0; j < band.m_cols; ++j)
        if (colUsed[size_t(j)])
            cols.push_back(j);
    band.m_fixRows = torch::tensor(rows, torch::kLong);
    band.m_fixCols = torch::tensor(cols, torch::kLong);
    band.m_fix = rows.empty() ? torch::zeros({0, 0}, torch::kFloat64)
                              : difference.index_select(0, band.m_fixRows).index_select(1, band.m_fixCols);
    return band;
}

namespace {

int64_t normalisedDim(const torch::Tensor& x, int64_t dim)
{
    const int64_t d = dim < 0 ? dim + x.dim() : dim;
    if (d < 0 || d >= x.dim())
        throw Error(ErrorCode::Internal, "resampling: no dimension " + std::to_string(dim));
    return d;
}

/// out[..., rows[r], ...] += sum_c m[r, c] x[..., cols[c], ...] along `dim`.
void addSmallProduct(torch::Tensor& out, const torch::Tensor& x, int64_t dim, const torch::Tensor& m,
                     const torch::Tensor& outIndex, const torch::Tensor& inIndex)
{
    if (outIndex.numel() == 0)
        return;
    const auto taken = x.index_select(dim, inIndex).movedim(dim, -1);
    out.index_add_(dim, outIndex, torch::matmul(taken, m.t()).movedim(-1, dim));
}

}  // namespace

// Both products run tap by tap over strided views: each tap is one vectorised multiply-add of the
// whole image (along rows every selected line is contiguous), which is memory-bound and several
// times faster than a gather or a one-channel convolution with a long kernel.
torch::Tensor BandMatrix::apply(const torch::Tensor& x, int64_t dim) const
{
    dim = normalisedDim(x, dim);
    if (x.size(dim) != m_cols)
        throw Error(ErrorCode::Internal, "resampling: the line has " + std::to_string(x.size(dim))
                                             + " samples, the operator " + std::to_string(m_cols));
    auto outShape = x.sizes().vec();
    outShape[size_t(dim)] = m_rows;
    auto out = torch::zeros(outShape, x.options());
    const auto stencil = m_stencil.cpu();
    auto w = stencil.accessor<double, 1>();
    for (int64_t k = 0; k < stencil.size(0); ++k) {
        // Tap k of row i reads input i * stride + offset + k: only the rows where that is inside.
        const auto [first, count] = rowsInside(k);
        if (w[k] != 0.0 && count > 0)
            out.narrow(dim, first, count)
                .add_(x.slice(dim, first * m_stride + m_offset + k, (first + count - 1) * m_stride + m_offset + k + 1,
                              m_stride),
                      w[k]);
    }
    addSmallProduct(out, x, dim, m_fix.to(x.scalar_type()), m_fixRows, m_fixCols);
    return out;
}

torch::Tensor BandMatrix::applyTransposed(const torch::Tensor& y, int64_t dim) const
{
    dim = normalisedDim(y, dim);
    if (y.size(dim) != m_rows)
        throw Error(ErrorCode::Internal, "resampling: the line has " + std::to_string(y.size(dim))
                                             + " samples, the operator " + std::to_string(m_rows));
    auto shape = y.sizes().vec();
    shape[size_t(dim)] = m_cols;
    auto out = torch::zeros(shape, y.options());
    const auto stencil = m_stencil.cpu();
    auto w = stencil.accessor<double, 1>();
    for (int64_t k = 0; k < stencil.size(0); ++k) {
        const auto [first, count] = rowsInside(k);
        if (w[k] != 0.0 && count > 0)
            out.slice(dim, first * m_stride + m_offset + k, (first + count - 1) * m_stride + m_offset + k + 1, m_stride)
                .add_(y.narrow(dim, first, count), w[k]);
    }
    addSmallProduct(out, y, dim, m_fix.t().to(y.scalar_type()), m_fixCols, m_fixRows);
    return out;
}

std::pair<int64_t, int64_t> BandMatrix::rowsInside(int64_t tap) const
{
    // Rows i with 0 <= i * stride + offset + tap < cols, as (first, count).
    const int64_t shift = m_offset + tap;
    const int64_t first = shift >= 0 ? 0 : (-shift + m_stride - 1) / m_stride;
    const int64_t last = std::min(m_rows - 1, (m_cols - 1 - shift) / m_stride);
    return {first, std::max<int64_t>(0, last - first + 1)};
}

torch::Tensor BandMatrix::dense() const { return m_dense; }

BandMatrix BandMatrix::to(const torch::Device& device) const
{
    BandMatrix b = *this;
    b.m_stencil = m_stencil.to(device);
    b.m_fixRows = m_fixRows.to(device);
    b.m_fixCols = m_fixCols.to(device);
    b.m_fix = m_fix.to(device);
    return b;
}

Downscaler::Downscaler(int64_t height, int64_t width, int factor, const torch::Device& device)
    : m_factor(factor),
      m_rows(BandMatrix::bicubicDownscale(height, factor).to(device)),
      m_cols(BandMatrix::bicubicDownscale(width, factor).to(device))
{
}

torch::Tensor Downscaler::apply(const torch::Tensor& x) const { return m_cols.apply(m_rows.apply(x, -2), -1); }

torch::Tensor Downscaler::applyTransposed(const torch::Tensor& y) const
{
    return m_cols.applyTransposed(m_rows.applyTransposed(y, -2), -1);
}

torch::Tensor downscaleBicubic(const torch::Tensor& x, int factor)
{
    if (factor == 1)
        return x;
    return Downscaler(x.size(-2), x.size(-1), factor, x.device()).apply(x);
}

torch::Tensor upscaleBicubic(const torch::Tensor& x, int factor)
{
    if (factor == 1)
        return x;
    namespace F = torch::nn::functional;
    auto options = F::InterpolateFuncOptions()
                       .size(std::vector<int64_t>{x.size(-2) * factor, x.size(-1) * factor})
                       .mode(torch::kBicubic)
                       .align_corners(false);
    return F::interpolate(x, options);
}

}  // namespace refine
