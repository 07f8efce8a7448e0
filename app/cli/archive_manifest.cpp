#include "archive_manifest.h"

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "refine/imaging/image_io.h"

namespace refine::cli {
namespace fs = std::filesystem;
using nlohmann::json;
namespace {

constexpr int kManifestVersion = 1;
using ordered = nlohmann::ordered_json;  // written fields keep a readable order

ordered toJson(const PlannedOutput& o)
{
    ordered j{{"file", o.file}};
    if (o.uncertainty)
        j["uncertainty"] = true;
    else
        j["candidate"] = o.candidate;
    return j;
}

ordered toJson(const ArchivePhoto& p)
{
    ordered outputs = ordered::array();
    for (const auto& o : p.outputs)
        outputs.push_back(toJson(o));
    return {{"id", p.id},         {"input", p.input.string()}, {"size", p.size},     {"sha256", p.sha256},
            {"width", p.width},   {"height", p.height},        {"seed", p.seed},     {"format", p.format},
            {"outputs", outputs}};
}

ordered headerJson(const ArchiveManifest& m)
{
    return {{"refine_archive", kManifestVersion},
            {"created", m.created},
            {"output", m.outputFolder},
            {"model", {{"ref", m.model.ref}, {"id", m.model.id}, {"sha256", m.model.sha256}, {"kind", m.model.kind}}},
            {"settings", ordered(toJson(m.settings))},
            {"sampling", {{"sampler", m.sampler}, {"steps", m.steps}}},
            {"photos", m.photos.size()}};
}

template <typename T>
T field(const json& j, const char* name)
{
    if (!j.is_object() || !j.contains(name))
        throw std::runtime_error(std::string("'") + name + "' is missing");
    try {
        return j.at(name).get<T>();
    } catch (const json::exception&) {
        throw std::runtime_error(std::string("'") + name + "' has the wrong type");
    }
}

/// An output name must stay inside the output folder, whoever edited the manifest.
std::string safeRelativeFile(const std::string& file)
{
    const fs::path path = fs::path(file).lexically_normal();
    if (file.empty() || path.is_absolute() || *path.begin() == "..")
        throw std::runtime_error("the output '" + file + "' is not a path inside the output folder");
    return file;
}

PlannedOutput outputFromJson(const json& j)
{
    PlannedOutput o;
    o.file = safeRelativeFile(field<std::string>(j, "file"));
    o.uncertainty = j.value("uncertainty", false);
    if (!o.uncertainty)
        o.candidate = field<int>(j, "candidate");
    return o;
}

ArchivePhoto photoFromJson(const json& j)
{
    ArchivePhoto p;
    p.id = field<int>(j, "id");
    p.input = field<std::string>(j, "input");
    p.size = field<uintmax_t>(j, "size");
    p.sha256 = field<std::string>(j, "sha256");
    p.width = field<int>(j, "width");
    p.height = field<int>(j, "height");
    p.seed = field<uint64_t>(j, "seed");
    p.format = field<std::string>(j, "format");
    for (const auto& o : field<json>(j, "outputs"))
        p.outputs.push_back(outputFromJson(o));
    if (p.id < 0 || p.outputs.empty() || !p.input.is_absolute())
        throw std::runtime_error("the photo needs an id of 0 or more, an absolute input path and outputs");
    return p;
}

/// Reads the header; returns the number of photo lines it announces.
size_t readHeader(const json& j, ArchiveManifest& m)
{
    if (!j.is_object() || !j.contains("refine_archive"))
        throw std::runtime_error("this is not a Refine archive manifest (its first line has no 'refine_archive')");
    if (field<int>(j, "refine_archive") != kManifestVersion)
        throw std::runtime_error("the manifest is version " + j.at("refine_archive").dump() +
                                 "; this refine-cli reads version " + std::to_string(kManifestVersion));
    m.created = field<std::string>(j, "created");
    m.outputFolder = field<std::string>(j, "output");
    const json model = field<json>(j, "model");
    m.model = {field<std::string>(model, "ref"), field<std::string>(model, "id"), field<std::string>(model, "sha256"),
               field<std::string>(model, "kind")};
    m.settings = archiveSettingsFromJson(field<json>(j, "settings"));
    const json sampling = field<json>(j, "sampling");
    m.sampler = field<std::string>(sampling, "sampler");
    m.steps = field<int>(sampling, "steps");
    return field<size_t>(j, "photos");
}

/// A manifest cut short or edited by hand must not silently drop or double photos.
void checkPhotoLines(const fs::path& path, const ArchiveManifest& manifest, size_t announced)
{
    if (manifest.photos.size() != announced)
        throw ManifestError(path.string() + " lists " + std::to_string(manifest.photos.size()) + " photos but its header "
                            "announces " + std::to_string(announced) + ": the manifest is damaged (plan it again)");
    std::set<int> ids;
    for (const auto& photo : manifest.photos)
        if (!ids.insert(photo.id).second)
            throw ManifestError(path.string() + ": photo id " + std::to_string(photo.id) + " appears twice");
}

}  // namespace

ArchiveManifest readManifest(const fs::path& path)
{
    std::ifstream in(path);
    if (!in)
        throw ManifestError("cannot read the manifest " + path.string() + ": no such file or not readable");
    ArchiveManifest manifest;
    std::string line;
    int number = 0;
    bool headerRead = false;
    size_t announced = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        try {
            const json j = json::parse(line);
            if (!headerRead)
                announced = readHeader(j, manifest);
            else
                manifest.photos.push_back(photoFromJson(j));
            headerRead = true;
        } catch (const json::parse_error&) {
            throw ManifestError(path.string() + " line " + std::to_string(number) +
                                " is not valid JSON: the manifest is damaged (plan it again)");
        } catch (const std::exception& e) {
            throw ManifestError(path.string() + " line " + std::to_string(number) + ": " + e.what());
        }
    }
    if (!headerRead)
        throw ManifestError(path.string() + " is empty: not a Refine archive manifest");
    checkPhotoLines(path, manifest, announced);
    return manifest;
}

void writeManifest(const fs::path& path, const ArchiveManifest& manifest)
{
    std::string text = headerJson(manifest).dump() + "\n";
    for (const auto& photo : manifest.photos)
        text += toJson(photo).dump() + "\n";
    imaging::writeFileAtomically(path, std::vector<unsigned char>(text.begin(), text.end()), true);
}

fs::path outputFolderOf(const fs::path& manifestPath, const ArchiveManifest& manifest)
{
    const fs::path folder = (fs::absolute(manifestPath).parent_path() / manifest.outputFolder).lexically_normal();
    return folder.has_filename() ? folder : folder.parent_path();  // "out/." normalises to "out/" 
}

fs::path logFolderOf(const fs::path& manifestPath)
{
    fs::path folder = fs::absolute(manifestPath);
    folder.replace_extension();
    folder += "-logs";
    return folder;
}

fs::path defaultManifestPath(const fs::path& outputFolder)
{
    return outputFolder / "refine-archive.jsonl";
}

}  // namespace refine::cli
