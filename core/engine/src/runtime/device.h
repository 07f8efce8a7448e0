#pragma once
/// @file device.h
/// @brief Choosing the device and dtype an engine runs on, and out-of-memory detection.

#include <string>

#include <torch/types.h>

#include "refine/engine/enhance.h"

namespace refine {

/// "auto" -> CUDA when available else CPU; "cpu"; "cuda" / "cuda:N" (an error if unavailable).
torch::Device selectDevice(const std::string& name);

/// Uses all cores for intra-op parallelism when `threads` is 0.
void configureCpuThreads(int threads);

/// The network's dtype for a precision; half precisions fall back to float32 on CPU, where
/// they are slower and less accurate.
torch::ScalarType networkDtype(Precision precision, const torch::Device& device);
std::string precisionName(Precision precision);
Precision precisionFromName(const std::string& name);

/// Whether a LibTorch error is an allocation failure (CUDA or CPU), so callers can retry smaller.
bool isOutOfMemory(const std::exception& error);

/// Default memory budget for activations in GiB on a device.
double defaultMemoryBudgetGiB(const torch::Device& device);

}  // namespace refine
