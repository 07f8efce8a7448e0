#pragma once
/// @file candidate_noise.h
/// @brief Per-candidate random streams. Each candidate owns a CPU generator seeded with its own
/// seed and draws its noise in the same order whatever else runs beside it, so candidate k of
/// seed s has the same pixels sampled alone or in a batch of nine, tiled or not. Noise is drawn on
/// the CPU so that it is also the same on every device.

#include <cstdint>
#include <vector>

#include <torch/types.h>

namespace refine {

class CandidateNoise {
public:
    explicit CandidateNoise(const std::vector<uint64_t>& seeds);

    int count() const { return int(m_generators.size()); }
    /// Standard normal noise [N, shape...] for every candidate, on `device`.
    torch::Tensor next(torch::IntArrayRef shape, const torch::Device& device);

private:
    std::vector<torch::Generator> m_generators;
};

}  // namespace refine
