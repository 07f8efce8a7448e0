// How worn a photo looks (refine/imaging/photo_condition.h): the JPEG quality read from the
// file's tables, the noise and block estimates, and the "looks degraded" rule, on small images
// the test encodes at known qualities and with known added noise.

#include "refine/imaging/image_io.h"
#include "refine/imaging/photo_condition.h"

#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

using namespace refine::imaging;
using Bytes = std::vector<unsigned char>;

namespace {

/// A smooth, photo-like RGB float image: broad colour gradients and soft waves, no noise.
cv::Mat smoothPhoto(int width = 128, int height = 96)
{
    cv::Mat image(height, width, CV_32FC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const double u = double(x) / width, v = double(y) / height;
            image.at<cv::Vec3f>(y, x) = cv::Vec3f(float(0.25 + 0.5 * u), float(0.3 + 0.3 * std::sin(3.0 * v + 2.0 * u)),
                                                  float(0.5 + 0.35 * std::cos(4.0 * u - 1.5 * v)));
        }
    return image;
}

/// `image` with white Gaussian noise of deviation sigma/255 in every channel (fixed seed).
cv::Mat withNoise(const cv::Mat& image, double sigma255)
{
    cv::Mat noise(image.size(), image.type());
    cv::RNG rng(7);
    rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(sigma255 / 255.0));
    return image + noise;  // not clamped: the estimate sees the noise as added
}

/// `image` as a JPEG at libjpeg quality `quality`, encoded by OpenCV.
Bytes jpegAt(const cv::Mat& image, int quality)
{
    cv::Mat bgr;
    cv::cvtColor(image, bgr, cv::COLOR_RGB2BGR);
    bgr.convertTo(bgr, CV_8UC3, 255.0);
    Bytes bytes;
    cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
    return bytes;
}

/// Decoded back to RGB float, as the app sees it.
cv::Mat decoded(const Bytes& bytes)
{
    return decodePhoto(bytes, "test").rgb;
}

/// The offset of the first DQT segment's first table value, or 0.
size_t firstTableValue(const Bytes& jpeg)
{
    for (size_t i = 2; i + 4 < jpeg.size(); ++i)
        if (jpeg[i] == 0xff && jpeg[i + 1] == 0xdb)
            return i + 5;  // marker (2), length (2), precision and slot (1)
    return 0;
}

}  // namespace

class TestPhotoCondition : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jpegQualityIsReadExactly_data();
    void jpegQualityIsReadExactly();
    void greyJpegHasOnlyALumaTable();
    void otherEncodersGetTheNearestQuality();
    void notAJpegHasNoQuality();
    void brokenHeadersAreNotReadPastTheirEnd();
    void noiseIsMeasured_data();
    void noiseIsMeasured();
    void blocksShowInLowQualityJpeg();
    void cleanPhotoDoesNotLookDegraded();
    void lowQualityJpegLooksDegraded();
    void noisyPhotoLooksDegraded();
};

void TestPhotoCondition::jpegQualityIsReadExactly_data()
{
    QTest::addColumn<int>("quality");
    for (int q : {10, 30, 49, 50, 52, 75, 90, 95, 100})
        QTest::newRow(qPrintable(QString::number(q))) << q;
}

void TestPhotoCondition::jpegQualityIsReadExactly()
{
    QFETCH(int, quality);
    const auto measured = estimateJpegQuality(jpegAt(smoothPhoto(32, 24), quality));
    QVERIFY(measured.has_value());
    QCOMPARE(measured->quality, quality);
    QVERIFY(measured->exact);
}

void TestPhotoCondition::greyJpegHasOnlyALumaTable()
{
    cv::Mat grey(24, 32, CV_8UC1, cv::Scalar(120));
    Bytes bytes;
    cv::imencode(".jpg", grey, bytes, {cv::IMWRITE_JPEG_QUALITY, 63});
    const auto measured = estimateJpegQuality(bytes);
    QVERIFY(measured.has_value());
    QCOMPARE(measured->quality, 63);
    QVERIFY(measured->exact);
}

void TestPhotoCondition::otherEncodersGetTheNearestQuality()
{
    // A camera's own tables: libjpeg's at 60, nudged.
    Bytes bytes = jpegAt(smoothPhoto(32, 24), 60);
    const size_t table = firstTableValue(bytes);
    QVERIFY(table > 0);
    for (size_t k = 10; k < 20; ++k)
        bytes[table + k] = static_cast<unsigned char>(bytes[table + k] + 1);
    const auto measured = estimateJpegQuality(bytes);
    QVERIFY(measured.has_value());
    QVERIFY(!measured->exact);
    QVERIFY2(std::abs(measured->quality - 60) <= 3, qPrintable(QString::number(measured->quality)));
}

void TestPhotoCondition::notAJpegHasNoQuality()
{
    cv::Mat bgr(8, 8, CV_8UC3, cv::Scalar(1, 2, 3));
    Bytes png;
    cv::imencode(".png", bgr, png);
    QVERIFY(!estimateJpegQuality(png).has_value());
    QVERIFY(!estimateJpegQuality({}).has_value());
    QVERIFY(!estimateJpegQuality({0xff, 0xd8}).has_value());
}

void TestPhotoCondition::brokenHeadersAreNotReadPastTheirEnd()
{
    const Bytes good = jpegAt(smoothPhoto(32, 24), 80);
    const size_t table = firstTableValue(good);
    // Cut inside the first table, and just after its marker.
    for (size_t cut : {table + 20, table - 3, size_t(3)}) {
        const Bytes truncated(good.begin(), good.begin() + std::ptrdiff_t(cut));
        QVERIFY(!estimateJpegQuality(truncated).has_value());
    }
    // A segment length pointing far past the end.
    Bytes lying = good;
    lying[table - 3] = 0xff;
    lying[table - 2] = 0xff;
    QVERIFY(!estimateJpegQuality(lying).has_value());
    // A table with an impossible precision nibble.
    Bytes badPrecision = good;
    badPrecision[table - 1] = 0x70;
    QVERIFY(!estimateJpegQuality(badPrecision).has_value());
}

void TestPhotoCondition::noiseIsMeasured_data()
{
    QTest::addColumn<double>("sigma");
    QTest::newRow("none") << 0.0;
    QTest::newRow("2/255") << 2.0;
    QTest::newRow("6/255") << 6.0;
    QTest::newRow("15/255") << 15.0;
}

void TestPhotoCondition::noiseIsMeasured()
{
    QFETCH(double, sigma);
    const double measured = estimateNoiseSigma(withNoise(smoothPhoto(), sigma));
    // Luma mixes three independent channels: its noise is sigma * sqrt(.299² + .587² + .114²).
    const double expected = sigma * std::sqrt(0.299 * 0.299 + 0.587 * 0.587 + 0.114 * 0.114);
    QVERIFY2(std::abs(measured - expected) <= 0.5 + 0.15 * expected,
             qPrintable(QStringLiteral("measured %1, expected %2").arg(measured).arg(expected)));
}

void TestPhotoCondition::blocksShowInLowQualityJpeg()
{
    const cv::Mat photo = smoothPhoto();
    const double low = blockiness(lumaOf(decoded(jpegAt(photo, 15))), 8);
    const double high = blockiness(lumaOf(decoded(jpegAt(photo, 97))), 8);
    QVERIFY2(low >= kVisibleBlockiness, qPrintable(QString::number(low)));
    QVERIFY2(high < 1.1, qPrintable(QString::number(high)));
    QCOMPARE(blockiness(lumaOf(photo), 8) < 1.1, true);
}

void TestPhotoCondition::cleanPhotoDoesNotLookDegraded()
{
    const Bytes file = jpegAt(smoothPhoto(), 95);
    const PhotoCondition condition = assessPhotoCondition(estimateJpegQuality(file), decoded(file));
    QVERIFY(!condition.degraded);
    QVERIFY(condition.reason.empty());
    QCOMPARE(condition.jpeg->quality, 95);
    QVERIFY(condition.noiseSigma < kVisibleNoiseSigma);
}

void TestPhotoCondition::lowQualityJpegLooksDegraded()
{
    const Bytes file = jpegAt(smoothPhoto(), 52);
    const PhotoCondition condition = assessPhotoCondition(estimateJpegQuality(file), decoded(file));
    QVERIFY(condition.degraded);
    QVERIFY2(condition.reason.rfind("JPEG quality 52", 0) == 0, condition.reason.c_str());
}

void TestPhotoCondition::noisyPhotoLooksDegraded()
{
    // A PNG: no JPEG quality, the noise alone tells.
    const PhotoCondition condition = assessPhotoCondition(std::nullopt, withNoise(smoothPhoto(), 10.0));
    QVERIFY(condition.degraded);
    QVERIFY(!condition.jpeg.has_value());
    QVERIFY2(condition.reason.find("visible noise (sigma ") != std::string::npos, condition.reason.c_str());
    QVERIFY2(condition.reason.find("/255)") != std::string::npos, condition.reason.c_str());
}

QTEST_GUILESS_MAIN(TestPhotoCondition)
#include "tst_photo_condition.moc"
