#include "tiff_cmyk.h"

#include <tiffio.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace refine::imaging::detail {
namespace {

/// libtiff reads through these callbacks from a buffer in memory (TIFFClientOpen).
struct MemoryFile {
    const std::vector<unsigned char>& bytes;
    toff_t position = 0;
};

tsize_t readFrom(thandle_t handle, tdata_t buffer, tsize_t size)
{
    auto* file = static_cast<MemoryFile*>(handle);
    const toff_t available = file->position < file->bytes.size() ? file->bytes.size() - file->position : 0;
    const toff_t count = std::min<toff_t>(available, toff_t(size));
    std::memcpy(buffer, file->bytes.data() + file->position, count);
    file->position += count;
    return tsize_t(count);
}

tsize_t refuseWrite(thandle_t, tdata_t, tsize_t) { return 0; }

toff_t seekTo(thandle_t handle, toff_t offset, int whence)
{
    auto* file = static_cast<MemoryFile*>(handle);
    const toff_t base = whence == SEEK_CUR ? file->position : whence == SEEK_END ? file->bytes.size() : 0;
    file->position = base + offset;
    return file->position;
}

int closeNothing(thandle_t) { return 0; }
toff_t sizeOf(thandle_t handle) { return static_cast<MemoryFile*>(handle)->bytes.size(); }
int mapNothing(thandle_t, tdata_t*, toff_t*) { return 0; }
void unmapNothing(thandle_t, tdata_t, toff_t) {}

struct TiffCloser {
    void operator()(TIFF* tiff) const { TIFFClose(tiff); }
};

template <typename T>
T field(TIFF* tiff, ttag_t tag, T otherwise)
{
    T value = otherwise;
    return TIFFGetFieldDefaulted(tiff, tag, &value) ? value : otherwise;
}

}  // namespace

cv::Mat decodeCmykTiff(const std::vector<unsigned char>& bytes)
{
    MemoryFile file{bytes};
    const std::unique_ptr<TIFF, TiffCloser> tiff(TIFFClientOpen("memory", "rm", &file, readFrom, refuseWrite, seekTo,
                                                                closeNothing, sizeOf, mapNothing, unmapNothing));
    cv::Mat samples;
    if (tiff && !TIFFIsTiled(tiff.get()) && field<std::uint16_t>(tiff.get(), TIFFTAG_PHOTOMETRIC, 0) == PHOTOMETRIC_SEPARATED
        && field<std::uint16_t>(tiff.get(), TIFFTAG_SAMPLESPERPIXEL, 0) == 4
        && field<std::uint16_t>(tiff.get(), TIFFTAG_INKSET, INKSET_CMYK) == INKSET_CMYK
        && field<std::uint16_t>(tiff.get(), TIFFTAG_PLANARCONFIG, 0) == PLANARCONFIG_CONTIG) {
        const auto bits = field<std::uint16_t>(tiff.get(), TIFFTAG_BITSPERSAMPLE, 0);
        const auto width = field<std::uint32_t>(tiff.get(), TIFFTAG_IMAGEWIDTH, 0);
        const auto height = field<std::uint32_t>(tiff.get(), TIFFTAG_IMAGELENGTH, 0);
        if ((bits == 8 || bits == 16) && width > 0 && height > 0) {
            samples.create(int(height), int(width), bits == 8 ? CV_8UC4 : CV_16UC4);
            for (std::uint32_t row = 0; row < height && !samples.empty(); ++row)
                if (TIFFReadScanline(tiff.get(), samples.ptr(int(row)), row, 0) < 0)
                    samples.release();
        }
    }
    return samples;
}

}  // namespace refine::imaging::detail
