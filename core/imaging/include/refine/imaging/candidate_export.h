#pragma once
/// @file candidate_export.h
/// @brief Turning an engine candidate into a file a person keeps: the source's alpha enlarged
/// beside it (alpha is never diffused), encoded in the chosen format and depth, the source's
/// metadata carried over and the AI edit declared with enough provenance to regenerate it.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "refine/engine/enhance.h"
#include "refine/engine/model_info.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/inpaint.h"
#include "refine/imaging/metadata.h"
#include "refine/imaging/photo.h"

namespace refine::imaging {

/// A change made to a candidate after it was sampled (the desktop app's Explore), recorded in
/// its provenance so the file says which pixels are not the sampled candidate's.
struct RegionEdit {
    enum class Kind {
        Resampled,    ///< the region was sampled again (a region job on the input crop)
        BlendedFrom,  ///< the region was copied from another candidate
        /// a painted area was repaired (the repair brush): the input was inpainted under it and
        /// the region sampled again on that, so the damage was not carried into the result
        Repaired,
    };
    Kind kind = Kind::Resampled;
    int x = 0, y = 0, width = 0, height = 0;  ///< the region, in the candidate's pixels
    bool brushMask = false;                   ///< only a painted mask inside the region changed, not the whole box
    int feather = 0;                          ///< width of its soft edge, in pixels
    std::uint64_t seed = 0;                   ///< Resampled, Repaired: the region job's seed
    int alternative = 0;                      ///< Resampled, Repaired: the candidate index of the version chosen (-1: the clean result)
    int sourceCandidate = -1;                 ///< BlendedFrom: the candidate index the pixels came from
    InpaintMethod inpaint = InpaintMethod::Telea;  ///< Repaired: how the input was filled under the painted area
};

/// A face found in the photo and where its pixels in a written result came from (the desktop
/// app's face navigator), recorded in the provenance.
struct FaceChoice {
    enum class Source {
        AsSampled,  ///< the result's own pixels, unchanged
        Clean,      ///< the clean (most likely) result's, blended in
        Candidate,  ///< another candidate's (or this one's at another Detail), blended in
    };
    int x = 0, y = 0, width = 0, height = 0;  ///< the face's box, in the result's pixels
    int feather = 0;                          ///< width of the blend's soft edge around the face, in pixels
    Source source = Source::AsSampled;
    int sourceCandidate = -1;                 ///< Candidate: the candidate index the face came from
    double detail = 1.0;                      ///< Candidate: the Detail it was blended at
    bool chosenByUser = false;                ///< false: Refine's default (the clean result, when there is one)
};

/// What produced a candidate, for its provenance.
struct CandidateOrigin {
    const ModelInfo* model = nullptr;
    const EnhanceRequest* request = nullptr;
    const EnhanceResult* result = nullptr;
    int candidateCount = 0;
    const std::vector<RegionEdit>* edits = nullptr;  ///< in the order they were made; null or empty: none
    double detail = 1.0;  ///< residual-shift models: the Detail the candidate was blended with (provenance)
    std::string editTime{}; ///< Provenance::editTime; empty = now ({} keeps -Wmissing-field-initializers quiet)
    const std::vector<FaceChoice>* faces = nullptr;  ///< the photo's faces; null or empty: none recorded
};

/// Encoded bytes of `candidate` with metadata; `report` says what metadata could be written.
std::vector<unsigned char> encodeCandidate(const Photo& source, const CandidateOutput& candidate,
                                           const CandidateOrigin& origin, const EncodeOptions& encode,
                                           MetadataTransferReport* report = nullptr);

/// The provenance written into a candidate's file. Region edits become Provenance::edits, a JSON
/// list: {"kind": "resampled", "region": [x, y, w, h], "shape", "feather", "seed", "alternative"} or
/// {"kind": "blended_from", "region", "shape", "feather", "source_candidate"} or
/// {"kind": "repaired", "method": "inpaint+diffusion" | "inpaint+clean", "inpaint": "telea" | "ns",
/// "region", "shape", "feather", "seed", "alternative"} ("inpaint+clean" and alternative -1: the
/// clean result repaired by the clean upscaler); "shape" is "rectangle", or "brush" when only a painted mask
/// inside the region (its bounding box) changed.
/// For residual-shift models Provenance::detail is "clean" for the clean result (index -1), else
/// the origin's Detail. Faces become Provenance::faces, a JSON list of {"box": [x, y, w, h],
/// "feather", "source": "as_sampled" | "clean" | "candidate", "chosen_by": "user" | "default"},
/// a "candidate" source adding "source_candidate" and "detail".
Provenance provenanceOf(const CandidateOutput& candidate, const CandidateOrigin& origin);

/// `<stem>_x<scale>_c<index + 1>.<extension>` in `directory`: never the input's own name. The
/// clean result (index -1) is `<stem>_x<scale>_clean.<extension>`.
std::filesystem::path candidateFileName(const std::filesystem::path& input, const std::filesystem::path& directory,
                                        int scale, int index, const std::string& format);

/// The file extension of a format name ("jpg" for jpeg, "tif" for tiff...).
std::string extensionForFormat(const std::string& format);

}  // namespace refine::imaging
