#include "validation_loss.h"

#include <algorithm>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "sr3_objective.h"

namespace refine::train {
namespace {
constexpr int64_t kBatch = 16;
constexpr uint64_t kSeed = 20261123;  ///< fixed, so every run sees the same noise
}  // namespace

ValidationLoss::ValidationLoss(const std::string& packPath, const DataOptions& options, int64_t maxCrops)
    : m_data(packPath, options),
      m_crops(std::min(maxCrops, m_data.size()))
{
}

double ValidationLoss::evaluate(Sr3UNet& net, const NoiseSchedule& schedule, const torch::Device& device)
{
    return evaluate(
        *net, [&](const Batch& batch, torch::Generator& generator) {
            return sr3NoiseLoss(net, batch, schedule, generator, device);
        },
        device);
}

double ValidationLoss::evaluate(torch::nn::Module& net, const BatchLoss& loss, const torch::Device& device)
{
    torch::NoGradGuard noGrad;
    const bool wasTraining = net.is_training();
    net.eval();
    auto generator = at::detail::createCPUGenerator(kSeed);
    double total = 0;
    for (int64_t first = 0; first < m_crops; first += kBatch) {
        const Batch batch = m_data.fixed(first, std::min(kBatch, m_crops - first), device);
        total += loss(batch, generator).item<double>() * double(batch.highRes.size(0));
    }
    net.train(wasTraining);
    return total / double(m_crops);
}

}  // namespace refine::train
