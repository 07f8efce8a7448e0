#include "golden_check.h"

#include <cmath>
#include <fstream>
#include <stdexcept>

#include <torch/torch.h>

#include "diffusion/noise_schedule.h"
#include "diffusion/samplers.h"

namespace refine::golden {
namespace fs = std::filesystem;
namespace {

double relativeError(const torch::Tensor& actual, const torch::Tensor& expected)
{
    const auto a = actual.to(torch::kCPU, torch::kFloat64), e = expected.to(torch::kFloat64);
    return (a - e).abs().max().item<double>() / e.abs().max().item<double>();
}

}  // namespace

double toleranceFor(torch::ScalarType dtype)
{
    switch (dtype) {
    case torch::kBFloat16: return 3e-2;
    case torch::kFloat16: return 5e-3;
    default: return 1e-4;
    }
}

GoldenFixture::GoldenFixture(const fs::path& dir) : m_dir(dir)
{
    std::ifstream in(dir / "fixture.json");
    if (!in)
        throw std::runtime_error("no golden fixture at " + dir.string() + " (../shared/fixtures/sr3-reference)");
    try {
        in >> m_fixture;
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error((dir / "fixture.json").string() + ": " + e.what());
    }
}

torch::Tensor GoldenFixture::tensor(const std::string& name) const
{
    const auto shape = m_fixture.at("shapes").at(name).get<std::vector<int64_t>>();
    auto t = torch::empty(shape, torch::kFloat32);
    const fs::path path = m_dir / (name + ".f32");
    std::ifstream in(path, std::ios::binary);
    const auto bytes = std::streamsize(t.numel() * sizeof(float));
    in.read(reinterpret_cast<char*>(t.data_ptr<float>()), bytes);
    if (!in || in.gcount() != bytes)
        throw std::runtime_error("cannot read fixture tensor " + path.string());
    return t;
}

LoadedModel GoldenFixture::loadModel(const fs::path& scratchDir) const
{
    fs::create_directories(scratchDir);
    fs::copy_file(m_dir / "tiny_gen.pth", scratchDir / "tiny_gen.pth", fs::copy_options::overwrite_existing);
    std::ofstream(scratchDir / "tiny_gen.json") << nlohmann::json{{"unet", m_fixture.at("unet")}, {"native_scale", 4}};
    return loadModelFile(scratchDir / "tiny_gen.pth");
}

CheckResult GoldenFixture::checkSchedule(const LoadedModel& model) const
{
    const auto& s = m_fixture.at("beta_schedule");
    BetaScheduleSpec spec;
    spec.timesteps = s.at("n_timestep");
    spec.linearStart = s.at("linear_start");
    spec.linearEnd = s.at("linear_end");
    const auto expected = makeBetaSchedule(spec);
    CheckResult result{"beta schedule (absolute error)", 0, 1e-9};
    if (model.betas.size() != expected.size())
        result.relativeError = 1;
    for (size_t i = 0; i < std::min(expected.size(), model.betas.size()); ++i)
        result.relativeError = std::max(result.relativeError, std::abs(model.betas[i] - expected[i]));
    return result;
}

CheckResult GoldenFixture::checkForward(LoadedModel& model, const torch::Device& device, torch::ScalarType dtype) const
{
    torch::NoGradGuard noGrad;
    prepareForInference(model.net, device, dtype);
    const auto input = tensor("forward_input").to(device, dtype).contiguous(torch::MemoryFormat::ChannelsLast);
    const auto output = model.net->forward(input, tensor("forward_noise_level").to(device, dtype));
    return {"forward pass", relativeError(output, tensor("forward_output")), toleranceFor(dtype)};
}

std::vector<CheckResult> GoldenFixture::checkChain(LoadedModel& model, const torch::Device& device,
                                                   torch::ScalarType dtype) const
{
    torch::NoGradGuard noGrad;
    prepareForInference(model.net, device, dtype);
    const NoiseSchedule schedule(model.betas);
    const auto condition = tensor("chain_condition").to(device);
    auto x = tensor("chain_x_T").to(device);
    const auto timesteps = m_fixture.at("chain").at("timesteps").get<std::vector<int>>();
    std::vector<CheckResult> results;
    for (size_t i = 0; i < timesteps.size(); ++i) {
        const DiffusionStep step = schedule.fullStep(timesteps[i]);
        const auto level = torch::full({1, 1}, std::sqrt(step.gamma), torch::TensorOptions(device).dtype(dtype));
        const auto input = torch::cat({condition, x}, 1).to(dtype).contiguous(torch::MemoryFormat::ChannelsLast);
        const auto eps = model.net->forward(input, level).to(torch::kFloat32);
        const auto x0 = predictX0(x, eps, step.gamma).clamp(-1, 1);
        x = ancestralStep(x, x0, step, tensor("chain_z_" + std::to_string(i)).to(device));
        results.push_back({"chain step " + std::to_string(i) + " (t=" + std::to_string(timesteps[i]) + ")",
                           relativeError(x, tensor("chain_x_after_" + std::to_string(i))), toleranceFor(dtype)});
    }
    return results;
}

}  // namespace refine::golden
