#include "archive_plan.h"

#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "archive_inputs.h"
#include "archive_manifest.h"
#include "exit_codes.h"
#include "file_digest.h"
#include "image_header.h"
#include "photo_enhancement.h"
#include "refine/engine/engine.h"
#include "refine/imaging/candidate_export.h"
#include "refine/imaging/image_io.h"

namespace refine::cli {
namespace fs = std::filesystem;
namespace {

/// A plan that cannot be made; the message says why.
struct PlanError {
    int exitCode;
    std::string message;
};

std::string isoTimeNow()
{
    const std::time_t t = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

/// The model is named as given when it is an installed id, else by its absolute path, so
/// workers started in another folder load the same file.
std::string modelReference(const std::string& given)
{
    std::error_code ec;
    if (!given.empty() && fs::exists(given, ec))
        return fs::absolute(given).lexically_normal().string();
    return given;
}

/// What the settings resolve to with this model, asked of the engine itself by enhancing a
/// tiny grey image once; also refuses settings the model cannot run before any worker starts.
void resolveSampling(Engine& engine, const EnhanceOptions& o, ArchiveManifest& manifest)
{
    imaging::Photo probe;
    probe.rgb = cv::Mat(8, 8, CV_32FC3, cv::Scalar(0.5, 0.5, 0.5));
    EnhanceOptions one = o;
    one.candidates = 1;
    one.uncertaintyMap = false;
    try {
        const EnhanceResult result = engine.enhance(requestFor(one, probe, 0));
        manifest.sampler = result.sampler;
        manifest.steps = result.steps;
    } catch (const Error& e) {
        throw PlanError{kExitArchive, std::string("these settings do not work with the model: ") + e.what()};
    }
}

ModelRecord loadModel(Engine& engine, const EnhanceOptions& o)
{
    try {
        engine.loadModel(o.model);
    } catch (const std::exception& e) {
        throw PlanError{kExitModel, e.what()};
    }
    const ModelInfo& info = engine.model();
    if (!info.hasCleanUpscale() && (o.writeClean || o.detail != 1.0))
        throw PlanError{kExitModel, "--clean and --detail need a residual-shift model; '" + info.id + "' is an SR3 model"};
    return {modelReference(o.model.empty() ? Engine::defaultModelId() : o.model), info.id, info.sha256, info.kind};
}

std::vector<PlannedOutput> outputsOf(const ArchiveInput& input, const std::string& format, const ArchiveManifest& m)
{
    const ArchiveSettings& s = m.settings;
    const bool hasCandidates = m.sampler != "clean";
    std::vector<PlannedOutput> outputs;
    auto add = [&](int candidate) {
        const fs::path file = imaging::candidateFileName(input.path, input.subfolder, s.scale, candidate, format);
        outputs.push_back({file.lexically_normal().string(), candidate, false});
    };
    if (m.model.kind == "residual-shift" && (s.writeClean || !hasCandidates))
        add(-1);
    for (int k = 0; hasCandidates && k < s.candidates; ++k)
        add(k);
    if (s.uncertaintyMap)
        outputs.push_back({uncertaintyMapFileName(input.path, input.subfolder, s.scale).lexically_normal().string(), 0, true});
    return outputs;
}

/// The first 64 bits of the photo's sha256: the same photo gets the same seed in every plan.
uint64_t seedFromContent(const std::string& sha256)
{
    return std::stoull(sha256.substr(0, 16), nullptr, 16);
}

/// Why a photo whose header gives no size cannot be planned, in the decoder's words.
std::string unreadableHeaderReason(const std::vector<unsigned char>& bytes, const fs::path& path)
{
    try {
        imaging::readImageInfo(bytes, path.filename().string());
    } catch (const Error& e) {
        return e.what();
    }
    return path.filename().string() + ": its header is damaged or cut short (no size in it)";
}

/// The photo as the plan records it, or nothing (after saying why) when its header gives no
/// size: a damaged file is left out of the plan, not planned as 0 x 0 for every run to fail.
std::optional<ArchivePhoto> describePhoto(const ArchiveInput& input, int id, const ArchiveManifest& m,
                                          const EnhanceOptions& o)
{
    ArchivePhoto photo;
    photo.id = id;
    photo.input = input.path;
    const auto bytes = imaging::readFileBytes(input.path);
    photo.size = bytes.size();
    photo.sha256 = sha256Hex(bytes);
    const PixelSize size = uprightPixelSize(bytes);
    if (!size.known()) {
        std::fprintf(stderr, "refine-cli: left out of the plan: %s (%s)\n", input.path.string().c_str(),
                     unreadableHeaderReason(bytes, input.path).c_str());
        return std::nullopt;
    }
    photo.width = size.width;
    photo.height = size.height;
    photo.seed = m.settings.seed ? *m.settings.seed : seedFromContent(photo.sha256);
    photo.format = outputFormatFor(o, imaging::formatFromExtension(input.path));
    photo.outputs = outputsOf(input, photo.format, m);
    return photo;
}

/// Two photos must never share an output file (a.jpg and a.png, both to a_x4_c1.png).
void refuseSharedOutputs(const std::vector<ArchivePhoto>& photos)
{
    std::map<std::string, const ArchivePhoto*> owner;
    for (const auto& photo : photos)
        for (const auto& output : photo.outputs) {
            const auto [it, isNew] = owner.emplace(output.file, &photo);
            if (!isNew)
                throw PlanError{kExitArchive, it->second->input.string() + " and " + photo.input.string() +
                                                  " would both write " + output.file +
                                                  "; rename one, plan them separately or choose --format"};
        }
}

/// The manifest planned before into the same file, or none. Other settings are refused.
std::optional<ArchiveManifest> previousPlan(const fs::path& path, const ArchiveManifest& now)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return std::nullopt;
    ArchiveManifest before;
    try {
        before = readManifest(path);
    } catch (const ManifestError& e) {
        throw PlanError{kExitArchive, std::string(e.what()) + "; move it away to plan afresh"};
    }
    std::vector<std::string> differences = settingDifferences(before.settings, now.settings);
    if (before.model.sha256 != now.model.sha256)
        differences.insert(differences.begin(), "model: " + before.model.id + " in the plan, " + now.model.id +
                                                    " (another sha256) now");
    if (before.outputFolder != now.outputFolder)
        differences.push_back("output folder: " + before.outputFolder + " in the plan, " + now.outputFolder + " now");
    if (!differences.empty()) {
        std::string message = path.string() + " was planned with other settings; its outputs would not match:";
        for (const auto& d : differences)
            message += "\n  " + d;
        throw PlanError{kExitArchive, message + "\nPlan into another folder (or --manifest FILE) for these settings."};
    }
    return before;
}

/// Ids, seeds and the plan time stay as planned before; new photos get new ids.
void keepEarlierPlan(const ArchiveManifest& before, ArchiveManifest& now, const std::vector<ArchiveInput>& inputs,
                     const EnhanceOptions& o)
{
    std::map<fs::path, const ArchivePhoto*> earlier;
    int nextId = 0;
    for (const auto& photo : before.photos) {
        earlier[photo.input] = &photo;
        nextId = std::max(nextId, photo.id + 1);
    }
    now.created = before.created;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const auto found = earlier.find(inputs[i].path);
        std::optional<ArchivePhoto> described =
            describePhoto(inputs[i], found == earlier.end() ? nextId : found->second->id, now, o);
        if (!described)
            continue;
        ArchivePhoto& photo = *described;
        if (found == earlier.end())
            ++nextId;
        if (found != earlier.end()) {
            photo.seed = found->second->seed;
            if (photo.sha256 != found->second->sha256)
                std::fprintf(stderr, "refine-cli: %s changed since it was planned; outputs already made from the "
                             "old file are kept (move them away to redo it)\n", photo.input.string().c_str());
        }
        now.photos.push_back(std::move(photo));
    }
}

std::vector<ArchiveInput> collectPhotos(const EnhanceOptions& o)
{
    const ArchiveInputs inputs = collectArchiveInputs(o.inputs, o.outputDir);
    for (const auto& notice : inputs.notices)
        std::fprintf(stderr, "refine-cli: left out of the plan: %s\n", notice.c_str());
    if (!inputs.problems.empty()) {
        std::string message = "nothing planned:";
        for (const auto& problem : inputs.problems)
            message += "\n  " + problem;
        throw PlanError{kExitArchive, message};
    }
    std::vector<ArchiveInput> unique;
    std::set<fs::path> seen;
    for (const auto& photo : inputs.photos)
        if (seen.insert(photo.path).second)
            unique.push_back(photo);
    return unique;
}

ArchiveManifest makePlan(const ArchivePlanOptions& options, const fs::path& manifestPath)
{
    const EnhanceOptions& o = options.enhance;
    const std::vector<ArchiveInput> inputs = collectPhotos(o);

    EngineOptions engineOptions;
    engineOptions.device = "cpu";  // the probe is tiny; the login node may have no GPU
    Engine engine(engineOptions);
    ArchiveManifest manifest;
    manifest.created = isoTimeNow();
    manifest.model = loadModel(engine, o);
    manifest.settings = archiveSettingsFrom(o);
    resolveSampling(engine, o, manifest);
    if (manifest.sampler == "clean" && o.uncertaintyMap)
        throw PlanError{kExitArchive, "--uncertainty-map needs candidates; these settings make the clean result only"};
    const fs::path outputFolder = fs::absolute(o.outputDir).lexically_normal();
    manifest.outputFolder = outputFolder.lexically_relative(fs::absolute(manifestPath).parent_path()).string();

    if (const auto before = previousPlan(manifestPath, manifest)) {
        keepEarlierPlan(*before, manifest, inputs, o);
    } else {
        for (const auto& input : inputs)
            if (auto photo = describePhoto(input, int(manifest.photos.size()), manifest, o))
                manifest.photos.push_back(std::move(*photo));
    }
    refuseSharedOutputs(manifest.photos);
    return manifest;
}

size_t outputCount(const ArchiveManifest& m)
{
    size_t count = 0;
    for (const auto& photo : m.photos)
        count += photo.outputs.size();
    return count;
}

}  // namespace

int runArchivePlan(const ArchivePlanOptions& options)
{
    const fs::path manifestPath = fs::absolute(options.manifest.empty() ? defaultManifestPath(options.enhance.outputDir)
                                                                        : fs::path(options.manifest));
    try {
        const ArchiveManifest manifest = makePlan(options, manifestPath);
        std::error_code ec;
        fs::create_directories(manifestPath.parent_path(), ec);
        fs::create_directories(outputFolderOf(manifestPath, manifest), ec);
        writeManifest(manifestPath, manifest);
        std::printf("planned %zu photos, %zu output files, model %s, %s %d steps\nmanifest: %s\n"
                    "next: refine-cli archive run %s [--shard K/N]\n",
                    manifest.photos.size(), outputCount(manifest), manifest.model.id.c_str(),
                    manifest.sampler.c_str(), manifest.steps, manifestPath.string().c_str(),
                    manifestPath.string().c_str());
        return 0;
    } catch (const PlanError& e) {
        std::fprintf(stderr, "refine-cli: %s\n", e.message.c_str());
        return e.exitCode;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-cli: cannot plan the archive: %s\n", e.what());
        return kExitArchive;
    }
}

}  // namespace refine::cli
