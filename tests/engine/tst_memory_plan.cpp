// The memory plan (refine/engine/memory_plan.h): what a job needs, stage by stage of its cascade,
// refused up front in plain words with what would fit, and the engine refusing before any work.

#include <QtTest>

#include <chrono>
#include <fstream>

#include "expect_error.h"
#include "pipeline/job_memory.h"
#include "refine/engine/engine.h"
#include "test_support.h"

using namespace refine;

namespace {

/// The shipped refine-x4's shape (its card: clean 32 x 3, detail 64 x 4), 490k parameters.
ModelShape shippedLikeModel()
{
    ModelShape shape;
    shape.residualShift = true;
    shape.residual.scale = 4;
    shape.residual.clean = {32, 3};
    shape.residual.detail.channels = 64;
    shape.residual.detail.blocks = 4;
    shape.nativeScale = 4;
    shape.parameters = 489824;
    return shape;
}

JobShape job(int width, int height, int scale, int candidates)
{
    JobShape shape;
    shape.inputWidth = width;
    shape.inputHeight = height;
    shape.scale = scale;
    shape.candidates = candidates;
    return shape;
}

MemoryAvailable hostWith(double gigabytes)
{
    MemoryAvailable available;
    available.hostBytes = std::uint64_t(gigabytes * 1e9);
    return available;
}

std::uint64_t memTotal()
{
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t kib = 0;
    in >> key >> kib;
    return kib * 1024;
}

}  // namespace

class TestMemoryPlan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { test::useTestThreads(); }

    void estimateFollowsCandidatesAndCascade()
    {
        const ModelShape model = shippedLikeModel();
        const RunTarget cpu;
        const MemoryEstimate one = estimateJobMemory(model, job(512, 384, 4, 1), cpu);
        const MemoryEstimate four = estimateJobMemory(model, job(512, 384, 4, 4), cpu);
        QVERIFY(four.jobBytes > 3 * one.jobBytes);
        QCOMPARE(four.candidatesPerChunk, 4);
        QCOMPARE(one.deviceBytes, std::uint64_t(0));
        // x2 runs the x4 pass, then shrinks: its peak is the x4 stage's, far above a quarter of it.
        const MemoryEstimate x2 = estimateJobMemory(model, job(512, 384, 2, 1), cpu);
        QVERIFY(x2.jobBytes > one.jobBytes * 9 / 10);
        // x8 adds a second pass at 4x the pixels of the x2 output.
        const MemoryEstimate x8 = estimateJobMemory(model, job(256, 192, 8, 1), cpu);
        QVERIFY(x8.jobBytes > estimateJobMemory(model, job(256, 192, 4, 1), cpu).jobBytes * 3);
        // The clean result only needs no sampler tensors.
        JobShape clean = job(512, 384, 4, 4);
        clean.cleanOnly = true;
        QVERIFY(estimateJobMemory(model, clean, cpu).jobBytes < one.jobBytes / 2);
        // A smaller activation budget: smaller tiles, in batches that fit it.
        JobShape tiled = job(1024, 768, 4, 1);
        tiled.memoryBudgetGiB = 0.375;
        const MemoryEstimate small = estimateJobMemory(model, tiled, cpu);
        QVERIFY(small.tileSize < estimateJobMemory(model, job(1024, 768, 4, 1), cpu).tileSize);
        QVERIFY(small.jobBytes < estimateJobMemory(model, job(1024, 768, 4, 1), cpu).jobBytes * 3 / 4);
    }

    void estimateIsCloseToMeasuredPeaks_data()
    {
        // Peak RSS of refine-cli (/usr/bin/time -v), docs/performance.md "Memory plan".
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("scale");
        QTest::addColumn<int>("candidates");
        QTest::addColumn<double>("measuredMB");
        // Measured 2026-12-03, after all threads shared one heap (runtime/host_memory.cpp).
        QTest::newRow("256 x4 c1") << 256 << 4 << 1 << 425.4;
        QTest::newRow("256 x4 c4") << 256 << 4 << 4 << 1145.8;
        QTest::newRow("512 x4 c1") << 512 << 4 << 1 << 1138.7;
        QTest::newRow("512 x4 c4") << 512 << 4 << 4 << 3822.3;
        QTest::newRow("256 x2 c4") << 256 << 2 << 4 << 1098.9;
        QTest::newRow("256 x8 c1") << 256 << 8 << 1 << 1241.6;
        QTest::newRow("512 x2 c2") << 512 << 2 << 2 << 1860.2;
        QTest::newRow("1024 x4 c1") << 1024 << 4 << 1 << 4186.6;
        QTest::newRow("1024 x4 c2") << 1024 << 4 << 2 << 5577.2;
    }

    void estimateIsCloseToMeasuredPeaks()
    {
        QFETCH(int, side);
        QFETCH(int, scale);
        QFETCH(int, candidates);
        QFETCH(double, measuredMB);
        const MemoryEstimate e = estimateJobMemory(shippedLikeModel(), job(side, side * 3 / 4, scale, candidates), {});
        const double estimatedMB = double(e.hostBytes()) / 1e6;
        qInfo("estimated %.0f MB, measured %.0f MB (%.2f)", estimatedMB, measuredMB, estimatedMB / measuredMB);
        // Never short by more than 5% (a refusal must not let an impossible job through), never
        // more than 30% over (a possible job must not be refused).
        QVERIFY2(estimatedMB > 0.95 * measuredMB && estimatedMB < 1.3 * measuredMB,
                 qPrintable(QString("estimated %1 MB, measured %2 MB").arg(estimatedMB).arg(measuredMB)));
    }

    void aNarrowPhotoCountsItsProjection()
    {
        // The consistency projection's dense operators grow with the longest side squared: an
        // 8 x 6000 photo's clean result at x4 peaked at 1.1 GB (docs/performance.md), and a
        // 3 x 100000 strip would need hundreds of GB. Both planned, the strip refused up front.
        JobShape narrow = job(8, 6000, 4, 1);
        narrow.cleanOnly = true;
        const double estimatedMB = double(estimateJobMemory(shippedLikeModel(), narrow, {}).hostBytes()) / 1e6;
        const double measuredMB = 1083828 * 1024.0 / 1e6;
        QVERIFY2(estimatedMB > 0.95 * measuredMB && estimatedMB < 1.3 * measuredMB,
                 qPrintable(QString("estimated %1 MB, measured %2 MB").arg(estimatedMB).arg(measuredMB)));
        JobShape strip = job(100000, 3, 4, 1);
        strip.cleanOnly = true;
        const MemoryPlan plan = planJobMemory(shippedLikeModel(), strip, {}, hostWith(64.0), true);
        QVERIFY(!plan.fits);
        QVERIFY(plan.need.hostBytes() > 100e9);  // the Gram matrices of 100000 samples, 80 GB each
    }

    void refusalSaysWhatWouldFit()
    {
        const ModelShape model = shippedLikeModel();
        JobShape big = job(1024, 768, 4, 4);
        big.photoDecoded = true;
        const MemoryPlan plan = planJobMemory(model, big, {}, hostWith(3.0), true);
        QVERIFY(!plan.fits);
        QCOMPARE(plan.candidatesThatFit, 2);
        QCOMPARE(plan.largestScaleThatFits, 2);  // the x4 pass, then shrunk: its four results are smaller
        QVERIFY2(plan.problem.rfind("Not enough memory for this job (x4, 4 candidates of a 1024 x 768 photo): it needs "
                                    "about ", 0) == 0, plan.problem.c_str());
        QVERIFY2(plan.problem.find(" of memory and 3.0 GB is free. It would fit with 2 candidates or at x2.")
                     != std::string::npos, plan.problem.c_str());
        QVERIFY(plan.problem.find("GPU") == std::string::npos);
        QVERIFY(plan.problem.find("CPU") == std::string::npos);  // never the device already in use

        const MemoryPlan hopeless = planJobMemory(model, big, {}, hostWith(0.05), true);
        QVERIFY(!hopeless.fits);
        QCOMPARE(hopeless.candidatesThatFit, 0);
        QVERIFY2(hopeless.problem.find("Even one candidate at x2 does not fit: crop the photo") != std::string::npos,
                 hopeless.problem.c_str());

        // With a little more room it fits by itself: smaller tiles in smaller batches.
        const MemoryPlan lowered = planJobMemory(model, big, {}, hostWith(5.0), true);
        QVERIFY(lowered.fits);
        QCOMPARE(lowered.memoryBudgetGiB, 1.5);
        QVERIFY(lowered.problem.empty());
        JobShape ownBudget = big;  // but never against the caller's own choice
        ownBudget.memoryBudgetGiB = 3.0;
        QVERIFY(!planJobMemory(model, ownBudget, {}, hostWith(5.0), true).fits);
        const MemoryPlan roomy = planJobMemory(model, big, {}, hostWith(64.0), true);
        QVERIFY(roomy.fits);
        QCOMPARE(roomy.memoryBudgetGiB, 3.0);
        // Unknown free memory (0) never refuses.
        QVERIFY(planJobMemory(model, big, {}, MemoryAvailable{}, true).fits);
    }

    void availableHostMemoryIsPlausible()
    {
        const std::uint64_t available = availableHostMemory();
        QVERIFY(available > 0);
        QVERIFY(available <= memTotal());
        QCOMPARE(formatBytes(1'400'000'000), std::string("1.4 GB"));
        QCOMPARE(formatBytes(640'000'000), std::string("640 MB"));
        QCOMPARE(formatBytes(24'000'000'000ull), std::string("24 GB"));
    }

    void engineRefusesBeforeAnyWork()
    {
        QTemporaryDir dir;
        Engine engine(EngineOptions{"cpu", Precision::Float32, 0});
        engine.loadModel(test::writeTinyResidualShiftModel(dir.path().toStdString()).string());
        // 5000 x 4000 at x4 with 16 candidates: 320 MP each, hundreds of gigabytes in all.
        EnhanceRequest request;
        request.input = ImageF(5000, 4000, 3);
        request.scale = 4;
        request.candidates = 16;
        const auto start = std::chrono::steady_clock::now();
        VERIFY_ERROR(engine.enhance(request), ErrorCode::OutOfMemory,
                     {"Not enough memory for this job (x4, 16 candidates of a 5000 x 4000 photo): it needs about "});
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));

        // The same plan, before decoding: the size from the header is enough.
        JobShape shape = job(5000, 4000, 4, 16);
        const MemoryPlan plan = engine.planMemory(shape);
        QVERIFY(!plan.fits);
        QVERIFY(plan.need.hostBytes() > plan.need.workBytes());
        QVERIFY(plan.available.hostBytes > 0);
        shape = job(16, 12, 4, 2);
        QVERIFY(engine.planMemory(shape).fits);

        // The engine stays usable, and a small job runs.
        request.input = test::syntheticImage(16, 12);
        request.candidates = 2;
        QCOMPARE(int(engine.enhance(request).candidates.size()), 2);
    }

    void estimateFromACard()
    {
        QTemporaryDir dir;
        Engine engine(EngineOptions{"cpu", Precision::Float32, 0});
        engine.loadModel(test::writeTinyResidualShiftModel(dir.path().toStdString()).string());
        const MemoryEstimate fromCard = Engine::estimateMemory(engine.model(), job(64, 48, 4, 2));
        QCOMPARE(fromCard.jobBytes, engine.planMemory(job(64, 48, 4, 2)).need.jobBytes);
        QVERIFY(Engine::estimateMemory(engine.model(), job(64, 48, 4, 2), true).deviceBytes > 0);
        QCOMPARE(Engine::estimateMemory(ModelInfo{}, job(64, 48, 4, 2)).jobBytes, std::uint64_t(0));
    }
};

QTEST_APPLESS_MAIN(TestMemoryPlan)
#include "tst_memory_plan.moc"
