// Classical resampling (refine/imaging/resample.h).

#include "expect_error.h"
#include "refine/engine/error.h"
#include "refine/imaging/resample.h"

#include <QtTest>

#include <functional>

using namespace refine::imaging;

namespace {

using Resize = std::function<cv::Mat(const cv::Mat&, cv::Size)>;

// A hard black/white edge: the worst case for ringing.
cv::Mat stepEdge(int channels)
{
    cv::Mat image(16, 16, CV_32FC(channels), cv::Scalar::all(0.0));
    image.colRange(8, 16).setTo(cv::Scalar::all(1.0));
    return image;
}

}  // namespace

Q_DECLARE_METATYPE(Resize)

class TestImageResample : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void resizes_data();
    void resizes();
    void upscalingStaysInRange_data();
    void upscalingStaysInRange();
    void areaKeepsTheMean();
    void rejectsBadInput();
};

void TestImageResample::resizes_data()
{
    QTest::addColumn<Resize>("resize");
    QTest::addColumn<int>("channels");
    QTest::newRow("lanczos rgb") << Resize(resizeLanczos) << 3;
    QTest::newRow("lanczos alpha") << Resize(resizeLanczos) << 1;
    QTest::newRow("bicubic rgba") << Resize(resizeBicubic) << 4;
    QTest::newRow("area rgb") << Resize(resizeArea) << 3;
}

void TestImageResample::resizes()
{
    QFETCH(Resize, resize);
    QFETCH(int, channels);
    const cv::Mat flat(10, 12, CV_32FC(channels), cv::Scalar::all(0.25));
    for (const cv::Size size : {cv::Size(48, 40), cv::Size(5, 3), cv::Size(12, 10)}) {
        const cv::Mat out = resize(flat, size);
        QCOMPARE(out.size(), size);
        QCOMPARE(out.type(), flat.type());
        QVERIFY(cv::norm(out, cv::Mat(size, flat.type(), cv::Scalar::all(0.25)), cv::NORM_INF) < 1e-5);
    }
}

void TestImageResample::upscalingStaysInRange_data()
{
    QTest::addColumn<Resize>("resize");
    QTest::newRow("lanczos") << Resize(resizeLanczos);
    QTest::newRow("bicubic") << Resize(resizeBicubic);
}

void TestImageResample::upscalingStaysInRange()
{
    QFETCH(Resize, resize);
    const cv::Mat out = resize(stepEdge(3), cv::Size(64, 64));
    double lo = 0, hi = 0;
    cv::minMaxLoc(out.reshape(1), &lo, &hi);
    QCOMPARE(lo, 0.0);
    QCOMPARE(hi, 1.0);
    // The edge is still there: left dark, right bright.
    QVERIFY(out.at<cv::Vec3f>(32, 4)[0] < 0.01f);
    QVERIFY(out.at<cv::Vec3f>(32, 60)[0] > 0.99f);
}

void TestImageResample::areaKeepsTheMean()
{
    cv::Mat image(64, 64, CV_32FC3);
    cv::randu(image, 0.0, 1.0);
    const cv::Mat out = resizeArea(image, cv::Size(16, 16));
    const cv::Scalar before = cv::mean(image), after = cv::mean(out);
    for (int c = 0; c < 3; ++c)
        QVERIFY(std::abs(before[c] - after[c]) < 1e-4);
}

void TestImageResample::rejectsBadInput()
{
    VERIFY_ERROR(resizeLanczos(cv::Mat(), cv::Size(4, 4)), refine::ErrorCode::InvalidArgument);
    VERIFY_ERROR(resizeBicubic(cv::Mat(4, 4, CV_8UC3), cv::Size(8, 8)), refine::ErrorCode::InvalidArgument);
    VERIFY_ERROR(resizeArea(cv::Mat(4, 4, CV_32FC(5)), cv::Size(2, 2)), refine::ErrorCode::InvalidArgument);
    VERIFY_ERROR(resizeArea(cv::Mat(4, 4, CV_32FC3), cv::Size(0, 2)), refine::ErrorCode::InvalidArgument);
}

QTEST_APPLESS_MAIN(TestImageResample)
#include "tst_image_resample.moc"
