#include "model/sr3_unet.h"

#include <cmath>

namespace refine {
namespace nn = torch::nn;

namespace {

nn::Conv2d conv(int in, int out, int kernel, int stride = 1, bool bias = true)
{
    return nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(bias));
}

nn::Functional swish()
{
    return nn::Functional([](const torch::Tensor& x) { return torch::silu(x); });
}

/// A 1x1 convolution as one matrix product. LibTorch 1.13 runs small-batch 1x1 convolutions on
/// one CPU thread through its slow im2col path (measured: 11 of them took 1.3 s of a 4.3 s forward
/// pass at 512x512); a GEMM is the same arithmetic without the copies, on every device.
torch::Tensor pointwiseConv(const nn::Conv2d& conv, const torch::Tensor& x)
{
    const int64_t batch = x.size(0), channels = x.size(1), height = x.size(2), width = x.size(3);
    const auto weight = conv->weight.view({conv->weight.size(0), channels});
    if (x.is_contiguous(torch::MemoryFormat::ChannelsLast) && !x.is_contiguous()) {
        // Channels-last memory is already a [B*H*W, C] matrix; the result stays channels-last.
        const auto rows = x.permute({0, 2, 3, 1}).reshape({-1, channels});
        const auto out = conv->bias.defined() ? torch::addmm(conv->bias, rows, weight.t()) : torch::mm(rows, weight.t());
        return out.view({batch, height, width, -1}).permute({0, 3, 1, 2});
    }
    auto out = torch::matmul(weight, x.reshape({batch, channels, height * width}));
    if (conv->bias.defined())
        out.add_(conv->bias.view({1, -1, 1}));
    return out.view({batch, -1, height, width});
}

/// Elements of one block of attention scores: queries are taken in blocks so that a large tile's
/// [positions x positions] score matrix never has to exist at once (64 MiB in float32).
constexpr int64_t kScoreBlockElements = int64_t(16) << 20;

/// softmax(q^T k / sqrt(C)) applied to v for q, k, v [B, C, N]; returns [B, C, N]. The softmax
/// runs in float32 whatever the network's precision.
torch::Tensor attend(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v)
{
    const int64_t batch = q.size(0), channels = q.size(1), positions = q.size(2);
    const double scale = 1.0 / std::sqrt(double(channels));  // the reference's single head of width C
    const auto queries = q.transpose(1, 2).contiguous();      // [B, N, C]
    const auto keys = k.contiguous(), values = v.contiguous();
    const int64_t block = std::max<int64_t>(1, kScoreBlockElements / (batch * positions));
    std::vector<torch::Tensor> mixed;
    for (int64_t first = 0; first < positions; first += block) {
        const auto rows = queries.narrow(1, first, std::min(block, positions - first));
        const auto scores = torch::bmm(rows, keys).mul_(scale);                       // [B, n, N]
        const auto weights = torch::softmax(scores, -1, torch::kFloat32).to(v.scalar_type());
        mixed.push_back(torch::bmm(values, weights.transpose(1, 2)));                // [B, C, n]
    }
    return mixed.size() == 1 ? mixed.front() : torch::cat(mixed, 2);
}

/// Sinusoidal embedding of the raw noise level (sin half first), the reference's PositionalEncoding.
torch::Tensor positionalEncoding(const torch::Tensor& noiseLevel, int dim)
{
    const int count = dim / 2;
    auto step = torch::arange(count, noiseLevel.options()) / count;
    auto encoding = noiseLevel.reshape({-1, 1}) * torch::exp(-std::log(1e4) * step).unsqueeze(0);
    return torch::cat({torch::sin(encoding), torch::cos(encoding)}, -1);
}

}  // namespace

ConvBlockImpl::ConvBlockImpl(int dim, int dimOut, int groups, double dropout)
    : norm(nn::GroupNormOptions(groups, dim)), conv(refine::conv(dim, dimOut, 3))
{
    // The Sequential gives the checkpoint's names; index 2 is Dropout or Identity so that the
    // convolution is always `block.3`.
    if (dropout > 0)
        regularizer = nn::Dropout(dropout);
    nn::Sequential layers;
    layers->push_back(norm);
    layers->push_back(swish());
    layers->push_back(regularizer ? nn::AnyModule(regularizer) : nn::AnyModule(nn::Identity()));
    layers->push_back(conv);
    block = register_module("block", layers);
}

torch::Tensor ConvBlockImpl::forward(const torch::Tensor& x)
{
    // Same as block->forward(x), but without a gradient the activation works in place on the
    // normalised copy (one full-size tensor less per block).
    auto h = norm(x);
    h = torch::GradMode::is_enabled() ? torch::silu(h) : torch::silu_(h);
    if (regularizer)
        h = regularizer(h);
    return conv(h);
}

FeatureWiseAffineImpl::FeatureWiseAffineImpl(int embedDim, int channels)
{
    noiseFunc = register_module("noise_func", nn::Sequential(nn::Linear(embedDim, channels)));
}

torch::Tensor FeatureWiseAffineImpl::forward(const torch::Tensor& x, const torch::Tensor& embedding)
{
    return x + noiseFunc->forward(embedding).view({x.size(0), -1, 1, 1});
}

ResnetBlockImpl::ResnetBlockImpl(int dim, int dimOut, int embedDim, double dropout, int groups)
{
    // Registration order matters only for readability; names are what the checkpoint uses.
    noiseFunc = register_module("noise_func", FeatureWiseAffine(embedDim, dimOut));
    block1 = register_module("block1", ConvBlock(dim, dimOut, groups, 0.0));
    block2 = register_module("block2", ConvBlock(dimOut, dimOut, groups, dropout));
    if (dim != dimOut)
        resConv = register_module("res_conv", conv(dim, dimOut, 1));
}

torch::Tensor ResnetBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& embedding)
{
    auto h = block1(x);
    h = noiseFunc(h, embedding);
    h = block2(h);
    return h + (resConv ? pointwiseConv(resConv, x) : x);
}

SelfAttentionImpl::SelfAttentionImpl(int channels, int groups)
{
    norm = register_module("norm", nn::GroupNorm(nn::GroupNormOptions(groups, channels)));
    qkv = register_module("qkv", conv(channels, channels * 3, 1, 1, /*bias=*/false));
    out = register_module("out", conv(channels, channels, 1));
}

torch::Tensor SelfAttentionImpl::forward(const torch::Tensor& x)
{
    const auto b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const auto chunks = pointwiseConv(qkv, norm(x)).reshape({b, 3, c, h * w}).unbind(1);  // q, k, v: [B, C, HW]
    const auto mixed = attend(chunks[0], chunks[1], chunks[2]);
    // Back in the input's layout (channels-last when prepared for inference).
    return pointwiseConv(out, mixed.view({b, c, h, w}).contiguous(x.suggest_memory_format())) + x;
}

ResnetBlockWithAttentionImpl::ResnetBlockWithAttentionImpl(int dim, int dimOut, int embedDim, int groups,
                                                           double dropout, bool withAttention)
{
    resBlock = register_module("res_block", ResnetBlock(dim, dimOut, embedDim, dropout, groups));
    if (withAttention)
        attn = register_module("attn", SelfAttention(dimOut, groups));
}

torch::Tensor ResnetBlockWithAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& embedding)
{
    auto h = resBlock(x, embedding);
    return attn ? attn(h) : h;
}

DownsampleImpl::DownsampleImpl(int channels) { conv = register_module("conv", refine::conv(channels, channels, 3, 2)); }

UpsampleImpl::UpsampleImpl(int channels) { conv = register_module("conv", refine::conv(channels, channels, 3)); }

torch::Tensor UpsampleImpl::forward(const torch::Tensor& x)
{
    namespace F = torch::nn::functional;
    auto options = F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest);
    return conv(F::interpolate(x, options));
}

Sr3UNetImpl::Sr3UNetImpl(const UNetConfig& config) : m_config(config)
{
    m_config.validate();
    const int C = config.innerChannels;
    const int groups = config.normGroups;
    const double dropout = config.dropout;
    const int levels = config.levels();

    // Indices 0 and 2 carry no weights, so the Linear layers are `noise_level_mlp.1` and `.3`.
    m_noiseLevelMlp = register_module(
        "noise_level_mlp",
        nn::Sequential(nn::Functional([C](const torch::Tensor& n) { return positionalEncoding(n, C); }),
                       nn::Linear(C, C * 4), swish(), nn::Linear(C * 4, C)));

    auto addBlock = [&](nn::ModuleList& list, std::vector<Layer>& layers, int in, int out, bool withAttention) {
        Layer layer;
        layer.block = ResnetBlockWithAttention(in, out, C, groups, dropout, withAttention);
        list->push_back(layer.block);
        layers.push_back(layer);
    };

    // Encoder: every output is kept as a skip connection, in this order.
    m_downs = nn::ModuleList();
    Layer stem;
    stem.conv = conv(config.inChannels, C, 3);
    m_downs->push_back(stem.conv);
    m_downLayers.push_back(stem);
    std::vector<int> skipChannels{C};
    int channels = C;
    for (int level = 0; level < levels; ++level) {
        const int out = C * config.channelMults[level];
        for (int i = 0; i < config.resBlocks; ++i) {
            addBlock(m_downs, m_downLayers, channels, out, config.levelHasAttention(level));
            channels = out;
            skipChannels.push_back(channels);
        }
        if (level + 1 < levels) {
            Layer down;
            down.down = Downsample(channels);
            m_downs->push_back(down.down);
            m_downLayers.push_back(down);
            skipChannels.push_back(channels);
        }
    }
    register_module("downs", m_downs);

    // The middle always has attention, even when attn_res is empty.
    m_mid = nn::ModuleList();
    addBlock(m_mid, m_midLayers, channels, channels, true);
    addBlock(m_mid, m_midLayers, channels, channels, false);
    register_module("mid", m_mid);

    // Decoder: each block takes cat(x, skip), with x first.
    m_ups = nn::ModuleList();
    for (int level = levels - 1; level >= 0; --level) {
        const int out = C * config.channelMults[level];
        for (int i = 0; i < config.resBlocks + 1; ++i) {
            const int skip = skipChannels.back();
            skipChannels.pop_back();
            addBlock(m_ups, m_upLayers, channels + skip, out, config.levelHasAttention(level));
            channels = out;
        }
        if (level > 0) {
            Layer up;
            up.up = Upsample(channels);
            m_ups->push_back(up.up);
            m_upLayers.push_back(up);
        }
    }
    register_module("ups", m_ups);

    m_finalConv = register_module("final_conv", ConvBlock(channels, config.outChannels, groups, 0.0));
}

torch::Tensor Sr3UNetImpl::embedNoiseLevel(const torch::Tensor& noiseLevel)
{
    return m_noiseLevelMlp->forward(noiseLevel.reshape({-1}));
}

torch::Tensor Sr3UNetImpl::runLayer(Layer& layer, const torch::Tensor& x, const torch::Tensor& embedding)
{
    if (layer.block)
        return layer.block->forward(x, embedding);
    if (layer.down)
        return layer.down->forward(x);
    if (layer.up)
        return layer.up->forward(x);
    return layer.conv->forward(x);
}

torch::Tensor Sr3UNetImpl::forward(const torch::Tensor& input, const torch::Tensor& noiseLevel)
{
    const auto embedding = embedNoiseLevel(noiseLevel.to(input.dtype()));
    std::vector<torch::Tensor> skips;
    skips.reserve(m_downLayers.size());
    auto x = input;
    for (auto& layer : m_downLayers) {
        x = runLayer(layer, x, embedding);
        skips.push_back(x);
    }
    for (auto& layer : m_midLayers)
        x = runLayer(layer, x, embedding);
    for (auto& layer : m_upLayers) {
        if (layer.block) {
            x = torch::cat({x, skips.back()}, 1);
            skips.pop_back();
        }
        x = runLayer(layer, x, embedding);
    }
    return m_finalConv(x);
}

void prepareModuleForInference(torch::nn::Module& module, const torch::Device& device, torch::ScalarType dtype)
{
    torch::NoGradGuard noGrad;
    module.to(device, dtype);
    module.eval();
    for (auto& parameter : module.parameters())
        if (parameter.dim() == 4)
            parameter.set_data(parameter.contiguous(torch::MemoryFormat::ChannelsLast));
}

int64_t parameterCount(torch::nn::Module& module)
{
    int64_t count = 0;
    for (const auto& p : module.parameters())
        count += p.numel();
    return count;
}

}  // namespace refine
