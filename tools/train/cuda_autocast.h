#pragma once
/// @file cuda_autocast.h
/// @brief bf16 autocast for the forward pass on CUDA (as the SR3 objective is trained on GPUs);
/// on the CPU it does nothing, so CPU training stays exact fp32. bf16 has fp32's range, so no
/// loss scaling is needed. LibTorch changed this API: 1.13 to 2.3 have the CUDA-only
/// set_enabled / set_autocast_gpu_dtype, 2.4 added the per-device functions and deprecated those.

#include <ATen/autocast_mode.h>
#include <torch/version.h>
#include <torch/types.h>

namespace refine::train {

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define REFINE_AUTOCAST_PER_DEVICE 1
#else
#define REFINE_AUTOCAST_PER_DEVICE 0
#endif

/// RAII: autocast to bf16 on CUDA for the guard's lifetime (thread-local, like LibTorch's own).
class CudaAutocast {
public:
    explicit CudaAutocast(const torch::Device& device) : m_active(device.is_cuda())
    {
        if (!m_active)
            return;
#if REFINE_AUTOCAST_PER_DEVICE
        m_previousDtype = at::autocast::get_autocast_dtype(at::kCUDA);
        m_previousEnabled = at::autocast::is_autocast_enabled(at::kCUDA);
        at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
        at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
        m_previousDtype = at::autocast::get_autocast_gpu_dtype();
        m_previousEnabled = at::autocast::is_enabled();
        at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
        at::autocast::set_enabled(true);
#endif
        at::autocast::increment_nesting();
    }

    ~CudaAutocast()
    {
        if (!m_active)
            return;
        // Leaving the outermost autocast region frees the cached bf16 copies of the weights.
        if (at::autocast::decrement_nesting() == 0)
            at::autocast::clear_cache();
#if REFINE_AUTOCAST_PER_DEVICE
        at::autocast::set_autocast_enabled(at::kCUDA, m_previousEnabled);
        at::autocast::set_autocast_dtype(at::kCUDA, m_previousDtype);
#else
        at::autocast::set_enabled(m_previousEnabled);
        at::autocast::set_autocast_gpu_dtype(m_previousDtype);
#endif
    }

    CudaAutocast(const CudaAutocast&) = delete;
    CudaAutocast& operator=(const CudaAutocast&) = delete;

private:
    bool m_active;
    bool m_previousEnabled = false;
    at::ScalarType m_previousDtype = at::kBFloat16;
};

}  // namespace refine::train
