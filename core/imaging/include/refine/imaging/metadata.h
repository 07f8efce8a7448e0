#pragma once
/// @file metadata.h
/// @brief Carrying a photo's metadata (EXIF, IPTC, XMP, ICC) over to its enhanced version, and
/// recording how the enhanced version was made (provenance XMP). Backed by exiv2.
///
/// Errors are thrown as refine::Error: BadImage for bytes exiv2 cannot parse, Io when metadata
/// cannot be written.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace refine::imaging {

/// @brief How an enhanced image was made; written as XMP in the "refine" namespace
/// (https://refine.invalid/ns/1.0/) plus the standard CreatorTool / Software fields.
struct Provenance {
    std::string software;       ///< e.g. "Refine 0.1.0"; Xmp.xmp.CreatorTool and Exif.Image.Software
    std::string modelId;        ///< Xmp.refine.ModelId
    std::string modelSha256;    ///< Xmp.refine.ModelSha256
    std::uint64_t seed = 0;     ///< Xmp.refine.Seed (written as decimal text: XMP integers are 32-bit)
    std::string sampler;        ///< Xmp.refine.Sampler
    int steps = 0;              ///< Xmp.refine.Steps
    int scale = 0;              ///< Xmp.refine.Scale
    int candidateIndex = 0;     ///< Xmp.refine.CandidateIndex
    int candidateCount = 0;     ///< Xmp.refine.CandidateCount
    std::string consistency;    ///< Xmp.refine.Consistency
    std::string precision;      ///< Xmp.refine.Precision
    std::string extra;          ///< Xmp.refine.Extra: free-form (e.g. JSON) for anything else
    std::string edits;          ///< Xmp.refine.Edits: JSON list of edits made after sampling (empty: none)
    /// Xmp.refine.Detail: residual-shift models' Detail s of clean + s (candidate - clean), e.g.
    /// "0.75"; "clean" for the clean result itself; empty for SR3 models.
    std::string detail;
    /// Xmp.refine.Faces: JSON list of the faces found in the photo and where each face's pixels
    /// came from (candidate_export.h, FaceChoice); empty: no faces were looked at.
    std::string faces;
    /// The time of the edit entry (Xmp.xmpMM.History stEvt:when, ISO 8601 "2024-05-01T12:00:00Z");
    /// empty = now. A fixed time (archive mode's plan time, like SOURCE_DATE_EPOCH) makes the
    /// same job give byte-identical files. Not read back, not compared.
    std::string editTime;

    bool operator==(const Provenance& other) const;
    bool operator!=(const Provenance& other) const { return !(*this == other); }
};

/// @brief What transferMetadata() managed to do, for the caller's log.
struct MetadataTransferReport {
    bool written = false;       ///< false: the target format cannot hold metadata (BMP); bytes unchanged
    bool sourceCopied = false;  ///< false: the source's metadata was unreadable; only provenance was written
    std::string note;           ///< why something was skipped (empty when everything was done)
};

/// @brief Copies the source's EXIF, IPTC, XMP and ICC profile into `targetBytes` and adds provenance.
///
/// - EXIF orientation becomes 1 (the pixels were made upright when decoded); XMP tiff:Orientation too.
/// - Exif.Photo.PixelXDimension/PixelYDimension become `width` x `height`; the source's image
///   structure tags (ImageWidth/Length, strip and tile layout, ...) are not copied, so a TIFF
///   target keeps its own.
/// - The EXIF thumbnail is dropped: it shows the old pixels.
/// - IPTC goes where the format can hold it (JPEG, PNG, TIFF); for WebP it is converted to XMP.
/// - Provenance: Xmp.iptcExt.DigitalSourceType = compositeWithTrainedAlgorithmicMedia,
///   Xmp.xmp.CreatorTool and Exif.Image.Software = software, the Xmp.refine.* fields, an
///   Xmp.xmpMM.History entry and, when the photo has no description yet, Xmp.dc.description
///   "Enhanced by Refine (AI super-resolution)".
/// Formats exiv2 cannot write (BMP) are returned unchanged with report->written == false.
/// @param sourceBytes  the original encoded photo (may be empty: provenance only)
/// @param targetBytes  the encoded enhanced image, as encodePhoto() made it
/// @param outputProfile  when given, the ICC profile of the new pixels (Photo::iccProfile: e.g.
///        sRGB for a converted CMYK photo), written instead of the source's; empty writes none
/// @throws refine::Error BadImage when `targetBytes` is not an image, Io when writing fails
std::vector<unsigned char> transferMetadata(const std::vector<unsigned char>& sourceBytes,
                                            const std::vector<unsigned char>& targetBytes, int width,
                                            int height, const Provenance& provenance,
                                            MetadataTransferReport* report = nullptr,
                                            const std::vector<unsigned char>* outputProfile = nullptr);

/// @brief A readable digest of an image's metadata (for tests, the app's info panel, logs).
struct MetadataSummary {
    int orientation = 1;                     ///< Exif.Image.Orientation, 1 when absent
    std::map<std::string, std::string> exif; ///< key -> value text; repeated keys joined by "; "
    std::map<std::string, std::string> xmp;  ///< binary values longer than 64 bytes shown as "(N bytes)"
    std::map<std::string, std::string> iptc;
    bool hasIcc = false;
    std::vector<unsigned char> icc;          ///< the embedded ICC profile, if any
};

/// @brief Reads the metadata of an encoded image.
/// @throws refine::Error BadImage when exiv2 cannot parse the bytes
MetadataSummary readMetadata(const std::vector<unsigned char>& bytes);

/// @brief Reads back the provenance transferMetadata() wrote; fields that are absent stay default.
/// @throws refine::Error BadImage when exiv2 cannot parse the bytes
Provenance readProvenance(const std::vector<unsigned char>& bytes);

}  // namespace refine::imaging
