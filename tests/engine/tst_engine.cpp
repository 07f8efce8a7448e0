// The engine end to end on the CPU with a tiny random model: sizes for every scale, seeds,
// candidate independence, consistency, progress and previews, cancel, uncertainty, tiling.
#include <QtTest>

#include <cmath>
#include "weights/safetensors.h"
#include <nlohmann/json.hpp>
#include <limits>
#include <fstream>

#include "expect_error.h"
#include "pipeline/cascade.h"
#include "refine/engine/engine.h"
#include "test_support.h"

using namespace refine;
namespace fs = std::filesystem;

namespace {

struct Recorder : EnhanceObserver {
    int progressCalls = 0, previews = 0, stages = 0, cancelAtStep = -1;
    CancelToken* cancel = nullptr;
    std::vector<int> stageScales;
    void onProgress(const EnhanceProgress& p) override
    {
        ++progressCalls;
        if (cancel && progressCalls == cancelAtStep)
            cancel->cancel();
        QVERIFY(p.fraction >= 0 && p.fraction <= 1.0 + 1e-9);
    }
    void onPreview(const EnhancePreview& p) override
    {
        ++previews;
        QVERIFY(!p.images.empty() && !p.images[0].empty());
    }
    void onStage(const StageOutput& s) override
    {
        ++stages;
        stageScales.push_back(s.scale);
    }
};

double maxDifference(const ImageF& a, const ImageF& b)
{
    double d = 0;
    for (size_t i = 0; i < a.pixels.size(); ++i)
        d = std::max(d, double(std::abs(a.pixels[i] - b.pixels[i])));
    return d;
}

}  // namespace

class TestEngine : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;

    EnhanceRequest request(int size = 12, int scale = 4, int candidates = 2) const
    {
        EnhanceRequest r;
        r.input = test::syntheticImage(size, size * 3 / 4);
        r.scale = scale;
        r.candidates = candidates;
        r.steps = 3;
        r.sampler = "ddpm";
        r.seed = 1234;
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        EngineOptions options;
        options.device = "cpu";
        options.cpuThreads = 1;
        m_engine = std::make_unique<Engine>(options);
        m_engine->loadModel(test::writeTinyModel(m_dir.path().toStdString()).string());
        test::useTestThreads();
    }

    void producesCandidatesOfTheRightSize()
    {
        Recorder recorder;
        EnhanceRequest r = request();
        r.previewInterval = 2;
        const auto result = m_engine->enhance(r, &recorder);
        QCOMPARE(int(result.candidates.size()), 2);
        for (const auto& c : result.candidates) {
            QCOMPARE(c.image.width, 48);
            QCOMPARE(c.image.height, 36);
            for (float v : c.image.pixels)
                QVERIFY(std::isfinite(v) && v >= 0.f && v <= 1.f);
            QVERIFY2(c.consistencyMse < 1e-6, qPrintable(QString::number(c.consistencyMse)));
        }
        QVERIFY(maxDifference(result.candidates[0].image, result.candidates[1].image) > 1e-3);
        QCOMPARE(recorder.progressCalls, 3);
        QCOMPARE(recorder.previews, 2);  // steps 2 and 3 (the last step always previews)
        QCOMPARE(result.steps, 3);
        QCOMPARE(result.sampler, std::string("ddpm"));
    }

    void sameSeedSamePixels()
    {
        const auto a = m_engine->enhance(request());
        const auto b = m_engine->enhance(request());
        QCOMPARE(maxDifference(a.candidates[1].image, b.candidates[1].image), 0.0);
        EnhanceRequest other = request();
        other.seed = 99;
        QVERIFY(maxDifference(a.candidates[0].image, m_engine->enhance(other).candidates[0].image) > 1e-3);
    }

    void candidateIsIndependentOfItsBatch()
    {
        EnhanceRequest three = request(12, 4, 3);
        const auto batch = m_engine->enhance(three);
        EnhanceRequest alone = request(12, 4, 1);
        alone.firstCandidateIndex = 2;
        const auto single = m_engine->enhance(alone);
        QCOMPARE(single.candidates[0].index, 2);
        QCOMPARE(single.candidates[0].seed, batch.candidates[2].seed);
        QVERIFY(maxDifference(single.candidates[0].image, batch.candidates[2].image) < 1e-4);
    }

    void cascadeReachesEveryScale_data()
    {
        QTest::addColumn<int>("scale");
        QTest::addColumn<std::vector<int>>("stageScales");
        QTest::newRow("x2") << 2 << std::vector<int>{2};
        QTest::newRow("x4") << 4 << std::vector<int>{4};
        QTest::newRow("x8") << 8 << std::vector<int>{2, 8};
        QTest::newRow("x16") << 16 << std::vector<int>{4, 16};
    }
    void cascadeReachesEveryScale()
    {
        QFETCH(int, scale);
        QFETCH(std::vector<int>, stageScales);
        Recorder recorder;
        EnhanceRequest r = request(8, scale, 1);
        r.keepStages = true;
        const auto result = m_engine->enhance(r, &recorder);
        QCOMPARE(result.candidates[0].image.width, 8 * scale);
        QCOMPARE(result.candidates[0].image.height, 6 * scale);
        QCOMPARE(recorder.stageScales, stageScales);
        QCOMPARE(int(result.stages.size()), int(stageScales.size()));
        QVERIFY2(result.candidates[0].consistencyMse < 1e-5, qPrintable(QString::number(result.candidates[0].consistencyMse)));
    }

    void consistencyCanBeTurnedOff()
    {
        EnhanceRequest r = request(12, 4, 1);
        r.consistency = Consistency::Off;
        QVERIFY(m_engine->enhance(r).candidates[0].consistencyMse > 1e-4);  // random weights: far off
    }

    void softConsistencyNeedsACleanUpscaler()
    {
        EnhanceRequest r = request(12, 4, 1);
        r.consistency = Consistency::Soft;  // an SR3 model has no clean result to be soft towards
        VERIFY_ERROR(m_engine->enhance(r), ErrorCode::InvalidArgument, {"soft consistency needs"});
    }

    void cancelStopsWithinOneStep()
    {
        CancelToken cancel;
        Recorder recorder;
        recorder.cancel = &cancel;
        recorder.cancelAtStep = 2;
        EnhanceRequest r = request();
        r.steps = 10;
        QVERIFY_THROWS_EXCEPTION(Cancelled, m_engine->enhance(r, &recorder, &cancel));
        QCOMPARE(recorder.progressCalls, 2);
        // The engine stays usable.
        QCOMPARE(int(m_engine->enhance(request()).candidates.size()), 2);
    }

    void uncertaintyMapShowsDisagreement()
    {
        EnhanceRequest r = request(12, 4, 3);
        r.uncertaintyMap = true;
        const auto result = m_engine->enhance(r);
        QCOMPARE(result.uncertainty.channels, 1);
        QCOMPARE(result.uncertainty.width, 48);
        const float peak = *std::max_element(result.uncertainty.pixels.begin(), result.uncertainty.pixels.end());
        QVERIFY(peak > 0.f);
    }

    void tiledEnhancementStaysCloseToUntiled()
    {
        EnhanceRequest whole = request(32, 4, 1);
        EnhanceRequest tiled = whole;
        tiled.tileSize = 64;
        const auto a = m_engine->enhance(whole);
        const auto b = m_engine->enhance(tiled);
        QCOMPARE(b.tileSize, 64);
        QCOMPARE(a.candidates[0].image.width, b.candidates[0].image.width);
        double sum = 0;
        for (size_t i = 0; i < a.candidates[0].image.pixels.size(); ++i)
            sum += std::abs(a.candidates[0].image.pixels[i] - b.candidates[0].image.pixels[i]);
        const double mean = sum / double(a.candidates[0].image.pixels.size());
        // The tiny model's middle attention is global, so tiles differ somewhat; consistency keeps
        // both anchored to the same input.
        QVERIFY2(mean < 0.05, qPrintable(QString("mean abs difference %1").arg(mean)));
    }

    void badRequestsAreRefused()
    {
        EnhanceRequest r = request();
        r.scale = 3;
        VERIFY_ERROR(m_engine->enhance(r), ErrorCode::InvalidArgument);
        r = request();
        r.candidates = 0;
        VERIFY_ERROR(m_engine->enhance(r), ErrorCode::InvalidArgument);
        r = request();
        r.input = ImageF();
        VERIFY_ERROR(m_engine->enhance(r), ErrorCode::InvalidArgument);
        r = request();
        r.preset = "Nonexistent";
        VERIFY_ERROR(m_engine->enhance(r), ErrorCode::InvalidArgument, {"Nonexistent"});
        VERIFY_ERROR(m_engine->loadModel("/no/such/model.safetensors"), ErrorCode::BadModel, {"/no/such/model.safetensors"});
        QVERIFY(m_engine->hasModel());  // a failed load keeps the previous model
    }

    void cascadePlans()
    {
        QCOMPARE(planCascade(8, 4).size(), size_t(2));
        QCOMPARE(planCascade(8, 4)[0].downscaleAfter, 2);
        QCOMPARE(planCascade(16, 4)[1].downscaleAfter, 1);
        QCOMPARE(planCascade(4, 8)[0].downscaleAfter, 2);
        VERIFY_ERROR(planCascade(4, 3), ErrorCode::InvalidArgument, {"x3"});
    }

    void nonFiniteWeightsFailTheJobInsteadOfWritingBlack()
    {
        const fs::path weights = test::writeTinyModel(fs::path(m_dir.path().toStdString()) / "nan-model");
        auto file = weights::readSafetensors(weights.string());
        file.tensors.begin()->second.fill_(std::numeric_limits<float>::quiet_NaN());
        weights::writeSafetensors(weights.string(), file.tensors, file.metadata);
        Engine engine(EngineOptions{"cpu", Precision::Float32, 0});
        nlohmann::json json;
        std::ifstream(weights.parent_path() / "model.json") >> json;
        json.erase("sha256");
        std::ofstream(weights.parent_path() / "model.json") << json.dump();
        engine.loadModel(weights.string());
        VERIFY_ERROR(engine.enhance(request(8, 4, 1)), ErrorCode::BadModel, {"not finite"});  // not a black image
    }
};

QTEST_APPLESS_MAIN(TestEngine)
#include "tst_engine.moc"
