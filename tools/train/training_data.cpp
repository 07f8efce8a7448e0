#include "training_data.h"

#include <algorithm>
#include <cmath>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "diffusion/resampling.h"
#include "refine/engine/error.h"
#include "weights/safetensors.h"

namespace refine::train {
namespace F = torch::nn::functional;
namespace {

constexpr uint64_t kValidationDegradationSeed = 20261202;  ///< the same degraded validation inputs every time

/// images[index[i]] cut at offsets[i] (row, column) to side x side, mirrored where flips[i].
torch::Tensor cutCrops(const torch::Tensor& images, const torch::Tensor& index, const torch::Tensor& offsets,
                       int64_t side, const torch::Tensor& flips)
{
    std::vector<torch::Tensor> crops;
    for (int64_t i = 0; i < index.size(0); ++i) {
        auto crop = images[index[i].item<int64_t>()]
                        .narrow(1, offsets[i][0].item<int64_t>(), side)
                        .narrow(2, offsets[i][1].item<int64_t>(), side);
        crops.push_back(flips[i].item<bool>() ? crop.flip({2}) : crop);
    }
    return torch::stack(crops);
}

}  // namespace

TrainingData::TrainingData(const std::string& packPath, const DataOptions& options) : m_options(options)
{
    auto pack = weights::readSafetensors(packPath);
    auto it = pack.tensors.find("hr");
    if (it == pack.tensors.end() || it->second.dim() != 4 || it->second.scalar_type() != torch::kUInt8)
        throw Error(ErrorCode::InvalidArgument, packPath + " is not a data pack (expected uint8 'hr' [N, 3, P, P])");
    m_crops = it->second;
    if (m_crops.size(0) == 0 || m_crops.size(2) < options.patch || options.patch % options.scale != 0)
        throw Error(ErrorCode::InvalidArgument, "the patch must fit the pack's crops and be a multiple of the scale");
}

torch::Tensor gaussianBlur(const torch::Tensor& images, const torch::Tensor& sigmas)
{
    const int64_t b = images.size(0), c = images.size(1);
    // Three sigmas, but reflect padding needs the radius below the image side (tiny patches).
    const int64_t side = std::min(images.size(2), images.size(3));
    const int radius = int(std::min<int64_t>(int64_t(std::ceil(3.0 * sigmas.max().item<double>())), side - 1));
    auto offsets = torch::arange(-radius, radius + 1, images.options()).view({1, -1});
    auto kernel = torch::exp(-0.5 * (offsets / sigmas.view({-1, 1})).pow(2));
    kernel = kernel / kernel.sum(1, true);  // [B, K]
    // Separable blur as grouped convolutions: one group per (example, channel).
    auto weight = kernel.repeat_interleave(c, 0);  // [B*C, K]
    auto x = images.reshape({1, b * c, images.size(2), images.size(3)});
    x = F::pad(x, F::PadFuncOptions({radius, radius, radius, radius}).mode(torch::kReflect));
    x = F::conv2d(x, weight.view({b * c, 1, 1, -1}), F::Conv2dFuncOptions().groups(b * c));
    x = F::conv2d(x, weight.view({b * c, 1, -1, 1}), F::Conv2dFuncOptions().groups(b * c));
    return x.view_as(images);
}

torch::Tensor TrainingData::augmentCondition(const torch::Tensor& lowRes, torch::Generator& generator) const
{
    const int64_t b = lowRes.size(0);
    auto opts = lowRes.options();
    auto sigmas = m_options.blurSigmaMin + (m_options.blurSigmaMax - m_options.blurSigmaMin) * torch::rand({b}, generator, opts);
    auto blurred = gaussianBlur(lowRes, sigmas);
    auto chosen = (torch::rand({b, 1, 1, 1}, generator, opts) < m_options.blurProbability).to(opts.dtype());
    auto x = chosen * blurred + (1 - chosen) * lowRes;
    auto noiseStd = m_options.lrNoiseMax * torch::rand({b, 1, 1, 1}, generator, opts);
    return x + noiseStd * torch::randn(x.sizes(), generator, opts);
}

void TrainingData::degradeRealistically(Batch& batch, torch::Generator& generator) const
{
    const auto device = batch.highRes.device();
    const auto highRes = batch.highRes.cpu();
    std::vector<Degradation> draws;
    std::vector<torch::Tensor> toned;
    for (int64_t i = 0; i < highRes.size(0); ++i) {
        draws.push_back(drawDegradation(m_options.degradation, generator));
        toned.push_back(applyTone((highRes[i] + 1) * 0.5, draws.back()) * 2 - 1);
    }
    batch.highRes = torch::stack(toned).to(device);
    batch.lowRes = downscaleBicubic(batch.highRes, m_options.scale);
    const auto lowRes = batch.lowRes.cpu();
    std::vector<torch::Tensor> degraded;
    for (int64_t i = 0; i < lowRes.size(0); ++i) {
        const auto image = ((lowRes[i] + 1) * 0.5).clamp(0, 1);
        degraded.push_back(applyDegradation(image, draws[size_t(i)], generator) * 2 - 1);
    }
    batch.input = torch::stack(degraded);
}

void TrainingData::setInputs(Batch& batch, torch::Generator& generator, const torch::Device& device) const
{
    batch.degraded = m_options.realisticDegradation;
    if (batch.degraded)
        degradeRealistically(batch, generator);
    else
        batch.input = batch.lowRes.cpu();
    // SR3 learns from an augmented condition (CDM); a degraded input is augmentation enough.
    const auto conditioned = batch.degraded ? batch.input : augmentCondition(batch.lowRes.cpu(), generator);
    batch.condition = upscaleBicubic(conditioned.to(device), m_options.scale);
    batch.input = batch.input.to(device);
}

Batch TrainingData::next(int64_t batchSize, torch::Generator& generator, const torch::Device& device)
{
    const int64_t p = m_options.patch, full = m_crops.size(2);
    auto index = torch::randint(size(), {batchSize}, generator, torch::kLong);
    auto offsets = torch::randint(full - p + 1, {batchSize, 2}, generator, torch::kLong);
    auto flips = torch::rand({batchSize}, generator) < 0.5;
    Batch batch;
    batch.highRes = (cutCrops(m_crops, index, offsets, p, flips).to(torch::kFloat32) / 127.5 - 1.0).to(device);
    batch.lowRes = downscaleBicubic(batch.highRes, m_options.scale);
    setInputs(batch, generator, device);
    return batch;
}

Batch TrainingData::fixed(int64_t first, int64_t count, const torch::Device& device) const
{
    const int64_t p = m_options.patch, margin = (m_crops.size(2) - p) / 2;
    count = std::min(count, size() - first);
    auto crops = m_crops.narrow(0, first, count).narrow(2, margin, p).narrow(3, margin, p);
    Batch batch;
    batch.highRes = (crops.to(torch::kFloat32) / 127.5 - 1.0).to(device);
    batch.lowRes = downscaleBicubic(batch.highRes, m_options.scale);
    if (m_options.realisticDegradation) {
        auto generator = at::detail::createCPUGenerator(kValidationDegradationSeed + uint64_t(first));
        setInputs(batch, generator, device);
    } else {
        batch.input = batch.lowRes;
        batch.condition = upscaleBicubic(batch.lowRes, m_options.scale);
    }
    return batch;
}

}  // namespace refine::train
