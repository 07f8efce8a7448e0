#include "model/residual_shift_nets.h"

#include <cmath>

#include <torch/nn/functional.h>

#include "diffusion/resampling.h"

namespace refine {
namespace F = torch::nn::functional;
namespace {

torch::nn::Conv2d conv(int in, int out, int kernel)
{
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).padding(kernel / 2));
}

/// In place: every caller passes a fresh convolution output, and an in-place leaky ReLU with a
/// positive slope is still differentiable. On a 2-core CPU this saves a pass over the activations
/// per layer (about 15 ms per layer for a 640 x 480 photo).
torch::Tensor leaky(torch::Tensor x) { return torch::leaky_relu_(x, 0.1); }

/// The last layer of a residual branch starts small (or at zero), so a fresh network begins at
/// its base (bicubic, or the clean result) and training only has to learn the difference.
void scaleInitialWeights(torch::nn::Conv2d& layer, double factor)
{
    torch::NoGradGuard noGrad;
    layer->weight.mul_(factor);
    if (layer->bias.defined())
        layer->bias.zero_();
}

}  // namespace

CleanBlockImpl::CleanBlockImpl(int channels)
    : conv1(register_module("conv1", conv(channels, channels, 3))),
      conv2(register_module("conv2", conv(channels, channels, 3)))
{
    scaleInitialWeights(conv2, 0.1);
}

torch::Tensor CleanBlockImpl::forward(const torch::Tensor& x) { return conv2(leaky(conv1(x))).add_(x); }

CleanUpscalerImpl::CleanUpscalerImpl(const CleanNetConfig& c, int scale)
    : head(register_module("head", conv(3, c.channels, 5))),
      tail(register_module("tail", conv(c.channels, 3 * scale * scale, 3))),
      blocks(register_module("blocks", torch::nn::ModuleList())),
      m_scale(scale),
      m_blocks(c.blocks)
{
    for (int i = 0; i < c.blocks; ++i)
        blocks->push_back(CleanBlock(c.channels));
    scaleInitialWeights(tail, 0.1);
}

torch::Tensor CleanUpscalerImpl::residual(const torch::Tensor& lowRes)
{
    auto h = leaky(head(lowRes));
    for (auto& block : *blocks)
        h = block->as<CleanBlock>()->forward(h);
    return F::pixel_shuffle(tail(h), m_scale);
}

torch::Tensor CleanUpscalerImpl::forward(const torch::Tensor& lowRes)
{
    return upscaleBicubic(lowRes, m_scale) + residual(lowRes);
}

DetailBlockImpl::DetailBlockImpl(int channels, int embedding)
    : conv1(register_module("conv1", conv(channels, channels, 3))),
      conv2(register_module("conv2", conv(channels, channels, 3))),
      modulation(register_module("modulation", torch::nn::Linear(embedding, 2 * channels)))
{
    scaleInitialWeights(conv2, 0.1);
}

torch::Tensor DetailBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& embedding)
{
    const auto scaleShift = modulation(embedding).unsqueeze(-1).unsqueeze(-1).chunk(2, 1);
    auto h = conv1(F::silu(x));
    h = torch::addcmul(scaleShift[1], h, 1 + scaleShift[0]);
    return conv2(F::silu(h)).add_(x);
}

DetailNetImpl::DetailNetImpl(const DetailNetConfig& c, int scale)
    : head(register_module("head", conv(2 * 3 * scale * scale, c.channels, 3))),
      tail(register_module("tail", conv(c.channels, 3 * scale * scale, 3))),
      embed(register_module("embed", torch::nn::Sequential(torch::nn::Linear(32, c.embedding), torch::nn::SiLU(),
                                                           torch::nn::Linear(c.embedding, c.embedding)))),
      blocks(register_module("blocks", torch::nn::ModuleList())),
      m_scale(scale)
{
    for (int i = 0; i < c.blocks; ++i) {
        m_blocks.push_back(DetailBlock(c.channels, c.embedding));
        blocks->push_back(m_blocks.back());
    }
    scaleInitialWeights(tail, 0.0);
}

torch::Tensor DetailNetImpl::embedNoise(const torch::Tensor& noiseStd) const
{
    // Sinusoidal features of log(noise std): the levels span two decades.
    const auto options = noiseStd.options().dtype(torch::kFloat32);
    const auto frequencies = torch::exp(torch::arange(16, options) * (std::log(100.0) / 15.0)) * 0.25;
    const auto angle = torch::log(noiseStd.to(torch::kFloat32).view({-1, 1})) * frequencies.view({1, -1});
    return torch::cat({torch::sin(angle), torch::cos(angle)}, 1).to(noiseStd.scalar_type());
}

torch::Tensor DetailNetImpl::forward(const torch::Tensor& input, const torch::Tensor& noiseStd)
{
    const auto clean = input.narrow(1, 0, 3);
    const auto noisy = input.narrow(1, 3, 3);
    // The noisy residual has roughly unit variance after this scaling at every noise level
    // (the photo's own residual has a std of about 0.1 in [-1, 1] units).
    const auto level = noiseStd.view({-1, 1, 1, 1});
    const auto residual = (noisy - clean) * torch::rsqrt(level * level + 0.01);
    auto h = head(torch::cat({F::pixel_unshuffle(clean, m_scale), F::pixel_unshuffle(residual, m_scale)}, 1));
    const auto embedding = embed->forward(embedNoise(noiseStd));
    for (auto& block : m_blocks)
        h = block->forward(h, embedding);
    return clean + F::pixel_shuffle(tail(F::silu(h)), m_scale);
}

ResidualShiftNetImpl::ResidualShiftNetImpl(const ResidualShiftConfig& config)
    : clean(register_module("clean", CleanUpscaler(config.clean, config.scale))),
      detail(register_module("detail", DetailNet(config.detail, config.scale))),
      m_config(config)
{
}

}  // namespace refine
