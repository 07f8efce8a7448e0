#pragma once
/// @file memory_plan.h
/// @brief How much memory a job will take, known before any work: from the input's size (a
/// file's header is enough), the scale and its cascade, the candidates, the model and the tiles.
/// Engine::planMemory() compares it with what the system has free and says, in plain words, what
/// would fit instead; Engine::enhance() refuses a job that cannot fit before it allocates
/// anything. The CLI and the app's estimate use the same plan. Torch-free.
///
/// The estimate follows what the pipeline allocates (docs/performance.md, "Memory plan", compares
/// it with measured peaks): LibTorch and the model, the decoded photo, per cascade stage the
/// sampler's full-size tensors and the network's activations (bounded by the tiling budget), the
/// final projection over all candidates, the results and the export of one result.

#include <cstdint>
#include <string>

namespace refine {

/// @brief The shape of a job, as far as memory goes.
struct JobShape {
    int inputWidth = 0;
    int inputHeight = 0;
    int scale = 4;              ///< 2, 4, 8 or 16
    int candidates = 4;
    bool cleanOnly = false;     ///< a residual-shift model's clean result only (0 steps, the Fast preset)
    int tileSize = 0;           ///< as EnhanceRequest::tileSize; 0 = chosen from the budget
    double memoryBudgetGiB = 0; ///< as EnhanceRequest::memoryBudgetGiB; 0 = the device's default
    bool uncertaintyMap = false;
    bool photoDecoded = false;  ///< the photo is in memory already (as when enhance() checks its plan)
};

/// @brief Peak memory of a job, in bytes, split by what holds it.
struct MemoryEstimate {
    std::uint64_t runtimeBytes = 0;  ///< LibTorch and the loaded model (host)
    std::uint64_t photoBytes = 0;    ///< the decoded photo and the request's copy of it (host)
    std::uint64_t jobBytes = 0;      ///< what enhance() adds at its peak, results included (host)
    std::uint64_t exportBytes = 0;   ///< after the job: the results held while one is encoded (host)
    std::uint64_t deviceBytes = 0;   ///< peak on the GPU, the model's weights included; 0 on the CPU
    int tileSize = 0;                ///< the tile side the engine will use (output pixels)
    int candidatesPerChunk = 0;      ///< candidates sampled together

    /// What the job adds once the photo is decoded: its peak, during enhance() or the export.
    std::uint64_t workBytes() const { return jobBytes > exportBytes ? jobBytes : exportBytes; }
    /// The whole process's peak for a job started from scratch (a CLI run).
    std::uint64_t hostBytes() const { return runtimeBytes + photoBytes + workBytes(); }
};

/// @brief What the system can give now.
struct MemoryAvailable {
    std::uint64_t hostBytes = 0;    ///< MemAvailable, within the cgroup's limit and the address-space limit
    std::uint64_t deviceBytes = 0;  ///< free memory of the GPU; 0 on the CPU
    bool onDevice = false;          ///< the job runs on a GPU
};

/// @brief A job's estimate against what is available, with what would fit when it does not.
struct MemoryPlan {
    MemoryEstimate need;
    MemoryAvailable available;
    bool fits = true;
    /// Empty when it fits; otherwise a sentence for people: what the job needs, what is free, and
    /// what would fit (fewer candidates, a smaller scale, a smaller photo). Smaller tiles are not
    /// among them: the plan already lowers the activation budget as far as that helps.
    std::string problem;
    int candidatesThatFit = 0;    ///< the most candidates (up to the asked number) that fit; 0: not even one
    int largestScaleThatFits = 0; ///< the largest scale up to the asked one that fits, 0: none
    /// The activation budget the job runs with: the device's default, or less (smaller tiles in
    /// smaller batches, fewer candidates at once) when only that makes it fit. enhance() uses it.
    double memoryBudgetGiB = 0;
};

/// @brief Host memory this process can still get: the smallest of MemAvailable (/proc/meminfo),
/// the cgroup's memory limit minus its usage (v2 and v1), and RLIMIT_AS minus the address space in
/// use. 0 when none can be read (not Linux): then nothing is refused on the host's account.
std::uint64_t availableHostMemory();

/// @brief "1.4 GB", "640 MB": a size for people (decimal units, two significant digits).
std::string formatBytes(std::uint64_t bytes);

}  // namespace refine
