// The golden vector of ../shared/fixtures/sr3-reference: the open SR3 implementation's tiny
// checkpoint must load through Refine's own loader and reproduce the reference's forward pass and
// its 11-step ancestral chain to 1e-4 relative error. This is what makes published SR3
// checkpoints trustworthy in Refine.
#include <QtTest>

#include <fstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "diffusion/noise_schedule.h"
#include "diffusion/samplers.h"
#include "model/model_loader.h"
#include "test_support.h"

using namespace refine;

class TestGoldenReference : public QObject {
    Q_OBJECT

    nlohmann::json m_fixture;
    LoadedModel m_model;
    QTemporaryDir m_dir;

    std::vector<int64_t> shapeOf(const std::string& name) const
    {
        return m_fixture["shapes"][name].get<std::vector<int64_t>>();
    }
    torch::Tensor tensor(const std::string& name) const
    {
        return test::readRawFloat32(test::referenceFixtureDir() / (name + ".f32"), shapeOf(name));
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::useTestThreads();
        std::ifstream in(test::referenceFixtureDir() / "fixture.json");
        QVERIFY2(in.good(), "../shared/fixtures/sr3-reference is missing");
        in >> m_fixture;
        // The reference keeps the architecture in a separate config: give it as the sidecar JSON
        // a user would put beside a .pth that matches no published preset.
        const std::filesystem::path dir = m_dir.path().toStdString();
        std::filesystem::copy_file(test::referenceFixtureDir() / "tiny_gen.pth", dir / "tiny_gen.pth");
        std::ofstream(dir / "tiny_gen.json") << nlohmann::json{{"unet", m_fixture["unet"]}, {"native_scale", 4}};
        m_model = loadModelFile(dir / "tiny_gen.pth");
    }

    void scheduleMatchesCheckpointBuffers()
    {
        const auto& s = m_fixture["beta_schedule"];
        BetaScheduleSpec spec;
        spec.timesteps = s["n_timestep"];
        spec.linearStart = s["linear_start"];
        spec.linearEnd = s["linear_end"];
        const auto expected = makeBetaSchedule(spec);
        QCOMPARE(m_model.betas.size(), expected.size());
        for (size_t i = 0; i < expected.size(); i += 97)
            QVERIFY(std::abs(m_model.betas[i] - expected[i]) < 1e-9);
    }

    void forwardMatchesReference()
    {
        torch::NoGradGuard noGrad;
        const auto output = m_model.net->forward(tensor("forward_input"), tensor("forward_noise_level"));
        const double error = test::relativeError(output, tensor("forward_output"));
        qInfo("forward relative error %.3g", error);
        QVERIFY2(error < 1e-4, qPrintable(QString("relative error %1").arg(error)));
    }

    void ancestralChainMatchesReference()
    {
        torch::NoGradGuard noGrad;
        const NoiseSchedule schedule(m_model.betas);
        const auto condition = tensor("chain_condition");
        auto x = tensor("chain_x_T");
        const auto timesteps = m_fixture["chain"]["timesteps"].get<std::vector<int>>();
        for (size_t i = 0; i < timesteps.size(); ++i) {
            const DiffusionStep step = schedule.fullStep(timesteps[i]);
            const auto level = torch::full({1, 1}, float(std::sqrt(step.gamma)));
            const auto eps = m_model.net->forward(torch::cat({condition, x}, 1), level);
            const auto x0 = predictX0(x, eps, step.gamma).clamp(-1, 1);
            x = ancestralStep(x, x0, step, tensor("chain_z_" + std::to_string(i)));
            const double error = test::relativeError(x, tensor("chain_x_after_" + std::to_string(i)));
            QVERIFY2(error < 1e-4, qPrintable(QString("step %1 (t=%2): relative error %3").arg(i).arg(timesteps[i]).arg(error)));
        }
    }
};

QTEST_APPLESS_MAIN(TestGoldenReference)
#include "tst_golden_reference.moc"
