#pragma once
/// @file enhance.h
/// @brief A super-resolution job: what to do (EnhanceRequest), what comes back (EnhanceResult)
/// and how the caller follows and stops it (EnhanceObserver, CancelToken). Torch-free, so Qt
/// code and the imaging library can include it.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "refine/engine/image.h"

namespace refine {

enum class Precision { Float32, Float16, BFloat16 };

/// @brief What a result must keep of the input (docs/engine.md, "Consistency").
/// - Exact: shrunk by Refine's bicubic operator H, every result gives back the input exactly
///   (defects included): right for clean photos.
/// - Soft: a residual-shift model only. Every result shrinks to the model's own clean result
///   shrunk (H(clean)): what the clean upscaler kept of the photo, without the noise and JPEG
///   blocks it removed, so the candidates do not copy those back. Right for old, damaged photos
///   with a restore model.
/// - Off: no projection; the network's output as it is.
enum class Consistency { Exact, Soft, Off };

/// "exact", "soft", "off": the names the CLI, the provenance and the settings use. Inline, so
/// the imaging library (which writes the name into files) needs the engine's headers only.
inline const char* consistencyName(Consistency mode)
{
    switch (mode) {
    case Consistency::Soft: return "soft";
    case Consistency::Off: return "off";
    case Consistency::Exact: break;
    }
    return "exact";
}

/// The mode of a name; false (and `mode` untouched) when the name is none of them.
inline bool parseConsistency(const std::string& name, Consistency* mode)
{
    for (Consistency candidate : {Consistency::Exact, Consistency::Soft, Consistency::Off})
        if (name == consistencyName(candidate)) {
            *mode = candidate;
            return true;
        }
    return false;
}

/// @brief Everything one enhancement needs. Zero / empty fields take the model's defaults.
struct EnhanceRequest {
    ImageF input;                ///< RGB in [0, 1]; alpha is the caller's business
    int scale = 4;               ///< 2, 4, 8 or 16
    int candidates = 4;          ///< independent samples
    std::string preset;          ///< a model preset name; empty = the model's default preset
    std::string sampler;         ///< overrides the preset: "ddpm", "ddim", "dpmpp2m"
    int steps = 0;               ///< overrides the preset when > 0
    double ddimEta = 0.0;
    uint64_t seed = 0;           ///< job seed; candidate k uses candidateSeed(seed, k)
    int firstCandidateIndex = 0; ///< sample candidates firstCandidateIndex.. (to add "more like this")
    Consistency consistency = Consistency::Exact;  ///< the projection at every step and on the result
    double cascadeNoise = -1.0;  ///< CDM augmentation for stages after the first; < 0 = model default
    int tileSize = 0;            ///< output-pixel tile side; 0 = choose from the memory budget
    int tileOverlap = 0;         ///< 0 = automatic (a quarter of the tile)
    double memoryBudgetGiB = 0;  ///< for activations; 0 = device default
    bool uncertaintyMap = false;
    int previewInterval = 1;     ///< steps between x0 previews; 0 = none
    int previewMaxSide = 1024;   ///< previews are downscaled to at most this side
    bool keepStages = false;     ///< return every cascade stage's outputs
};

/// Progress after one denoising step.
struct EnhanceProgress {
    int stage = 0, stageCount = 1;   ///< cascade stage (0-based) and number of stages
    int step = 0, stepCount = 0;     ///< steps done in this stage (1-based after the step) and its total
    int chunk = 0, chunkCount = 1;   ///< candidate chunk (when candidates do not fit one batch)
    double fraction = 0;             ///< of the whole job, 0..1
    double elapsedSeconds = 0;
    double etaSeconds = -1;          ///< < 0 while unknown
};

/// x0 predictions of the candidates of one chunk, whole image, at most previewMaxSide. Step 0 is
/// the clean result every candidate of a residual-shift model starts from.
struct EnhancePreview {
    int stage = 0, step = 0, stepCount = 0;
    int firstCandidate = 0;          ///< index of images[0] among the job's candidates
    std::vector<ImageF> images;
};

struct StageOutput {
    int stage = 0;
    int scale = 1;                   ///< total enlargement after this stage
    std::vector<ImageF> candidates;
};

struct CandidateOutput {
    int index = 0;                   ///< candidate number (seed derivation index)
    uint64_t seed = 0;               ///< the candidate's own seed
    ImageF image;                    ///< RGB in [0, 1], input size x scale
    double consistencyMse = 0;       ///< MSE between the downscaled output and the input, [0,1] range
};

struct EnhanceResult {
    /// Empty for a clean-only job (a residual-shift model's Fast preset).
    std::vector<CandidateOutput> candidates;
    /// The clean, most likely result (index -1, seed 0): residual-shift models only, else empty.
    CandidateOutput clean;
    ImageF uncertainty;              ///< 1 channel: per-pixel std over candidates (empty unless asked)
    std::vector<StageOutput> stages; ///< when keepStages
    std::string sampler;             ///< what actually ran
    int steps = 0;
    std::string device;
    std::string precision;
    int tileSize = 0;                ///< final tile size (after any out-of-memory retries)
    double seconds = 0;
};

/// @brief Callbacks from the thread running the job. They must be quick; throwing
/// refine::Cancelled from them stops the job like the cancel token does.
class EnhanceObserver {
public:
    virtual ~EnhanceObserver() = default;
    virtual void onProgress(const EnhanceProgress&) {}
    virtual void onPreview(const EnhancePreview&) {}
    /// A residual-shift model's clean result (full size, with its consistency error; index -1),
    /// once, before the first candidate step. It is also sent as a step-0 preview of every candidate.
    virtual void onClean(const CandidateOutput&) {}
    /// The clean upscaler's output before the consistency projection (full size), sent just
    /// before onClean when a one-pass job projects it: a person sees the result about as soon as
    /// the network has run (for a 640 x 480 photo the projection takes a further 0.3 s on 2
    /// cores). It is a draft for the screen only: onClean brings the exact result, a small
    /// correction of it that shrinks back to the input exactly, and only that one is kept.
    virtual void onCleanDraft(const ImageF&) {}
    virtual void onStage(const StageOutput&) {}
};

/// @brief Set from any thread; the job checks it at least once per step and per tile.
class CancelToken {
public:
    void cancel() noexcept { m_cancelled.store(true, std::memory_order_release); }
    void reset() noexcept { m_cancelled.store(false, std::memory_order_release); }
    bool isCancelled() const noexcept { return m_cancelled.load(std::memory_order_acquire); }

private:
    std::atomic<bool> m_cancelled{false};
};

/// The seed of candidate `index` of a job with seed `jobSeed` (SplitMix64 of both), so that a
/// candidate is reproducible alone, independent of how many others are sampled with it.
uint64_t candidateSeed(uint64_t jobSeed, int index);

}  // namespace refine
