#pragma once
/// @file photo_enhancement.h
/// @brief Enhancing one decoded photo into its output files: the part `refine-cli enhance` and
/// `refine-cli archive run` share, so both name, encode and write outputs the same way.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "enhance_command.h"
#include "interruptible_work.h"
#include "refine/engine/engine.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/photo.h"

namespace refine::cli {

/// The output format: --format, else the input's ("png" for BMP, which cannot carry provenance).
std::string outputFormatFor(const EnhanceOptions& options, const std::string& inputFormat);

/// `<stem>_x<scale>_uncertainty.png` in `dir`.
std::filesystem::path uncertaintyMapFileName(const std::filesystem::path& input, const std::filesystem::path& dir,
                                             int scale);

/// Every file enhanceIntoFiles() may write for `input` into `dir` (the clean result, each
/// candidate and the uncertainty map), named for the format its extension implies.
std::vector<std::filesystem::path> possibleOutputFiles(const EnhanceOptions& options,
                                                       const std::filesystem::path& input,
                                                       const std::filesystem::path& dir);

/// The engine request for `photo` with the options' settings and job seed `seed`.
EnhanceRequest requestFor(const EnhanceOptions& options, const imaging::Photo& photo, uint64_t seed);

/// Refuses, once the model is loaded and before any photo, settings the model cannot run: a
/// preset it does not have, a sampler of the other model family.
/// @throws refine::Error InvalidArgument naming the problem
void checkSettingsSuitModel(const ModelInfo& model, const EnhanceOptions& options);

/// Decodes a photo read into memory (`name` names it in messages), after refusing, in
/// milliseconds and before any pixel is decoded, a job that cannot fit in memory: the engine's
/// memory plan for the size in the photo's header (imaging::readImageInfo). A header without a
/// size is left to the decoder's own checks and to the plan enhance() makes again.
/// @throws refine::Error OutOfMemory with the plan's sentence (what needs what, what would fit),
/// BadImage as imaging::decodePhoto()
imaging::Photo decodeWhatFits(const Engine& engine, const EnhanceOptions& options,
                              const std::vector<unsigned char>& bytes, const std::string& name);

/// Where one photo's outputs go and how they are stamped.
struct PhotoTarget {
    std::filesystem::path input;      ///< names the outputs (its stem) and the messages
    std::filesystem::path outputDir;  ///< must exist
    uint64_t seed = 0;                ///< the job seed
    /// Empty: the files record the current time as their edit time. Else this ISO time, so that
    /// the same job written twice gives byte-identical files (archive mode).
    std::string editTime;
    /// Which outputs to write (by path); empty: all of them.
    std::function<bool(const std::filesystem::path&)> shouldWrite;
    /// identityOf() of every input of the run: an output that is one of them is refused, even
    /// with --overwrite. Null: only the engine's naming keeps outputs off the input.
    const std::set<std::filesystem::path>* inputs = nullptr;
    /// When set, every file is written through it (a cancel waits for the file being written).
    const InterruptibleWork* writes = nullptr;
};

/// Enhances `photo` and writes its candidates, the clean result (residual-shift models, with
/// --clean or when there are no candidates) and the uncertainty map (when asked) into
/// target.outputDir, each atomically, printing one line per file. Returns the paths written.
/// @throws refine::Error for engine and file problems, refine::Cancelled when cancelled
std::vector<std::filesystem::path> enhanceIntoFiles(Engine& engine, const EnhanceOptions& options,
                                                    const imaging::Photo& photo, const PhotoTarget& target,
                                                    const CancelToken& cancel);

}  // namespace refine::cli
