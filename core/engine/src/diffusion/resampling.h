#pragma once
/// @file resampling.h
/// @brief The one downscaling operator of Refine: antialiased bicubic (Keys a = -0.5, kernel
/// stretched by the factor, weights renormalised at the borders), as a separable linear map H.
/// Training makes its low-resolution inputs with it, the consistency projection inverts it, and
/// the evaluation measures consistency with it, so all three agree exactly.

#include <utility>
#include <vector>

#include <torch/types.h>

namespace refine {

/// @brief A 1-D resampling matrix A (outSize x inSize) of a strided filter: every row applies
/// the same stencil, shifted by `stride` per row, except near the borders where taps are dropped
/// and renormalised. So A = S + F: S is a strided filter with the interior stencil (zero beyond
/// the borders) and F a small correction of the few border rows. S is applied tap by tap over
/// strided views and F as a small matrix product: fast on the CPU, and deterministic on CUDA
/// (no atomics).
class BandMatrix {
public:
    /// The antialiased bicubic downscale by the integer `factor` of a line of `inSize` samples.
    static BandMatrix bicubicDownscale(int64_t inSize, int factor);

    int64_t rows() const { return m_rows; }
    int64_t cols() const { return m_cols; }

    /// y = A x along dimension `dim` of x.
    torch::Tensor apply(const torch::Tensor& x, int64_t dim) const;
    /// y = A^T x along dimension `dim` of x.
    torch::Tensor applyTransposed(const torch::Tensor& x, int64_t dim) const;
    /// The dense A (float64, CPU), made on request (rows x cols: for tests and small lines).
    torch::Tensor dense() const;
    /// A A^T (float64, CPU, rows x rows), from the rows' few weights: no dense A is made.
    torch::Tensor gram() const;

    BandMatrix to(const torch::Device& device) const;

private:
    /// Row i of A: weights for columns first, first + 1, ...
    struct SparseRow {
        int64_t first = 0;
        std::vector<double> weights;
    };
    /// `rows` must make a strided filter with this stride (see the class comment).
    static BandMatrix fromRows(std::vector<SparseRow> rows, int64_t cols, int64_t stride);
    /// The rows whose stencil tap `tap` falls inside the input, as (first, count).
    std::pair<int64_t, int64_t> rowsInside(int64_t tap) const;

    int64_t m_rows = 0, m_cols = 0;
    int64_t m_stride = 1;
    int64_t m_offset = 0;        ///< row i's stencil starts at input i * stride + offset (<= 0)
    torch::Tensor m_stencil;     ///< [taps] float64, the interior row's weights
    torch::Tensor m_fixRows;     ///< [r] rows where A differs from the strided stencil
    torch::Tensor m_fixCols;     ///< [c] columns those rows touch
    torch::Tensor m_fix;         ///< [r, c] float64: A - S on those rows and columns
    std::vector<SparseRow> m_sparseRows;  ///< every row's weights (a few per row), for dense() and gram()
};

/// @brief H: antialiased bicubic downscaling of [.., H, W] images by an integer factor.
class Downscaler {
public:
    Downscaler(int64_t height, int64_t width, int factor, const torch::Device& device = torch::kCPU);

    int factor() const { return m_factor; }
    /// H x: [.., height, width] -> [.., height / factor, width / factor]
    torch::Tensor apply(const torch::Tensor& x) const;
    /// H^T y: [.., height / factor, width / factor] -> [.., height, width]
    torch::Tensor applyTransposed(const torch::Tensor& y) const;

    const BandMatrix& rowsOperator() const { return m_rows; }
    const BandMatrix& colsOperator() const { return m_cols; }

private:
    int m_factor;
    BandMatrix m_rows, m_cols;
};

/// Antialiased bicubic downscale by an integer factor (the Downscaler, built for x's size).
torch::Tensor downscaleBicubic(const torch::Tensor& x, int factor);

/// Bicubic upscale by an integer factor: the SR3 condition (the low-resolution input enlarged
/// to the output size) and the baseline the model improves on.
torch::Tensor upscaleBicubic(const torch::Tensor& x, int factor);

}  // namespace refine
