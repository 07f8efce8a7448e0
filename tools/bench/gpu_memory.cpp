#include "gpu_memory.h"

#ifdef REFINE_BENCH_HAVE_C10_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace refine::bench {

#ifdef REFINE_BENCH_HAVE_C10_CUDA
namespace allocator = c10::cuda::CUDACachingAllocator;
constexpr auto kAllPools = static_cast<size_t>(allocator::StatType::AGGREGATE);

void resetPeakMemory(const torch::Device& device)
{
    if (device.is_cuda())
        allocator::resetPeakStats(device.index() < 0 ? 0 : device.index());
}

int64_t peakMemoryBytes(const torch::Device& device)
{
    if (!device.is_cuda())
        return -1;
    return allocator::getDeviceStats(device.index() < 0 ? 0 : device.index()).allocated_bytes[kAllPools].peak;
}
#else
void resetPeakMemory(const torch::Device&) {}
int64_t peakMemoryBytes(const torch::Device&) { return -1; }
#endif

}  // namespace refine::bench
