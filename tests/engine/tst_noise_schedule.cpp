// Beta schedules against their closed forms, gammas, re-spacing and training noise levels.
#include <QtTest>

#include <cmath>

#include <torch/torch.h>

#include "expect_error.h"
#include "diffusion/noise_schedule.h"
#include "refine/engine/error.h"

using namespace refine;

class TestNoiseSchedule : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void linearAndQuadMatchClosedForms()
    {
        BetaScheduleSpec s;
        s.timesteps = 2000;
        const auto linear = makeBetaSchedule(s);
        QCOMPARE(linear.front(), 1e-6);
        QVERIFY(std::abs(linear.back() - 1e-2) < 1e-15);
        QVERIFY(std::abs(linear[1000] - (1e-6 + (1e-2 - 1e-6) * 1000 / 1999)) < 1e-15);
        s.kind = BetaScheduleKind::Quad;
        const auto quad = makeBetaSchedule(s);
        const double root = std::sqrt(1e-6) + (std::sqrt(1e-2) - std::sqrt(1e-6)) * 500 / 1999;
        QVERIFY(std::abs(quad[500] - root * root) < 1e-15);
    }

    void linearGammaAtTheEndMatchesTheReference()
    {
        // ../shared/reference/sr3.md: linear 1e-6 -> 1e-2 over 2000 steps gives gamma_T = 4.39e-5.
        NoiseSchedule schedule(BetaScheduleSpec{});
        QVERIFY(std::abs(schedule.gammas().back() - 4.39e-5) < 0.01e-5);
        BetaScheduleSpec ddpm;
        ddpm.linearStart = 1e-4;
        ddpm.linearEnd = 2e-2;
        QVERIFY(std::abs(NoiseSchedule(ddpm).gammas().back() / 1.6e-9 - 1) < 0.05);
    }

    void warmupCosineConstJsd()
    {
        BetaScheduleSpec s;
        s.timesteps = 100;
        s.kind = BetaScheduleKind::Warmup10;
        auto w = makeBetaSchedule(s);
        QCOMPARE(w[0], s.linearStart);
        QVERIFY(std::abs(w[9] - s.linearEnd) < 1e-15);
        QCOMPARE(w[50], s.linearEnd);
        s.kind = BetaScheduleKind::Warmup50;
        QCOMPARE(makeBetaSchedule(s)[49], s.linearEnd);
        QVERIFY(makeBetaSchedule(s)[48] < s.linearEnd);
        s.kind = BetaScheduleKind::Const;
        QCOMPARE(makeBetaSchedule(s)[3], s.linearEnd);
        s.kind = BetaScheduleKind::Jsd;
        QCOMPARE(makeBetaSchedule(s)[0], 1.0 / 100);
        QCOMPARE(makeBetaSchedule(s)[99], 1.0);
        s.kind = BetaScheduleKind::Cosine;
        const auto c = makeBetaSchedule(s);
        // Product of (1 - beta) telescopes to alpha_bar(T) / alpha_bar(0) (before the 0.999 clamp).
        const double pi = std::acos(-1.0);
        auto alphaBar = [&](double t) { return std::pow(std::cos((t + 8e-3) / (1 + 8e-3) * pi / 2), 2); };
        double gamma = 1;
        for (int i = 0; i < 50; ++i)
            gamma *= 1 - c[i];
        QVERIFY(std::abs(gamma - alphaBar(0.5) / alphaBar(0.0)) < 1e-12);
        QVERIFY(*std::max_element(c.begin(), c.end()) <= 0.999);
    }

    void namesRoundTrip()
    {
        for (const char* name : {"linear", "cosine", "warmup10", "warmup50", "quad", "const", "jsd"})
            QCOMPARE(betaScheduleKindName(betaScheduleKindFromName(name)), std::string(name));
        VERIFY_ERROR(betaScheduleKindFromName("sigmoid"), ErrorCode::BadModel, {"sigmoid"});
    }

    void respacingKeepsEndsAndChains()
    {
        NoiseSchedule schedule(BetaScheduleSpec{});
        const auto full = schedule.respace(2000);
        for (int t : {1999, 1000, 1}) {
            QCOMPARE(full[1999 - t].gamma, schedule.fullStep(t).gamma);
            QCOMPARE(full[1999 - t].gammaPrev, schedule.fullStep(t).gammaPrev);
        }
        const auto few = schedule.respace(10);
        QCOMPARE(int(few.size()), 10);
        QCOMPARE(few.front().gamma, schedule.gammas().back());
        QCOMPARE(few.back().gamma, schedule.gammas().front());
        QCOMPARE(few.back().gammaPrev, 1.0);
        for (size_t k = 0; k + 1 < few.size(); ++k) {
            QCOMPARE(few[k].gammaPrev, few[k + 1].gamma);
            QVERIFY(few[k].gamma < few[k].gammaPrev);
        }
        VERIFY_ERROR(schedule.respace(0), ErrorCode::InvalidArgument);
        VERIFY_ERROR(schedule.respace(2001), ErrorCode::InvalidArgument);
    }

    void trainingNoiseLevelsLieInTheSchedule()
    {
        NoiseSchedule schedule(BetaScheduleSpec{});
        auto generator = at::detail::createCPUGenerator(3);
        const auto levels = schedule.sampleTrainingNoiseLevels(4096, generator);
        QCOMPARE(levels.size(0), int64_t(4096));
        QVERIFY(levels.max().item<float>() <= 1.0f);
        QVERIFY(levels.min().item<float>() >= float(std::sqrt(schedule.gammas().back())) - 1e-6f);
        // Uniform over t: the median timestep is ~1000, whose sqrt(gamma) is well inside (0, 1).
        const double median = levels.median().item<double>();
        QVERIFY(std::abs(median - std::sqrt(schedule.gammas()[1000])) < 0.05);
    }
};

QTEST_APPLESS_MAIN(TestNoiseSchedule)
#include "tst_noise_schedule.moc"
