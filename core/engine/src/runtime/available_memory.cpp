#include "runtime/available_memory.h"

#include "refine/engine/memory_plan.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#if defined(__linux__)
#include <dlfcn.h>
#include <sys/resource.h>
#endif

namespace refine {
namespace {

constexpr std::uint64_t kUnknown = std::numeric_limits<std::uint64_t>::max();

/// The first number in a file ("max" and unreadable files are kUnknown).
std::uint64_t numberIn(const std::string& path)
{
    std::ifstream in(path);
    std::string text;
    if (!(in >> text) || text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        return kUnknown;
    return std::stoull(text);
}

/// "MemAvailable:   123456 kB" from /proc/meminfo, in bytes.
std::uint64_t memAvailable()
{
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string key;
        std::uint64_t kib = 0;
        if (fields >> key >> kib && key == "MemAvailable:")
            return kib * 1024;
    }
    return kUnknown;
}

/// A memory cgroup's limit minus its usage. The process's own cgroup (v2: /proc/self/cgroup's
/// "0::/path"); containers usually show it at the mount's root.
std::uint64_t cgroupRoom()
{
    std::string path;
    std::ifstream self("/proc/self/cgroup");
    for (std::string line; std::getline(self, line);)
        if (line.rfind("0::", 0) == 0)
            path = line.substr(3);
    std::uint64_t room = kUnknown;
    for (const std::string& dir : {"/sys/fs/cgroup" + path, std::string("/sys/fs/cgroup")}) {
        const std::uint64_t limit = numberIn(dir + "/memory.max"), used = numberIn(dir + "/memory.current");
        if (limit != kUnknown && used != kUnknown)
            room = std::min(room, limit > used ? limit - used : 0);
    }
    const std::uint64_t v1Limit = numberIn("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    const std::uint64_t v1Used = numberIn("/sys/fs/cgroup/memory/memory.usage_in_bytes");
    if (v1Limit != kUnknown && v1Used != kUnknown && v1Limit < (std::uint64_t(1) << 60))
        room = std::min(room, v1Limit > v1Used ? v1Limit - v1Used : 0);
    return room;
}

/// RLIMIT_AS (ulimit -v) minus the address space already mapped (VmSize).
std::uint64_t addressSpaceRoom()
{
#if defined(__linux__)
    rlimit limit{};
    if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return kUnknown;
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmSize:", 0) == 0) {
            const std::uint64_t used = std::stoull(line.substr(7)) * 1024;
            return limit.rlim_cur > used ? limit.rlim_cur - used : 0;
        }
#endif
    return kUnknown;
}

}  // namespace

std::uint64_t availableHostMemory()
{
    const std::uint64_t room = std::min({memAvailable(), cgroupRoom(), addressSpaceRoom()});
    return room == kUnknown ? 0 : room;
}

std::uint64_t freeDeviceMemory(const torch::Device& device)
{
#if defined(__linux__)
    if (!device.is_cuda())
        return 0;
    using GetDevice = int (*)(int*);
    using SetDevice = int (*)(int);
    using MemGetInfo = int (*)(std::size_t*, std::size_t*);
    auto getDevice = reinterpret_cast<GetDevice>(dlsym(RTLD_DEFAULT, "cudaGetDevice"));
    auto setDevice = reinterpret_cast<SetDevice>(dlsym(RTLD_DEFAULT, "cudaSetDevice"));
    auto memGetInfo = reinterpret_cast<MemGetInfo>(dlsym(RTLD_DEFAULT, "cudaMemGetInfo"));
    int current = 0;
    if (!getDevice || !setDevice || !memGetInfo || getDevice(&current) != 0)
        return 0;
    const int wanted = device.has_index() ? device.index() : 0;
    std::size_t freeBytes = 0, totalBytes = 0;
    const bool ok = setDevice(wanted) == 0 && memGetInfo(&freeBytes, &totalBytes) == 0;
    setDevice(current);
    return ok ? freeBytes : 0;
#else
    (void)device;
    return 0;
#endif
}

}  // namespace refine
