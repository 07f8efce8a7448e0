// Decoding, encoding and atomic writing of photos (refine/imaging/image_io.h).

#include "expect_error.h"
#include "refine/engine/error.h"
#include "refine/imaging/image_io.h"

#include "image_test_files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <exiv2/exiv2.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

using namespace refine::imaging;
using refine::ErrorCode;
using refine::test::Bytes;
using refine::test::encodeWithOpenCv;
using refine::test::readAll;

namespace {

// A smooth, asymmetric RGB test image (smooth so lossy codecs stay close).
cv::Mat gradient(int width, int height)
{
    cv::Mat rgb(height, width, CV_32FC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            rgb.at<cv::Vec3f>(y, x) = {float(x) / float(width - 1), float(y) / float(height - 1),
                                       0.25f + 0.5f * float(x + y) / float(width + height)};
    return rgb;
}

cv::Mat alphaRamp(int width, int height)
{
    cv::Mat alpha(height, width, CV_32FC1);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            alpha.at<float>(y, x) = float(y) / float(height - 1);
    return alpha;
}

double maxAbsDiff(const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); }

double meanAbsDiff(const cv::Mat& a, const cv::Mat& b)
{
    const cv::Scalar mean = cv::mean(cv::abs(a - b));
    return (mean[0] + mean[1] + mean[2] + mean[3]) / a.channels();
}

// Writes an EXIF orientation tag with exiv2, independently of the library under test.
Bytes withOrientation(const Bytes& encoded, int orientation)
{
    return refine::test::editMetadata(
        encoded, [&](Exiv2::Image& image) { image.exifData()["Exif.Image.Orientation"] = std::uint16_t(orientation); });
}

// The upright test picture: four differently coloured quadrants, wider than high.
const cv::Vec3f kQuadrant[4] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}};  // TL, TR, BL, BR

cv::Mat quadrants(int width, int height)
{
    cv::Mat rgb(height, width, CV_32FC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            rgb.at<cv::Vec3f>(y, x) = kQuadrant[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)];
    return rgb;
}

// How a camera stores the upright picture V for each EXIF orientation, straight from the EXIF
// definition of where the stored 0th row and 0th column lie in the upright picture.
cv::Mat storedFor(const cv::Mat& v, int orientation)
{
    const int w = v.cols, h = v.rows;
    const bool swapped = orientation >= 5;
    cv::Mat s(swapped ? w : h, swapped ? h : w, v.type());
    for (int r = 0; r < s.rows; ++r) {
        for (int c = 0; c < s.cols; ++c) {
            cv::Point p;  // (x, y) in V
            switch (orientation) {
            case 1: p = {c, r}; break;
            case 2: p = {w - 1 - c, r}; break;
            case 3: p = {w - 1 - c, h - 1 - r}; break;
            case 4: p = {c, h - 1 - r}; break;
            case 5: p = {r, c}; break;
            case 6: p = {w - 1 - r, c}; break;
            case 7: p = {w - 1 - r, h - 1 - c}; break;
            case 8: p = {r, h - 1 - c}; break;
            }
            s.at<cv::Vec3f>(r, c) = v.at<cv::Vec3f>(p);
        }
    }
    return s;
}

cv::Mat toBgr8(const cv::Mat& rgb)
{
    cv::Mat bgr, out;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    bgr.convertTo(out, CV_8U, 255.0);
    return out;
}

Bytes pngHeaderClaiming(std::uint32_t width, std::uint32_t height)
{
    Bytes b = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    for (std::uint32_t v : {width, height})
        for (int shift = 24; shift >= 0; shift -= 8)
            b.push_back(static_cast<unsigned char>(v >> shift));
    for (unsigned char v : {8, 2, 0, 0, 0, 0, 0, 0, 0})  // depth, colour type, ..., (bogus) CRC
        b.push_back(v);
    return b;
}

std::vector<std::filesystem::path> filesIn(const std::filesystem::path& dir)
{
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        files.push_back(entry.path().filename());
    return files;
}


}  // namespace

class TestImageIo : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void png16KeepsExactSamples();
    void grayscaleBecomesRgb_data();
    void grayscaleBecomesRgb();
    void orientationIsApplied_data();
    void orientationIsApplied();
    void orientationFromPng();
    void cmykJpegBecomesRgb();
    void corruptInputIsRefused_data();
    void corruptInputIsRefused();
    void oversizedHeaderIsRefused_data();
    void oversizedHeaderIsRefused();
    void customLimit();
    void invalidEncodeOptions_data();
    void invalidEncodeOptions();
    void jpegDropsAlpha();
    void atomicWriteNeverOverwrites();
    void atomicWriteOverwritesWhenAllowed();
    void atomicWriteIntoMissingFolderLeavesNothing();
    void readPhotoFromFile();
    void supportedPaths();
};

void TestImageIo::roundTrip_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("bitDepth");
    QTest::addColumn<bool>("withAlpha");
    QTest::addColumn<QString>("decodedFormat");
    QTest::addColumn<double>("maxError");   // per sample, for lossless formats
    QTest::addColumn<double>("meanError");  // for lossy formats

    const double q8 = 0.5 / 255 + 1e-6, q16 = 0.5 / 65535 + 1e-6;
    QTest::newRow("png 8") << "png" << 8 << false << "png" << q8 << 0.0;
    QTest::newRow("png 16") << "png" << 16 << false << "png" << q16 << 0.0;
    QTest::newRow("png 8 alpha") << "png" << 8 << true << "png" << q8 << 0.0;
    QTest::newRow("png 16 alpha") << "PNG" << 16 << true << "png" << q16 << 0.0;
    QTest::newRow("tiff 8") << "tif" << 8 << false << "tiff" << q8 << 0.0;
    QTest::newRow("tiff 16") << "tiff" << 16 << false << "tiff" << q16 << 0.0;
    QTest::newRow("tiff 16 alpha") << "tif" << 16 << true << "tiff" << q16 << 0.0;
    QTest::newRow("jpeg") << "jpg" << 8 << false << "jpeg" << 1.0 << 0.01;
    QTest::newRow("jpeg ignores 16") << "jpeg" << 16 << false << "jpeg" << 1.0 << 0.01;
    QTest::newRow("webp") << "webp" << 8 << false << "webp" << 1.0 << 0.02;
    QTest::newRow("webp alpha") << "webp" << 8 << true << "webp" << 1.0 << 0.02;
    QTest::newRow("bmp") << "bmp" << 8 << false << "bmp" << q8 << 0.0;
}

void TestImageIo::roundTrip()
{
    QFETCH(QString, format);
    QFETCH(int, bitDepth);
    QFETCH(bool, withAlpha);
    QFETCH(QString, decodedFormat);
    QFETCH(double, maxError);
    QFETCH(double, meanError);

    const cv::Mat rgb = gradient(40, 24);
    const cv::Mat alpha = withAlpha ? alphaRamp(40, 24) : cv::Mat();
    const Bytes bytes = encodePhoto(rgb, alpha, {format.toStdString(), 95, bitDepth});
    const Photo photo = decodePhoto(bytes, "roundtrip");

    QCOMPARE(photo.format, decodedFormat.toStdString());
    QCOMPARE(photo.rgb.type(), CV_32FC3);
    QCOMPARE(photo.rgb.size(), rgb.size());
    const bool honours16 = decodedFormat == "png" || decodedFormat == "tiff";
    QCOMPARE(photo.bitDepth, honours16 ? bitDepth : 8);
    QCOMPARE(photo.hasAlpha(), withAlpha);
    QCOMPARE(photo.sourceBytes, bytes);
    if (meanError > 0) {
        QVERIFY2(meanAbsDiff(photo.rgb, rgb) < meanError, std::to_string(meanAbsDiff(photo.rgb, rgb)).c_str());
    } else {
        QVERIFY(maxAbsDiff(photo.rgb, rgb) <= maxError);
    }
    if (withAlpha) {
        QCOMPARE(photo.alpha.type(), CV_32FC1);
        QVERIFY(maxAbsDiff(photo.alpha, alpha) <= (meanError > 0 ? 0.02 : maxError));
    }
}

void TestImageIo::png16KeepsExactSamples()
{
    // Samples that 8 bits cannot tell apart.
    cv::Mat bgr16(2, 3, CV_16UC3);
    const std::uint16_t samples[] = {0, 1, 2, 257, 258, 1000, 32767, 32768, 40000, 65533, 65534, 65535,
                                     7, 8, 9, 100, 101, 102};
    std::memcpy(bgr16.data, samples, sizeof samples);

    const Photo photo = decodePhoto(encodeWithOpenCv(bgr16, ".png"), "16.png");
    QCOMPARE(photo.bitDepth, 16);
    cv::Mat rgb16;
    photo.rgb.convertTo(rgb16, CV_16U, 65535.0);
    cv::Mat expected;
    cv::cvtColor(bgr16, expected, cv::COLOR_BGR2RGB);
    QCOMPARE(cv::norm(rgb16, expected, cv::NORM_INF), 0.0);

    // And back out through encodePhoto unchanged.
    const Bytes reencoded = encodePhoto(photo.rgb, cv::Mat(), {"png", 95, 16});
    const cv::Mat decoded = cv::imdecode(reencoded, cv::IMREAD_UNCHANGED);
    QCOMPARE(decoded.type(), CV_16UC3);
    QCOMPARE(cv::norm(decoded, bgr16, cv::NORM_INF), 0.0);
}

void TestImageIo::grayscaleBecomesRgb_data()
{
    QTest::addColumn<QString>("extension");
    QTest::addColumn<int>("depth");
    QTest::newRow("png 8") << ".png" << CV_8U;
    QTest::newRow("png 16") << ".png" << CV_16U;
    QTest::newRow("tiff 16") << ".tif" << CV_16U;
    QTest::newRow("jpeg") << ".jpg" << CV_8U;
}

void TestImageIo::grayscaleBecomesRgb()
{
    QFETCH(QString, extension);
    QFETCH(int, depth);
    cv::Mat gray(16, 16, CV_MAKETYPE(depth, 1));
    cv::randu(gray, 0, depth == CV_8U ? 256 : 65536);
    if (extension == ".jpg")
        gray.setTo(128);

    const Photo photo = decodePhoto(encodeWithOpenCv(gray, extension.toStdString()), "gray");
    QCOMPARE(photo.rgb.type(), CV_32FC3);
    QCOMPARE(photo.bitDepth, depth == CV_8U ? 8 : 16);
    cv::Mat channels[3];
    cv::split(photo.rgb, channels);
    QCOMPARE(cv::norm(channels[0], channels[1], cv::NORM_INF), 0.0);
    QCOMPARE(cv::norm(channels[0], channels[2], cv::NORM_INF), 0.0);
    cv::Mat expected;
    gray.convertTo(expected, CV_32F, depth == CV_8U ? 1.0 / 255 : 1.0 / 65535);
    QVERIFY(cv::norm(channels[0], expected, cv::NORM_INF) < 2.0 / 255);
}

void TestImageIo::orientationIsApplied_data()
{
    QTest::addColumn<int>("orientation");
    for (int o = 1; o <= 8; ++o)
        QTest::newRow(("orientation " + std::to_string(o)).c_str()) << o;
}

void TestImageIo::orientationIsApplied()
{
    QFETCH(int, orientation);
    const cv::Mat upright = quadrants(48, 32);  // quadrant edges on JPEG block boundaries
    const Bytes jpeg = withOrientation(
        encodeWithOpenCv(toBgr8(storedFor(upright, orientation)), ".jpg"), orientation);

    const Photo photo = decodePhoto(jpeg, "oriented.jpg");
    QCOMPARE(photo.rgb.size(), upright.size());
    for (int q = 0; q < 4; ++q) {
        const cv::Point centre((q % 2) * 24 + 12, (q / 2) * 16 + 8);
        const cv::Vec3f got = photo.rgb.at<cv::Vec3f>(centre);
        QVERIFY2(cv::norm(got - kQuadrant[q], cv::NORM_INF) < 0.1, ("quadrant " + std::to_string(q)).c_str());
    }
}

void TestImageIo::orientationFromPng()
{
    const cv::Mat upright = quadrants(48, 32);
    const Bytes png = withOrientation(encodeWithOpenCv(toBgr8(storedFor(upright, 6)), ".png"), 6);
    const Photo photo = decodePhoto(png, "oriented.png");
    QCOMPARE(photo.rgb.size(), upright.size());
    QVERIFY(maxAbsDiff(photo.rgb, upright) < 1e-6);
}

void TestImageIo::cmykJpegBecomesRgb()
{
    // 16 x 8, left half cyan, right half yellow, stored as Adobe (inverted) CMYK.
    const Photo photo = readPhoto(std::filesystem::path(REFINE_TEST_DATA_DIR) / "images" / "cmyk_adobe.jpg");
    QCOMPARE(photo.rgb.size(), cv::Size(16, 8));
    QCOMPARE(photo.format, std::string("jpeg"));
    QVERIFY(!photo.hasAlpha());
    const cv::Vec3f cyan = photo.rgb.at<cv::Vec3f>(4, 2), yellow = photo.rgb.at<cv::Vec3f>(4, 13);
    QVERIFY(cv::norm(cyan - cv::Vec3f(0, 1, 1), cv::NORM_INF) < 0.05);
    QVERIFY(cv::norm(yellow - cv::Vec3f(1, 1, 0), cv::NORM_INF) < 0.05);
}

void TestImageIo::corruptInputIsRefused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    const Bytes png = encodeWithOpenCv(toBgr8(gradient(64, 64)), ".png");
    const Bytes jpeg = encodeWithOpenCv(toBgr8(gradient(64, 64)), ".jpg");
    const Bytes tiff = encodeWithOpenCv(toBgr8(gradient(64, 64)), ".tif");
    const Bytes webp = encodeWithOpenCv(toBgr8(gradient(64, 64)), ".webp");
    auto half = [](const Bytes& b) { return QByteArray(reinterpret_cast<const char*>(b.data()), int(b.size() / 2)); };

    std::mt19937 random(42);
    QByteArray noise(4096, '\0');
    for (char& c : noise)
        c = static_cast<char>(random());
    QByteArray garbledPng = half(png) + QByteArray(int(png.size()), '\x55');

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("random") << noise;
    QTest::newRow("text") << QByteArray("hello, world");
    QTest::newRow("png signature only") << QByteArray("\x89PNG\r\n\x1a\n", 8);
    QTest::newRow("jpeg SOI only") << QByteArray("\xFF\xD8\xFF", 3);
    QTest::newRow("truncated png") << half(png);
    QTest::newRow("garbled png") << garbledPng;
    QTest::newRow("truncated jpeg") << half(jpeg);
    QTest::newRow("truncated tiff") << half(tiff);
    QTest::newRow("truncated webp") << half(webp);
    QTest::newRow("gif") << QByteArray("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14);
}

void TestImageIo::corruptInputIsRefused()
{
    QFETCH(QByteArray, bytes);
    const Bytes input(bytes.begin(), bytes.end());
    VERIFY_ERROR(decodePhoto(input, "broken.img"), ErrorCode::BadImage, {"broken.img: not a readable image ("});
}

void TestImageIo::oversizedHeaderIsRefused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const Bytes png = pngHeaderClaiming(100000, 100000);
    QTest::newRow("png IHDR") << QByteArray(reinterpret_cast<const char*>(png.data()), int(png.size()))
                              << "huge.img is 100000 x 100000 pixels (10000 MP); Refine handles up to 100 MP";
    // SOI, SOF0 claiming 65000 x 40000, 3 components; nothing else.
    const char jpeg[] = "\xFF\xD8\xFF\xC0\x00\x11\x08\x9C\x40\xFD\xE8\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01";
    QTest::newRow("jpeg SOF") << QByteArray(jpeg, sizeof jpeg - 1)
                              << "huge.img is 65000 x 40000 pixels (2600 MP); Refine handles up to 100 MP";
}

void TestImageIo::oversizedHeaderIsRefused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const Bytes input(bytes.begin(), bytes.end());
    VERIFY_ERROR(decodePhoto(input, "huge.img"), ErrorCode::BadImage, {expected});
}

void TestImageIo::customLimit()
{
    const Bytes bytes = encodePhoto(gradient(64, 32), cv::Mat(), {"png"});
    VERIFY_ERROR(decodePhoto(bytes, "small.png", DecodeLimits{1000}), ErrorCode::BadImage,
                 {"small.png is 64 x 32 pixels (0.00205 MP); Refine handles up to 0.001 MP"});
    QCOMPARE(decodePhoto(bytes, "small.png", DecodeLimits{64 * 32}).width(), 64);
}

void TestImageIo::invalidEncodeOptions_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("quality");
    QTest::addColumn<int>("bitDepth");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("type");
    QTest::newRow("gif") << "gif" << 95 << 8 << 8 << CV_32FC3;
    QTest::newRow("empty format") << "" << 95 << 8 << 8 << CV_32FC3;
    QTest::newRow("quality 0") << "jpg" << 0 << 8 << 8 << CV_32FC3;
    QTest::newRow("quality 101") << "webp" << 101 << 8 << 8 << CV_32FC3;
    QTest::newRow("12 bits") << "png" << 95 << 12 << 8 << CV_32FC3;
    QTest::newRow("8-bit pixels") << "png" << 95 << 8 << 8 << CV_8UC3;
    QTest::newRow("BGRA pixels") << "png" << 95 << 8 << 8 << CV_32FC4;
    QTest::newRow("webp too wide") << "webp" << 95 << 8 << 16384 << CV_32FC3;
}

void TestImageIo::invalidEncodeOptions()
{
    QFETCH(QString, format);
    QFETCH(int, quality);
    QFETCH(int, bitDepth);
    QFETCH(int, width);
    QFETCH(int, type);
    const cv::Mat pixels = cv::Mat::zeros(2, width, type);
    VERIFY_ERROR(encodePhoto(pixels, cv::Mat(), {format.toStdString(), quality, bitDepth}), ErrorCode::InvalidArgument);
    VERIFY_ERROR(encodePhoto(gradient(8, 8), cv::Mat::zeros(4, 4, CV_32FC1), {"png"}), ErrorCode::InvalidArgument);
}

void TestImageIo::jpegDropsAlpha()
{
    const Bytes bytes = encodePhoto(gradient(16, 16), alphaRamp(16, 16), {"jpg"});
    const Photo photo = decodePhoto(bytes, "a.jpg");
    QVERIFY(!photo.hasAlpha());
    QCOMPARE(photo.format, std::string("jpeg"));
}

void TestImageIo::atomicWriteNeverOverwrites()
{
    QTemporaryDir dir;
    const std::filesystem::path target = std::filesystem::path(dir.path().toStdString()) / "out.png";
    const Bytes first = {1, 2, 3}, second = {4, 5, 6, 7};

    writeFileAtomically(target, first, false);
    QCOMPARE(readAll(target), first);
    VERIFY_ERROR(writeFileAtomically(target, second, false), ErrorCode::Io);
    QCOMPARE(readAll(target), first);
    QCOMPARE(filesIn(target.parent_path()), std::vector<std::filesystem::path>{"out.png"});
}

void TestImageIo::atomicWriteOverwritesWhenAllowed()
{
    QTemporaryDir dir;
    const std::filesystem::path target = std::filesystem::path(dir.path().toStdString()) / "out.jpg";
    writeFileAtomically(target, Bytes(1000, 9), true);  // allowed, but nothing there yet
    writeFileAtomically(target, Bytes{42}, true);
    QCOMPARE(readAll(target), Bytes{42});
    writeFileAtomically(target, Bytes(), true);
    QCOMPARE(std::filesystem::file_size(target), std::uintmax_t(0));
    QCOMPARE(filesIn(target.parent_path()), std::vector<std::filesystem::path>{"out.jpg"});
}

void TestImageIo::atomicWriteIntoMissingFolderLeavesNothing()
{
    QTemporaryDir dir;
    const std::filesystem::path root(dir.path().toStdString());
    VERIFY_ERROR(writeFileAtomically(root / "missing" / "out.png", Bytes{1}, false), ErrorCode::Io);

    // The target is a folder: renaming over it fails, and the temporary file must go.
    std::filesystem::create_directory(root / "taken.png");
    std::filesystem::create_directory(root / "taken.png" / "child");
    VERIFY_ERROR(writeFileAtomically(root / "taken.png", Bytes{1}, true), ErrorCode::Io);
    QCOMPARE(filesIn(root), std::vector<std::filesystem::path>{"taken.png"});
}

void TestImageIo::readPhotoFromFile()
{
    QTemporaryDir dir;
    const std::filesystem::path file = std::filesystem::path(dir.path().toStdString()) / "photo.webp";
    writeFileAtomically(file, encodePhoto(gradient(20, 10), cv::Mat(), {"webp"}), false);
    const Photo photo = readPhoto(file);
    QCOMPARE(photo.rgb.size(), cv::Size(20, 10));
    QCOMPARE(photo.format, std::string("webp"));

    VERIFY_ERROR(readPhoto(file.parent_path() / "nope.jpg"), ErrorCode::Io);
    VERIFY_ERROR(readPhoto(file.parent_path()), ErrorCode::Io);

    writeFileAtomically(file.parent_path() / "bad.png", Bytes{1, 2, 3}, false);
    VERIFY_ERROR(readPhoto(file.parent_path() / "bad.png"), ErrorCode::BadImage, {"bad.png: "});
}

void TestImageIo::supportedPaths()
{
    for (const char* name : {"a.jpg", "b.JPEG", "c.png", "d.Tif", "e.tiff", "f.webp", "g.BMP", "/x/y.z/h.png"})
        QVERIFY2(isSupportedImagePath(name), name);
    for (const char* name : {"a.gif", "b", "c.png.txt", ".png", "d.heic", "e.jp"})
        QVERIFY2(!isSupportedImagePath(name), name);
    QCOMPARE(formatFromExtension("x.JPG"), std::string("jpeg"));
    QCOMPARE(formatFromExtension("x.tif"), std::string("tiff"));
    QCOMPARE(formatFromExtension("x.webp"), std::string("webp"));
    QCOMPARE(formatFromExtension("x.gif"), std::string());
}

QTEST_APPLESS_MAIN(TestImageIo)
#include "tst_image_io.moc"
