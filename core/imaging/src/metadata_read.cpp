// Reading metadata and provenance back out of encoded images.

#include "refine/imaging/metadata.h"

#include "exiv2_support.h"
#include "provenance_keys.h"

#include <tuple>

namespace refine::imaging {
namespace {

using namespace detail;

bool isBinary(Exiv2::TypeId type)
{
    return type == Exiv2::undefined || type == Exiv2::unsignedByte || type == Exiv2::signedByte;
}

// Binary blobs (maker notes, ...) would flood a summary; show their size instead.
template <typename Datum>
std::string describe(const Datum& datum)
{
    if (isBinary(datum.typeId()) && datum.size() > 64)
        return "(" + std::to_string(datum.size()) + " bytes)";
    return datum.toString();
}

template <typename Container>
std::map<std::string, std::string> summarise(const Container& data)
{
    std::map<std::string, std::string> out;
    for (const auto& datum : data) {
        std::string& text = out[datum.key()];
        text += (text.empty() ? "" : "; ") + describe(datum);  // IPTC repeats keys (Keywords)
    }
    return out;
}

std::unique_ptr<Exiv2::Image> openForReading(const std::vector<unsigned char>& bytes)
{
    return guardExiv2(ErrorCode::BadImage, "The image's metadata cannot be read",
                      [&] { return openImage(bytes); });
}

std::string xmpText(const Exiv2::XmpData& xmp, const char* key)
{
    const auto found = xmp.findKey(Exiv2::XmpKey(key));
    return found == xmp.end() ? std::string() : found->toString();
}

template <typename Number>
Number xmpNumber(const Exiv2::XmpData& xmp, const char* key)
{
    const std::string text = xmpText(xmp, key);
    try {
        return text.empty() ? Number() : static_cast<Number>(std::stoull(text));
    } catch (const std::exception&) {  // not a number: someone else's edit; treat as absent
        return Number();
    }
}

}  // namespace

bool Provenance::operator==(const Provenance& o) const
{
    return std::tie(software, modelId, modelSha256, seed, sampler, steps, scale, candidateIndex,
                    candidateCount, consistency, precision, extra, edits, detail, faces) ==
           std::tie(o.software, o.modelId, o.modelSha256, o.seed, o.sampler, o.steps, o.scale,
                    o.candidateIndex, o.candidateCount, o.consistency, o.precision, o.extra, o.edits, o.detail,
                    o.faces);
}

MetadataSummary readMetadata(const std::vector<unsigned char>& bytes)
{
    const auto image = openForReading(bytes);
    return guardExiv2(ErrorCode::BadImage, "The image's metadata cannot be read", [&] {
        MetadataSummary summary;
        summary.exif = summarise(image->exifData());
        summary.xmp = summarise(image->xmpData());
        summary.iptc = summarise(image->iptcData());
        const auto orientation = image->exifData().findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
        if (orientation != image->exifData().end() && orientation->count() > 0)
            summary.orientation = static_cast<int>(orientation->toLong());
        summary.hasIcc = image->iccProfileDefined();
        if (summary.hasIcc) {
            const Exiv2::DataBuf* icc = image->iccProfile();
            summary.icc.assign(icc->pData_, icc->pData_ + icc->size_);
        }
        return summary;
    });
}

Provenance readProvenance(const std::vector<unsigned char>& bytes)
{
    const auto image = openForReading(bytes);
    const Exiv2::XmpData& xmp = image->xmpData();
    return guardExiv2(ErrorCode::BadImage, "The image's metadata cannot be read", [&] {
        Provenance p;
        p.software = xmpText(xmp, kCreatorToolKey);
        p.modelId = xmpText(xmp, kModelIdKey);
        p.modelSha256 = xmpText(xmp, kModelSha256Key);
        p.seed = xmpNumber<std::uint64_t>(xmp, kSeedKey);
        p.sampler = xmpText(xmp, kSamplerKey);
        p.steps = xmpNumber<int>(xmp, kStepsKey);
        p.scale = xmpNumber<int>(xmp, kScaleKey);
        p.candidateIndex = xmpNumber<int>(xmp, kCandidateIndexKey);
        p.candidateCount = xmpNumber<int>(xmp, kCandidateCountKey);
        p.consistency = xmpText(xmp, kConsistencyKey);
        p.precision = xmpText(xmp, kPrecisionKey);
        p.extra = xmpText(xmp, kExtraKey);
        p.edits = xmpText(xmp, kEditsKey);
        p.detail = xmpText(xmp, kDetailKey);
        p.faces = xmpText(xmp, kFacesKey);
        return p;
    });
}

}  // namespace refine::imaging
