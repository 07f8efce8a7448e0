#include "photo_enhancement.h"

#include <cstdio>

#include "input_collection.h"
#include "refine/engine/detail.h"
#include "refine/imaging/candidate_export.h"
#include "refine/imaging/engine_image.h"
#include "refine/imaging/image_io.h"
#include "terminal_progress.h"

namespace refine::cli {
namespace fs = std::filesystem;
namespace {

/// Writes the files of one finished job, skipping those the target does not want.
class OutputWriter {
public:
    OutputWriter(const Engine& engine, const EnhanceOptions& o, const imaging::Photo& photo, const PhotoTarget& target,
                 const EnhanceRequest& request, const EnhanceResult& result)
        : m_options(o), m_photo(photo), m_target(target), m_result(result),
          m_origin{&engine.model(), &request, &result, request.candidates}
    {
        m_origin.detail = o.detail;
        m_origin.editTime = target.editTime;
        m_encode.format = outputFormatFor(o, photo.format);
        m_encode.jpegQuality = o.jpegQuality;
        m_encode.bitDepth = photo.bitDepth;
    }

    void writeCandidate(const CandidateOutput& output)
    {
        const fs::path path =
            imaging::candidateFileName(m_target.input, m_target.outputDir, m_options.scale, output.index, m_encode.format);
        if (!wanted(path))
            return;
        imaging::MetadataTransferReport report;
        const auto bytes = imaging::encodeCandidate(m_photo, output, m_origin, m_encode, &report);
        write(path, bytes);
        std::printf("  %s  (consistency MSE %.2e)%s%s\n", path.string().c_str(), output.consistencyMse,
                    report.note.empty() ? "" : "  note: ", report.note.c_str());
    }

    void writeUncertaintyMap()
    {
        const fs::path path = uncertaintyMapFileName(m_target.input, m_target.outputDir, m_options.scale);
        if (!wanted(path))
            return;
        imaging::EncodeOptions png;
        png.format = "png";
        const auto bytes = imaging::encodePhoto(imaging::heatmap(m_result.uncertainty), cv::Mat(), png);
        write(path, bytes);
        std::printf("  uncertainty map: %s\n", path.string().c_str());
    }

    const std::vector<fs::path>& written() const { return m_written; }

private:
    bool wanted(const fs::path& path) const { return !m_target.shouldWrite || m_target.shouldWrite(path); }

    /// Writes one file atomically, never over an input (not even with --overwrite), and through
    /// the target's InterruptibleWork so that a cancel never cuts a write short.
    void write(const fs::path& path, const std::vector<unsigned char>& bytes)
    {
        if (m_target.inputs && m_target.inputs->count(identityOf(path)))
            throw Error(ErrorCode::Io, path.string() + " is one of the inputs; Refine never replaces an input, "
                                                       "not even with --overwrite");
        const auto writeIt = [&] { imaging::writeFileAtomically(path, bytes, m_options.overwrite); };
        if (m_target.writes)
            m_target.writes->writeFile(writeIt);
        else
            writeIt();
        m_written.push_back(path);
    }

    const EnhanceOptions& m_options;
    const imaging::Photo& m_photo;
    const PhotoTarget& m_target;
    const EnhanceResult& m_result;
    imaging::CandidateOrigin m_origin;
    imaging::EncodeOptions m_encode;
    std::vector<fs::path> m_written;
};

}  // namespace

std::string outputFormatFor(const EnhanceOptions& options, const std::string& inputFormat)
{
    if (!options.format.empty())
        return options.format;
    if (inputFormat == "bmp")
        return "png";  // BMP cannot carry the provenance metadata
    return inputFormat;
}

fs::path uncertaintyMapFileName(const fs::path& input, const fs::path& dir, int scale)
{
    return dir / (input.stem().string() + "_x" + std::to_string(scale) + "_uncertainty.png");
}

std::vector<fs::path> possibleOutputFiles(const EnhanceOptions& o, const fs::path& input, const fs::path& dir)
{
    const std::string format = outputFormatFor(o, imaging::formatFromExtension(input));
    std::vector<fs::path> files{imaging::candidateFileName(input, dir, o.scale, -1, format)};  // the clean result
    for (int index = 0; index < o.candidates; ++index)
        files.push_back(imaging::candidateFileName(input, dir, o.scale, index, format));
    files.push_back(uncertaintyMapFileName(input, dir, o.scale));
    return files;
}

namespace {

/// The request's settings, without the photo.
EnhanceRequest settingsRequest(const EnhanceOptions& o, uint64_t seed)
{
    EnhanceRequest r;
    r.scale = o.scale;
    r.candidates = o.candidates;
    r.preset = o.preset;
    r.sampler = o.sampler;
    r.steps = o.steps;
    r.ddimEta = o.ddimEta;
    r.seed = seed;
    parseConsistency(o.consistency, &r.consistency);  // the option only takes the three names
    r.cascadeNoise = o.cascadeNoise;
    r.tileSize = o.tile;
    r.uncertaintyMap = o.uncertaintyMap;
    r.previewInterval = 0;  // the terminal shows no previews
    return r;
}

}  // namespace

EnhanceRequest requestFor(const EnhanceOptions& o, const imaging::Photo& photo, uint64_t seed)
{
    EnhanceRequest r = settingsRequest(o, seed);
    r.input = imaging::toImageF(photo.rgb);
    return r;
}

void checkSettingsSuitModel(const ModelInfo& model, const EnhanceOptions& o)
{
    Engine::resolvedPreset(model, settingsRequest(o, 0));
}

imaging::Photo decodeWhatFits(const Engine& engine, const EnhanceOptions& o, const std::vector<unsigned char>& bytes,
                              const std::string& name)
{
    const imaging::ImageInfo header = imaging::readImageInfo(bytes, name);
    if (header.width > 0 && header.height > 0) {
        const EnhanceRequest settings = settingsRequest(o, 0);
        const MemoryPlan plan =
            engine.planMemory(Engine::jobShape(engine.model(), settings, header.width, header.height, false));
        if (!plan.fits)
            throw Error(ErrorCode::OutOfMemory, plan.problem);
    }
    return imaging::decodePhoto(bytes, name);
}

std::vector<fs::path> enhanceIntoFiles(Engine& engine, const EnhanceOptions& o, const imaging::Photo& photo,
                                       const PhotoTarget& target, const CancelToken& cancel)
{
    const EnhanceRequest request = requestFor(o, photo, target.seed);
    TerminalProgress progress(target.input.filename().string(), o.quiet);
    const EnhanceResult result = engine.enhance(request, &progress, &cancel);
    progress.finish();
    std::printf("%s: %dx%d -> %dx%d, %d candidates, %s %d steps, seed %llu, %.1f s on %s\n",
                target.input.string().c_str(), photo.rgb.cols, photo.rgb.rows, photo.rgb.cols * o.scale,
                photo.rgb.rows * o.scale, int(result.candidates.size()), result.sampler.c_str(), result.steps,
                static_cast<unsigned long long>(target.seed), result.seconds, result.device.c_str());

    OutputWriter writer(engine, o, photo, target, request, result);
    // A clean-only job (a residual-shift model's Fast preset) has no candidates: its file is the result.
    const bool hasClean = !result.clean.image.empty();
    if (hasClean && (o.writeClean || result.candidates.empty()))
        writer.writeCandidate(result.clean);
    for (const auto& candidate : result.candidates) {
        if (!hasClean || o.detail == 1.0) {
            writer.writeCandidate(candidate);
            continue;
        }
        CandidateOutput blended = candidate;
        blended.image = blendDetail(result.clean.image, candidate.image, o.detail);
        writer.writeCandidate(blended);
    }
    if (o.uncertaintyMap)
        writer.writeUncertaintyMap();
    return writer.written();
}

}  // namespace refine::cli
