#include "archive_verify.h"

#include <nlohmann/json.hpp>

#include "file_digest.h"
#include "image_header.h"
#include "refine/engine/error.h"
#include "refine/imaging/candidate_export.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/metadata.h"

namespace refine::cli {
namespace fs = std::filesystem;
namespace {

std::string shortSha(const std::string& sha) { return sha.substr(0, 12); }

/// The fields of a provenance that the plan decides, by name, as text.
std::vector<std::pair<std::string, std::string>> plannedFields(const imaging::Provenance& p)
{
    nlohmann::json extra = nlohmann::json::parse(p.extra.empty() ? "{}" : p.extra, nullptr, false);
    auto extraField = [&extra](const char* name) {
        return extra.is_object() && extra.contains(name) ? extra.at(name).dump() : std::string("none");
    };
    return {{"seed", std::to_string(p.seed)},
            {"job seed", extraField("job_seed")},
            {"sampler", p.sampler},
            {"steps", std::to_string(p.steps)},
            {"scale", std::to_string(p.scale)},
            {"candidate", std::to_string(p.candidateIndex)},
            {"candidates", std::to_string(p.candidateCount)},
            {"consistency", p.consistency},
            {"detail", p.detail.empty() ? "none" : p.detail},
            {"eta", extraField("ddim_eta")},
            {"cascade noise", extraField("cascade_noise")}};
}

bool isFile(const fs::path& path, uintmax_t& bytes)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return false;
    bytes = fs::file_size(path, ec);
    return !ec;
}

}  // namespace

OutputVerifier::OutputVerifier(const ArchiveManifest& manifest, fs::path outputFolder, const LogBook& logs)
    : m_manifest(manifest), m_outputFolder(std::move(outputFolder))
{
    for (const auto& record : logs.records)
        if (record.result == LogRecord::Result::Done)
            recordWritten(record.photo, record.files);
}

void OutputVerifier::recordWritten(int photoId, const std::map<std::string, uintmax_t>& files)
{
    for (const auto& [file, bytes] : files)
        m_logged[photoId][file] = bytes;
}

bool OutputVerifier::loggedWithSize(int photoId, const std::string& file, uintmax_t bytes) const
{
    const auto photo = m_logged.find(photoId);
    if (photo == m_logged.end())
        return false;
    const auto logged = photo->second.find(file);
    return logged != photo->second.end() && logged->second == bytes;
}

OutputCheck OutputVerifier::check(const ArchivePhoto& photo) const
{
    OutputCheck check;
    for (const auto& output : photo.outputs) {
        const fs::path path = m_outputFolder / output.file;
        uintmax_t bytes = 0;
        if (!isFile(path, bytes)) {
            check.missing.push_back(output);
            continue;
        }
        if (!loggedWithSize(photo.id, output.file, bytes)) {
            try {
                check.mismatch = mismatchOf(photo, output, imaging::readFileBytes(path));
            } catch (const std::exception& e) {
                check.mismatch = output.file + " cannot be checked: " + e.what();
            }
            if (!check.mismatch.empty())
                return check;
        }
        check.present[output.file] = bytes;
    }
    return check;
}

std::string OutputVerifier::mismatchOf(const ArchivePhoto& photo, const PlannedOutput& output,
                                       const std::vector<unsigned char>& bytes) const
{
    const PixelSize size = uprightPixelSize(bytes);
    if (!size.known())
        return output.file + " exists but is not a readable image";
    const PixelSize expected{photo.width * m_manifest.settings.scale, photo.height * m_manifest.settings.scale};
    if (expected.known() && !(size == expected))
        return output.file + " is " + std::to_string(size.width) + "x" + std::to_string(size.height) +
               " pixels, the plan makes " + std::to_string(expected.width) + "x" + std::to_string(expected.height);
    return output.uncertainty ? std::string() : provenanceMismatch(photo, output, bytes);
}

std::string OutputVerifier::provenanceMismatch(const ArchivePhoto& photo, const PlannedOutput& output,
                                               const std::vector<unsigned char>& bytes) const
{
    const imaging::Provenance found = imaging::readProvenance(bytes);
    const std::string advice = "; move it away to redo the photo, or plan into another folder";
    if (found.modelSha256 != m_manifest.model.sha256)
        return output.file + " was made with another model (" + (found.modelId.empty() ? "none" : found.modelId) +
               ", sha256 " + shortSha(found.modelSha256) + "...; the plan's is " + m_manifest.model.id + ", " +
               shortSha(m_manifest.model.sha256) + "...)" + advice;

    ModelInfo model;
    model.id = m_manifest.model.id;
    model.sha256 = m_manifest.model.sha256;
    model.kind = m_manifest.model.kind;
    EnhanceRequest request;
    request.scale = m_manifest.settings.scale;
    request.seed = photo.seed;
    parseConsistency(m_manifest.settings.consistency, &request.consistency);
    request.ddimEta = m_manifest.settings.ddimEta;
    request.cascadeNoise = m_manifest.settings.cascadeNoise;
    EnhanceResult result;
    result.sampler = m_manifest.sampler;
    result.steps = m_manifest.steps;
    imaging::CandidateOrigin origin{&model, &request, &result, m_manifest.settings.candidates};
    origin.detail = m_manifest.settings.detail;
    CandidateOutput candidate;
    candidate.index = output.candidate;
    candidate.seed = output.candidate < 0 ? 0 : candidateSeed(photo.seed, output.candidate);

    const auto planned = plannedFields(imaging::provenanceOf(candidate, origin));
    const auto actual = plannedFields(found);
    for (size_t i = 0; i < planned.size(); ++i)
        if (planned[i].second != actual[i].second)
            return output.file + " was made with other settings (" + actual[i].first + " " + actual[i].second +
                   ", the plan says " + planned[i].second + ")" + advice;
    return {};
}

}  // namespace refine::cli
