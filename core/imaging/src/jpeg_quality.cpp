// The JPEG quality a file was saved at, from its quantisation tables (photo_condition.h).
#include "refine/imaging/photo_condition.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

namespace refine::imaging {
namespace {

using Table = std::array<int, 64>;

// ITU T.81 Annex K, tables K.1 (luminance) and K.2 (chrominance), in natural (row-major) order:
// the tables libjpeg scales by its quality setting.
constexpr Table kAnnexKLuma = {
    16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
    14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
    18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
constexpr Table kAnnexKChroma = {
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99,
    99, 99, 47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

// A DQT segment lists its 64 values in zigzag order: entry k belongs at kNaturalOrder[k].
constexpr std::array<int, 64> kNaturalOrder = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
    41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
    30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

/// The tables a JPEG's header defines, by destination slot (0..3).
struct QuantTables {
    std::array<Table, 4> table{};
    std::array<bool, 4> defined{};
};

/// The big-endian 16-bit value at `at` (the caller checked that two bytes are there).
int read16(const std::vector<unsigned char>& bytes, size_t at)
{
    return (int(bytes[at]) << 8) | int(bytes[at + 1]);
}

/// Reads the tables of one DQT segment's payload [begin, end); false when it is malformed.
bool readDqt(const std::vector<unsigned char>& bytes, size_t begin, size_t end, QuantTables& tables)
{
    size_t at = begin;
    while (at < end) {
        const int precision = bytes[at] >> 4;  // 0: 8-bit values, 1: 16-bit
        const int slot = bytes[at] & 0x0f;
        const size_t valueBytes = precision == 0 ? 1 : 2;
        if (precision > 1 || slot > 3 || end - at - 1 < 64 * valueBytes)
            return false;
        ++at;
        for (int k = 0; k < 64; ++k, at += valueBytes)
            tables.table[size_t(slot)][size_t(kNaturalOrder[size_t(k)])] =
                valueBytes == 1 ? int(bytes[at]) : read16(bytes, at);
        tables.defined[size_t(slot)] = true;
    }
    return true;
}

/// Walks the header's marker segments up to the image data (SOS), collecting the DQT tables.
/// Every length is checked against the buffer, so a truncated or hostile header ends the walk.
std::optional<QuantTables> readQuantTables(const std::vector<unsigned char>& bytes)
{
    if (bytes.size() < 4 || bytes[0] != 0xff || bytes[1] != 0xd8)
        return std::nullopt;  // no SOI: not a JPEG
    QuantTables tables;
    size_t at = 2;
    while (at + 1 < bytes.size()) {
        if (bytes[at] != 0xff)
            return std::nullopt;  // not a marker where one must be
        const unsigned char marker = bytes[at + 1];
        if (marker == 0xff) {  // fill byte before a marker
            ++at;
            continue;
        }
        at += 2;
        if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
            continue;  // TEM and RSTn stand alone, without a length
        if (marker == 0xda || marker == 0xd9)
            break;  // SOS: the entropy-coded data follows; EOI: the end
        if (at + 2 > bytes.size())
            return std::nullopt;
        const size_t length = size_t(read16(bytes, at));  // includes its own two bytes
        if (length < 2 || at + length > bytes.size())
            return std::nullopt;
        if (marker == 0xdb && !readDqt(bytes, at + 2, at + length, tables))
            return std::nullopt;
        at += length;
    }
    if (!tables.defined[0])
        return std::nullopt;
    return tables;
}

/// libjpeg's jpeg_quality_scaling() and jpeg_add_quant_table() with force_baseline: the table
/// an encoder writes for `quality`.
Table scaledTable(const Table& base, int quality)
{
    const int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
    Table table{};
    for (size_t i = 0; i < 64; ++i)
        table[i] = std::clamp((base[i] * scale + 50) / 100, 1, 255);
    return table;
}

long tableDistance(const Table& a, const Table& b)
{
    long distance = 0;
    for (size_t i = 0; i < 64; ++i)
        distance += std::abs(a[i] - b[i]);
    return distance;
}

}  // namespace

std::optional<JpegQuality> estimateJpegQuality(const std::vector<unsigned char>& bytes)
{
    const std::optional<QuantTables> tables = readQuantTables(bytes);
    if (!tables)
        return std::nullopt;
    // Slot 0 is the luma table by convention (libjpeg, cameras); slot 1, when present, chroma.
    const bool withChroma = tables->defined[1];
    JpegQuality best;
    long bestDistance = std::numeric_limits<long>::max();
    for (int quality = 1; quality <= 100; ++quality) {
        long distance = tableDistance(tables->table[0], scaledTable(kAnnexKLuma, quality));
        if (withChroma)
            distance += tableDistance(tables->table[1], scaledTable(kAnnexKChroma, quality));
        if (distance < bestDistance) {  // ties keep the lower quality: the cautious reading
            bestDistance = distance;
            best = {quality, distance == 0};
        }
    }
    return best;
}

}  // namespace refine::imaging
