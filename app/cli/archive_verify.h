#pragma once
/// @file archive_verify.h
/// @brief Whether a photo's outputs are already there and were made by this plan: the check
/// that lets a resumed archive skip finished photos and refuse files another model or other
/// settings made.
///
/// An output the logs recorded as written, with the same byte size, is taken as verified (a
/// resume must not re-read terabytes). Any other existing output is read: its pixel size must
/// be the photo's times the scale, and its provenance must name the plan's model sha256, seed,
/// sampler, steps, scale, candidate, consistency, Detail, eta and cascade noise.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "archive_log.h"
#include "archive_manifest.h"

namespace refine::cli {

struct OutputCheck {
    std::vector<PlannedOutput> missing;        ///< not written yet
    std::map<std::string, uintmax_t> present;  ///< verified outputs -> bytes
    std::string mismatch;                      ///< why an existing output is not this plan's (empty: none is)
    bool complete() const { return missing.empty() && mismatch.empty(); }
};

class OutputVerifier {
public:
    OutputVerifier(const ArchiveManifest& manifest, std::filesystem::path outputFolder, const LogBook& logs);

    OutputCheck check(const ArchivePhoto& photo) const;
    /// Remembers files written now, so a later check of the same photo needs no read.
    void recordWritten(int photoId, const std::map<std::string, uintmax_t>& files);

private:
    bool loggedWithSize(int photoId, const std::string& file, uintmax_t bytes) const;
    std::string mismatchOf(const ArchivePhoto& photo, const PlannedOutput& output,
                           const std::vector<unsigned char>& bytes) const;
    std::string provenanceMismatch(const ArchivePhoto& photo, const PlannedOutput& output,
                                   const std::vector<unsigned char>& bytes) const;

    const ArchiveManifest& m_manifest;
    std::filesystem::path m_outputFolder;
    std::map<int, std::map<std::string, uintmax_t>> m_logged;  ///< photo -> file -> bytes, from done records
};

}  // namespace refine::cli
