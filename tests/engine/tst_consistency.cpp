// The downscaling operator H and the exact consistency projection: H P(x) = y to 1e-5.
#include <QtTest>

#include <torch/torch.h>

#include "diffusion/consistency.h"
#include "diffusion/resampling.h"

using namespace refine;

class TestConsistency : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::manual_seed(11); }

    void rowsSumToOneAndConstantsStayConstant()
    {
        const auto a = BandMatrix::bicubicDownscale(40, 4).dense();  // weights are stored as float32
        QVERIFY((a.sum(1) - 1).abs().max().item<double>() < 1e-6);
        const auto flat = torch::full({1, 3, 32, 48}, 0.3f);
        QVERIFY((downscaleBicubic(flat, 4) - 0.3f).abs().max().item<float>() < 1e-6f);
    }

    void bandOperatorMatchesItsDenseMatrix_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("factor");
        QTest::newRow("x4 long") << 200 << 4;
        QTest::newRow("x2 odd") << 46 << 2;
        QTest::newRow("x16 short") << 32 << 16;  // every row a border row
        QTest::newRow("x8 one row") << 8 << 8;
    }
    void bandOperatorMatchesItsDenseMatrix()
    {
        // The operator is kept as a stencil plus border corrections and as a few weights per
        // row; its products, its dense form and A A^T (made without the dense form) agree.
        QFETCH(int, size);
        QFETCH(int, factor);
        const BandMatrix a = BandMatrix::bicubicDownscale(size, factor);
        const auto dense = a.dense();
        QCOMPARE(dense.size(0), int64_t(size / factor));
        QVERIFY((dense.sum(1) - 1).abs().max().item<double>() < 1e-12);
        QVERIFY((a.gram() - torch::matmul(dense, dense.t())).abs().max().item<double>() < 1e-14);
        const auto x = torch::randn({3, size, 5}, torch::kFloat64);
        QVERIFY((a.apply(x, 1) - torch::matmul(dense, x)).abs().max().item<double>() < 1e-12);
        const auto y = torch::randn({3, size / factor, 5}, torch::kFloat64);
        QVERIFY((a.applyTransposed(y, 1) - torch::matmul(dense.t(), y)).abs().max().item<double>() < 1e-12);
    }

    void transposeIsTheAdjoint()
    {
        Downscaler h(24, 40, 4);
        const auto x = torch::randn({2, 3, 24, 40}, torch::kFloat64);
        const auto y = torch::randn({2, 3, 6, 10}, torch::kFloat64);
        const double lhs = (h.apply(x) * y).sum().item<double>();
        const double rhs = (x * h.applyTransposed(y)).sum().item<double>();
        QVERIFY(std::abs(lhs - rhs) < 1e-5 * std::abs(lhs) + 1e-6);
    }

    void projectionIsExact_data()
    {
        QTest::addColumn<int>("factor");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::newRow("x2 odd sizes") << 2 << 30 << 46;
        QTest::newRow("x4") << 4 << 64 << 48;
        QTest::newRow("x8") << 8 << 64 << 128;
        QTest::newRow("x16") << 16 << 64 << 64;
    }
    void projectionIsExact()
    {
        QFETCH(int, factor);
        QFETCH(int, height);
        QFETCH(int, width);
        ConsistencyProjection projection(height, width, factor);
        const auto x = torch::rand({2, 3, height, width}) * 2 - 1;
        const auto y = torch::rand({2, 3, height / factor, width / factor}) * 2 - 1;
        const auto projected = projection.project(x, y);
        const double residual = (projection.downscaler().apply(projected) - y).abs().max().item<double>();
        QVERIFY2(residual < 1e-5, qPrintable(QString("max |H P(x) - y| = %1").arg(residual)));
        // A projection: applying it again changes nothing.
        QVERIFY((projection.project(projected, y) - projected).abs().max().item<double>() < 1e-5);
        QVERIFY(projection.error(projected, y).max().item<double>() < 1e-10);
    }

    void projectionWithinRangeConvergesAtHighlights()
    {
        // A photo with large clipped highlights and shadows (40% of its pixels at the range's
        // ends), shrunk; the start has the overshoot of a sharpening upscaler, so the plain
        // projection leaves the range at every edge.
        torch::manual_seed(5);
        const auto truth = (upscaleBicubic(torch::rand({1, 3, 12, 16}) * 2 - 1, 8) * 1.6).clamp(-1, 1);
        ConsistencyProjection projection(96, 128, 4);
        const auto y = projection.downscaler().apply(truth);
        const auto x = upscaleBicubic(y, 4) * 1.3 + 0.05 * torch::randn({1, 3, 96, 128});
        const double overshoot = projection.project(x, y).abs().max().item<double>() - 1;
        QVERIFY2(overshoot > 0.05, qPrintable(QString::number(overshoot)));
        const auto result = projection.projectWithinRange(x, y);
        QVERIFY(result.abs().max().item<double>() <= 1.0);
        // Plain clamping left 7.2e-6 after its 10 rounds here; over-relaxed, 1.3e-6.
        const double error = projection.error(result, y).max().item<double>();
        QVERIFY2(error < 2e-6, qPrintable(QString("MSE after 10 rounds: %1").arg(error)));
    }

    void projectionWithinRangeStopsOnceTheErrorIsInvisible()
    {
        // A photo whose consistent images include in-range ones, and a noisy start that the
        // projection takes out of range here and there: a few rounds bring the error under the
        // tolerance, and the rounds allowed beyond them are not used.
        torch::manual_seed(7);
        const auto truth = (upscaleBicubic(torch::rand({2, 3, 12, 16}) * 2 - 1, 8) * 0.95).clamp(-1, 1);
        ConsistencyProjection projection(96, 128, 4);
        const auto y = projection.downscaler().apply(truth);
        const auto x = truth + 0.1 * torch::randn({2, 3, 96, 128});
        QVERIFY(projection.project(x, y).abs().max().item<double>() > 1.0);
        const auto result = projection.projectWithinRange(x, y);
        QVERIFY(result.abs().max().item<double>() <= 1.0);
        const double error = projection.error(result, y).max().item<double>() * 0.25;  // [0, 1] units
        QVERIFY2(error <= ConsistencyProjection::kWithinRangeTolerance, qPrintable(QString::number(error)));
        QVERIFY(torch::equal(result, projection.projectWithinRange(x, y, 100)));
        QVERIFY(!torch::equal(result, projection.projectWithinRange(x, y, 1)));
        // Each image stops on its own: the same result alone as in the batch.
        for (int64_t i = 0; i < 2; ++i)
            QVERIFY(torch::equal(result[i], projection.projectWithinRange(x.narrow(0, i, 1), y.narrow(0, i, 1))[0]));
    }

    void projectionKeepsConsistentImagesAndOnlyAddsLowFrequencies()
    {
        ConsistencyProjection projection(96, 96, 4);
        const auto x = torch::rand({1, 3, 96, 96});
        const auto y = projection.downscaler().apply(x);
        QVERIFY((projection.project(x, y) - x).abs().max().item<double>() < 1e-5);
        // A colour shift of the low-resolution target moves the result by the same shift (away
        // from the borders, where the minimum-norm correction is not flat).
        const auto shift = (projection.project(x, y + 0.1f) - x).narrow(2, 32, 32).narrow(3, 32, 32);
        QVERIFY((shift - 0.1f).abs().max().item<double>() < 1e-4);
    }
};

QTEST_APPLESS_MAIN(TestConsistency)
#include "tst_consistency.moc"
