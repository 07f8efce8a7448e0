// The residual-shift model family on the CPU with tiny random models: the schedule, the sampler
// against an oracle network, the tiled clean upscale, the whole pipeline (clean result, candidates,
// seeds, cascade, previews, consistency), the Detail blend and card bounds.
#include <QtTest>

#include <cmath>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "diffusion/consistency.h"
#include "diffusion/resampling.h"
#include "diffusion/residual_shift.h"
#include "expect_error.h"
#include "model/model_card.h"
#include "pipeline/clean_upscale.h"
#include "pipeline/tensor_image.h"
#include "refine/engine/detail.h"
#include "refine/engine/engine.h"
#include "test_support.h"

using namespace refine;

namespace {

struct Recorder : EnhanceObserver {
    int cleanCalls = 0, previewsBeforeClean = 0, firstPreviewStep = -1, drafts = 0, draftsAfterClean = 0;
    bool exactConsistency = true;  ///< false for soft and off jobs
    ImageF draft;
    void onCleanDraft(const ImageF& image) override
    {
        ++drafts;
        draftsAfterClean += cleanCalls;
        draft = image;
    }
    void onClean(const CandidateOutput& clean) override
    {
        ++cleanCalls;
        QVERIFY(!clean.image.empty());
        QCOMPARE(clean.index, -1);
        if (exactConsistency)
            QVERIFY(clean.consistencyMse < 1e-8);
    }
    void onPreview(const EnhancePreview& p) override
    {
        if (cleanCalls == 0)
            ++previewsBeforeClean;
        if (firstPreviewStep < 0)
            firstPreviewStep = p.step;
    }
};

double maxDifference(const ImageF& a, const ImageF& b)
{
    double d = 0;
    for (size_t i = 0; i < a.pixels.size(); ++i)
        d = std::max(d, double(std::abs(a.pixels[i] - b.pixels[i])));
    return d;
}

/// MSE (in [0, 1] units) between H(image) and the input.
double consistencyOf(const ImageF& image, const ImageF& input, int scale)
{
    const auto x = imageToTensor(image), y = imageToTensor(input);
    const Downscaler down(x.size(2), x.size(3), scale);
    return consistencyError(down, x, y)[0].item<double>() * 0.25;
}

}  // namespace

class TestResidualShift : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;

    EnhanceRequest request(const std::string& preset = "Balanced", int candidates = 2, int scale = 4) const
    {
        EnhanceRequest r;
        r.input = test::syntheticImage(12, 9);
        r.scale = scale;
        r.candidates = candidates;
        r.preset = preset;
        r.seed = 11;
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::useTestThreads();
        QVERIFY(m_dir.isValid());
        test::writeTinyResidualShiftModel(m_dir.filePath("tiny").toStdString());
        m_engine = std::make_unique<Engine>(EngineOptions{"cpu", Precision::Float32, 0});
        m_engine->loadModel(m_dir.filePath("tiny").toStdString());
    }

    void scheduleMatchesResShiftsFourStepTable()
    {
        // ResShift's exponential schedule for T = 4 (p = 0.3, sqrt(eta) from 0.1 to 0.99).
        const auto steps = residualShiftSteps(ResidualShiftSchedule{}, 4);
        QCOMPARE(int(steps.size()), 4);
        const double expected[] = {0.990, 0.761, 0.520, 0.100};
        for (int i = 0; i < 4; ++i) {
            QVERIFY2(std::abs(steps[size_t(i)].sqrtEta - expected[i]) < 2e-3, qPrintable(QString::number(steps[size_t(i)].sqrtEta)));
            QCOMPARE(steps[size_t(i)].sqrtEtaPrev, i < 3 ? steps[size_t(i) + 1].sqrtEta : 0.0);
        }
        QCOMPARE(residualShiftSteps(ResidualShiftSchedule{}, 1).front().sqrtEtaPrev, 0.0);
        VERIFY_ERROR(residualShiftSteps(ResidualShiftSchedule{}, 0), ErrorCode::InvalidArgument, {"at least one step"});
    }

    void oracleSamplerFollowsTheForwardMarginals()
    {
        // With a network that knows x0, every x the sampler visits must be distributed as the
        // forward process says: mean x0 + eta (base - x0), std kappa sqrt(eta); the result is x0.
        torch::manual_seed(3);
        const int64_t n = 40000;
        const auto x0 = torch::full({1, 1, 1, n}, 0.3f), base = torch::full({1, 1, 1, n}, -0.2f);
        ResidualShiftSchedule schedule;
        schedule.kappa = 0.7;
        const auto steps = residualShiftSteps(schedule, 4);
        struct Seen {
            double noiseStd, mean, stddev;
        };
        std::vector<Seen> seen;
        ResidualShiftCallbacks callbacks;
        callbacks.predictX0 = [&](const torch::Tensor& x, double noiseStd) {
            seen.push_back({noiseStd, x.mean().item<double>(), x.std().item<double>()});
            return x0;
        };
        callbacks.refineX0 = [](const torch::Tensor& x) { return x; };
        callbacks.noise = [&](int) { return torch::randn({1, 1, 1, n}); };
        const auto result = residualShiftSample(base, torch::randn({1, 1, 1, n}), steps, schedule.kappa, callbacks);
        QCOMPARE(int(seen.size()), 4);
        for (size_t k = 0; k < seen.size(); ++k) {
            const double eta = steps[k].sqrtEta * steps[k].sqrtEta;
            const double mean = 0.3 + eta * (-0.2 - 0.3), stddev = schedule.kappa * steps[k].sqrtEta;
            QVERIFY(std::abs(seen[k].noiseStd - stddev) < 1e-12);
            QVERIFY2(std::abs(seen[k].mean - mean) < 4 * stddev / std::sqrt(double(n)) + 1e-6,
                     qPrintable(QString("step %1 mean %2 vs %3").arg(k).arg(seen[k].mean).arg(mean)));
            QVERIFY2(std::abs(seen[k].stddev - stddev) < 0.02 * stddev,
                     qPrintable(QString("step %1 std %2 vs %3").arg(k).arg(seen[k].stddev).arg(stddev)));
        }
        QVERIFY(torch::allclose(result, x0));
    }

    void coringDropsDetailBelowTheThresholdAndShrinksTheRest()
    {
        const auto base = torch::tensor({0.1f, 0.1f, -0.5f, -0.5f, 0.0f});
        const auto sample = base + torch::tensor({0.004f, -0.004f, 0.25f, -0.25f, 0.0f});
        const auto cored = coreDetail(sample, base, 0.01);
        const auto expected = base + torch::tensor({0.0f, 0.0f, 0.24f, -0.24f, 0.0f});
        QVERIFY2(torch::allclose(cored, expected, 0, 1e-6), qPrintable(QString::fromStdString(torch::str(cored))));
        // A quarter of an 8-bit level: the sampler's leftover noise, not the detail a person sees.
        QVERIFY(std::abs(kDetailCoringThreshold * 127.5 - 0.25) < 1e-12);
    }

    void tiledCleanUpscaleEqualsUntiled()
    {
        torch::manual_seed(5);
        ResidualShiftConfig config;
        config.clean = {8, 1};
        ResidualShiftNet net(config);
        net->eval();
        torch::NoGradGuard noGrad;
        const auto lowRes = torch::rand({2, 3, 41, 37}) * 2 - 1;
        const auto whole = cleanUpscale(net->clean, lowRes, torch::kFloat32, 1000, nullptr);
        const auto tiled = cleanUpscale(net->clean, lowRes, torch::kFloat32, 20, nullptr);
        QCOMPARE(whole.sizes(), (std::vector<int64_t>{2, 3, 164, 148}));
        QVERIFY((whole - tiled).abs().max().item<double>() < 1e-5);
    }

    void balancedGivesCleanAndConsistentCandidates()
    {
        Recorder recorder;
        const auto r = request();
        const auto result = m_engine->enhance(r, &recorder);
        QCOMPARE(result.sampler, std::string("resshift"));
        QCOMPARE(result.steps, 2);
        QCOMPARE(int(result.candidates.size()), 2);
        QCOMPARE(result.clean.image.width, 48);
        QCOMPARE(result.clean.image.height, 36);
        QVERIFY(result.clean.consistencyMse < 1e-8);
        QVERIFY(consistencyOf(result.clean.image, r.input, 4) < 1e-8);
        for (const auto& c : result.candidates) {
            QVERIFY(c.consistencyMse < 1e-8);
            QVERIFY(maxDifference(c.image, result.clean.image) > 1e-3);  // the detail network added something
        }
        QVERIFY(maxDifference(result.candidates[0].image, result.candidates[1].image) > 1e-3);
        QCOMPARE(recorder.cleanCalls, 1);
        QCOMPARE(recorder.previewsBeforeClean, 0);
        QCOMPARE(recorder.firstPreviewStep, 0);  // the clean result is every candidate's first preview
    }

    void fastIsTheCleanResultAlone()
    {
        const auto fast = m_engine->enhance(request("Fast"));
        QVERIFY(fast.candidates.empty());
        QCOMPARE(fast.sampler, std::string("clean"));
        const auto balanced = m_engine->enhance(request("Balanced"));
        QCOMPARE(maxDifference(fast.clean.image, balanced.clean.image), 0.0);
        auto zeroSteps = request("Best");
        zeroSteps.sampler = "clean";
        QVERIFY(m_engine->enhance(zeroSteps).candidates.empty());
    }

    void cleanDraftComesFirstWhereOnlyTheProjectionFollows()
    {
        Recorder exact;
        const auto result = m_engine->enhance(request("Fast"), &exact);
        QCOMPARE(exact.drafts, 1);
        QCOMPARE(exact.draftsAfterClean, 0);
        QCOMPARE(exact.draft.width, result.clean.image.width);
        QCOMPARE(exact.draft.height, result.clean.image.height);
        // The projection only nudges the draft towards the input; it is not the final pixels.
        const double change = maxDifference(exact.draft, result.clean.image);
        QVERIFY2(change > 0 && change < 0.5, qPrintable(QString::number(change)));
        // No draft where it would be the final result (soft, off) or far from it (a cascade).
        for (auto consistency : {Consistency::Soft, Consistency::Off}) {
            Recorder none;
            none.exactConsistency = false;
            auto r = request("Fast");
            r.consistency = consistency;
            m_engine->enhance(r, &none);
            QCOMPARE(none.drafts, 0);
        }
        Recorder cascade;
        auto r = request("Fast", 1, 8);
        r.input = test::syntheticImage(6, 5);
        m_engine->enhance(r, &cascade);
        QCOMPARE(cascade.drafts, 0);
        QCOMPARE(cascade.cleanCalls, 1);
    }

    void candidateIsTheSameAloneOrInABatch()
    {
        const auto both = m_engine->enhance(request("Balanced", 2));
        auto second = request("Balanced", 1);
        second.firstCandidateIndex = 1;
        const auto alone = m_engine->enhance(second);
        QCOMPARE(alone.candidates.front().index, 1);
        QVERIFY(maxDifference(alone.candidates.front().image, both.candidates[1].image) < 1e-5);
    }

    void cascadeReachesEveryScale()
    {
        for (int scale : {2, 8, 16}) {
            auto r = request("Balanced", 1, scale);
            r.input = test::syntheticImage(6, 5);
            const auto result = m_engine->enhance(r);
            QCOMPARE(result.clean.image.width, 6 * scale);
            QCOMPARE(result.candidates.front().image.height, 5 * scale);
            QVERIFY(consistencyOf(result.clean.image, r.input, scale) < 1e-6);
            QVERIFY(consistencyOf(result.candidates.front().image, r.input, scale) < 1e-6);
        }
    }

    void tiledDetailStaysConsistent()
    {
        auto r = request("Balanced", 2);
        r.input = test::syntheticImage(30, 22);
        r.tileSize = 64;
        const auto result = m_engine->enhance(r);
        QCOMPARE(result.tileSize, 64);
        for (const auto& c : result.candidates)
            QVERIFY(c.consistencyMse < 1e-7);
    }

    void detailBlendIsConsistentAndExactAtItsEnds()
    {
        const auto r = request();
        const auto result = m_engine->enhance(r);
        const auto& clean = result.clean.image;
        const auto& candidate = result.candidates.front().image;
        QCOMPARE(maxDifference(blendDetail(clean, candidate, 0.0), clean), 0.0);
        QCOMPARE(maxDifference(blendDetail(clean, candidate, 1.0), candidate), 0.0);
        // Between the two ends the blend stays in range, so nothing is clamped and it is exactly
        // consistent; beyond 1 only clamped pixels may move it.
        for (double s : {0.25, 0.5, 0.75})
            QVERIFY2(consistencyOf(blendDetail(clean, candidate, s), r.input, 4) < 1e-8,
                     qPrintable(QString::number(consistencyOf(blendDetail(clean, candidate, s), r.input, 4))));
        VERIFY_ERROR(blendDetail(clean, candidate, -0.1), ErrorCode::InvalidArgument, {"Detail must be between"});
        VERIFY_ERROR(blendDetail(clean, ImageF(2, 2, 3), 0.5), ErrorCode::InvalidArgument, {"differ in size"});
    }

    void softConsistencyKeepsTheCleanResultNotTheInput()
    {
        for (int scale : {4, 8}) {
            auto r = request("Balanced", 2, scale);
            r.consistency = Consistency::Off;
            const auto off = m_engine->enhance(r);
            r.consistency = Consistency::Soft;
            const auto soft = m_engine->enhance(r);
            // The clean result is its own target: not pulled towards the input's defects.
            QCOMPARE(maxDifference(soft.clean.image, off.clean.image), 0.0);
            const auto clean = imageToTensor(soft.clean.image);
            for (const auto& c : soft.candidates) {
                const double mse = (downscaleBicubic(imageToTensor(c.image), scale) - downscaleBicubic(clean, scale))
                                       .pow(2).mean().item<double>() * 0.25;
                QVERIFY2(mse < 1e-7, qPrintable(QString::number(mse)));
                QVERIFY(maxDifference(c.image, soft.clean.image) > 1e-3);  // detail was still added
            }
            // The reported error is against the input: what the clean upscaler changed of it.
            const double reported = soft.candidates.front().consistencyMse;
            QVERIFY(reported > 1e-6);
            QVERIFY(std::abs(reported - consistencyOf(soft.candidates.front().image, r.input, scale)) < 1e-4 * reported);
        }
    }

    void consistencyModesHaveTheirNames()
    {
        Consistency mode = Consistency::Off;
        QVERIFY(parseConsistency("soft", &mode) && mode == Consistency::Soft);
        QVERIFY(parseConsistency("exact", &mode) && mode == Consistency::Exact);
        QVERIFY(!parseConsistency("strong", &mode) && mode == Consistency::Exact);
        QCOMPARE(std::string(consistencyName(Consistency::Off)), std::string("off"));
    }

    void samplersOfTheOtherFamilyAreRefused()
    {
        auto r = request();
        r.sampler = "ddim";  // an SR3 sampler on a residual-shift model
        VERIFY_ERROR(m_engine->enhance(r), ErrorCode::InvalidArgument);
    }

    void flopEstimateCountsCleanAndDetail()
    {
        const ModelInfo& info = m_engine->model();
        QCOMPARE(info.kind, std::string("residual-shift"));
        QVERIFY(info.hasCleanUpscale());
        const double clean = Engine::estimateJobFlops(info, 100, 100, 4, 4, 0);
        const double four = Engine::estimateJobFlops(info, 100, 100, 4, 4, 4);
        QVERIFY(clean > 0);
        QVERIFY(four > 4 * clean);
    }

    void absurdCardsAreRefused()
    {
        nlohmann::json card = {{"id", "x"}, {"kind", "residual-shift"},
                               {"residual_shift", {{"scale", 4}, {"clean", {{"channels", 200000}}}}}};
        VERIFY_ERROR(modelCardFromJson(card, "card"), ErrorCode::BadModel);  // 200000 channels
        card["kind"] = "gan";
        VERIFY_ERROR(modelCardFromJson(card, "card"), ErrorCode::BadModel, {"unknown model kind 'gan'"});
    }
};

QTEST_GUILESS_MAIN(TestResidualShift)
#include "tst_residual_shift.moc"
