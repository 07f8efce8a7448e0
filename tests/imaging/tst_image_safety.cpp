// Hostile and unusual inputs: size checks from the header before any decode (BigTIFF included),
// multi-page and animated files (first page or frame, with a notice), CMYK TIFFs, valid output
// TIFFs, and the reduced decode for thumbnails. Every file is made by the test.

#include "refine/engine/error.h"
#include "refine/imaging/candidate_export.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/metadata.h"

#include "expect_error.h"
#include "image_test_files.h"
#include "tiff_test_files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <webp/encode.h>
#include <webp/mux.h>
#include <zlib.h>

#include <chrono>
#include <filesystem>

using namespace refine::imaging;
using refine::ErrorCode;
using refine::test::Bytes;
using refine::test::encodeWithOpenCv;
using refine::test::readAll;

namespace {

void putLe(Bytes& b, std::size_t at, std::uint64_t value, int size)
{
    for (int i = 0; i < size; ++i)
        b[at + std::size_t(i)] = static_cast<unsigned char>(value >> (8 * i));
}

// A BigTIFF (little-endian) whose only directory claims width x height 8-bit grey pixels in one
// strip of 16 bytes that the file does not even hold: 13 KB of such a file decoded to gigabytes.
Bytes bigTiffClaiming(std::uint64_t width, std::uint64_t height)
{
    const int entries = 8;
    Bytes b(16 + 8 + entries * 20 + 8 + 16, 0);
    b[0] = 'I'; b[1] = 'I'; b[2] = 0x2B;
    putLe(b, 4, 8, 2);   // offset size
    putLe(b, 8, 16, 8);  // first directory
    putLe(b, 16, entries, 8);
    const std::size_t data = 16 + 8 + entries * 20 + 8;
    const std::uint64_t tags[entries][3] = {  // tag, type, value (count 1)
        {256, 16, width}, {257, 16, height}, {258, 3, 8}, {259, 3, 1},
        {262, 3, 1}, {273, 16, data}, {278, 16, height}, {279, 16, 16}};
    for (int e = 0; e < entries; ++e) {
        const std::size_t at = 24 + std::size_t(e) * 20;
        putLe(b, at, tags[e][0], 2);
        putLe(b, at + 2, tags[e][1], 2);
        putLe(b, at + 4, 1, 8);
        putLe(b, at + 12, tags[e][2], tags[e][1] == 3 ? 2 : 8);
    }
    return b;  // next directory offset: 0
}

cv::Mat solid(int width, int height, cv::Scalar bgr) { return cv::Mat(height, width, CV_8UC3, bgr); }

// 16 x 8 RGB pages, page i of colour RGB (100, 200, 40 i), each marked as a page of `pages`.
Bytes multiPageTiff(int pages)
{
    QTemporaryDir dir;
    const std::filesystem::path file = dir.filePath("pages.tif").toStdString();
    std::vector<refine::test::TiffPage> images;
    for (int page = 0; page < pages; ++page) {
        refine::test::TiffPage image{16, 8, 3, PHOTOMETRIC_RGB, {}, {}, true};
        for (int i = 0; i < 16 * 8; ++i)
            image.samples.insert(image.samples.end(), {100, 200, static_cast<unsigned char>(40 * page)});
        images.push_back(image);
    }
    refine::test::writeTiff(file, images);
    return readAll(file);
}

// Two 16 x 12 frames, red then blue, encoded as an animated WebP by libwebpmux.
Bytes animatedWebp()
{
    WebPAnimEncoderOptions options;
    WebPAnimEncoderOptionsInit(&options);
    WebPAnimEncoder* encoder = WebPAnimEncoderNew(16, 12, &options);
    WebPConfig config;
    WebPConfigInit(&config);
    config.lossless = 1;
    int timestamp = 0;
    for (std::uint32_t argb : {0xFFFF0000u, 0xFF0000FFu}) {
        WebPPicture picture;
        WebPPictureInit(&picture);
        picture.use_argb = 1;
        picture.width = 16;
        picture.height = 12;
        WebPPictureAlloc(&picture);
        for (int i = 0; i < 16 * 12; ++i)
            picture.argb[i] = argb;
        WebPAnimEncoderAdd(encoder, &picture, timestamp, &config);
        WebPPictureFree(&picture);
        timestamp += 100;
    }
    WebPAnimEncoderAdd(encoder, nullptr, timestamp, nullptr);
    WebPData data;
    WebPDataInit(&data);
    WebPAnimEncoderAssemble(encoder, &data);
    Bytes bytes(data.bytes, data.bytes + data.size);
    WebPDataClear(&data);
    WebPAnimEncoderDelete(encoder);
    return bytes;
}

// A PNG with an acTL chunk (an APNG's animation control) right after IHDR.
Bytes animatedPng()
{
    Bytes png = encodeWithOpenCv(solid(8, 8, cv::Scalar(0, 0, 255)), ".png");
    Bytes chunk = {0, 0, 0, 8, 'a', 'c', 'T', 'L', 0, 0, 0, 3, 0, 0, 0, 0};
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), chunk.data() + 4, 12);
    for (int shift = 24; shift >= 0; shift -= 8)
        chunk.push_back(static_cast<unsigned char>(crc >> shift));
    png.insert(png.begin() + 33, chunk.begin(), chunk.end());
    return png;
}

// A 4 x 2 CMYK TIFF: left half pure cyan, right half pure yellow.
Bytes cmykTiff(const std::filesystem::path& file)
{
    refine::test::TiffPage page{4, 2, 4, PHOTOMETRIC_SEPARATED, {}, {}, false};
    for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 4; ++x)
            page.samples.insert(page.samples.end(), {static_cast<unsigned char>(x < 2 ? 255 : 0), 0,
                                                     static_cast<unsigned char>(x < 2 ? 0 : 255), 0});
    refine::test::writeTiff(file, {page});
    return readAll(file);
}

// What libtiff finds in a file: the number of directories, and whether each has pixels.
struct TiffDirectories {
    int count = 0;
    bool allHavePixels = true;
};

TiffDirectories directoriesOf(const std::filesystem::path& file)
{
    TiffDirectories found;
    TIFF* tiff = TIFFOpen(file.string().c_str(), "r");
    if (!tiff)
        return found;
    do {
        ++found.count;
        std::uint32_t width = 0, height = 0;
        TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width);
        TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height);
        found.allHavePixels = found.allHavePixels && width > 0 && height > 0 && TIFFNumberOfStrips(tiff) > 0;
    } while (TIFFReadDirectory(tiff));
    TIFFClose(tiff);
    return found;
}

double elapsedSeconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

bool hasNotice(const std::vector<std::string>& notices, const std::string& text)
{
    return std::find(notices.begin(), notices.end(), text) != notices.end();
}

}  // namespace

class TestImageSafety : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bigTiffBombIsRefusedFromItsHeader();
    void headerInfoWithoutDecoding();
    void multiPageTiffGivesFirstPageWithNotice();
    void outputTiffOfMultiPageSourceHasOneDirectory();
    void animatedWebpGivesFirstFrame();
    void animatedPngSaysSo();
    void gifIsNamed();
    void cmykTiffIsNotTakenForAlpha();
    void thumbnailIsReducedAndUpright();
    void thumbnailChecksTheHeaderFirst();
};

void TestImageSafety::bigTiffBombIsRefusedFromItsHeader()
{
    const Bytes bomb = bigTiffClaiming(12000, 12000);
    QVERIFY(bomb.size() < 1024);
    const auto start = std::chrono::steady_clock::now();
    VERIFY_ERROR(decodePhoto(bomb, "bomb.tif"), ErrorCode::BadImage,
                 {"bomb.tif is 12000 x 12000 pixels (144 MP); Refine handles up to 100 MP"});
    QVERIFY2(elapsedSeconds(start) < 0.5, "refused from the header, without decoding");

    const ImageInfo info = readImageInfo(bomb, "bomb.tif");
    QCOMPARE(info.format, std::string("tiff"));
    QCOMPARE(info.width, 12000);
    QCOMPARE(info.height, 12000);
}

void TestImageSafety::headerInfoWithoutDecoding()
{
    // SOI, SOF0 claiming 9000 x 8000 (under the decode limit: only a plan can refuse it), nothing else.
    const char jpeg[] = "\xFF\xD8\xFF\xC0\x00\x11\x08\x1F\x40\x23\x28\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01";
    const Bytes bytes(jpeg, jpeg + sizeof jpeg - 1);
    const ImageInfo info = readImageInfo(bytes, "claims.jpg");
    QCOMPARE(info.format, std::string("jpeg"));
    QCOMPARE(info.width, 9000);
    QCOMPARE(info.height, 8000);
    QCOMPARE(info.pixels(), std::uint64_t(72'000'000));
    QVERIFY(!info.cmyk);

    QCOMPARE(readImageInfo(multiPageTiff(3), "pages.tif").pages, 3);
    const ImageInfo webp = readImageInfo(animatedWebp(), "anim.webp");
    QVERIFY(webp.animated);
    QCOMPARE(webp.pages, 2);
    QCOMPARE(webp.width, 16);

    VERIFY_ERROR(readImageInfo(Bytes{1, 2, 3, 4, 5, 6, 7, 8}, "x.bin"), ErrorCode::BadImage, {"x.bin", "unknown format"});
}

void TestImageSafety::multiPageTiffGivesFirstPageWithNotice()
{
    const Photo photo = decodePhoto(multiPageTiff(3), "pages.tif");
    QCOMPARE(photo.rgb.size(), cv::Size(16, 8));
    const cv::Vec3f first = photo.rgb.at<cv::Vec3f>(0, 0);  // page 0: BGR (0, 200, 100)
    QVERIFY(std::abs(first[0] - 100.f / 255) < 1e-6 && std::abs(first[2]) < 1e-6);
    QVERIFY2(hasNotice(photo.notices, "multi-page TIFF (3 pages): only the first page is enhanced"),
             photo.notices.empty() ? "no notice" : photo.notices.front().c_str());

    const Photo single = decodePhoto(multiPageTiff(1), "one.tif");
    QVERIFY(single.notices.empty());
}

void TestImageSafety::outputTiffOfMultiPageSourceHasOneDirectory()
{
    QTemporaryDir dir;
    const std::filesystem::path root(dir.path().toStdString());
    const Photo photo = decodePhoto(multiPageTiff(3), "pages.tif");
    refine::CandidateOutput candidate;
    cv::Mat larger;
    cv::resize(photo.rgb, larger, cv::Size(64, 32), 0, 0, cv::INTER_NEAREST);
    candidate.image = refine::ImageF(64, 32, 3);
    std::memcpy(candidate.image.pixels.data(), larger.data, candidate.image.pixels.size() * sizeof(float));
    EncodeOptions encode;
    encode.format = "tiff";
    const Bytes out = encodeCandidate(photo, candidate, CandidateOrigin{}, encode);
    refine::test::writeAll(root / "out.tif", out);

    const TiffDirectories directories = directoriesOf(root / "out.tif");
    QCOMPARE(directories.count, 1);
    QVERIFY(directories.allHavePixels);
    QCOMPARE(cv::imcount((root / "out.tif").string()), std::size_t(1));
    QCOMPARE(decodePhoto(out, "out.tif").rgb.size(), cv::Size(64, 32));
    QCOMPARE(readImageInfo(out, "out.tif").pages, 1);

    // "Page 1 of 3" would be a stray page entry on a single image, in any format.
    for (const std::string format : {"tiff", "jpeg", "png"}) {
        encode.format = format;
        const MetadataSummary metadata = readMetadata(encodeCandidate(photo, candidate, CandidateOrigin{}, encode));
        QVERIFY2(metadata.exif.count("Exif.Image.PageNumber") == 0, format.c_str());
        QVERIFY2(metadata.exif.count("Exif.Thumbnail.ImageWidth") == 0, format.c_str());
    }
}

void TestImageSafety::animatedWebpGivesFirstFrame()
{
    const Photo photo = decodePhoto(animatedWebp(), "anim.webp");
    QCOMPARE(photo.rgb.size(), cv::Size(16, 12));
    QVERIFY(!photo.hasAlpha());
    QVERIFY(cv::norm(photo.rgb.at<cv::Vec3f>(5, 5) - cv::Vec3f(1, 0, 0), cv::NORM_INF) < 1e-6);  // red
    QVERIFY(hasNotice(photo.notices, "animated WebP (2 frames): only the first frame is enhanced"));
}

void TestImageSafety::animatedPngSaysSo()
{
    const Photo photo = decodePhoto(animatedPng(), "anim.png");
    QCOMPARE(photo.rgb.size(), cv::Size(8, 8));
    QVERIFY(hasNotice(photo.notices, "animated PNG (3 frames): only the first frame is enhanced"));
}

void TestImageSafety::gifIsNamed()
{
    const Bytes gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, ';'};
    VERIFY_ERROR(decodePhoto(gif, "a.gif"), ErrorCode::BadImage,
                 {"a.gif: not a readable image (GIF is not supported; convert it to PNG first)"});
}

void TestImageSafety::cmykTiffIsNotTakenForAlpha()
{
    QTemporaryDir dir;
    const Photo photo = decodePhoto(cmykTiff(std::filesystem::path(dir.path().toStdString()) / "cmyk.tif"), "cmyk.tif");
    QCOMPARE(photo.rgb.size(), cv::Size(4, 2));
    QVERIFY(!photo.hasAlpha());
    QVERIFY(cv::norm(photo.rgb.at<cv::Vec3f>(0, 0) - cv::Vec3f(0, 1, 1), cv::NORM_INF) < 1e-6);  // cyan
    QVERIFY(cv::norm(photo.rgb.at<cv::Vec3f>(1, 3) - cv::Vec3f(1, 1, 0), cv::NORM_INF) < 1e-6);  // yellow
    QVERIFY(hasNotice(photo.notices, "CMYK photo without a usable ICC profile: converted to RGB approximately"));
}

void TestImageSafety::thumbnailIsReducedAndUpright()
{
    // 800 x 400: left half red, right half blue.
    cv::Mat bgr = solid(800, 400, cv::Scalar(0, 0, 255));
    bgr(cv::Rect(400, 0, 400, 400)).setTo(cv::Scalar(255, 0, 0));
    for (const std::string extension : {".jpg", ".png"}) {
        const Thumbnail thumbnail = decodeThumbnail(encodeWithOpenCv(bgr, extension), "t" + extension, 100);
        QCOMPARE(thumbnail.rgb.type(), CV_8UC3);
        QCOMPARE(thumbnail.rgb.size(), cv::Size(100, 50));
        QCOMPARE(thumbnail.fullWidth, 800);
        QCOMPARE(thumbnail.fullHeight, 400);
        const cv::Vec3b left = thumbnail.rgb.at<cv::Vec3b>(25, 10), right = thumbnail.rgb.at<cv::Vec3b>(25, 90);
        QVERIFY2(left[0] > 240 && left[2] < 15, extension.c_str());   // red, in RGB order
        QVERIFY2(right[2] > 240 && right[0] < 15, extension.c_str());  // blue
    }
    const Thumbnail small = decodeThumbnail(encodeWithOpenCv(solid(20, 10, cv::Scalar(0, 255, 0)), ".png"), "s.png", 100);
    QCOMPARE(small.rgb.size(), cv::Size(20, 10));  // never enlarged
    const Thumbnail anim = decodeThumbnail(animatedWebp(), "anim.webp", 8);
    QCOMPARE(anim.rgb.size(), cv::Size(8, 6));
    VERIFY_ERROR(decodeThumbnail(animatedWebp(), "anim.webp", 0), ErrorCode::InvalidArgument);
}

void TestImageSafety::thumbnailChecksTheHeaderFirst()
{
    VERIFY_ERROR(decodeThumbnail(bigTiffClaiming(12000, 12000), "bomb.tif", 128), ErrorCode::BadImage,
                 {"bomb.tif is 12000 x 12000 pixels (144 MP); Refine handles up to 100 MP"});
}

QTEST_APPLESS_MAIN(TestImageSafety)
#include "tst_image_safety.moc"
