#include "diffusion/resampling.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
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
    std::vector<SparseRow> rows(static_cast<size_t>(outSize));
    for (int64_t i = 0; i < outSize; ++i) {
        // Output sample i sits at input coordinate (i + 0.5) * factor - 0.5; the kernel is
        // stretched by the factor to low-pass before subsampling (antialiasing).
        const double center = (i + 0.5) * factor - 0.5;
        const int64_t first = std::max<int64_t>(int64_t(std::floor(center - 2.0 * factor)) + 1, 0);
        const int64_t last = std::min<int64_t>(int64_t(std::ceil(center + 2.0 * factor)) - 1, inSize - 1);
        SparseRow& row = rows[size_t(i)];
        row.first = first;
        double sum = 0;
        for (int64_t j = first; j <= last; ++j) {
            row.weights.push_back(cubic((j - center) / factor));
            sum += row.weights.back();
        }
        // Taps beyond the border are dropped and the rest renormalised (PIL's convention).
        for (double& w : row.weights)
            w /= sum;
    }
    return fromRows(std::move(rows), inSize, factor);
}

BandMatrix BandMatrix::fromRows(std::vector<SparseRow> rows, int64_t cols, int64_t stride)
{
    BandMatrix band;
    band.m_rows = int64_t(rows.size());
    band.m_cols = cols;
    band.m_stride = stride;
    // The stencil is the middle row's (an interior row whenever the line is long enough; on a
    // short line every row is a border row and the correction F carries the difference).
    const SparseRow& middle = rows[rows.size() / 2];
    const int64_t middleIndex = band.m_rows / 2;
    band.m_offset = std::min<int64_t>(0, middle.first - middleIndex * stride);
    const int64_t begin = middleIndex * stride + band.m_offset;
    const int64_t taps = middle.first + int64_t(middle.weights.size()) - begin;
    std::vector<double> stencil(size_t(taps), 0.0);
    for (size_t k = 0; k < middle.weights.size(); ++k)
        stencil[size_t(middle.first - begin) + k] = middle.weights[k];
    band.m_stencil = torch::tensor(stencil, torch::kFloat64);

    // F = A - S, on the (few) rows where they differ: a row's own weights minus the stencil
    // placed at i * stride + offset (cut at the borders), over the columns either touches.
    std::vector<int64_t> fixRows;
    std::map<int64_t, std::map<int64_t, double>> differences;  // row -> column -> A - S
    for (int64_t i = 0; i < band.m_rows; ++i) {
        std::map<int64_t, double> d;
        const SparseRow& row = rows[size_t(i)];
        for (size_t k = 0; k < row.weights.size(); ++k)
            d[row.first + int64_t(k)] += row.weights[k];
        for (int64_t k = 0; k < taps; ++k) {
            const int64_t j = i * stride + band.m_offset + k;
            if (j >= 0 && j < cols)
                d[j] -= stencil[size_t(k)];
        }
        const bool differs = std::any_of(d.begin(), d.end(), [](const auto& e) { return std::abs(e.second) > 1e-15; });
        if (differs) {
            fixRows.push_back(i);
            differences[i] = std::move(d);
        }
    }
    std::set<int64_t> touched;
    for (const auto& [i, d] : differences)
        for (const auto& [j, value] : d)
            if (std::abs(value) > 1e-15)
                touched.insert(j);
    const std::vector<int64_t> fixCols(touched.begin(), touched.end());
    band.m_fixRows = torch::tensor(fixRows, torch::kLong);
    band.m_fixCols = torch::tensor(fixCols, torch::kLong);
    band.m_fix = torch::zeros({int64_t(fixRows.size()), int64_t(fixCols.size())}, torch::kFloat64);
    auto f = band.m_fix.accessor<double, 2>();
    for (size_t r = 0; r < fixRows.size(); ++r)
        for (size_t c = 0; c < fixCols.size(); ++c) {
            const auto& d = differences[fixRows[r]];
            const auto it = d.find(fixCols[c]);
            f[int64_t(r)][int64_t(c)] = it == d.end() ? 0.0 : it->second;
        }
    band.m_sparseRows = std::move(rows);
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

torch::Tensor BandMatrix::dense() const
{
    auto dense = torch::zeros({m_rows, m_cols}, torch::kFloat64);
    auto a = dense.accessor<double, 2>();
    for (int64_t i = 0; i < m_rows; ++i) {
        const SparseRow& row = m_sparseRows[size_t(i)];
        for (size_t k = 0; k < row.weights.size(); ++k)
            a[i][row.first + int64_t(k)] = row.weights[k];
    }
    return dense;
}

torch::Tensor BandMatrix::gram() const
{
    // Row i and row j share columns only when |i - j| * stride < the rows' widths.
    auto gram = torch::zeros({m_rows, m_rows}, torch::kFloat64);
    auto g = gram.accessor<double, 2>();
    for (int64_t i = 0; i < m_rows; ++i) {
        const SparseRow& a = m_sparseRows[size_t(i)];
        const int64_t aEnd = a.first + int64_t(a.weights.size());
        for (int64_t j = i; j < m_rows; ++j) {
            const SparseRow& b = m_sparseRows[size_t(j)];
            if (b.first >= aEnd)
                break;  // rows start further right as j grows
            const int64_t from = std::max(a.first, b.first);
            const int64_t to = std::min(aEnd, b.first + int64_t(b.weights.size()));
            double sum = 0;
            for (int64_t c = from; c < to; ++c)
                sum += a.weights[size_t(c - a.first)] * b.weights[size_t(c - b.first)];
            g[i][j] = sum;
            g[j][i] = sum;
        }
    }
    return gram;
}

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
    // Along the rows last: its taps then write whole contiguous rows of the full-size output;
    // the taps along a row write every factor-th sample, which is slow on the full size.
    return m_rows.applyTransposed(m_cols.applyTransposed(y, -1), -2);
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
