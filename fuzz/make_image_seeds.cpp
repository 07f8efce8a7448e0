// refine-fuzz-image-seeds DIR: writes the seed corpus of fuzz_image_decode, tiny photos made by
// Refine's own encoder (every format, 8 and 16 bits, alpha), one with an EXIF orientation, a
// two-page TIFF and the CMYK JPEG of the test data. Built with -DREFINE_FUZZ=ON; the committed
// corpus in fuzz/corpus/image_decode was written by it.
#include "refine/imaging/image_io.h"

#include <exiv2/exiv2.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

namespace {

// Seeded random samples in [0, 1]: `channels` 3 for RGB, 1 for alpha.
cv::Mat randomSamples(int width, int height, int channels, uint64_t seed)
{
    cv::Mat samples(height, width, CV_32FC(channels));
    cv::RNG(seed).fill(samples, cv::RNG::UNIFORM, 0.0, 1.0);
    return samples;
}

Bytes withOrientation(const Bytes& jpeg, uint16_t orientation)
{
    auto image = Exiv2::ImageFactory::open(jpeg.data(), long(jpeg.size()));
    image->readMetadata();
    image->exifData()["Exif.Image.Orientation"] = orientation;
    image->writeMetadata();
    Exiv2::BasicIo& io = image->io();
    io.seek(0, Exiv2::BasicIo::beg);
    const Exiv2::DataBuf buffer = io.read(long(io.size()));
    return Bytes(buffer.pData_, buffer.pData_ + buffer.size_);
}

Bytes twoPageTiff(const fs::path& scratch)
{
    std::vector<cv::Mat> pages{cv::Mat(3, 4, CV_8UC3, cv::Scalar(10, 20, 30)), cv::Mat(2, 2, CV_8UC1, cv::Scalar(99))};
    cv::imwritemulti(scratch.string(), pages);
    std::ifstream in(scratch, std::ios::binary);
    Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    fs::remove(scratch);
    return bytes;
}

void write(const fs::path& path, const Bytes& bytes)
{
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    std::printf("%s: %zu bytes\n", path.filename().c_str(), bytes.size());
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: refine-fuzz-image-seeds DIR\n");
        return 2;
    }
    using refine::imaging::encodePhoto;
    const fs::path dir = argv[1];
    fs::create_directories(dir);
    const cv::Mat rgb = randomSamples(6, 4, 3, 1);
    const cv::Mat alpha = randomSamples(6, 4, 1, 2);
    const Bytes jpeg = encodePhoto(rgb, cv::Mat(), {"jpg", 90, 8});
    write(dir / "rgb8.png", encodePhoto(rgb, cv::Mat(), {"png", 95, 8}));
    write(dir / "rgba16.png", encodePhoto(rgb, alpha, {"png", 95, 16}));
    write(dir / "rgb.jpg", jpeg);
    write(dir / "orientation6.jpg", withOrientation(jpeg, 6));
    write(dir / "rgb8.tif", encodePhoto(rgb, cv::Mat(), {"tif", 95, 8}));
    write(dir / "rgba16.tif", encodePhoto(rgb, alpha, {"tif", 95, 16}));
    write(dir / "two_pages.tif", twoPageTiff(dir / "two_pages.tmp.tif"));
    write(dir / "rgb.webp", encodePhoto(rgb, cv::Mat(), {"webp", 80, 8}));
    write(dir / "rgba.webp", encodePhoto(rgb, alpha, {"webp", 80, 8}));
    write(dir / "rgb.bmp", encodePhoto(rgb, cv::Mat(), {"bmp", 95, 8}));
    const fs::path cmyk = fs::path(REFINE_TEST_DATA_DIR) / "images" / "cmyk_adobe.jpg";
    fs::copy_file(cmyk, dir / "cmyk_adobe.jpg", fs::copy_options::overwrite_existing);
    std::printf("cmyk_adobe.jpg: copied from %s\n", cmyk.c_str());
    return 0;
}
