#pragma once
/// @file provenance_keys.h
/// @brief The XMP/EXIF keys provenance is written under, shared by writer and reader.

namespace refine::imaging::detail {

inline constexpr const char* kRefineNamespace = "https://refine.invalid/ns/1.0/";
inline constexpr const char* kRefinePrefix = "refine";

/// IPTC's term for "the result of an AI model applied to an existing photo".
inline constexpr const char* kDigitalSourceTypeKey = "Xmp.iptcExt.DigitalSourceType";
inline constexpr const char* kCompositeWithTrainedAlgorithmicMedia =
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";

inline constexpr const char* kCreatorToolKey = "Xmp.xmp.CreatorTool";
inline constexpr const char* kSoftwareExifKey = "Exif.Image.Software";
inline constexpr const char* kDescriptionKey = "Xmp.dc.description";
inline constexpr const char* kHistoryKey = "Xmp.xmpMM.History";
inline constexpr const char* kEnhancedNote = "Enhanced by Refine (AI super-resolution)";

inline constexpr const char* kModelIdKey = "Xmp.refine.ModelId";
inline constexpr const char* kModelSha256Key = "Xmp.refine.ModelSha256";
inline constexpr const char* kSeedKey = "Xmp.refine.Seed";
inline constexpr const char* kSamplerKey = "Xmp.refine.Sampler";
inline constexpr const char* kStepsKey = "Xmp.refine.Steps";
inline constexpr const char* kScaleKey = "Xmp.refine.Scale";
inline constexpr const char* kCandidateIndexKey = "Xmp.refine.CandidateIndex";
inline constexpr const char* kCandidateCountKey = "Xmp.refine.CandidateCount";
inline constexpr const char* kConsistencyKey = "Xmp.refine.Consistency";
inline constexpr const char* kPrecisionKey = "Xmp.refine.Precision";
inline constexpr const char* kExtraKey = "Xmp.refine.Extra";
inline constexpr const char* kEditsKey = "Xmp.refine.Edits";
inline constexpr const char* kDetailKey = "Xmp.refine.Detail";
inline constexpr const char* kFacesKey = "Xmp.refine.Faces";

}  // namespace refine::imaging::detail
