#pragma once
/// @file sr3_unet.h
/// @brief The SR3 UNet as torch::nn modules. Module and parameter names reproduce the open SR3
/// implementation's `model/sr3_modules/unet.py`, so its state dicts load key for key (after the
/// `denoise_fn.` prefix is stripped). Shapes and names: ../shared/reference/sr3.md section 1a.

#include <torch/nn.h>

#include "model/unet_config.h"

namespace refine {

/// GroupNorm -> Swish -> Dropout (Identity when p = 0) -> Conv3x3; registered as `block.0..3`.
struct ConvBlockImpl : torch::nn::Module {
    ConvBlockImpl(int dim, int dimOut, int groups, double dropout);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Sequential block;
    torch::nn::GroupNorm norm;                    ///< block.0
    torch::nn::Dropout regularizer{nullptr};      ///< block.2 when dropout > 0
    torch::nn::Conv2d conv;                       ///< block.3
};
TORCH_MODULE(ConvBlock);

/// The reference's FeatureWiseAffine without affine level: the noise embedding mapped to a
/// per-channel bias (`noise_func.0`).
struct FeatureWiseAffineImpl : torch::nn::Module {
    FeatureWiseAffineImpl(int embedDim, int channels);
    /// x + Linear(embedding) broadcast over H and W.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& embedding);

    torch::nn::Sequential noiseFunc;
};
TORCH_MODULE(FeatureWiseAffine);

/// Pre-activation residual block conditioned on the noise level (`noise_func` is FeatureWiseAffine).
struct ResnetBlockImpl : torch::nn::Module {
    ResnetBlockImpl(int dim, int dimOut, int embedDim, double dropout, int groups);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& embedding);

    FeatureWiseAffine noiseFunc{nullptr};
    ConvBlock block1{nullptr};
    ConvBlock block2{nullptr};
    torch::nn::Conv2d resConv{nullptr};  ///< only when dim != dimOut
};
TORCH_MODULE(ResnetBlock);

/// Single-head self-attention over all positions, scaled by 1/sqrt(C) as in the reference.
struct SelfAttentionImpl : torch::nn::Module {
    SelfAttentionImpl(int channels, int groups);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::GroupNorm norm{nullptr};
    torch::nn::Conv2d qkv{nullptr};
    torch::nn::Conv2d out{nullptr};
};
TORCH_MODULE(SelfAttention);

/// `res_block` plus optional `attn`: the reference's ResnetBlocWithAttn.
struct ResnetBlockWithAttentionImpl : torch::nn::Module {
    ResnetBlockWithAttentionImpl(int dim, int dimOut, int embedDim, int groups, double dropout, bool withAttention);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& embedding);

    ResnetBlock resBlock{nullptr};
    SelfAttention attn{nullptr};
};
TORCH_MODULE(ResnetBlockWithAttention);

/// Strided 3x3 convolution halving the resolution (`conv`).
struct DownsampleImpl : torch::nn::Module {
    explicit DownsampleImpl(int channels);
    torch::Tensor forward(const torch::Tensor& x) { return conv(x); }
    torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Downsample);

/// Nearest x2 followed by a 3x3 convolution (`conv`).
struct UpsampleImpl : torch::nn::Module {
    explicit UpsampleImpl(int channels);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Upsample);

/// @brief The SR3 noise-prediction network eps(cat[condition, noisy], sqrt(gamma)).
struct Sr3UNetImpl : torch::nn::Module {
    explicit Sr3UNetImpl(const UNetConfig& config);

    /// @param input [B, in_channel, H, W] with H, W multiples of config().sizeMultiple()
    /// @param noiseLevel [B] or [B, 1]: the continuous noise level sqrt(gamma) in (0, 1]
    /// @return the predicted noise, [B, out_channel, H, W]
    torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& noiseLevel);

    const UNetConfig& config() const { return m_config; }

private:
    // One entry of `downs` or `ups`; the ModuleLists give the checkpoint names, these give the types.
    struct Layer {
        torch::nn::Conv2d conv{nullptr};
        ResnetBlockWithAttention block{nullptr};
        Downsample down{nullptr};
        Upsample up{nullptr};
    };
    torch::Tensor runLayer(Layer& layer, const torch::Tensor& x, const torch::Tensor& embedding);
    torch::Tensor embedNoiseLevel(const torch::Tensor& noiseLevel);

    UNetConfig m_config;
    torch::nn::Sequential m_noiseLevelMlp;
    torch::nn::ModuleList m_downs, m_mid, m_ups;
    std::vector<Layer> m_downLayers, m_midLayers, m_upLayers;
    ConvBlock m_finalConv{nullptr};
};
TORCH_MODULE(Sr3UNet);

/// Moves a network to `device` in `dtype` for sampling: evaluation mode, and convolution
/// weights in channels-last layout, which oneDNN (CPU) and cuDNN (CUDA) run fastest; the network
/// then keeps its activations channels-last when its input is.
void prepareModuleForInference(torch::nn::Module& module, const torch::Device& device, torch::ScalarType dtype);
inline void prepareForInference(Sr3UNet& net, const torch::Device& device, torch::ScalarType dtype)
{
    prepareModuleForInference(*net, device, dtype);
}

/// The number of trainable parameters.
int64_t parameterCount(torch::nn::Module& module);

}  // namespace refine
