#include "enhance_command.h"

#include <cstdio>
#include <filesystem>
#include <random>

#include "input_collection.h"
#include "refine/engine/detail.h"
#include "refine/engine/engine.h"
#include "refine/imaging/candidate_export.h"
#include "refine/imaging/engine_image.h"
#include "refine/imaging/image_io.h"
#include "terminal_progress.h"

namespace refine::cli {
namespace fs = std::filesystem;
namespace {

constexpr int kExitSomeFailed = 1;
constexpr int kExitModel = 3;
constexpr int kExitCancelled = 130;

std::string outputFormatFor(const EnhanceOptions& options, const imaging::Photo& photo)
{
    if (!options.format.empty())
        return options.format;
    if (photo.format == "bmp")
        return "png";  // BMP cannot carry the provenance metadata
    return photo.format;
}

EnhanceRequest requestFor(const EnhanceOptions& o, const imaging::Photo& photo, uint64_t seed)
{
    EnhanceRequest r;
    r.input = imaging::toImageF(photo.rgb);
    r.scale = o.scale;
    r.candidates = o.candidates;
    r.preset = o.preset;
    r.sampler = o.sampler;
    r.steps = o.steps;
    r.ddimEta = o.ddimEta;
    r.seed = seed;
    r.consistency = o.consistency != "off";
    r.cascadeNoise = o.cascadeNoise;
    r.tileSize = o.tile;
    r.uncertaintyMap = o.uncertaintyMap;
    r.previewInterval = 0;  // the terminal shows no previews
    return r;
}

void writeUncertaintyMap(const fs::path& input, const fs::path& dir, const EnhanceResult& result, int scale,
                         bool overwrite)
{
    imaging::EncodeOptions png;
    png.format = "png";
    const auto bytes = imaging::encodePhoto(imaging::heatmap(result.uncertainty), cv::Mat(), png);
    const fs::path path = dir / (input.stem().string() + "_x" + std::to_string(scale) + "_uncertainty.png");
    imaging::writeFileAtomically(path, bytes, overwrite);
    std::printf("  uncertainty map: %s\n", path.string().c_str());
}

/// Enhances one photo; returns false (after printing why) when it failed.
bool enhanceOne(Engine& engine, const EnhanceOptions& o, const fs::path& input, uint64_t seed,
                const CancelToken& cancel)
{
    try {
        const imaging::Photo photo = imaging::readPhoto(input);
        const EnhanceRequest request = requestFor(o, photo, seed);
        TerminalProgress progress(input.filename().string(), o.quiet);
        const EnhanceResult result = engine.enhance(request, &progress, &cancel);
        progress.finish();

        const fs::path dir = o.outputDir.empty() ? input.parent_path() : fs::path(o.outputDir);
        fs::create_directories(dir);
        imaging::EncodeOptions encode;
        encode.format = outputFormatFor(o, photo);
        encode.jpegQuality = o.jpegQuality;
        encode.bitDepth = photo.bitDepth;
        imaging::CandidateOrigin origin{&engine.model(), &request, &result, request.candidates};
        origin.detail = o.detail;
        std::printf("%s: %dx%d -> %dx%d, %d candidates, %s %d steps, seed %llu, %.1f s on %s\n",
                    input.string().c_str(), photo.rgb.cols, photo.rgb.rows, photo.rgb.cols * o.scale,
                    photo.rgb.rows * o.scale, int(result.candidates.size()), result.sampler.c_str(), result.steps,
                    static_cast<unsigned long long>(seed), result.seconds, result.device.c_str());
        auto write = [&](const CandidateOutput& output) {
            imaging::MetadataTransferReport report;
            const auto bytes = imaging::encodeCandidate(photo, output, origin, encode, &report);
            const fs::path path = imaging::candidateFileName(input, dir, o.scale, output.index, encode.format);
            imaging::writeFileAtomically(path, bytes, o.overwrite);
            std::printf("  %s  (consistency MSE %.2e)%s%s\n", path.string().c_str(), output.consistencyMse,
                        report.note.empty() ? "" : "  note: ", report.note.c_str());
        };
        // A clean-only job (a residual-shift model's Fast preset) has no candidates: its file is the result.
        const bool hasClean = !result.clean.image.empty();
        if (hasClean && (o.writeClean || result.candidates.empty()))
            write(result.clean);
        for (const auto& candidate : result.candidates) {
            if (!hasClean || o.detail == 1.0) {
                write(candidate);
                continue;
            }
            CandidateOutput blended = candidate;
            blended.image = blendDetail(result.clean.image, candidate.image, o.detail);
            write(blended);
        }
        if (o.uncertaintyMap)
            writeUncertaintyMap(input, dir, result, o.scale, o.overwrite);
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
