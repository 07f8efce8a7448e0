#pragma once
/// @file host_memory.h
/// @brief How the process's C allocator treats the large, short-lived tensors of CPU sampling.
/// Every denoising step allocates and frees the same few hundred megabytes of activations. glibc
/// serves blocks this large with mmap and unmaps them on free, so each step faulted every page in
/// again: a quarter of a CPU forward pass went to the kernel (docs/performance.md). Keeping freed
/// memory in the heap during a job, and handing it back once the job is done, removes that. All
/// threads share the main heap (set when the program starts), since glibc's other arenas cannot
/// hold blocks of this size.

namespace refine {

/// Serve large blocks from the heap and keep freed memory for reuse (glibc; no-op elsewhere).
/// Process-wide and idempotent; the engine calls it when it runs on the CPU.
void keepFreedHostMemoryForReuse();

/// Returns free heap memory to the system (after a job), so an idle app stays small.
void releaseFreeHostMemory();

}  // namespace refine
