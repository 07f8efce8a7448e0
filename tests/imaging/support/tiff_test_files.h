#pragma once
/// @file tiff_test_files.h
/// @brief TIFFs written by libtiff for the imaging tests: several pages, CMYK, an ICC profile.

#include <tiffio.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace refine::test {

/// One page (directory) of 8-bit interleaved samples in a single strip.
struct TiffPage {
    std::uint32_t width = 0, height = 0;
    std::uint16_t samplesPerPixel = 3;
    std::uint16_t photometric = PHOTOMETRIC_RGB;  ///< or PHOTOMETRIC_SEPARATED (CMYK)
    std::vector<unsigned char> samples;           ///< width * height * samplesPerPixel
    std::vector<unsigned char> icc;               ///< InterColorProfile; empty: none
    bool markedAsPage = false;                    ///< NewSubfileType "page" and PageNumber (page of pages)
};

/// Writes the pages to `file`, as scanners and ImageMagick write multi-page TIFFs.
inline void writeTiff(const std::filesystem::path& file, const std::vector<TiffPage>& pages)
{
    TIFF* tiff = TIFFOpen(file.string().c_str(), "w");
    if (!tiff)
        throw std::runtime_error("test set-up: TIFFOpen failed");
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const TiffPage& page = pages[i];
        TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, page.width);
        TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, page.height);
        TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, page.samplesPerPixel);
        TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, page.photometric);
        TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
        TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, page.height);
        if (!page.icc.empty())
            TIFFSetField(tiff, TIFFTAG_ICCPROFILE, std::uint32_t(page.icc.size()), page.icc.data());
        if (page.markedAsPage) {
            TIFFSetField(tiff, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
            TIFFSetField(tiff, TIFFTAG_PAGENUMBER, std::uint16_t(i), std::uint16_t(pages.size()));
        }
        TIFFWriteEncodedStrip(tiff, 0, const_cast<unsigned char*>(page.samples.data()), tmsize_t(page.samples.size()));
        TIFFWriteDirectory(tiff);
    }
    TIFFClose(tiff);
}

}  // namespace refine::test
