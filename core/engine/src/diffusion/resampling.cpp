#include "diffusion/resampling.h"

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
    return fromDense(dense);
}

BandMatrix BandMatrix::fromDense(const torch::Tensor& dense)
{
    auto bandOf = [](const torch::Tensor& m, torch::Tensor& index, torch::Tensor& weight) {
        const int64_t rows = m.size(0);
        auto a = m.accessor<double, 2>();
        std::vector<std::vector<int64_t>> cols(rows);
        size_t taps = 1;
        for (int64_t i = 0; i < rows; ++i) {
            for (int64_t j = 0; j < m.size(1); ++j)
                if (a[i][j] != 0.0)
                    cols[i].push_back(j);
            taps = std::max(taps, cols[i].size());
        }
        index = torch::zeros({rows, int64_t(taps)}, torch::kLong);
        weight = torch::zeros({rows, int64_t(taps)}, torch::kFloat32);
        auto idx = index.accessor<int64_t, 2>();
        auto w = weight.accessor<float, 2>();
        for (int64_t i = 0; i < rows; ++i)
            for (size_t k = 0; k < cols[i].size(); ++k) {
                idx[i][k] = cols[i][k];
                w[i][k] = float(a[i][cols[i][k]]);
            }
    };
    BandMatrix band;
    band.m_rows = dense.size(0);
    band.m_cols = dense.size(1);
    bandOf(dense, band.m_index, band.m_weight);
    bandOf(dense.t().contiguous(), band.m_indexT, band.m_weightT);
    return band;
}

torch::Tensor BandMatrix::gather(const torch::Tensor& x, int64_t dim, const torch::Tensor& index,
                                 const torch::Tensor& weight)
{
    // Move `dim` last, gather the taps of every output and sum them with their weights.
    auto moved = x.movedim(dim, -1);
    auto taps = moved.index_select(-1, index.reshape({-1}).to(x.device()));
    auto shape = moved.sizes().vec();
    shape.back() = index.size(0);
    shape.push_back(index.size(1));
    auto result = (taps.reshape(shape) * weight.to(x.device(), x.scalar_type())).sum(-1);
    return result.movedim(-1, dim).contiguous();
}

torch::Tensor BandMatrix::apply(const torch::Tensor& x, int64_t dim) const { return gather(x, dim, m_index, m_weight); }

torch::Tensor BandMatrix::applyTransposed(const torch::Tensor& x, int64_t dim) const
{
    return gather(x, dim, m_indexT, m_weightT);
}

torch::Tensor BandMatrix::dense() const
{
    auto d = torch::zeros({m_rows, m_cols}, torch::kFloat64);
    // Padding taps point at column 0 with weight 0, so add rather than overwrite.
    d.scatter_add_(1, m_index.cpu(), m_weight.cpu().to(torch::kFloat64));
    return d;
}

BandMatrix BandMatrix::to(const torch::Device& device) const
{
    BandMatrix b = *this;
    b.m_index = m_index.to(device);
    b.m_weight = m_weight.to(device);
    b.m_indexT = m_indexT.to(device);
    b.m_weightT = m_weightT.to(device);
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
