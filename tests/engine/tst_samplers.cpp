// Samplers over a fake network: with an oracle noise prediction every sampler must land on the
// known clean image; callbacks fire as documented; the same noise gives the same result.
#include <QtTest>

#include <torch/torch.h>

#include "expect_error.h"
#include "diffusion/samplers.h"
#include "refine/engine/error.h"

using namespace refine;

namespace {

struct OracleRun {
    torch::Tensor target = torch::rand({2, 3, 8, 8}) * 1.6 - 0.8;
    int steps = 0, noiseDraws = 0;
    SamplerCallbacks callbacks()
    {
        SamplerCallbacks cb;
        cb.predictNoise = [this](const torch::Tensor& x, double level) {
            const double gamma = level * level;
            return (x - std::sqrt(gamma) * target) / std::sqrt(1 - gamma);
        };
        cb.refineX0 = [](const torch::Tensor& x0) { return x0.clamp(-1, 1); };
        cb.noise = [this](int) {
            ++noiseDraws;
            return torch::randn_like(target);
        };
        cb.onStep = [this](int, int, const torch::Tensor&) { ++steps; };
        return cb;
    }
};

}  // namespace

class TestSamplers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void oracleNetworkRecoversTheImage_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("eta");
        QTest::addColumn<int>("steps");
        QTest::newRow("ddpm 25") << int(SamplerKind::Ancestral) << 0.0 << 25;
        QTest::newRow("ddim 10 eta 0") << int(SamplerKind::Ddim) << 0.0 << 10;
        QTest::newRow("ddim 10 eta 1") << int(SamplerKind::Ddim) << 1.0 << 10;
        QTest::newRow("dpm++2m 8") << int(SamplerKind::DpmSolverPP2M) << 0.0 << 8;
        QTest::newRow("dpm++2m 1") << int(SamplerKind::DpmSolverPP2M) << 0.0 << 1;
    }
    void oracleNetworkRecoversTheImage()
    {
        QFETCH(int, kind);
        QFETCH(double, eta);
        QFETCH(int, steps);
        torch::manual_seed(1);
        OracleRun run;
        const auto schedule = NoiseSchedule(BetaScheduleSpec{}).respace(steps);
        const auto result = sample(torch::randn_like(run.target), schedule, {SamplerKind(kind), eta}, run.callbacks());
        QVERIFY((result - run.target).abs().max().item<double>() < 1e-4);
        QCOMPARE(run.steps, steps);
        const bool stochastic = SamplerKind(kind) == SamplerKind::Ancestral || eta > 0;
        QCOMPARE(run.noiseDraws, stochastic ? steps - 1 : 0);
    }

    void sameNoiseSameResult()
    {
        auto once = [] {
            torch::manual_seed(5);
            SamplerCallbacks cb;
            cb.predictNoise = [](const torch::Tensor& x, double) { return 0.5 * x; };
            cb.refineX0 = [](const torch::Tensor& x0) { return x0.clamp(-1, 1); };
            cb.noise = [](int) { return torch::randn({1, 3, 4, 4}); };
            cb.onStep = [](int, int, const torch::Tensor&) {};
            return sample(torch::randn({1, 3, 4, 4}), NoiseSchedule(BetaScheduleSpec{}).respace(6),
                          {SamplerKind::Ancestral, 0}, cb);
        };
        QVERIFY(torch::equal(once(), once()));
    }

    void namesRoundTrip()
    {
        for (const char* name : {"ddpm", "ddim", "dpmpp2m"})
            QCOMPARE(samplerKindName(samplerKindFromName(name)), std::string(name));
        VERIFY_ERROR(samplerKindFromName("euler"), ErrorCode::InvalidArgument, {"euler"});
    }
};

QTEST_APPLESS_MAIN(TestSamplers)
#include "tst_samplers.moc"
