// Filling a marked part of an image from its surroundings (refine/imaging/inpaint.h): the
// condition of the desktop app's repair brush. A smooth image gets a bright "scratch"; filling
// the scratch must bring back about what was under it and leave every other pixel bit for bit.

#include "expect_error.h"
#include "refine/engine/error.h"
#include "refine/imaging/engine_image.h"
#include "refine/imaging/inpaint.h"

#include <QtTest>

#include <opencv2/imgproc.hpp>

using namespace refine::imaging;
using refine::ErrorCode;

Q_DECLARE_METATYPE(refine::imaging::InpaintMethod)

namespace {

constexpr int kSide = 32;

/// A smooth ramp, a different one per channel.
cv::Mat smoothImage(int channels)
{
    cv::Mat image(kSide, kSide, CV_32FC(channels));
    for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x)
            for (int c = 0; c < channels; ++c)
                image.ptr<float>(y)[x * channels + c] = 0.2f + 0.5f * float(x + (c + 1) * y) / float((c + 2) * kSide);
    return image;
}

/// A diagonal line 2 pixels wide: where the scratch is, and what the fill is told to fill.
cv::Mat scratchMask()
{
    cv::Mat mask(kSide, kSide, CV_8UC1, cv::Scalar(0));
    cv::line(mask, {4, 6}, {27, 25}, cv::Scalar(255), 2);
    return mask;
}

/// Largest difference of two float images where `where` is (or is not) set.
double maxDifference(const cv::Mat& a, const cv::Mat& b, const cv::Mat& where, bool inside)
{
    cv::Mat difference;
    cv::absdiff(a, b, difference);
    cv::Mat selected = inside ? where : (where == 0);
    double most = 0;
    std::vector<cv::Mat> channels;
    cv::split(difference, channels);
    for (const cv::Mat& channel : channels) {
        double m = 0;
        cv::minMaxLoc(channel, nullptr, &m, nullptr, nullptr, selected);
        most = std::max(most, m);
    }
    return most;
}

}  // namespace

class TestImageInpaint : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fillsTheScratchFromAround_data();
    void fillsTheScratchFromAround();
    void edgesAreFilledLikeTheInside_data();
    void edgesAreFilledLikeTheInside();
    void engineImagesAgreeWithMatrices();
    void nothingMarkedIsACopy();
    void namesForTheProvenance();
    void rejectsBadInput();
};

void TestImageInpaint::fillsTheScratchFromAround_data()
{
    QTest::addColumn<InpaintMethod>("method");
    QTest::addColumn<int>("channels");
    QTest::newRow("telea rgb") << InpaintMethod::Telea << 3;
    QTest::newRow("telea grey") << InpaintMethod::Telea << 1;
    QTest::newRow("navier-stokes rgb") << InpaintMethod::NavierStokes << 3;
}

void TestImageInpaint::fillsTheScratchFromAround()
{
    QFETCH(InpaintMethod, method);
    QFETCH(int, channels);
    const cv::Mat clean = smoothImage(channels);
    const cv::Mat mask = scratchMask();
    cv::Mat scratched = clean.clone();
    scratched.setTo(cv::Scalar::all(1.0), mask);

    const cv::Mat filled = inpaint(scratched, mask, method, 3.0);
    QCOMPARE(filled.type(), scratched.type());
    QCOMPARE(filled.size(), scratched.size());
    QCOMPARE(maxDifference(filled, scratched, mask, /*inside=*/false), 0.0);  // bit for bit
    // The ramp continues under the scratch (the scratch was up to 0.8 brighter than it).
    QVERIFY2(maxDifference(filled, clean, mask, /*inside=*/true) < 0.05,
             qPrintable(QString::number(maxDifference(filled, clean, mask, true))));
    double lowest = 0, highest = 0;
    cv::minMaxLoc(filled.reshape(1), &lowest, &highest);
    QVERIFY(lowest >= 0.0 && highest <= 1.0);
    // The same input fills the same way.
    QCOMPARE(cv::norm(inpaint(scratched, mask, method, 3.0), filled, cv::NORM_INF), 0.0);
}

void TestImageInpaint::edgesAreFilledLikeTheInside_data()
{
    QTest::addColumn<InpaintMethod>("method");
    QTest::newRow("telea") << InpaintMethod::Telea;
    QTest::newRow("navier-stokes") << InpaintMethod::NavierStokes;
}

void TestImageInpaint::edgesAreFilledLikeTheInside()
{
    // Holes on the left and top edges of a flat grey image (OpenCV fills these wrongly unless
    // helped): the fill is the same grey.
    QFETCH(InpaintMethod, method);
    cv::Mat image(5, 5, CV_32FC1, cv::Scalar(0.5));
    cv::Mat mask(5, 5, CV_8UC1, cv::Scalar(0));
    for (const cv::Point hole : {cv::Point(0, 2), cv::Point(1, 2), cv::Point(2, 0), cv::Point(2, 1)}) {
        image.at<float>(hole) = 0.f;
        mask.at<std::uint8_t>(hole) = 255;
    }
    const cv::Mat filled = inpaint(image, mask, method);
    QVERIFY2(cv::norm(filled, cv::Mat(5, 5, CV_32FC1, cv::Scalar(0.5)), cv::NORM_INF) < 1e-3,
             qPrintable(QString::number(cv::norm(filled, cv::Mat(5, 5, CV_32FC1, cv::Scalar(0.5)), cv::NORM_INF))));
}

void TestImageInpaint::engineImagesAgreeWithMatrices()
{
    cv::Mat scratched = smoothImage(3);
    const cv::Mat mask = scratchMask();
    scratched.setTo(cv::Scalar::all(1.0), mask);
    const refine::ImageF image = toImageF(scratched);
    const std::vector<std::uint8_t> values(mask.begin<std::uint8_t>(), mask.end<std::uint8_t>());
    const refine::ImageF filled = inpaint(image, values, InpaintMethod::Telea);
    QCOMPARE(cv::norm(fromImageF(filled), inpaint(scratched, mask, InpaintMethod::Telea), cv::NORM_INF), 0.0);
}

void TestImageInpaint::nothingMarkedIsACopy()
{
    const cv::Mat image = smoothImage(3);
    const cv::Mat none(kSide, kSide, CV_8UC1, cv::Scalar(0));
    QCOMPARE(cv::norm(inpaint(image, none, InpaintMethod::NavierStokes), image, cv::NORM_INF), 0.0);
}

void TestImageInpaint::namesForTheProvenance()
{
    QCOMPARE(inpaintMethodName(InpaintMethod::Telea), "telea");
    QCOMPARE(inpaintMethodName(InpaintMethod::NavierStokes), "ns");
}

void TestImageInpaint::rejectsBadInput()
{
    const cv::Mat image = smoothImage(3);
    const cv::Mat mask = scratchMask();
    VERIFY_ERROR(inpaint(cv::Mat(), mask, InpaintMethod::Telea), ErrorCode::InvalidArgument);
    VERIFY_ERROR(inpaint(cv::Mat(kSide, kSide, CV_8UC3), mask, InpaintMethod::Telea), ErrorCode::InvalidArgument);
    VERIFY_ERROR(inpaint(image, cv::Mat(kSide, kSide + 1, CV_8UC1, cv::Scalar(0)), InpaintMethod::Telea),
                 ErrorCode::InvalidArgument, {"mask"});
    VERIFY_ERROR(inpaint(image, cv::Mat(kSide, kSide, CV_32FC1, cv::Scalar(0)), InpaintMethod::Telea),
                 ErrorCode::InvalidArgument, {"mask"});
    VERIFY_ERROR(inpaint(image, mask, InpaintMethod::Telea, 0.0), ErrorCode::InvalidArgument, {"radius"});
    VERIFY_ERROR(inpaint(image, cv::Mat(kSide, kSide, CV_8UC1, cv::Scalar(255)), InpaintMethod::Telea),
                 ErrorCode::InvalidArgument, {"nothing around it"});
    VERIFY_ERROR(inpaint(toImageF(image), std::vector<std::uint8_t>(7, 0), InpaintMethod::Telea),
                 ErrorCode::InvalidArgument, {"one value per pixel"});
}

QTEST_APPLESS_MAIN(TestImageInpaint)
#include "tst_image_inpaint.moc"
