#include "runtime/host_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace refine {
namespace {

#if defined(__GLIBC__)
/// glibc gives every thread but the main one an arena of its own, whose heaps are at most 64 MB:
/// a larger block there is mmap'd and unmapped again on free whatever M_MMAP_MAX says, so a job on
/// a worker thread (the app's, the CLI's) faulted in and zeroed every page of its full-size tensors
/// at each use (640x480 at x4, 4 candidates: 62 s, two thirds of it in the kernel, against 39 s).
/// With one arena every thread's blocks come from the main heap. A thread keeps the arena of its
/// first allocation, so this must happen before any thread starts: at program start.
const bool oneArenaForAllThreads = [] {
    mallopt(M_ARENA_MAX, 1);
    return true;
}();
#endif

}  // namespace

void keepFreedHostMemoryForReuse()
{
#if defined(__GLIBC__)
    (void)oneArenaForAllThreads;
    mallopt(M_MMAP_MAX, 0);         // no per-block mmap: large blocks come from the heap
    mallopt(M_TRIM_THRESHOLD, -1);  // and stay there during the job (released after it)
#endif
}

void releaseFreeHostMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

}  // namespace refine
