// refine-train on the CPU, end to end but tiny: a seeded 8-channel UNet trains on a synthetic
// pack of 48x48 crops for a few dozen steps. Checks that the loss drops, that a checkpoint is
// resumed from its step, that the validation loss is reproducible, and that realistic
// degradation (--degrade old) trains both families, with reproducible degraded validation inputs.
#include <QtTest>

#include <torch/torch.h>

#include "refine/engine/error.h"
#include "test_support.h"
#include "trainer.h"
#include "validation_loss.h"
#include "weights/safetensors.h"

using namespace refine;
namespace fs = std::filesystem;

namespace {

constexpr int kCrop = 48, kScale = 4;

/// Smooth colour gradients plus a bright square per crop: structure a tiny model can learn fast.
torch::Tensor syntheticCrops(int64_t count, uint64_t seed)
{
    torch::manual_seed(seed);
    auto ramp = torch::linspace(0, 1, kCrop);
    auto y = ramp.view({1, 1, -1, 1}), x = ramp.view({1, 1, 1, -1});
    auto a = torch::rand({count, 3, 1, 1}), b = torch::rand({count, 3, 1, 1}), c = torch::rand({count, 3, 1, 1});
    auto images = (a * y + b * x + c * (1 - x) * (1 - y)) / 2;
    for (int64_t i = 0; i < count; ++i) {
        const int64_t top = (i * 7) % 32, left = (i * 11) % 32;
        images[i].narrow(1, top, 14).narrow(2, left, 14).fill_(0.9);
    }
    return (images.clamp(0, 1) * 255).round().to(torch::kUInt8);
}

void writePack(const fs::path& path, int64_t count, uint64_t seed)
{
    weights::writeSafetensors(path.string(), {{"hr", syntheticCrops(count, seed)}});
}

}  // namespace

class TestTrainSmoke : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path path(const std::string& name) const { return fs::path(m_dir.path().toStdString()) / name; }

    train::TrainOptions tinyOptions(const std::string& workDir, int64_t steps) const
    {
        train::TrainOptions o;
        o.unet = test::tinyConfig();
        o.unet.attnRes = {};  // attention is the slow part and not what this test is about
        o.data.patch = 32;
        o.data.scale = kScale;
        o.batchSize = 4;
        o.steps = steps;
        o.learningRate = 2e-3;
        o.warmupSteps = 5;
        o.logEvery = 10;
        o.checkpointEvery = 10;
        o.workDir = path(workDir);
        o.device = "cpu";
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::useTestThreads();
        QVERIFY(m_dir.isValid());
        writePack(path("train.safetensors"), 64, 1);
        writePack(path("validation.safetensors"), 16, 2);
    }

    void lossDrops()
    {
        const auto result = train::trainModel(path("train.safetensors").string(), tinyOptions("drops", 60));
        QCOMPARE(result.lastStep, int64_t(60));
        QCOMPARE(result.losses.size(), size_t(6));
        const double first = result.losses.front().loss, last = result.losses.back().loss;
        QVERIFY2(std::isfinite(last) && last < 0.8 * first,
                 qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
        QVERIFY(!result.ema->is_training());
    }

    void resumeContinuesFromTheCheckpoint()
    {
        auto options = tinyOptions("resume", 20);
        const auto firstRun = train::trainModel(path("train.safetensors").string(), options);
        QCOMPARE(firstRun.firstStep, int64_t(0));
        QVERIFY(fs::exists(path("resume") / "checkpoint.pt"));

        options.steps = 30;
        const auto secondRun = train::trainModel(path("train.safetensors").string(), options);
        QCOMPARE(secondRun.firstStep, int64_t(20));
        QCOMPARE(secondRun.lastStep, int64_t(30));
        QCOMPARE(secondRun.losses.size(), size_t(1));
        QCOMPARE(secondRun.losses.front().step, int64_t(30));
        // The resumed run started from the trained weights, not a fresh initialisation.
        QVERIFY(secondRun.losses.front().loss < 0.9 * firstRun.losses.front().loss);
    }

    void validationLossIsReproducible()
    {
        auto options = tinyOptions("validation", 10);
        options.validationPack = path("validation.safetensors").string();
        const auto result = train::trainModel(path("train.safetensors").string(), options);
        QVERIFY(result.validationLoss > 0 && std::isfinite(result.validationLoss));

        train::ValidationLoss validation(options.validationPack, options.data);
        const NoiseSchedule schedule(options.schedule);
        auto ema = result.ema;
        const double again = validation.evaluate(ema, schedule, torch::kCPU);
        QCOMPARE(validation.evaluate(ema, schedule, torch::kCPU), again);
    }

    void realisticDegradationTrainsBothFamilies()
    {
        auto options = tinyOptions("degraded-sr3", 5);
        options.data.realisticDegradation = true;
        QCOMPARE(train::trainModel(path("train.safetensors").string(), options).lastStep, int64_t(5));

        auto residual = tinyOptions("degraded-rs", 5);
        residual.family = "residual-shift";
        residual.residual.clean.channels = 8;
        residual.residual.clean.blocks = 1;
        residual.residual.detail.channels = 16;
        residual.residual.detail.blocks = 1;
        residual.residual.detail.embedding = 16;
        residual.data.realisticDegradation = true;
        residual.validationPack = path("validation.safetensors").string();
        const auto result = train::trainModel(path("train.safetensors").string(), residual);
        QCOMPARE(result.lastStep, int64_t(5));
        QVERIFY(std::isfinite(result.validationLoss) && result.validationLoss > 0);
    }

    void degradedValidationInputsAreTheSameEveryTime()
    {
        auto options = tinyOptions("unused", 1);
        options.data.realisticDegradation = true;
        const train::TrainingData data(path("validation.safetensors").string(), options.data);
        const auto first = data.fixed(0, 4, torch::kCPU), again = data.fixed(0, 4, torch::kCPU);
        QVERIFY(first.degraded);
        QVERIFY(torch::equal(first.input, again.input));
        QVERIFY(!torch::equal(first.input, first.lowRes));  // some of the four are degraded
    }
};

QTEST_GUILESS_MAIN(TestTrainSmoke)
#include "tst_train_smoke.moc"
