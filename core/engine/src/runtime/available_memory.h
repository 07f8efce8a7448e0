#pragma once
/// @file available_memory.h
/// @brief Free device memory, for the memory plan (host memory: refine::availableHostMemory()
/// in refine/engine/memory_plan.h).

#include <cstdint>

#include <torch/types.h>

namespace refine {

/// Free memory of a CUDA device (cudaMemGetInfo, looked up in the CUDA runtime LibTorch loaded,
/// so a CPU-only build needs no CUDA headers); 0 for the CPU or when it cannot be read.
std::uint64_t freeDeviceMemory(const torch::Device& device);

}  // namespace refine
