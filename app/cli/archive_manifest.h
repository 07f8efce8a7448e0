#pragma once
/// @file archive_manifest.h
/// @brief The archive manifest: JSON lines, a header with the model and the settings, then one
/// line per photo (input path, size, sha256, upright pixel size, job seed, output files).
///
/// The output folder is stored relative to the manifest's folder, so a manifest moves or is
/// copied together with its outputs; input paths are absolute. Logs and locks live in a folder
/// beside the manifest (archive_log.h).

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "archive_settings.h"

namespace refine::cli {

/// A manifest that cannot be read or makes no sense; the message names the file and line.
class ManifestError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ModelRecord {
    std::string ref;     ///< what `archive run` loads: a model id, or an absolute path
    std::string id;
    std::string sha256;  ///< of the weights, as the model card says and loading checked
    std::string kind;    ///< "sr3" or "residual-shift"
};

/// One file a photo's job writes.
struct PlannedOutput {
    std::string file;        ///< relative to the output folder ("2021/a_x4_c1.png")
    int candidate = 0;       ///< candidate index; -1 the clean result
    bool uncertainty = false;///< the uncertainty map (no provenance)
};

struct ArchivePhoto {
    int id = 0;                     ///< permanent: kept when the archive is planned again
    std::filesystem::path input;    ///< absolute
    uintmax_t size = 0;             ///< bytes
    std::string sha256;
    int width = 0, height = 0;      ///< upright pixels; 0 when the header did not say
    uint64_t seed = 0;              ///< job seed: candidate k has candidateSeed(seed, k)
    std::string format;             ///< output format
    std::vector<PlannedOutput> outputs;
};

struct ArchiveManifest {
    std::string created;            ///< ISO time of the first plan; the outputs' edit time
    std::string outputFolder = "."; ///< relative to the manifest's folder
    ModelRecord model;
    ArchiveSettings settings;
    std::string sampler;            ///< what the settings resolve to with this model
    int steps = 0;
    std::vector<ArchivePhoto> photos;
};

/// @throws ManifestError with the file, the line and what is wrong
ArchiveManifest readManifest(const std::filesystem::path& path);

/// Writes it atomically (readers see the old or the new manifest, never a mix).
/// @throws refine::Error Io
void writeManifest(const std::filesystem::path& path, const ArchiveManifest& manifest);

/// The output folder of a manifest read from `manifestPath`.
std::filesystem::path outputFolderOf(const std::filesystem::path& manifestPath, const ArchiveManifest& manifest);

/// `<manifest without its extension>-logs`, beside the manifest.
std::filesystem::path logFolderOf(const std::filesystem::path& manifestPath);

/// The default manifest of an output folder: `OUT/refine-archive.jsonl`.
std::filesystem::path defaultManifestPath(const std::filesystem::path& outputFolder);

}  // namespace refine::cli
