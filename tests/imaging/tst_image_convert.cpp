// Conversions to and from the engine's ImageF, and the heat map (refine/imaging/engine_image.h).

#include "expect_error.h"
#include "refine/engine/error.h"
#include "refine/imaging/engine_image.h"

#include <QtTest>

#include <limits>

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <functional>

using namespace refine::imaging;

namespace {

// The inferno colour of one level, as RGB float.
cv::Vec3f inferno(int level)
{
    const cv::Mat one(1, 1, CV_8UC1, cv::Scalar(level));
    cv::Mat bgr;
    cv::applyColorMap(one, bgr, cv::COLORMAP_INFERNO);
    const cv::Vec3b c = bgr.at<cv::Vec3b>(0, 0);
    return {c[2] / 255.f, c[1] / 255.f, c[0] / 255.f};
}

refine::ImageF mapOf(int width, int height, const std::function<float(int, int)>& value)
{
    refine::ImageF map(width, height, 1);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            map.at(x, y, 0) = value(x, y);
    return map;
}

}  // namespace

class TestImageConvert : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripRgb();
    void roundTripSingleChannel();
    void roiIsCopiedRowByRow();
    void rejectsBadInput();
    void heatmapOfZerosIsBlack();
    void heatmapIsRobustToOutliers();
    void heatmapIgnoresNanAndNegatives();
    void robustMaximumIsThe99thPercentileOfFiniteValues();
};

void TestImageConvert::roundTripRgb()
{
    cv::Mat rgb(5, 7, CV_32FC3);
    cv::randu(rgb, 0.0, 1.0);
    const refine::ImageF image = toImageF(rgb);
    QCOMPARE(image.width, 7);
    QCOMPARE(image.height, 5);
    QCOMPARE(image.channels, 3);
    const cv::Vec3f p = rgb.at<cv::Vec3f>(3, 4);
    QCOMPARE(image.at(4, 3, 0), p[0]);
    QCOMPARE(image.at(4, 3, 2), p[2]);
    const cv::Mat back = fromImageF(image);
    QCOMPARE(back.type(), CV_32FC3);
    QCOMPARE(cv::norm(back, rgb, cv::NORM_INF), 0.0);
}

void TestImageConvert::roundTripSingleChannel()
{
    cv::Mat map(4, 6, CV_32FC1);
    cv::randu(map, -2.0, 2.0);
    const refine::ImageF image = toImageF(map);
    QCOMPARE(image.channels, 1);
    const cv::Mat back = fromImageF(image);
    QCOMPARE(back.type(), CV_32FC1);
    QCOMPARE(cv::norm(back, map, cv::NORM_INF), 0.0);
}

void TestImageConvert::roiIsCopiedRowByRow()
{
    cv::Mat big(10, 10, CV_32FC3);
    cv::randu(big, 0.0, 1.0);
    const cv::Mat roi = big(cv::Rect(2, 3, 5, 4));
    QVERIFY(!roi.isContinuous());
    const refine::ImageF image = toImageF(roi);
    QCOMPARE(image.at(0, 0, 1), big.at<cv::Vec3f>(3, 2)[1]);
    QCOMPARE(image.at(4, 3, 2), big.at<cv::Vec3f>(6, 6)[2]);
}

void TestImageConvert::rejectsBadInput()
{
    VERIFY_ERROR(toImageF(cv::Mat()), refine::ErrorCode::InvalidArgument);
    VERIFY_ERROR(toImageF(cv::Mat(2, 2, CV_8UC3)), refine::ErrorCode::InvalidArgument);
    VERIFY_ERROR(toImageF(cv::Mat(2, 2, CV_32FC4)), refine::ErrorCode::InvalidArgument);
    VERIFY_ERROR(fromImageF(refine::ImageF(2, 2, 4)), refine::ErrorCode::InvalidArgument);
    VERIFY_ERROR(fromImageF(refine::ImageF()), refine::ErrorCode::InvalidArgument);
    refine::ImageF shortOfPixels(2, 2, 3);
    shortOfPixels.pixels.pop_back();
    VERIFY_ERROR(fromImageF(shortOfPixels), refine::ErrorCode::InvalidArgument);
    VERIFY_ERROR(heatmap(refine::ImageF(2, 2, 3)), refine::ErrorCode::InvalidArgument);
}

void TestImageConvert::heatmapOfZerosIsBlack()
{
    const cv::Mat heat = heatmap(refine::ImageF(8, 4, 1));
    QCOMPARE(heat.type(), CV_32FC3);
    QCOMPARE(heat.size(), cv::Size(8, 4));
    QVERIFY(cv::norm(heat.at<cv::Vec3f>(2, 5) - inferno(0), cv::NORM_INF) < 1e-6);
}

void TestImageConvert::heatmapIsRobustToOutliers()
{
    // 100 x 100 ramp over [0, 1] with 20 huge outliers: the ramp must still span the palette.
    const refine::ImageF map = mapOf(100, 100, [](int x, int y) {
        return y == 0 && x < 20 ? 1e6f : float(y * 100 + x) / 9999.f;
    });
    const cv::Mat heat = heatmap(map);
    const cv::Vec3f middle = heat.at<cv::Vec3f>(50, 0);  // value 0.5: about level 129
    QVERIFY(cv::norm(middle - inferno(129), cv::NORM_INF) < 0.05);
    QVERIFY(cv::norm(heat.at<cv::Vec3f>(0, 0) - inferno(255), cv::NORM_INF) < 1e-6);  // saturated
    // Brighter for larger values.
    QVERIFY(cv::sum(heat.at<cv::Vec3f>(90, 0))[0] > cv::sum(heat.at<cv::Vec3f>(20, 0))[0]);
}

void TestImageConvert::heatmapIgnoresNanAndNegatives()
{
    const refine::ImageF map = mapOf(10, 10, [](int x, int y) {
        if (x == 0 && y == 0)
            return std::nanf("");
        if (x == 1 && y == 0)
            return -5.f;
        return 1.f;
    });
    const cv::Mat heat = heatmap(map);
    QVERIFY(cv::norm(heat.at<cv::Vec3f>(0, 0) - inferno(0), cv::NORM_INF) < 1e-6);
    QVERIFY(cv::norm(heat.at<cv::Vec3f>(0, 1) - inferno(0), cv::NORM_INF) < 1e-6);
    QVERIFY(cv::norm(heat.at<cv::Vec3f>(5, 5) - inferno(255), cv::NORM_INF) < 1e-6);
}

void TestImageConvert::robustMaximumIsThe99thPercentileOfFiniteValues()
{
    std::vector<float> values;
    for (int i = 0; i < 100; ++i)
        values.push_back(float(i));
    values.push_back(std::numeric_limits<float>::quiet_NaN());
    values.push_back(std::numeric_limits<float>::infinity());
    QCOMPARE(robustMaximum(values), 98.f);  // rank (100 - 1) * 99 / 100 of the 100 finite values
    QCOMPARE(robustMaximum({}), 0.f);
}

QTEST_APPLESS_MAIN(TestImageConvert)
#include "tst_image_convert.moc"
