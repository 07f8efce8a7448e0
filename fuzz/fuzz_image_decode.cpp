// libFuzzer target: decoding a photo (core/imaging: header sniffing, limits, OpenCV's codecs,
// exiv2's orientation, colour conversion, thumbnails) from arbitrary bytes. Every input must give
// a photo or a refine::Error (BadImage); a crash, a sanitizer report, any other exception, a hang
// or an allocation beyond the limit is a finding.
//
// The limit is 1 MP rather than the 100 MP default, so that a header that lies about the size
// shows up as an out-of-memory finding (-rss_limit_mb) instead of passing as a big photo.
#include "refine/engine/error.h"
#include "refine/imaging/image_io.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

const refine::imaging::DecodeLimits kLimits{1'000'000};

// What decodePhoto promises (image_io.h): float RGB, and alpha of the same size when present.
void checkPhoto(const refine::imaging::Photo& photo)
{
    if (photo.rgb.empty() || photo.rgb.type() != CV_32FC3)
        std::abort();
    if (std::uint64_t(photo.rgb.cols) * std::uint64_t(photo.rgb.rows) > kLimits.maxPixels)
        std::abort();
    if (!photo.alpha.empty() && (photo.alpha.type() != CV_32FC1 || photo.alpha.size() != photo.rgb.size()))
        std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::vector<unsigned char> bytes(data, data + size);
    try {
        (void)refine::imaging::readImageInfo(bytes, "fuzz.img");
    } catch (const refine::Error&) {
    }
    try {
        checkPhoto(refine::imaging::decodePhoto(bytes, "fuzz.img", kLimits));
    } catch (const refine::Error&) {
    }
    try {
        const auto thumbnail = refine::imaging::decodeThumbnail(bytes, "fuzz.img", 64, kLimits);
        if (thumbnail.rgb.empty() || thumbnail.rgb.type() != CV_8UC3 || thumbnail.rgb.cols > 64 || thumbnail.rgb.rows > 64)
            std::abort();
    } catch (const refine::Error&) {
    }
    return 0;
}
