// refine-eval's --degrade old and its parts (tools/eval/old_photo.h): each part alone changes the
// photo as it says and leaves the others out, and every draw is the same for the same photo and seed.
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "old_photo.h"

using namespace refine::eval;

namespace {

/// A 64x64 colour ramp with a bright square: edges for blur and blocks, flats for grain.
cv::Mat testPhoto()
{
    cv::Mat photo(64, 64, CV_32FC3);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x)
            photo.at<cv::Vec3f>(y, x) = cv::Vec3f(0.1f + 0.8f * x / 63, 0.1f + 0.8f * y / 63, 0.4f);
    photo(cv::Rect(20, 20, 16, 16)).setTo(cv::Scalar(0.95, 0.95, 0.95));
    return photo;
}

double maxDifference(const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); }

/// How far the image is from 8-bit levels (0 when every sample is k / 255).
double offLevels(const cv::Mat& image)
{
    cv::Mat bytes, back;
    image.convertTo(bytes, CV_8UC3, 255.0);
    bytes.convertTo(back, CV_32FC3, 1.0 / 255.0);
    return maxDifference(image, back);
}

}  // namespace

class TestEvalDamage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void namesSelectTheParts()
    {
        QVERIFY(!damagePartNamed("none"));
        QCOMPARE(*damagePartNamed("old"), DamagePart::All);
        QCOMPARE(*damagePartNamed("old-blur"), DamagePart::Blur);
        QCOMPARE(*damagePartNamed("old-grain"), DamagePart::Grain);
        QCOMPARE(*damagePartNamed("old-jpeg"), DamagePart::Jpeg);
        QVERIFY(!damagePartNamed("old-scratches"));
    }

    void aPartKeepsOnlyItsOwnDraw()
    {
        const OldPhotoDamage drawn = oldPhotoDamageFor("photo.jpg", 1);
        QVERIFY(drawn.blurSigma >= 0.3 && drawn.blurSigma <= 0.6);
        QVERIFY(drawn.grainStd >= 0.005 && drawn.grainStd <= 0.015);
        QVERIFY(drawn.jpegQuality >= 45 && drawn.jpegQuality <= 75);
        const auto blur = onlyPart(drawn, DamagePart::Blur);
        QCOMPARE(blur.blurSigma, drawn.blurSigma);
        QCOMPARE(blur.grainStd, 0.0);
        QCOMPARE(blur.jpegQuality, 0);
        const auto jpeg = onlyPart(drawn, DamagePart::Jpeg);
        QCOMPARE(jpeg.blurSigma, 0.0);
        QCOMPARE(jpeg.jpegQuality, drawn.jpegQuality);
        const auto all = onlyPart(drawn, DamagePart::All);
        QCOMPARE(all.grainStd, drawn.grainStd);
    }

    void eachPartDoesWhatItSays()
    {
        const cv::Mat photo = testPhoto();
        OldPhotoDamage none;
        const cv::Mat rounded = applyOldPhotoDamage(photo, none, 1);
        QVERIFY(offLevels(rounded) < 1e-6);                // still an 8-bit photo
        QVERIFY(maxDifference(rounded, photo) <= 0.5 / 255 + 1e-6);

        OldPhotoDamage blur;
        blur.blurSigma = 0.6;
        const cv::Mat blurred = applyOldPhotoDamage(photo, blur, 1);
        QVERIFY(maxDifference(blurred, photo) > 0.1);     // the square's edges are softened
        QVERIFY(offLevels(blurred) < 1e-6);

        OldPhotoDamage grain;
        grain.grainStd = 0.015;
        const cv::Mat grainy = applyOldPhotoDamage(photo, grain, 1);
        cv::Scalar mean, deviation;
        const cv::Mat difference = grainy - rounded;
        cv::meanStdDev(difference.reshape(1), mean, deviation);
        QVERIFY2(deviation[0] > 0.005 && deviation[0] < 0.03, qPrintable(QString::number(deviation[0])));
        QVERIFY(maxDifference(grainy, applyOldPhotoDamage(photo, grain, 1)) == 0);  // seeded
        QVERIFY(maxDifference(grainy, applyOldPhotoDamage(photo, grain, 2)) > 0);

        OldPhotoDamage jpeg;
        jpeg.jpegQuality = 45;
        const cv::Mat blocky = applyOldPhotoDamage(photo, jpeg, 1);
        QVERIFY(maxDifference(blocky, rounded) > 2.0 / 255);
        QVERIFY(maxDifference(blocky, applyOldPhotoDamage(photo, jpeg, 7)) == 0);  // no noise in it
    }

    void thePhotosDrawIsReproducible()
    {
        const cv::Mat photo = testPhoto();
        const cv::Mat a = degradeLikeAnOldPhoto(photo, "photo.jpg", 1);
        QCOMPARE(maxDifference(a, degradeLikeAnOldPhoto(photo, "photo.jpg", 1)), 0.0);
        QVERIFY(maxDifference(a, degradeLikeAnOldPhoto(photo, "other.jpg", 1)) > 0);
        // The parts are of the same draw: blur alone is the full damage's blur.
        const auto drawn = oldPhotoDamageFor("photo.jpg", 1);
        OldPhotoDamage blur;
        blur.blurSigma = drawn.blurSigma;
        QCOMPARE(maxDifference(degradeLikeAnOldPhoto(photo, "photo.jpg", 1, DamagePart::Blur),
                               applyOldPhotoDamage(photo, blur, 0)), 0.0);
    }
};

QTEST_APPLESS_MAIN(TestEvalDamage)
#include "tst_eval_damage.moc"
