#pragma once
/// @file candidate_export.h
/// @brief Turning an engine candidate into a file a person keeps: the source's alpha enlarged
/// beside it (alpha is never diffused), encoded in the chosen format and depth, the source's
/// metadata carried over and the AI edit declared with enough provenance to regenerate it.

#include <filesystem>
#include <string>
#include <vector>

#include "refine/engine/enhance.h"
#include "refine/engine/model_info.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/metadata.h"
#include "refine/imaging/photo.h"

namespace refine::imaging {

/// What produced a candidate, for its provenance.
struct CandidateOrigin {
    const ModelInfo* model = nullptr;
    const EnhanceRequest* request = nullptr;
    const EnhanceResult* result = nullptr;
    int candidateCount = 0;
};

/// Encoded bytes of `candidate` with metadata; `report` says what metadata could be written.
std::vector<unsigned char> encodeCandidate(const Photo& source, const CandidateOutput& candidate,
                                           const CandidateOrigin& origin, const EncodeOptions& encode,
                                           MetadataTransferReport* report = nullptr);

/// The provenance written into a candidate's file.
Provenance provenanceOf(const CandidateOutput& candidate, const CandidateOrigin& origin);

/// `<stem>_x<scale>_c<index + 1>.<extension>` in `directory`: never the input's own name.
std::filesystem::path candidateFileName(const std::filesystem::path& input, const std::filesystem::path& directory,
                                        int scale, int index, const std::string& format);

/// The file extension of a format name ("jpg" for jpeg, "tif" for tiff...).
std::string extensionForFormat(const std::string& format);

}  // namespace refine::imaging
