// The training degradations (tools/train/degradations.h, jpeg_simulation.h): each operation stays
// in range and does what it says, and every draw is reproducible from the generator's seed.
#include <QtTest>

#include <algorithm>

#include <ATen/CPUGeneratorImpl.h>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include "degradations.h"
#include "jpeg_simulation.h"

using namespace refine::train;

namespace {

/// A smooth colour gradient with a sharp bright square: edges for blur, flats for noise.
torch::Tensor testImage(int64_t side = 48)
{
    auto ramp = torch::linspace(0.1, 0.9, side);
    auto image = torch::stack({ramp.view({-1, 1}).expand({side, side}), ramp.view({1, -1}).expand({side, side}),
                               torch::full({side, side}, 0.4f)}).clone();
    image.narrow(1, 12, 16).narrow(2, 12, 16).fill_(0.95);
    return image;
}

bool inUnitRange(const torch::Tensor& x) { return x.min().item<double>() >= 0 && x.max().item<double>() <= 1; }

double highFrequencyEnergy(const torch::Tensor& x)
{
    auto dx = x.narrow(2, 1, x.size(2) - 1) - x.narrow(2, 0, x.size(2) - 1);
    return dx.pow(2).mean().item<double>();
}

torch::Generator seeded(uint64_t seed) { return at::detail::createCPUGenerator(seed); }

/// A [3, h, w] image in [0, 1] through libjpeg (OpenCV's codec, 4:2:0 as it saves by default) and back.
torch::Tensor libjpegRoundTrip(const torch::Tensor& rgb, int quality)
{
    const auto bgr8 = (rgb.flip(0) * 255).round().clamp(0, 255).to(torch::kUInt8).permute({1, 2, 0}).contiguous();
    const cv::Mat image(int(bgr8.size(0)), int(bgr8.size(1)), CV_8UC3, bgr8.data_ptr<uint8_t>());
    std::vector<uchar> bytes;
    cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
    const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_COLOR);
    const auto hwc = torch::from_blob(decoded.data, {decoded.rows, decoded.cols, 3}, torch::kUInt8).clone();
    return hwc.permute({2, 0, 1}).flip(0).to(torch::kFloat32) / 255;
}

double meanAbsolute(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().mean().item<double>(); }

}  // namespace

class TestDegradations : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void blurSmoothsAndKeepsTheMean()
    {
        const auto image = testImage();
        const auto blurred = blurGaussian(image, 1.5, 0.5, 0.3);
        QVERIFY(inUnitRange(blurred));
        QVERIFY(highFrequencyEnergy(blurred) < 0.5 * highFrequencyEnergy(image));
        QVERIFY(std::abs(blurred.mean().item<double>() - image.mean().item<double>()) < 0.01);
    }

    void anisotropicBlurFollowsItsAngle()
    {
        // Vertical stripes: blurring along x (angle 0) removes them, along y (angle pi/2) keeps them.
        auto stripes = torch::zeros({3, 32, 32});
        stripes.slice(2, 0, 32, 2).fill_(1.0);
        const auto acrossStripes = blurGaussian(stripes, 2.0, 0.3, 0.0);
        const auto alongStripes = blurGaussian(stripes, 2.0, 0.3, M_PI / 2);
        QVERIFY(highFrequencyEnergy(acrossStripes) < 0.05 * highFrequencyEnergy(alongStripes));
    }

    void resizeRoundTripKeepsTheSizeAndLosesDetail()
    {
        const auto image = testImage();
        for (int down = 0; down < 3; ++down)
            for (int up = 0; up < 2; ++up) {
                const auto x = resizeRoundTrip(image, 0.5, down, up);
                QCOMPARE(x.sizes(), image.sizes());
                QVERIFY(inUnitRange(x));
                QVERIFY((x - image).abs().max().item<double>() > 0.01);
            }
    }

    void noiseHasTheRequestedStrength()
    {
        const auto grey = torch::full({3, 64, 64}, 0.5f);
        auto generator = seeded(1);
        const auto gaussian = addGaussianNoise(grey, 10.0 / 255, false, generator);
        QVERIFY(std::abs((gaussian - grey).std().item<double>() - 10.0 / 255) < 0.005);
        const auto mono = addGaussianNoise(grey, 10.0 / 255, true, generator);
        QVERIFY(torch::equal(mono[0], mono[1]) && torch::equal(mono[1], mono[2]));
        // Poisson: the std of counts/peak at level L is sqrt(L / peak).
        const auto shot = addPoissonNoise(grey, 100, false, generator);
        QVERIFY(std::abs((shot - grey).std().item<double>() - std::sqrt(0.5 / 100)) < 0.01);
        QVERIFY(inUnitRange(shot));
    }

    void grainIsStrongestInTheMidtones()
    {
        auto generator = seeded(2);
        const auto mid = torch::full({3, 64, 64}, 0.5f), dark = torch::full({3, 64, 64}, 0.05f);
        const double midStd = (addFilmGrain(mid, 0.04, 0.8, false, generator) - mid).std().item<double>();
        const double darkStd = (addFilmGrain(dark, 0.04, 0.8, false, generator) - dark).std().item<double>();
        QVERIFY(std::abs(midStd - 0.04) < 0.01);
        QVERIFY(darkStd < 0.6 * midStd);
        const auto mono = addFilmGrain(mid, 0.04, 0.8, false, generator);
        QVERIFY(torch::equal(mono[0], mono[2]));  // monochrome grain: the same in every channel
    }

    void fadeLiftsBlacksAndCastsColour()
    {
        const auto image = testImage();
        const auto faded = fadeAndCast(torch::zeros({3, 4, 4}), 0.05, 0.9, 1.0, 1.0, 1.0);
        QVERIFY(std::abs(faded.min().item<double>() - 0.05) < 1e-6);
        const auto cast = fadeAndCast(image, 0, 1, 1.05, 1.0, 0.95);
        QVERIFY(cast[2].mean().item<double>() < image[2].mean().item<double>());
        QVERIFY(inUnitRange(cast));
    }

    void jpegTablesScaleLikeLibjpeg()
    {
        QCOMPARE(jpegQuantisationTable(50, false)[0][0].item<float>(), 16.0f);  // quality 50 is Annex K itself
        QCOMPARE(jpegQuantisationTable(100, false).max().item<float>(), 1.0f);
        QCOMPARE(jpegQuantisationTable(1, true).max().item<float>(), 255.0f);
        QVERIFY(jpegQuantisationTable(30, false).sum().item<float>() > jpegQuantisationTable(90, false).sum().item<float>());
    }

    void jpegLosesMoreAtLowQualityAndMakesBlocks()
    {
        const auto image = testImage(45);  // not a multiple of 8 or 16: padding is exercised
        const auto high = simulateJpeg(image, 95, false), low = simulateJpeg(image, 20, true);
        QCOMPARE(low.sizes(), image.sizes());
        QVERIFY(inUnitRange(low));
        QVERIFY((high - image).pow(2).mean().item<double>() < (low - image).pow(2).mean().item<double>());
        QVERIFY((high - image).abs().max().item<double>() < 0.1);
        // 8-bit levels: every value is a multiple of 1/255.
        QVERIFY(((low * 255) - (low * 255).round()).abs().max().item<double>() < 1e-4);
        // A flat image survives any quality (its DCT has only a DC term, quantised to nearly itself).
        const auto flat = torch::full({3, 16, 16}, 0.5f);
        QVERIFY((simulateJpeg(flat, 10, true) - flat).abs().max().item<double>() < 0.03);
    }

    void simulatedJpegIsCloseToLibjpeg()
    {
        // The trainer's JPEG must be the damage real files carry: against libjpeg at the same
        // quality and 4:2:0, it differs by far less than either differs from the original.
        auto generator = seeded(11);
        const auto image = addFilmGrain(blurGaussian(testImage(64), 0.6, 0.6, 0), 0.03, 0.5, true, generator);
        for (int quality : {45, 60, 75}) {
            const auto simulated = simulateJpeg(image, quality, true), libjpeg = libjpegRoundTrip(image, quality);
            const double apart = meanAbsolute(simulated, libjpeg), damage = meanAbsolute(libjpeg, image);
            qInfo("quality %d: simulated and libjpeg %.5f apart; libjpeg from the original %.5f", quality, apart, damage);
            QVERIFY2(apart < 0.35 * damage, qPrintable(QString("quality %1: %2 apart, libjpeg's damage %3").arg(quality).arg(apart).arg(damage)));
        }
    }

    void scannedPrintsBlurThenGrainThenJpegWithinTheirRanges()
    {
        const DegradationRanges ranges;
        auto generator = seeded(5);
        int prints = 0, damaged = 0;
        for (int i = 0; i < 400; ++i) {
            const auto d = drawDegradation(ranges, generator);
            damaged += !d.steps.empty();
            if (!d.scannedPrint)
                continue;
            ++prints;
            QCOMPARE(d.steps, (std::vector<std::string>{"blur", "grain", "jpeg"}));
            QCOMPARE(d.blurSigmaX, d.blurSigmaY);
            QVERIFY(d.blurSigmaX >= ranges.printBlurSigmaMin && d.blurSigmaX <= ranges.printBlurSigmaMax);
            QVERIFY(d.grainStd >= ranges.printGrainStdMin && d.grainStd <= ranges.printGrainStdMax);
            QVERIFY(d.grainSize >= ranges.printGrainSizeMin && d.grainSize <= ranges.printGrainSizeMax);
            QVERIFY(!d.colourGrain && d.chromaSubsampling);
            QVERIFY(d.jpegQuality >= ranges.printJpegQualityMin && d.jpegQuality <= ranges.printJpegQualityMax);
        }
        QVERIFY(prints > 0.35 * damaged && prints < 0.65 * damaged);  // half of the damaged examples
    }

    void drawsStayInTheirRangesAndOrderJpegLast()
    {
        const DegradationRanges ranges;
        auto generator = seeded(3);
        int clean = 0, jpeg = 0;
        for (int i = 0; i < 400; ++i) {
            const auto d = drawDegradation(ranges, generator);
            clean += d.steps.empty();
            if (!d.steps.empty() && d.steps.back() == "jpeg") {
                ++jpeg;
                QVERIFY(d.jpegQuality >= ranges.jpegQualityMin && d.jpegQuality <= ranges.jpegQualityMax);
            }
            for (size_t k = 0; k + 1 < d.steps.size(); ++k)
                QVERIFY(d.steps[k] != "jpeg");
            if (d.blurSigmaX > 0)
                QVERIFY(d.blurSigmaX >= ranges.blurSigmaMin && d.blurSigmaY <= ranges.blurSigmaMax);
            if (d.noiseSigma > 0)
                QVERIFY(d.noiseSigma >= ranges.gaussianSigmaMin && d.noiseSigma <= ranges.gaussianSigmaMax);
            if (d.poissonPeak > 0)
                QVERIFY(d.poissonPeak >= ranges.poissonPeakMin && d.poissonPeak <= ranges.poissonPeakMax);
            QVERIFY(d.fadeBlack >= 0 && d.fadeBlack <= ranges.fadeBlackMax && d.fadeWhite >= ranges.fadeWhiteMin);
        }
        QVERIFY(clean > 60 && clean < 140);  // 25% of 400 is 100
        QVERIFY(jpeg > 200);                 // 75% x 80% of 400 is 240
    }

    void toneIsDrawnForCleanAndDamagedExamplesAndLeftOutOfTheSteps()
    {
        auto generator = seeded(4);
        int fadedClean = 0, fadedDamaged = 0;
        const auto image = testImage();
        for (int i = 0; i < 400; ++i) {
            const auto d = drawDegradation(DegradationRanges{}, generator);
            QVERIFY(std::find(d.steps.begin(), d.steps.end(), "fade") == d.steps.end());
            (d.steps.empty() ? fadedClean : fadedDamaged) += d.fade;
            if (!d.fade)
                QVERIFY(torch::equal(applyTone(image, d), image));
            else
                QVERIFY(!torch::equal(applyTone(image, d), image));
        }
        QVERIFY(fadedClean > 10 && fadedDamaged > 50);
    }

    void theSameSeedGivesTheSameDegradedImage()
    {
        const auto image = testImage();
        auto run = [&](uint64_t seed) {
            auto generator = seeded(seed);
            torch::Tensor last;
            for (int i = 0; i < 5; ++i)
                last = applyDegradation(image, drawDegradation(DegradationRanges{}, generator), generator);
            return last;
        };
        QVERIFY(torch::equal(run(7), run(7)));
        QVERIFY(!torch::equal(run(7), run(8)));
        QVERIFY(inUnitRange(run(9)));
    }
};

QTEST_GUILESS_MAIN(TestDegradations)
#include "tst_degradations.moc"
