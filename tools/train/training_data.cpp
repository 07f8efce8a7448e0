#include "training_data.h"

#include <cmath>

#include <torch/torch.h>

#include "diffusion/resampling.h"
#include "refine/engine/error.h"
#include "weights/safetensors.h"

namespace refine::train {
namespace F = torch::nn::functional;

TrainingData::TrainingData(const std::string& packPath, const DataOptions& options) : m_options(options)
{
    auto pack = weights::readSafetensors(packPath);
    auto it = pack.tensors.find("hr");
    if (it == pack.tensors.end() || it->second.dim() != 4 || it->second.scalar_type() != torch::kUInt8)
        throw Error(ErrorCode::InvalidArgument, packPath + " is not a data pack (expected uint8 'hr' [N, 3, P, P])");
    m_crops = it->second;
    if (m_crops.size(2) < options.patch || options.patch % options.scale != 0)
        throw Error(ErrorCode::InvalidArgument, "the patch must fit the pack's crops and be a multiple of the scale");
}

torch::Tensor gaussianBlur(const torch::Tensor& images, const torch::Tensor& sigmas)
{
    const int64_t b = images.size(0), c = images.size(1);
    const int radius = int(std::ceil(3.0 * sigmas.max().item<double>()));
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

torch::Tensor TrainingData::degrade(const torch::Tensor& lowRes, torch::Generator& generator) const
{
    const int64_t b = lowRes.size(0);
    auto opts = lowRes.options();
    const double sigmaMax = m_options.oldPhotoDegradation ? 2.0 : m_options.blurSigmaMax;
    auto sigmas = m_options.blurSigmaMin + (sigmaMax - m_options.blurSigmaMin) * torch::rand({b}, generator, opts);
    auto blurred = gaussianBlur(lowRes, sigmas);
    auto chosen = (torch::rand({b, 1, 1, 1}, generator, opts) < m_options.blurProbability).to(opts.dtype());
    auto x = chosen * blurred + (1 - chosen) * lowRes;
    const double noiseMax = m_options.oldPhotoDegradation ? 0.08 : m_options.lrNoiseMax;
    auto noiseStd = noiseMax * torch::rand({b, 1, 1, 1}, generator, opts);
    return x + noiseStd * torch::randn(x.sizes(), generator, opts);
}

Batch TrainingData::next(int64_t batchSize, torch::Generator& generator, const torch::Device& device)
{
    const int64_t p = m_options.patch, full = m_crops.size(2);
    auto index = torch::randint(size(), {batchSize}, generator, torch::kLong);
    auto offsets = torch::randint(full - p + 1, {batchSize, 2}, generator, torch::kLong);
    auto flips = torch::rand({batchSize}, generator) < 0.5;
    std::vector<torch::Tensor> crops;
    for (int64_t i = 0; i < batchSize; ++i) {
        auto crop = m_crops[index[i].item<int64_t>()]
                        .narrow(1, offsets[i][0].item<int64_t>(), p)
                        .narrow(2, offsets[i][1].item<int64_t>(), p);
        crops.push_back(flips[i].item<bool>() ? crop.flip({2}) : crop);
    }
    Batch batch;
    batch.highRes = (torch::stack(crops).to(torch::kFloat32) / 127.5 - 1.0).to(device);
    batch.lowRes = downscaleBicubic(batch.highRes, m_options.scale);
    batch.condition = upscaleBicubic(degrade(batch.lowRes.cpu(), generator).to(device), m_options.scale);
    return batch;
}

}  // namespace refine::train
