#include "runtime/host_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace refine {

void keepFreedHostMemoryForReuse()
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_MAX, 0);               // no per-block mmap: large blocks come from the heap
    mallopt(M_TRIM_THRESHOLD, 1 << 30);   // and stay there between steps (released after the job)
#endif
}

void releaseFreeHostMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

}  // namespace refine
