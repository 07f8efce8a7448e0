#include "image_header.h"

#include <cstddef>
#include <cstring>

namespace refine::imaging::detail {
namespace {

using Bytes = std::vector<unsigned char>;

bool hasAt(const Bytes& b, std::size_t offset, const char* text)
{
    const std::size_t n = std::strlen(text);
    return b.size() >= offset + n && std::memcmp(b.data() + offset, text, n) == 0;
}

std::uint32_t be16(const Bytes& b, std::size_t i) { return (std::uint32_t(b[i]) << 8) | b[i + 1]; }
std::uint32_t le16(const Bytes& b, std::size_t i) { return (std::uint32_t(b[i + 1]) << 8) | b[i]; }
std::uint32_t be32(const Bytes& b, std::size_t i) { return (be16(b, i) << 16) | be16(b, i + 2); }
std::uint32_t le32(const Bytes& b, std::size_t i) { return (le16(b, i + 2) << 16) | le16(b, i); }
std::uint32_t le24(const Bytes& b, std::size_t i) { return (std::uint32_t(b[i + 2]) << 16) | le16(b, i); }

// PNG: the IHDR chunk must come first; width and height are its first two fields.
void readPng(const Bytes& b, ImageHeader& h)
{
    if (b.size() >= 24 && hasAt(b, 12, "IHDR")) {
        h.width = be32(b, 16);
        h.height = be32(b, 20);
    }
}

bool isStartOfFrame(unsigned char marker)
{
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC) which share the range.
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

bool isStandaloneMarker(unsigned char marker)
{
    return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8);  // TEM, RSTn, SOI: no length field
}

// Walks the marker segments up to the first start-of-scan. Calls `onSegment(marker, offset)` with
// the offset of the marker byte; returns the offset of the SOS marker, or 0 when there is none.
template <typename OnSegment>
std::size_t walkJpegSegments(const Bytes& b, OnSegment onSegment)
{
    std::size_t pos = 2;  // after SOI
    while (pos + 1 < b.size()) {
        if (b[pos] != 0xFF)
            return 0;
        while (pos + 1 < b.size() && b[pos + 1] == 0xFF)  // fill bytes
            ++pos;
        if (pos + 1 >= b.size())
            return 0;
        const unsigned char marker = b[pos + 1];
        if (marker == 0xDA)
            return pos + 1;
        if (marker == 0xD9)
            return 0;
        if (isStandaloneMarker(marker)) {
            pos += 2;
            continue;
        }
        if (pos + 4 > b.size())
            return 0;
        onSegment(marker, pos + 1);
        pos += 2 + be16(b, pos + 2);
    }
    return 0;
}

void readJpeg(const Bytes& b, ImageHeader& h)
{
    walkJpegSegments(b, [&](unsigned char marker, std::size_t at) {
        // Segment: marker, length (2), precision (1), height (2), width (2).
        if (isStartOfFrame(marker) && h.width == 0 && at + 7 < b.size()) {
            h.height = be16(b, at + 4);
            h.width = be16(b, at + 6);
        }
    });
}

// BMP: a BITMAPCOREHEADER (12 bytes) has 16-bit sizes, later headers 32-bit signed ones
// (a negative height means top-down rows).
void readBmp(const Bytes& b, ImageHeader& h)
{
    if (b.size() < 26)
        return;
    if (le32(b, 14) == 12) {
        h.width = le16(b, 18);
        h.height = le16(b, 20);
        return;
    }
    const auto width = static_cast<std::int32_t>(le32(b, 18));
    const auto height = static_cast<std::int32_t>(le32(b, 22));
    h.width = width < 0 ? 0u - std::uint32_t(width) : std::uint32_t(width);
    h.height = height < 0 ? 0u - std::uint32_t(height) : std::uint32_t(height);
}

// WebP: the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended, with canvas size).
void readWebp(const Bytes& b, ImageHeader& h)
{
    if (hasAt(b, 12, "VP8 ") && b.size() >= 30) {
        h.width = le16(b, 26) & 0x3FFF;
        h.height = le16(b, 28) & 0x3FFF;
    } else if (hasAt(b, 12, "VP8L") && b.size() >= 25) {
        const std::uint32_t bits = le32(b, 21);
        h.width = (bits & 0x3FFF) + 1;
        h.height = ((bits >> 14) & 0x3FFF) + 1;
    } else if (hasAt(b, 12, "VP8X") && b.size() >= 30) {
        h.width = le24(b, 24) + 1;
        h.height = le24(b, 27) + 1;
    }
}

// TIFF: ImageWidth (256) and ImageLength (257) in the first IFD, as SHORT or LONG.
void readTiff(const Bytes& b, ImageHeader& h)
{
    const bool little = b[0] == 'I';
    auto u16 = [&](std::size_t i) { return little ? le16(b, i) : be16(b, i); };
    auto u32 = [&](std::size_t i) { return little ? le32(b, i) : be32(b, i); };
    const std::size_t ifd = u32(4);
    if (ifd + 2 > b.size())
        return;
    const std::size_t count = u16(ifd);
    for (std::size_t e = 0; e < count; ++e) {
        const std::size_t entry = ifd + 2 + e * 12;
        if (entry + 12 > b.size())
            return;
        const std::uint32_t tag = u16(entry);
        const std::uint32_t type = u16(entry + 2);
        const std::uint32_t value = type == 3 ? u16(entry + 8) : type == 4 ? u32(entry + 8) : 0;
        if (tag == 256)
            h.width = value;
        else if (tag == 257)
            h.height = value;
    }
}

}  // namespace

ImageHeader sniffImageHeader(const Bytes& bytes)
{
    ImageHeader h;
    if (bytes.size() >= 8 && std::memcmp(bytes.data(), "\x89PNG\r\n\x1a\n", 8) == 0) {
        h.format = "png";
        readPng(bytes, h);
    } else if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
        h.format = "jpeg";
        readJpeg(bytes, h);
    } else if (hasAt(bytes, 0, "RIFF") && hasAt(bytes, 8, "WEBP")) {
        h.format = "webp";
        readWebp(bytes, h);
    } else if (hasAt(bytes, 0, "BM")) {
        h.format = "bmp";
        readBmp(bytes, h);
    } else if (bytes.size() >= 8 && (std::memcmp(bytes.data(), "II*\0", 4) == 0 ||
                                     std::memcmp(bytes.data(), "MM\0*", 4) == 0)) {
        h.format = "tiff";
        readTiff(bytes, h);
    } else if (bytes.size() >= 8 && (std::memcmp(bytes.data(), "II+\0", 4) == 0 ||
                                     std::memcmp(bytes.data(), "MM\0+", 4) == 0)) {
        h.format = "tiff";  // BigTIFF: dimensions left to the decoder (checked after decoding)
    }
    return h;
}

bool jpegHasEndOfImage(const Bytes& bytes)
{
    const std::size_t sos = walkJpegSegments(bytes, [](unsigned char, std::size_t) {});
    if (sos == 0)
        return false;
    for (std::size_t i = sos; i + 1 < bytes.size(); ++i) {
        if (bytes[i] == 0xFF && bytes[i + 1] == 0xD9)
            return true;
    }
    return false;
}

}  // namespace refine::imaging::detail
