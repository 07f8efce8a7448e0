#include "image_header.h"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstring>
#include <set>

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

// PNG: the IHDR chunk must come first; width and height are its first two fields. An acTL chunk
// before the image data makes it an animated PNG (APNG), whose first field is the frame count.
void readPng(const Bytes& b, ImageHeader& h)
{
    if (b.size() >= 24 && hasAt(b, 12, "IHDR")) {
        h.width = be32(b, 16);
        h.height = be32(b, 20);
    }
    for (std::size_t pos = 8; pos + 12 <= b.size() && !hasAt(b, pos + 4, "IDAT");) {
        const std::size_t length = be32(b, pos);
        if (hasAt(b, pos + 4, "acTL") && pos + 12 <= b.size()) {
            h.animated = true;
            h.pages = int(std::min<std::uint32_t>(be32(b, pos + 8), 1u << 20));
            return;
        }
        if (length > b.size())
            return;
        pos += 12 + length;
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
        // Segment: marker, length (2), precision (1), height (2), width (2), components (1).
        if (isStartOfFrame(marker) && h.width == 0 && at + 8 < b.size()) {
            h.height = be16(b, at + 4);
            h.width = be16(b, at + 6);
            h.cmyk = b[at + 8] == 4;
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

// WebP: the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended, with canvas size and
// flags; 0x02 marks an animation, whose frames are ANMF chunks).
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
        h.animated = (b[20] & 0x02) != 0;
    }
    if (!h.animated)
        return;
    h.pages = 0;
    for (std::size_t pos = 12; pos + 8 <= b.size();) {
        h.pages += hasAt(b, pos, "ANMF") ? 1 : 0;
        const std::size_t payload = le32(b, pos + 4);
        if (payload > b.size())
            break;
        pos += 8 + payload + payload % 2;
    }
}

// TIFF, classic and BigTIFF: ImageWidth (256) and ImageLength (257) in the first directory (as
// SHORT, LONG or LONG8), and the number of directories in the main chain (the pages). A chain
// that loops or points outside the file ends the count.
class TiffReader {
public:
    explicit TiffReader(const Bytes& b) : m_b(b), m_little(b[0] == 'I'), m_big(b[2] == 0x2B || b[3] == 0x2B) {}

    void read(ImageHeader& h) const
    {
        std::uint64_t ifd = m_big ? offsetAt(8) : offsetAt(4);
        h.pages = 0;
        std::set<std::uint64_t> seen;
        for (; ifd != 0 && h.pages < kMaxPages && seen.insert(ifd).second; ++h.pages) {
            const std::uint64_t count = countAt(ifd);
            if (count == 0 || count > m_b.size() || !fits(ifd, countSize() + count * entrySize() + offsetSize()))
                break;
            if (h.pages == 0)
                readSize(ifd + countSize(), count, h);
            ifd = offsetAt(ifd + countSize() + count * entrySize());
        }
        h.pages = std::max(h.pages, 1);
    }

private:
    static constexpr int kMaxPages = 100000;

    std::uint64_t u16(std::size_t i) const { return m_little ? le16(m_b, i) : be16(m_b, i); }
    std::uint64_t u32(std::size_t i) const { return m_little ? le32(m_b, i) : be32(m_b, i); }
    std::uint64_t u64(std::size_t i) const
    {
        return m_little ? (u32(i + 4) << 32) | u32(i) : (u32(i) << 32) | u32(i + 4);
    }
    bool fits(std::uint64_t at, std::uint64_t size) const { return at <= m_b.size() && m_b.size() - at >= size; }
    std::size_t offsetSize() const { return m_big ? 8 : 4; }
    std::size_t countSize() const { return m_big ? 8 : 2; }
    std::size_t entrySize() const { return m_big ? 20 : 12; }
    std::uint64_t offsetAt(std::uint64_t i) const
    {
        if (!fits(i, offsetSize()))
            return 0;
        return m_big ? u64(std::size_t(i)) : u32(std::size_t(i));
    }
    std::uint64_t countAt(std::uint64_t i) const
    {
        if (!fits(i, countSize()))
            return 0;
        return m_big ? u64(std::size_t(i)) : u16(std::size_t(i));
    }

    void readSize(std::uint64_t first, std::uint64_t count, ImageHeader& h) const
    {
        for (std::uint64_t e = 0; e < count; ++e) {
            const std::size_t entry = std::size_t(first + e * entrySize());
            const std::uint64_t tag = u16(entry), type = u16(entry + 2);
            const std::size_t valueAt = entry + (m_big ? 12 : 8);
            const std::uint64_t value = type == 3 ? u16(valueAt) : type == 4 ? u32(valueAt)
                                      : type == 16 && m_big ? u64(valueAt) : 0;
            const std::uint32_t clamped = std::uint32_t(std::min<std::uint64_t>(value, UINT32_MAX));
            if (tag == 256)
                h.width = clamped;
            else if (tag == 257)
                h.height = clamped;
            else if (tag == 262)  // PhotometricInterpretation: 5 = separated (CMYK)
                h.cmyk = value == 5;
        }
    }

    const Bytes& m_b;
    bool m_little;
    bool m_big;
};

// GIF: the logical screen size follows the signature.
void readGif(const Bytes& b, ImageHeader& h)
{
    if (b.size() >= 10) {
        h.width = le16(b, 6);
        h.height = le16(b, 8);
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
                                     std::memcmp(bytes.data(), "MM\0*", 4) == 0 ||
                                     std::memcmp(bytes.data(), "II+\0", 4) == 0 ||
                                     std::memcmp(bytes.data(), "MM\0+", 4) == 0)) {
        h.format = "tiff";
        TiffReader(bytes).read(h);
    } else if (hasAt(bytes, 0, "GIF87a") || hasAt(bytes, 0, "GIF89a")) {
        h.format = "gif";
        readGif(bytes, h);
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
