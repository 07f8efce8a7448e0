#pragma once
/// @file gpu_memory.h
/// @brief Peak GPU memory of a run, from LibTorch's CUDA caching allocator. In a build against a
/// CPU-only LibTorch (no c10_cuda library) both calls do nothing and the peak is unknown.

#include <cstdint>

#include <torch/types.h>

namespace refine::bench {

/// Starts a new peak measurement on `device` (no-op on the CPU).
void resetPeakMemory(const torch::Device& device);

/// Bytes allocated at the peak since the last reset; -1 on the CPU or without CUDA support.
int64_t peakMemoryBytes(const torch::Device& device);

}  // namespace refine::bench
