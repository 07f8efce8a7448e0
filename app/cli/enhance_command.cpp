#include "enhance_command.h"

#include <cstdio>
#include <filesystem>
#include <random>

#include "exit_codes.h"
#include "input_collection.h"
#include "photo_enhancement.h"
#include "refine/engine/engine.h"
#include "refine/imaging/image_io.h"

namespace refine::cli {
namespace fs = std::filesystem;
namespace {

/// Enhances one photo; returns false (after printing why) when it failed.
bool enhanceOne(Engine& engine, const EnhanceOptions& o, const fs::path& input, uint64_t seed,
                const CancelToken& cancel)
{
    try {
        const imaging::Photo photo = imaging::readPhoto(input);
        const fs::path dir = o.outputDir.empty() ? input.parent_path() : fs::path(o.outputDir);
        fs::create_directories(dir);
        PhotoTarget target;
        target.input = input;
        target.outputDir = dir;
        target.seed = seed;
        enhanceIntoFiles(engine, o, photo, target, cancel);
        return true;
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        std::fprintf(stderr, "\nrefine-cli: %s: %s\n", input.string().c_str(), e.what());
        if (e.code() == ErrorCode::OutOfMemory)
            std::fprintf(stderr, "  hint: try --tile 256, fewer --candidates or --device cpu\n");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "\nrefine-cli: %s: unexpected error: %s\n", input.string().c_str(), e.what());
    }
    return false;
}

}  // namespace

int runEnhance(const EnhanceOptions& o, const CancelToken& cancel)
{
    const InputCollection inputs = collectInputs(o.inputs);
    for (const auto& problem : inputs.problems)
        std::fprintf(stderr, "refine-cli: %s\n", problem.c_str());
    if (inputs.photos.empty()) {
        std::fprintf(stderr, "refine-cli: nothing to enhance\n");
        return kExitSomeFailed;
    }

    EngineOptions engineOptions;
    engineOptions.device = o.device;
    engineOptions.cpuThreads = o.threads;
    std::unique_ptr<Engine> engine;
    try {
        engineOptions.precision = o.precision == "fp16" ? Precision::Float16
                                : o.precision == "bf16" ? Precision::BFloat16
                                                        : Precision::Float32;
        engine = std::make_unique<Engine>(engineOptions);
        engine->loadModel(o.model);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-cli: %s\n", e.what());
        return kExitModel;
    }
    if (!o.quiet)
        std::fprintf(stderr, "model %s on %s\n", engine->model().id.c_str(), engine->deviceName().c_str());
    if (!engine->model().hasCleanUpscale() && (o.writeClean || o.detail != 1.0)) {
        std::fprintf(stderr, "refine-cli: --clean and --detail need a residual-shift model; '%s' is an SR3 model\n",
                     engine->model().id.c_str());
        return kExitModel;
    }

    const uint64_t seed = o.seedGiven ? o.seed : std::random_device{}();
    int failed = int(inputs.problems.size());
    try {
        for (const auto& photo : inputs.photos)
            failed += enhanceOne(*engine, o, photo, seed, cancel) ? 0 : 1;
    } catch (const Cancelled&) {
        std::fprintf(stderr, "\nrefine-cli: cancelled; files already written are kept, nothing was overwritten\n");
        return kExitCancelled;
    }
    return failed == 0 ? 0 : kExitSomeFailed;
}

}  // namespace refine::cli
