#include "jpeg_simulation.h"

#include <algorithm>
#include <cmath>

#include <torch/torch.h>

namespace refine::train {
namespace F = torch::nn::functional;
namespace {

// JPEG Annex K, tables K.1 (luminance) and K.2 (chrominance), in natural (row-major) order.
constexpr int kLuminanceTable[64] = {16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
                                     14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
                                     18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
                                     49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
constexpr int kChrominanceTable[64] = {17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
                                       24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
                                       99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
                                       99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

/// The orthonormal 8-point DCT-II matrix: coefficients = D x, and x = D^T coefficients.
torch::Tensor dctMatrix()
{
    auto d = torch::empty({8, 8});
    for (int k = 0; k < 8; ++k)
        for (int n = 0; n < 8; ++n)
            d[k][n] = (k == 0 ? std::sqrt(1.0 / 8) : std::sqrt(2.0 / 8)) * std::cos((2 * n + 1) * k * M_PI / 16);
    return d;
}

/// A [H, W] plane (sides multiples of 8, values level-shifted around 0) with every 8x8 block's
/// DCT coefficients rounded to multiples of `table`.
torch::Tensor quantiseBlocks(const torch::Tensor& plane, const torch::Tensor& table)
{
    static const torch::Tensor d = dctMatrix();
    const int64_t h = plane.size(0), w = plane.size(1);
    auto blocks = plane.view({h / 8, 8, w / 8, 8}).permute({0, 2, 1, 3});  // [bh, bw, 8, 8]
    auto coefficients = torch::matmul(torch::matmul(d, blocks), d.t());
    auto quantised = torch::round(coefficients / table) * table;
    auto restored = torch::matmul(torch::matmul(d.t(), quantised), d);
    return restored.permute({0, 2, 1, 3}).reshape({h, w});
}

/// The side padded up to a multiple of `unit` (JPEG codes whole blocks and pads by repetition).
int64_t paddedSide(int64_t side, int64_t unit) { return (side + unit - 1) / unit * unit; }

}  // namespace

torch::Tensor jpegQuantisationTable(int quality, bool chroma)
{
    quality = std::clamp(quality, 1, 100);
    const int scaling = quality < 50 ? 5000 / quality : 200 - 2 * quality;  // libjpeg's jpeg_quality_scaling
    const int* base = chroma ? kChrominanceTable : kLuminanceTable;
    auto table = torch::empty({8, 8});
    for (int i = 0; i < 64; ++i)
        table[i / 8][i % 8] = float(std::clamp((base[i] * scaling + 50) / 100, 1, 255));
    return table;
}

torch::Tensor simulateJpeg(const torch::Tensor& rgb, int quality, bool subsampleChroma)
{
    const int64_t h = rgb.size(1), w = rgb.size(2);
    const int64_t unit = subsampleChroma ? 16 : 8;
    const int64_t ph = paddedSide(h, unit), pw = paddedSide(w, unit);
    auto x = F::pad(rgb.to(torch::kFloat32).unsqueeze(0) * 255.0,
                    F::PadFuncOptions({0, pw - w, 0, ph - h}).mode(torch::kReplicate))[0];
    const auto r = x[0], g = x[1], b = x[2];
    // JFIF's full-range YCbCr, stored as 8-bit samples.
    auto y = torch::round(0.299 * r + 0.587 * g + 0.114 * b).clamp(0, 255);
    auto cb = torch::round(-0.168736 * r - 0.331264 * g + 0.5 * b + 128).clamp(0, 255);
    auto cr = torch::round(0.5 * r - 0.418688 * g - 0.081312 * b + 128).clamp(0, 255);
    if (subsampleChroma) {
        cb = F::avg_pool2d(cb.view({1, 1, ph, pw}), F::AvgPool2dFuncOptions(2)).view({ph / 2, pw / 2});
        cr = F::avg_pool2d(cr.view({1, 1, ph, pw}), F::AvgPool2dFuncOptions(2)).view({ph / 2, pw / 2});
    }
    const auto lumaTable = jpegQuantisationTable(quality, false), chromaTable = jpegQuantisationTable(quality, true);
    y = quantiseBlocks(y - 128, lumaTable) + 128;
    cb = quantiseBlocks(cb - 128, chromaTable) + 128;
    cr = quantiseBlocks(cr - 128, chromaTable) + 128;
    if (subsampleChroma) {
        auto upsample = [&](const torch::Tensor& plane) {
            return F::interpolate(plane.view({1, 1, ph / 2, pw / 2}),
                                  F::InterpolateFuncOptions().size(std::vector<int64_t>{ph, pw}).mode(torch::kBilinear).align_corners(false))
                .view({ph, pw});
        };
        cb = upsample(cb);
        cr = upsample(cr);
    }
    auto out = torch::stack({y + 1.402 * (cr - 128), y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128),
                             y + 1.772 * (cb - 128)});
    out = torch::round(out).clamp(0, 255) / 255.0;
    return out.narrow(1, 0, h).narrow(2, 0, w).contiguous();
}

}  // namespace refine::train
