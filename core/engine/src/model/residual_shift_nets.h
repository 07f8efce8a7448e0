#pragma once
/// @file residual_shift_nets.h
/// @brief The two networks of a residual-shift model as torch::nn modules; their parameter
/// names (`clean.*`, `detail.*`) are the keys of the model's safetensors file.
///
/// Both run every convolution at the low resolution, so a 512x512 result costs what a 128x128
/// image does: the clean upscaler ends in a sub-pixel (pixel-shuffle) layer, and the detail
/// network sees the high-resolution images pixel-unshuffled into scale^2 x 3 channels.

#include <torch/nn.h>

#include "model/residual_shift_config.h"

namespace refine {

/// x + conv2(act(conv1(x))): the clean upscaler's body block.
struct CleanBlockImpl : torch::nn::Module {
    explicit CleanBlockImpl(int channels);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
};
TORCH_MODULE(CleanBlock);

/// @brief The clean, deterministic upscaler: bicubic(lr) + pixel_shuffle(net(lr)).
struct CleanUpscalerImpl : torch::nn::Module {
    CleanUpscalerImpl(const CleanNetConfig& config, int scale);

    /// The high-resolution difference from the bicubic upscale of `lowRes` [B, 3, h, w] in [-1, 1]:
    /// [B, 3, h * scale, w * scale]. Each output pixel depends on inputs at most receptiveRadius() away.
    torch::Tensor residual(const torch::Tensor& lowRes);
    /// bicubic(lowRes) + residual(lowRes).
    torch::Tensor forward(const torch::Tensor& lowRes);

    /// Low-resolution pixels on each side that an output pixel can see.
    int receptiveRadius() const { return 2 + 2 * m_blocks + 1; }
    int scale() const { return m_scale; }

    torch::nn::Conv2d head{nullptr}, tail{nullptr};
    torch::nn::ModuleList blocks;

private:
    int m_scale, m_blocks;
};
TORCH_MODULE(CleanUpscaler);

/// Pre-activation residual block whose middle is scaled and shifted by the noise level.
struct DetailBlockImpl : torch::nn::Module {
    DetailBlockImpl(int channels, int embedding);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& embedding);

    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
    torch::nn::Linear modulation{nullptr};  ///< embedding -> (scale, shift) per channel
};
TORCH_MODULE(DetailBlock);

/// @brief The detail network: x0 = clean + pixel_shuffle(net(unshuffle(clean), unshuffle(x - clean), noise)).
struct DetailNetImpl : torch::nn::Module {
    DetailNetImpl(const DetailNetConfig& config, int scale);

    /// @param input [B, 6, H, W]: the clean result, then the noisy image x (H, W multiples of scale)
    /// @param noiseStd [B]: kappa sqrt(eta) of x
    /// @return the x0 prediction [B, 3, H, W]
    torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& noiseStd);

    torch::nn::Conv2d head{nullptr}, tail{nullptr};
    torch::nn::Sequential embed;
    torch::nn::ModuleList blocks;

private:
    torch::Tensor embedNoise(const torch::Tensor& noiseStd) const;

    int m_scale;
    std::vector<DetailBlock> m_blocks;
};
TORCH_MODULE(DetailNet);

/// @brief A whole residual-shift model: `clean` and `detail`.
struct ResidualShiftNetImpl : torch::nn::Module {
    explicit ResidualShiftNetImpl(const ResidualShiftConfig& config);

    const ResidualShiftConfig& config() const { return m_config; }

    CleanUpscaler clean{nullptr};
    DetailNet detail{nullptr};

private:
    ResidualShiftConfig m_config;
};
TORCH_MODULE(ResidualShiftNet);

}  // namespace refine
