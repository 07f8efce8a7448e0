#include "enhance_command.h"

#include <cstdio>
#include <filesystem>
#include <map>
#include <random>

#include "exit_codes.h"
#include "input_collection.h"
#include "interruptible_work.h"
#include "output_checks.h"
#include "photo_enhancement.h"
#include "refine/engine/engine.h"
#include "refine/imaging/image_io.h"

namespace refine::cli {
namespace fs = std::filesystem;
namespace {

constexpr const char* kCancelledMessage =
    "refine-cli: cancelled; files already written are kept, nothing was overwritten";

/// A photo that passed the checks made before any work, and the folder its outputs go to.
struct PlannedPhoto {
    fs::path input;
    fs::path outputDir;  ///< exists and can be written
};

void printInputReport(const InputCollection& inputs)
{
    for (const auto& problem : inputs.problems)
        std::fprintf(stderr, "refine-cli: %s\n", problem.c_str());
    for (const auto& notice : inputs.notices)
        std::fprintf(stderr, "refine-cli: note: %s\n", notice.c_str());
}

/// The photos whose outputs can be written without replacing an input; each other photo is
/// named with the reason and counted in `refused`. All of it before the model is loaded, so
/// that a typo in -o or a read-only folder fails in a second, not after the enhancement.
std::vector<PlannedPhoto> planOutputs(const EnhanceOptions& o, const InputCollection& inputs, int& refused)
{
    std::map<fs::path, std::string> folderProblems;  // each folder beside the inputs is tried once
    std::vector<PlannedPhoto> planned;
    for (const auto& input : inputs.photos) {
        const fs::path parent = input.parent_path().empty() ? fs::path(".") : input.parent_path();
        const fs::path dir = o.outputDir.empty() ? parent : fs::path(o.outputDir);
        if (o.outputDir.empty()) {
            const auto known = folderProblems.find(dir);
            const std::string& problem =
                known != folderProblems.end() ? known->second : (folderProblems[dir] = outputFolderProblem(dir));
            if (!problem.empty()) {
                std::fprintf(stderr, "refine-cli: %s: the folder %s cannot take its outputs: %s; choose another "
                             "folder with -o\n", input.string().c_str(), dir.string().c_str(), problem.c_str());
                ++refused;
                continue;
            }
        }
        const fs::path clash = outputThatIsAnInput(possibleOutputFiles(o, input, dir), inputs.identities);
        if (!clash.empty()) {
            std::fprintf(stderr, "refine-cli: %s: its output %s would replace an input, which Refine never does "
                         "(not even with --overwrite); choose another folder with -o\n", input.string().c_str(),
                         clash.string().c_str());
            ++refused;
            continue;
        }
        planned.push_back({input, dir});
    }
    return planned;
}

/// The engine with the model loaded, or null (after printing why).
std::unique_ptr<Engine> loadEngine(const EnhanceOptions& o)
{
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
        return nullptr;
    }
    if (!o.quiet)
        std::fprintf(stderr, "model %s on %s\n", engine->model().id.c_str(), engine->deviceName().c_str());
    try {
        checkSettingsSuitModel(engine->model(), o);
    } catch (const Error& e) {
        std::fprintf(stderr, "refine-cli: %s\n", e.what());
        return nullptr;
    }
    if (!engine->model().hasCleanUpscale() && (o.writeClean || o.detail != 1.0)) {
        std::fprintf(stderr, "refine-cli: --clean and --detail need a residual-shift model; '%s' is an SR3 model\n",
                     engine->model().id.c_str());
        return nullptr;
    }
    return engine;
}

/// Enhances one photo; returns false (after printing why) when it failed. A failure after a
/// cancel is the cancel's doing: it is thrown as Cancelled, never reported as a failure.
bool enhanceOne(Engine& engine, const EnhanceOptions& o, const PlannedPhoto& planned, const InputCollection& inputs,
                uint64_t seed, const CancelToken& cancel, const InterruptibleWork& work)
{
    const auto failed = [&](const std::string& why) {
        if (cancel.isCancelled())
            throw Cancelled();
        std::fprintf(stderr, "\nrefine-cli: %s: %s\n", planned.input.string().c_str(), why.c_str());
        return false;
    };
    try {
        const imaging::Photo photo =
            decodeWhatFits(engine, o, imaging::readFileBytes(planned.input), planned.input.filename().u8string());
        PhotoTarget target;
        target.input = planned.input;
        target.outputDir = planned.outputDir;
        target.seed = seed;
        target.inputs = &inputs.identities;
        target.writes = &work;
        enhanceIntoFiles(engine, o, photo, target, cancel);
        return true;
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        return failed(e.what());  // out of memory included: the engine's message says what would fit
    } catch (const std::exception& e) {
        return failed(std::string("unexpected error: ") + e.what());
    }
}

}  // namespace

int runEnhance(const EnhanceOptions& o, const CancelToken& cancel)
{
    const InputCollection inputs = collectInputs(o.inputs);
    printInputReport(inputs);
    if (inputs.photos.empty()) {
        std::fprintf(stderr, "refine-cli: nothing to enhance\n");
        return kExitSomeFailed;
    }
    if (!o.outputDir.empty()) {
        const std::string problem = outputFolderProblem(o.outputDir);
        if (!problem.empty()) {
            std::fprintf(stderr, "refine-cli: the output folder %s cannot be used: %s\n", o.outputDir.c_str(),
                         problem.c_str());
            return kExitSomeFailed;
        }
    }
    int failed = int(inputs.problems.size());
    const std::vector<PlannedPhoto> planned = planOutputs(o, inputs, failed);
    if (planned.empty()) {
        std::fprintf(stderr, "refine-cli: nothing to enhance\n");
        return kExitSomeFailed;
    }

    // Loading, decoding, enhancing and encoding run on a worker thread, so that Ctrl+C and
    // SIGTERM stop them at once even where nothing checks the cancel token.
    InterruptibleWork work(cancel, kCancelledMessage);
    try {
        std::unique_ptr<Engine> engine;
        work.run([&] { engine = loadEngine(o); });
        if (!engine)
            return kExitModel;
        const uint64_t seed = o.seedGiven ? o.seed : std::random_device{}();
        for (const auto& photo : planned) {
            bool ok = false;
            work.run([&] { ok = enhanceOne(*engine, o, photo, inputs, seed, cancel, work); });
            failed += ok ? 0 : 1;
        }
    } catch (const Cancelled&) {
        std::fprintf(stderr, "\n%s\n", kCancelledMessage);
        return kExitCancelled;
    }
    return failed == 0 ? 0 : kExitSomeFailed;
}

}  // namespace refine::cli
