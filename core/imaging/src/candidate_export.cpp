#include "refine/imaging/candidate_export.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "refine/engine/error.h"
#include "refine/imaging/engine_image.h"
#include "refine/imaging/resample.h"

namespace refine::imaging {
namespace {

nlohmann::json editsJson(const std::vector<RegionEdit>& edits)
{
    nlohmann::json list = nlohmann::json::array();
    for (const RegionEdit& e : edits) {
        nlohmann::json entry{{"region", {e.x, e.y, e.width, e.height}}, {"feather", e.feather},
                             {"shape", e.brushMask ? "brush" : "rectangle"}};
        switch (e.kind) {
        case RegionEdit::Kind::Resampled:
            entry["kind"] = "resampled";
            entry["seed"] = e.seed;
            entry["alternative"] = e.alternative;
            break;
        case RegionEdit::Kind::BlendedFrom:
            entry["kind"] = "blended_from";
            entry["source_candidate"] = e.sourceCandidate;
            break;
        case RegionEdit::Kind::Repaired:
            // The condition was the inpainted input, the texture the diffusion's (seed, alternative);
            // a repair of the clean result (alternative -1) is the clean upscaler's alone.
            entry["kind"] = "repaired";
            entry["method"] = e.alternative < 0 ? "inpaint+clean" : "inpaint+diffusion";
            entry["inpaint"] = inpaintMethodName(e.inpaint);
            entry["seed"] = e.seed;
            entry["alternative"] = e.alternative;
            break;
        }
        list.push_back(entry);
    }
    return list;
}

const char* faceSourceName(FaceChoice::Source source)
{
    switch (source) {
    case FaceChoice::Source::Clean: return "clean";
    case FaceChoice::Source::Candidate: return "candidate";
    case FaceChoice::Source::AsSampled: break;
    }
    return "as_sampled";
}

nlohmann::json facesJson(const std::vector<FaceChoice>& faces)
{
    nlohmann::json list = nlohmann::json::array();
    for (const FaceChoice& f : faces) {
        nlohmann::json entry{{"box", {f.x, f.y, f.width, f.height}}, {"feather", f.feather},
                             {"source", faceSourceName(f.source)}, {"chosen_by", f.chosenByUser ? "user" : "default"}};
        if (f.source == FaceChoice::Source::Candidate) {
            entry["source_candidate"] = f.sourceCandidate;
            entry["detail"] = f.detail;
        }
        list.push_back(entry);
    }
    return list;
}

}  // namespace

Provenance provenanceOf(const CandidateOutput& candidate, const CandidateOrigin& origin)
{
    Provenance p;
    p.software = std::string("Refine ") + REFINE_VERSION;
    p.seed = candidate.seed;
    p.candidateIndex = candidate.index;
    p.candidateCount = origin.candidateCount;
    nlohmann::json extra;
    if (origin.model) {
        p.modelId = origin.model->id;
        p.modelSha256 = origin.model->sha256;
    }
    if (origin.request) {
        p.scale = origin.request->scale;
        p.consistency = consistencyName(origin.request->consistency);
        extra["job_seed"] = origin.request->seed;
        extra["ddim_eta"] = origin.request->ddimEta;
        extra["cascade_noise"] = origin.request->cascadeNoise;
    }
    if (origin.result) {
        p.sampler = origin.result->sampler;
        p.steps = origin.result->steps;
        p.precision = origin.result->precision;
        extra["device"] = origin.result->device;
    }
    if (origin.model && origin.model->hasCleanUpscale()) {
        char text[32];
        std::snprintf(text, sizeof text, "%.3g", origin.detail);
        p.detail = candidate.index < 0 ? "clean" : text;
    }
    p.editTime = origin.editTime;
    extra["consistency_mse"] = candidate.consistencyMse;
    p.extra = extra.dump();
    if (origin.edits && !origin.edits->empty())
        p.edits = editsJson(*origin.edits).dump();
    if (origin.faces && !origin.faces->empty())
        p.faces = facesJson(*origin.faces).dump();
    return p;
}

std::vector<unsigned char> encodeCandidate(const Photo& source, const CandidateOutput& candidate,
                                           const CandidateOrigin& origin, const EncodeOptions& encode,
                                           MetadataTransferReport* report)
{
    const cv::Mat rgb = fromImageF(candidate.image);
    cv::Mat alpha;
    if (!source.alpha.empty())
        alpha = resizeLanczos(source.alpha, rgb.size());
    const auto bytes = encodePhoto(rgb, alpha, encode);
    // The decoded photo's profile describes the pixels (sRGB after a CMYK conversion); a Photo
    // made without one leaves the choice to the source's metadata.
    const auto* profile = source.iccProfile.empty() ? nullptr : &source.iccProfile;
    return transferMetadata(source.sourceBytes, bytes, rgb.cols, rgb.rows, provenanceOf(candidate, origin), report,
                            profile);
}

std::string extensionForFormat(const std::string& format)
{
    if (format == "jpeg" || format == "jpg")
        return "jpg";
    if (format == "tiff" || format == "tif")
        return "tif";
    if (format == "png" || format == "webp" || format == "bmp")
        return format;
    throw Error(ErrorCode::InvalidArgument, "unknown output format '" + format + "' (expected png, jpg, tif or webp)");
}

std::filesystem::path candidateFileName(const std::filesystem::path& input, const std::filesystem::path& directory,
                                        int scale, int index, const std::string& format)
{
    const std::string suffix = index < 0 ? "_clean" : "_c" + std::to_string(index + 1);
    const std::string name = input.stem().string() + "_x" + std::to_string(scale) + suffix + "." + extensionForFormat(format);
    return directory / name;
}

}  // namespace refine::imaging
