// The golden vector of ../shared/fixtures/sr3-reference: the open SR3 implementation's tiny
// checkpoint must load through Refine's own loader and reproduce the reference's forward pass and
// its 11-step ancestral chain to 1e-4 relative error. This is what makes published SR3
// checkpoints trustworthy in Refine. The checks live in tools/golden, so that refine-golden runs
// the very same ones on a GPU.
#include <QtTest>

#include <torch/torch.h>

#include "golden_check.h"
#include "shared_material.h"
#include "test_support.h"

using namespace refine;

class TestGoldenReference : public QObject {
    Q_OBJECT

    std::optional<golden::GoldenFixture> m_fixture;
    LoadedModel m_model;
    QTemporaryDir m_dir;

    static void verify(const golden::CheckResult& result)
    {
        qInfo("%s: relative error %.3g", result.name.c_str(), result.relativeError);
        QVERIFY2(result.passed(), qPrintable(QString("%1: relative error %2 above %3")
                                                 .arg(result.name.c_str()).arg(result.relativeError).arg(result.tolerance)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::useTestThreads();
        SKIP_UNLESS_SHARED(test::referenceFixtureDir());
        m_fixture.emplace(test::referenceFixtureDir());
        m_model = m_fixture->loadModel(m_dir.path().toStdString());
    }

    void scheduleMatchesCheckpointBuffers() { verify(m_fixture->checkSchedule(m_model)); }

    void forwardMatchesReference() { verify(m_fixture->checkForward(m_model, torch::kCPU, torch::kFloat32)); }

    void ancestralChainMatchesReference()
    {
        for (const auto& step : m_fixture->checkChain(m_model, torch::kCPU, torch::kFloat32))
            verify(step);
    }
};

QTEST_APPLESS_MAIN(TestGoldenReference)
#include "tst_golden_reference.moc"
