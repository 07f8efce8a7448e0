#include "pipeline/candidate_noise.h"

#include <ATen/CPUGeneratorImpl.h>

#include "refine/engine/enhance.h"

namespace refine {

uint64_t candidateSeed(uint64_t jobSeed, int index)
{
    // SplitMix64 (Steele et al.) over seed and index: well-mixed, cheap, no correlated streams.
    uint64_t z = jobSeed + 0x9E3779B97F4A7C15ULL * (uint64_t(index) + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

CandidateNoise::CandidateNoise(const std::vector<uint64_t>& seeds)
{
    for (uint64_t seed : seeds)
        m_generators.push_back(at::detail::createCPUGenerator(seed));
}

torch::Tensor CandidateNoise::next(torch::IntArrayRef shape, const torch::Device& device)
{
    std::vector<torch::Tensor> noise;
    noise.reserve(m_generators.size());
    for (auto& generator : m_generators)
        noise.push_back(torch::randn(shape, generator, torch::TensorOptions().dtype(torch::kFloat32)));
    return torch::stack(noise).to(device);
}

}  // namespace refine
