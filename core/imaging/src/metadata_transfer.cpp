// Copying a photo's metadata onto its enhanced version and adding provenance.

#include "refine/imaging/metadata.h"

#include "exiv2_support.h"
#include "icc_chunks.h"
#include "provenance_keys.h"

#include <exiv2/pngimage.hpp>
#include <exiv2/webpimage.hpp>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <set>

namespace refine::imaging {
namespace {

using namespace detail;

/// The source's metadata, gathered before it is adapted to the new pixels.
struct Metadata {
    Exiv2::ExifData exif;
    Exiv2::IptcData iptc;
    Exiv2::XmpData xmp;
    std::vector<unsigned char> icc;
};

// Tags that describe how the *source* file stores its pixels. Copied onto another file they would
// be wrong (and in a TIFF, fatal); a TIFF target keeps its own. The ICC profile, XMP and IPTC
// tags are carried separately; the Photoshop resources hold a stale thumbnail.
bool isStructuralTag(const Exiv2::Exifdatum& datum)
{
    static const std::set<std::string> kImageTags = {
        "NewSubfileType", "SubfileType", "ImageWidth", "ImageLength", "BitsPerSample",
        "Compression", "PhotometricInterpretation", "FillOrder", "StripOffsets",
        "SamplesPerPixel", "RowsPerStrip", "StripByteCounts", "PlanarConfiguration", "Predictor",
        "TileWidth", "TileLength", "TileOffsets", "TileByteCounts", "ExtraSamples", "SampleFormat",
        "SubIFDs", "JPEGTables", "InterColorProfile", "XMLPacket", "IPTCNAA", "ImageResources",
        "PageNumber", "PageName",  // a page of a multi-page TIFF: the output is a single image
    };
    const std::string group = datum.groupName();
    if (group == "Image")
        return kImageTags.count(datum.tagName()) > 0;
    // IFD1 (the thumbnail, or a multi-page TIFF's second page), the further pages (Image2,
    // Image3) and sub-images describe other renditions of the old pixels; copied, they would add
    // directories without pixels to a TIFF.
    return group == "Thumbnail" || group == "Image2" || group == "Image3" || group.rfind("SubImage", 0) == 0 ||
           group.rfind("SubThumb", 0) == 0;
}

void addNote(MetadataTransferReport& report, const std::string& note)
{
    report.note += (report.note.empty() ? "" : "; ") + note;
}

std::string now()
{
    const std::time_t t = std::time(nullptr);
    std::tm utc{};
#ifdef _WIN32
    gmtime_s(&utc, &t);
#else
    gmtime_r(&t, &utc);
#endif
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// Reads the source's metadata. A source whose metadata exiv2 cannot parse must not stop the
// enhanced photo from being saved, so failures only go into the report.
Metadata readSource(const std::vector<unsigned char>& sourceBytes, MetadataTransferReport& report)
{
    Metadata md;
    if (sourceBytes.empty()) {
        addNote(report, "no original given; only provenance was written");
        return md;
    }
    try {
        const auto source = openImage(sourceBytes);
        md.exif = source->exifData();
        md.iptc = source->iptcData();
        md.xmp = source->xmpData();
        if (source->iccProfileDefined()) {
            const Exiv2::DataBuf* icc = source->iccProfile();
            md.icc.assign(icc->pData_, icc->pData_ + icc->size_);
        }
        report.sourceCopied = true;
    } catch (const std::exception& e) {
        addNote(report, std::string("the original's metadata could not be read (") + e.what() +
                            "); only provenance was written");
    }
    return md;
}

// The output is always RGB: a grayscale or CMYK source's profile would misdescribe it (and PNG
// forbids a non-RGB profile on RGB pixels). The colour space signature sits at offset 16.
bool isRgbProfile(const std::vector<unsigned char>& icc)
{
    return icc.size() >= 20 && std::equal(icc.begin() + 16, icc.begin() + 20, "RGB ");
}

void dropNonRgbProfile(Metadata& md, MetadataTransferReport& report)
{
    if (md.icc.empty() || isRgbProfile(md.icc))
        return;
    md.icc.clear();
    addNote(report, "the original's ICC profile is not an RGB profile and was not copied");
}

// Starts from the target's own EXIF (a TIFF's structure tags) and adds the source's tags.
Exiv2::ExifData mergeExif(const Exiv2::ExifData& target, const Exiv2::ExifData& source)
{
    Exiv2::ExifData merged = target;
    for (const Exiv2::Exifdatum& datum : source) {
        if (isStructuralTag(datum))
            continue;
        merged[datum.key()].setValue(&datum.value());
    }
    return merged;
}

void adaptExif(Exiv2::ExifData& exif, int width, int height, const Provenance& provenance)
{
    Exiv2::ExifThumb(exif).erase();  // it shows the old pixels
    exif["Exif.Image.Orientation"] = std::uint16_t(1);  // pixels were made upright when decoded
    exif["Exif.Photo.PixelXDimension"] = std::uint32_t(width);
    exif["Exif.Photo.PixelYDimension"] = std::uint32_t(height);
    if (!provenance.software.empty())
        exif[kSoftwareExifKey] = provenance.software;
}

void eraseKey(Exiv2::XmpData& xmp, const std::string& key)
{
    const auto found = xmp.findKey(Exiv2::XmpKey(key));
    if (found != xmp.end())
        xmp.erase(found);
}

void setIfPresent(Exiv2::XmpData& xmp, const std::string& key, const std::string& value)
{
    if (xmp.findKey(Exiv2::XmpKey(key)) != xmp.end())
        xmp[key] = value;
}

// XMP mirrors some EXIF fields; keep them consistent with the new pixels.
void adaptXmp(Exiv2::XmpData& xmp, int width, int height)
{
    setIfPresent(xmp, "Xmp.tiff.Orientation", "1");
    setIfPresent(xmp, "Xmp.exif.PixelXDimension", std::to_string(width));
    setIfPresent(xmp, "Xmp.exif.PixelYDimension", std::to_string(height));
    eraseKey(xmp, "Xmp.tiff.ImageWidth");
    eraseKey(xmp, "Xmp.tiff.ImageLength");
    for (auto it = xmp.begin(); it != xmp.end();) {  // embedded previews of the old pixels
        if (it->key().rfind("Xmp.xmp.Thumbnails", 0) == 0)
            it = xmp.erase(it);
        else
            ++it;
    }
}

int historyLength(const Exiv2::XmpData& xmp)
{
    const std::string prefix = std::string(kHistoryKey) + "[";
    int length = 0;
    for (const Exiv2::Xmpdatum& datum : xmp) {
        const std::string key = datum.key();
        if (key.rfind(prefix, 0) == 0)
            length = std::max(length, std::atoi(key.c_str() + prefix.size()));
    }
    return length;
}

void appendHistory(Exiv2::XmpData& xmp, const std::string& software, const std::string& when)
{
    const int index = historyLength(xmp) + 1;
    if (index == 1) {
        Exiv2::XmpTextValue sequence;
        sequence.setXmpArrayType(Exiv2::XmpValue::xaSeq);
        xmp.add(Exiv2::XmpKey(kHistoryKey), &sequence);
    }
    const std::string entry = std::string(kHistoryKey) + "[" + std::to_string(index) + "]/stEvt:";
    xmp[entry + "action"] = "edited";
    xmp[entry + "changed"] = "/";
    xmp[entry + "parameters"] = kEnhancedNote;
    xmp[entry + "when"] = when.empty() ? now() : when;
    if (!software.empty())
        xmp[entry + "softwareAgent"] = software;
}

void setText(Exiv2::XmpData& xmp, const char* key, const std::string& value)
{
    if (!value.empty())
        xmp[key] = value;
}

void addProvenance(Exiv2::XmpData& xmp, const Provenance& p)
{
    xmp[kDigitalSourceTypeKey] = kCompositeWithTrainedAlgorithmicMedia;
    setText(xmp, kCreatorToolKey, p.software);
    setText(xmp, kModelIdKey, p.modelId);
    setText(xmp, kModelSha256Key, p.modelSha256);
    xmp[kSeedKey] = std::to_string(p.seed);
    setText(xmp, kSamplerKey, p.sampler);
    xmp[kStepsKey] = std::to_string(p.steps);
    xmp[kScaleKey] = std::to_string(p.scale);
    xmp[kCandidateIndexKey] = std::to_string(p.candidateIndex);
    xmp[kCandidateCountKey] = std::to_string(p.candidateCount);
    setText(xmp, kConsistencyKey, p.consistency);
    setText(xmp, kPrecisionKey, p.precision);
    setText(xmp, kExtraKey, p.extra);
    setText(xmp, kEditsKey, p.edits);
    setText(xmp, kDetailKey, p.detail);
    setText(xmp, kFacesKey, p.faces);
    appendHistory(xmp, p.software, p.editTime);
    // A caption the photographer wrote is never replaced; otherwise the note discloses the AI step.
    if (xmp.findKey(Exiv2::XmpKey(kDescriptionKey)) == xmp.end())
        xmp[kDescriptionKey] = std::string("lang=x-default ") + kEnhancedNote;
}

// Formats without IPTC support (WebP) get the IPTC fields as their XMP equivalents, where the
// XMP does not already have them.
void mergeIptcIntoXmp(const Exiv2::IptcData& iptc, Exiv2::XmpData& xmp)
{
    Exiv2::XmpData converted;
    Exiv2::copyIptcToXmp(iptc, converted);
    for (const Exiv2::Xmpdatum& datum : converted) {
        if (xmp.findKey(Exiv2::XmpKey(datum.key())) == xmp.end())
            xmp.add(datum);
    }
}

bool isPng(const Exiv2::Image& image) { return image.imageType() == Exiv2::ImageType::png; }
bool isWebp(const Exiv2::Image& image) { return image.imageType() == Exiv2::ImageType::webp; }

// JPEG and TIFF profiles go through exiv2; PNG and WebP ones are embedded afterwards by
// icc_chunks.h, because exiv2 0.27 writes them wrongly.
void setIcc(Exiv2::Image& target, const std::vector<unsigned char>& icc, MetadataTransferReport& report)
{
    if (icc.empty() || isPng(target) || isWebp(target))
        return;
    try {
        Exiv2::DataBuf profile(icc.data(), static_cast<long>(icc.size()));
        target.setIccProfile(profile, true);  // true: refuse a profile whose size field is wrong
    } catch (const Exiv2::AnyError& e) {
        addNote(report, std::string("the ICC profile was not copied (") + e.what() + ")");
    }
}

std::vector<unsigned char> embedIcc(const Exiv2::Image& target, std::vector<unsigned char> bytes,
                                    const std::vector<unsigned char>& icc)
{
    if (icc.empty())
        return bytes;
    if (isPng(target))
        return embedPngIcc(bytes, icc);
    if (isWebp(target))
        return embedWebpIcc(bytes, icc);
    return bytes;
}

std::vector<unsigned char> writeAll(Exiv2::Image& target, Metadata& md, int width, int height,
                                    const Provenance& provenance, MetadataTransferReport& report)
{
    md.exif = mergeExif(target.exifData(), md.exif);
    adaptExif(md.exif, width, height, provenance);
    adaptXmp(md.xmp, width, height);
    addProvenance(md.xmp, provenance);

    target.setExifData(md.exif);
    if (canWrite(target, Exiv2::mdIptc))
        target.setIptcData(md.iptc);
    else
        mergeIptcIntoXmp(md.iptc, md.xmp);
    target.setXmpData(md.xmp);
    setIcc(target, md.icc, report);
    target.writeMetadata();
    report.written = true;
    return embedIcc(target, imageBytes(target), md.icc);
}

}  // namespace

std::vector<unsigned char> transferMetadata(const std::vector<unsigned char>& sourceBytes,
                                            const std::vector<unsigned char>& targetBytes, int width,
                                            int height, const Provenance& provenance,
                                            MetadataTransferReport* report,
                                            const std::vector<unsigned char>* outputProfile)
{
    MetadataTransferReport local;
    MetadataTransferReport& out = report ? *report : local;
    out = MetadataTransferReport();
    if (width <= 0 || height <= 0)
        throw Error(ErrorCode::InvalidArgument, "transferMetadata needs the output's pixel size");

    const auto target = guardExiv2(ErrorCode::BadImage, "The enhanced image cannot be parsed for metadata",
                                   [&] { return openImage(targetBytes); });
    if (!canWrite(*target, Exiv2::mdExif) || !canWrite(*target, Exiv2::mdXmp)) {
        out.note = target->mimeType() + " files cannot hold metadata; none was written";
        return targetBytes;
    }
    Metadata md = readSource(sourceBytes, out);
    if (outputProfile)
        md.icc = *outputProfile;
    dropNonRgbProfile(md, out);
    return guardExiv2(ErrorCode::Io, "Could not write the metadata",
                      [&] { return writeAll(*target, md, width, height, provenance, out); });
}

}  // namespace refine::imaging
