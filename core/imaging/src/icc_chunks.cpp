#include "icc_chunks.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace refine::imaging::detail {
namespace {

using Bytes = std::vector<unsigned char>;

std::uint32_t readBe32(const Bytes& b, std::size_t i)
{
    return (std::uint32_t(b[i]) << 24) | (std::uint32_t(b[i + 1]) << 16) | (std::uint32_t(b[i + 2]) << 8) | b[i + 3];
}

std::uint32_t readLe32(const Bytes& b, std::size_t i)
{
    return (std::uint32_t(b[i + 3]) << 24) | (std::uint32_t(b[i + 2]) << 16) | (std::uint32_t(b[i + 1]) << 8) | b[i];
}

void appendBe32(Bytes& out, std::uint32_t v)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<unsigned char>(v >> shift));
}

void appendLe32(Bytes& out, std::uint32_t v)
{
    for (int shift = 0; shift <= 24; shift += 8)
        out.push_back(static_cast<unsigned char>(v >> shift));
}

void writeLe32(Bytes& out, std::size_t at, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out[at + i] = static_cast<unsigned char>(v >> (8 * i));
}

bool typeIs(const Bytes& b, std::size_t at, const char* type) { return std::memcmp(b.data() + at, type, 4) == 0; }

Bytes zlibCompress(const Bytes& data)
{
    uLongf size = compressBound(static_cast<uLong>(data.size()));
    Bytes out(size);
    if (compress2(out.data(), &size, data.data(), static_cast<uLong>(data.size()), Z_BEST_COMPRESSION) != Z_OK)
        throw std::runtime_error("could not compress the ICC profile");
    out.resize(size);
    return out;
}

// PNG chunk: length, type, data, CRC-32 of type and data.
void appendPngChunk(Bytes& out, const char* type, const Bytes& data)
{
    appendBe32(out, static_cast<std::uint32_t>(data.size()));
    const std::size_t typeAt = out.size();
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data.begin(), data.end());
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), out.data() + typeAt, static_cast<uInt>(out.size() - typeAt));
    appendBe32(out, static_cast<std::uint32_t>(crc));
}

// RIFF chunk: type, little-endian size, payload, padded to an even size.
void appendRiffChunk(Bytes& out, const char* type, const Bytes& payload)
{
    out.insert(out.end(), type, type + 4);
    appendLe32(out, static_cast<std::uint32_t>(payload.size()));
    out.insert(out.end(), payload.begin(), payload.end());
    if (payload.size() % 2 != 0)
        out.push_back(0);
}

Bytes pngIccChunkData(const Bytes& icc)
{
    static const char kName[] = "ICC profile";
    Bytes data(kName, kName + sizeof kName);  // name and its terminating zero
    data.push_back(0);                         // compression method: zlib
    const Bytes compressed = zlibCompress(icc);
    data.insert(data.end(), compressed.begin(), compressed.end());
    return data;
}

}  // namespace

Bytes embedPngIcc(const Bytes& png, const Bytes& icc)
{
    if (png.size() < 33 || !typeIs(png, 12, "IHDR"))
        throw std::runtime_error("not a PNG with an IHDR chunk");
    std::size_t pos = 8 + 12 + readBe32(png, 8);
    Bytes out(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(pos));
    appendPngChunk(out, "iCCP", pngIccChunkData(icc));
    while (pos + 12 <= png.size()) {
        const std::size_t chunkSize = 12 + std::size_t(readBe32(png, pos));
        if (pos + chunkSize > png.size())
            throw std::runtime_error("truncated PNG chunk");
        // A PNG has at most one colour-space chunk; the profile we add replaces them.
        if (!typeIs(png, pos + 4, "iCCP") && !typeIs(png, pos + 4, "sRGB"))
            out.insert(out.end(), png.begin() + static_cast<std::ptrdiff_t>(pos),
                       png.begin() + static_cast<std::ptrdiff_t>(pos + chunkSize));
        pos += chunkSize;
    }
    return out;
}

Bytes embedWebpIcc(const Bytes& webp, const Bytes& icc)
{
    if (webp.size() < 30 || !typeIs(webp, 0, "RIFF") || !typeIs(webp, 8, "WEBP") || !typeIs(webp, 12, "VP8X"))
        throw std::runtime_error("not an extended-format WebP");
    Bytes out(webp.begin(), webp.begin() + 12);  // RIFF header; its size is fixed at the end
    for (std::size_t pos = 12; pos + 8 <= webp.size();) {
        const std::size_t payload = readLe32(webp, pos + 4);
        if (pos + 8 + payload > webp.size())
            throw std::runtime_error("truncated WebP chunk");
        const std::size_t chunkSize = 8 + payload + (payload % 2);
        const std::size_t end = std::min(pos + chunkSize, webp.size());  // some writers omit the last pad
        if (!typeIs(webp, pos, "ICCP")) {
            const std::size_t at = out.size();
            out.insert(out.end(), webp.begin() + static_cast<std::ptrdiff_t>(pos),
                       webp.begin() + static_cast<std::ptrdiff_t>(end));
            if (end - pos < chunkSize)
                out.push_back(0);
            if (pos == 12) {  // VP8X: flag the profile, which must follow it directly
                out[at + 8] |= 0x20;
                appendRiffChunk(out, "ICCP", icc);
            }
        }
        pos += chunkSize;
    }
    writeLe32(out, 4, static_cast<std::uint32_t>(out.size() - 8));
    return out;
}

}  // namespace refine::imaging::detail
