#include "trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "diffusion/resampling.h"
#include "model/model_loader.h"
#include "residual_shift_objective.h"
#include "runtime/device.h"
#include "sr3_objective.h"
#include "validation_loss.h"

namespace refine::train {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

void copyWeights(torch::nn::Module& from, torch::nn::Module& to)
{
    torch::NoGradGuard noGrad;
    auto source = from.parameters();
    auto target = to.parameters();
    for (size_t i = 0; i < source.size(); ++i)
        target[i].copy_(source[i]);
}

void updateEma(torch::nn::Module& net, torch::nn::Module& ema, double decay)
{
    torch::NoGradGuard noGrad;
    auto source = net.parameters();
    auto target = ema.parameters();
    for (size_t i = 0; i < source.size(); ++i)
        target[i].mul_(decay).add_(source[i], 1.0 - decay);
}

void setLearningRate(torch::optim::Adam& optimizer, double lr)
{
    for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

struct Checkpoint {
    fs::path path;

    bool exists() const { return fs::exists(path); }
    void save(torch::nn::Module& net, torch::nn::Module& ema, torch::optim::Adam& optimizer, int64_t step) const
    {
        torch::serialize::OutputArchive archive, model, average, adam;
        net.save(model);
        ema.save(average);
        optimizer.save(adam);
        archive.write("model", model);
        archive.write("ema", average);
        archive.write("optimizer", adam);
        archive.write("step", torch::tensor(step));
        const fs::path temporary = path.string() + ".tmp";
        archive.save_to(temporary.string());
        fs::rename(temporary, path);  // an interrupted save never leaves a broken checkpoint
    }
    int64_t load(torch::nn::Module& net, torch::nn::Module& ema, torch::optim::Adam& optimizer) const
    {
        torch::serialize::InputArchive archive, model, average, adam;
        archive.load_from(path.string());
        archive.read("model", model);
        archive.read("ema", average);
        archive.read("optimizer", adam);
        net.load(model);
        ema.load(average);
        optimizer.load(adam);
        torch::Tensor step;
        archive.read("step", step);
        return step.item<int64_t>();
    }
};

/// Starts `net` from a shipped model, e.g. to continue training the bundled default.
void initialiseFrom(const fs::path& modelDir, torch::nn::Module& net)
{
    const fs::path weights = fs::is_directory(modelDir) ? modelDir / "model.safetensors" : modelDir;
    auto loaded = loadModelFile(weights);
    torch::NoGradGuard noGrad;
    if (loaded.isResidualShift())
        loadModuleWeights(net, moduleStateDict(*loaded.residual), weights.string());
    else
        loadModuleWeights(net, moduleStateDict(*loaded.net), weights.string());
    std::printf("initialised from %s\n", weights.c_str());
}

/// Only the detail network of a residual-shift model, into `net`'s detail network.
void initialiseDetailFrom(const fs::path& modelDir, ResidualShiftNet& net)
{
    const fs::path weights = fs::is_directory(modelDir) ? modelDir / "model.safetensors" : modelDir;
    auto loaded = loadModelFile(weights);
    if (!loaded.isResidualShift())
        throw std::invalid_argument(weights.string() + " is not a residual-shift model; --init-detail needs one");
    torch::NoGradGuard noGrad;
    loadModuleWeights(*net->detail, moduleStateDict(*loaded.residual->detail), weights.string());
    std::printf("detail network initialised from %s\n", weights.c_str());
}

/// What the loop needs of a model family: its loss on a training batch, and figures on the
/// validation crops (name, value; the first is "the" validation loss).
struct Objective {
    std::function<torch::Tensor(const Batch&, torch::Generator&)> loss;
    std::function<std::vector<std::pair<std::string, double>>()> validate;  ///< empty without a validation pack
};

double psnrFromMse(double mse) { return 10.0 * std::log10(4.0 / std::max(mse, 1e-12)); }  // [-1, 1] range

Objective sr3Objective(Sr3UNet& net, Sr3UNet& ema, const NoiseSchedule& schedule, ValidationLoss* validation,
                       const torch::Device& device)
{
    Objective o;
    o.loss = [&net, &schedule, device](const Batch& batch, torch::Generator& generator) {
        return sr3NoiseLoss(net, batch, schedule, generator, device);
    };
    if (validation)
        o.validate = [&ema, &schedule, validation, device] {
            const double loss = validation->evaluate(ema, schedule, device);
            return std::vector<std::pair<std::string, double>>{{"loss", loss}};
        };
    return o;
}

Objective residualShiftObjective(ResidualShiftNet& net, ResidualShiftNet& ema, ValidationLoss* validation,
                                 const torch::Device& device, bool cleanOnly)
{
    Objective o;
    o.loss = [&net, device, cleanOnly](const Batch& batch, torch::Generator& generator) {
        if (cleanOnly)  // the detail network is left as it is: no forward pass, no gradient
            return (net->clean->forward(batch.input) - batch.highRes).abs().mean();
        const auto losses = residualShiftLosses(net, batch, generator, device);
        return losses.clean + losses.detail;
    };
    if (validation)
        o.validate = [&ema, validation, device] {
            // The detail loss at three fixed noise levels (u = 0.1, 0.5, 0.9), and the clean PSNR.
            double detail = 0;
            for (double u : {0.1, 0.5, 0.9})
                detail += validation->evaluate(
                              *ema,
                              [&](const Batch& batch, torch::Generator& generator) {
                                  return residualShiftLosses(ema, batch, generator, device, u).detail;
                              },
                              device)
                          / 3.0;
            const double cleanMse = validation->evaluate(
                *ema,
                [&](const Batch& batch, torch::Generator&) {
                    return (ema->clean->forward(batch.input).clamp(-1, 1) - batch.highRes).pow(2).mean();
                },
                device);
            // Bicubic on the same (damaged) inputs: what the clean PSNR has to beat.
            const double bicubicMse = validation->evaluate(
                *ema,
                [&](const Batch& batch, torch::Generator&) {
                    const int factor = int(batch.highRes.size(-1) / batch.input.size(-1));
                    return (upscaleBicubic(batch.input, factor).clamp(-1, 1) - batch.highRes).pow(2).mean();
                },
                device);
            return std::vector<std::pair<std::string, double>>{{"loss", detail},
                                                               {"clean_psnr", psnrFromMse(cleanMse)},
                                                               {"bicubic_psnr", psnrFromMse(bicubicMse)}};
        };
    return o;
}

TrainResult runLoop(torch::nn::Module& net, torch::nn::Module& ema, const Objective& objective, TrainingData& data,
                    const TrainOptions& o, const torch::Device& device)
{
    torch::optim::Adam optimizer(net.parameters(), torch::optim::AdamOptions(o.learningRate));
    fs::create_directories(o.workDir);
    const Checkpoint checkpoint{o.workDir / "checkpoint.pt"};
    int64_t step = 0;
    if (checkpoint.exists()) {
        step = checkpoint.load(net, ema, optimizer);
        std::printf("resumed from %s at step %lld\n", checkpoint.path.c_str(), (long long)step);
    }
    std::ofstream lossLog(o.workDir / "loss.csv", std::ios::app);
    std::ofstream validationLog;
    if (objective.validate)
        validationLog.open(o.workDir / "validation.csv", std::ios::app);
    TrainResult result;
    result.firstStep = step;
    // A fresh generator per run, derived from the seed and the step, keeps resumed runs reproducible.
    auto generator = at::detail::createCPUGenerator(o.seed * 1000003ULL + uint64_t(step));

    const auto start = Clock::now();
    auto windowStart = start;
    double windowLoss = 0;
    int64_t windowSteps = 0;
    while (step < o.steps) {
        const Batch batch = data.next(o.batchSize, generator, device);
        const auto loss = objective.loss(batch, generator);

        optimizer.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(net.parameters(), o.gradientClip);
        setLearningRate(optimizer, o.learningRate * std::min(1.0, double(step + 1) / double(std::max<int64_t>(1, o.warmupSteps))));
        optimizer.step();
        // EMA warm-up (as in common diffusion trainers): early averages forget the random init
        // faster. Weights from --init are already trained, so their average keeps the full decay.
        const double warmDecay = double(step + 1) / double(step + 10);
        updateEma(net, ema, o.initModel.empty() ? std::min(o.emaDecay, warmDecay) : o.emaDecay);
        ++step;

        windowLoss += loss.item<double>();
        ++windowSteps;
        const double minutes = std::chrono::duration<double>(Clock::now() - start).count() / 60.0;
        if (step % o.logEvery == 0 || step == o.steps) {
            const double seconds = std::chrono::duration<double>(Clock::now() - windowStart).count();
            std::printf("step %lld  loss %.4f  %.1f samples/s  %.1f min\n", (long long)step, windowLoss / windowSteps,
                        double(windowSteps * o.batchSize) / seconds, minutes);
            std::fflush(stdout);
            lossLog << step << "," << windowLoss / windowSteps << "," << double(windowSteps * o.batchSize) / seconds
                    << "\n";
            lossLog.flush();
            result.losses.push_back({step, windowLoss / windowSteps});
            windowLoss = 0;
            windowSteps = 0;
            windowStart = Clock::now();
        }
        const bool outOfTime = o.maxMinutes > 0 && minutes >= o.maxMinutes;
        if (step % o.checkpointEvery == 0 || step == o.steps || outOfTime) {
            checkpoint.save(net, ema, optimizer, step);
            if (objective.validate) {
                const auto figures = objective.validate();
                result.validationLoss = figures.front().second;
                std::printf("step %lld  validation (EMA)", (long long)step);
                validationLog << step;
                for (const auto& [name, value] : figures) {
                    std::printf("  %s %.5f", name.c_str(), value);
                    validationLog << "," << value;
                    if (name == "clean_psnr")
                        result.validationCleanPsnr = value;
                }
                std::printf("\n");
                std::fflush(stdout);
                validationLog << "\n";
                validationLog.flush();
            }
        }
        if (outOfTime) {
            std::printf("time limit reached at step %lld; run again to continue\n", (long long)step);
            break;
        }
    }
    result.lastStep = step;
    return result;
}

template <typename Net>
void prepareModels(Net& net, Net& ema, const TrainOptions& o, const torch::Device& device)
{
    if (!o.initModel.empty())
        initialiseFrom(o.initModel, *net);
    copyWeights(*net, *ema);
    net->to(device);
    ema->to(device);
    net->train();
}

}  // namespace

TrainResult trainModel(const std::string& packPath, const TrainOptions& o)
{
    const torch::Device device = selectDevice(o.device);
    TrainingData data(packPath, o.data);
    torch::manual_seed(o.seed);
    std::unique_ptr<ValidationLoss> validation;
    if (!o.validationPack.empty())
        validation = std::make_unique<ValidationLoss>(o.validationPack, o.data);

    if (o.family == "residual-shift") {
        ResidualShiftNet net(o.residual), ema(o.residual);
        if (!o.initDetailModel.empty())
            initialiseDetailFrom(o.initDetailModel, net);
        prepareModels(net, ema, o, device);
        auto result = runLoop(*net, *ema, residualShiftObjective(net, ema, validation.get(), device, o.cleanOnly),
                              data, o, device);
        ema->to(torch::kCPU);
        ema->eval();
        result.residualEma = ema;
        return result;
    }
    if (o.family != "sr3")
        throw std::invalid_argument("unknown model family '" + o.family + "' (sr3 or residual-shift)");
    const NoiseSchedule schedule(o.schedule);
    Sr3UNet net(o.unet), ema(o.unet);
    prepareModels(net, ema, o, device);
    auto result = runLoop(*net, *ema, sr3Objective(net, ema, schedule, validation.get(), device), data, o, device);
    ema->to(torch::kCPU);
    ema->eval();
    result.ema = ema;
    return result;
}

TrainResult checkpointEma(const TrainOptions& o)
{
    const fs::path path = o.workDir / "checkpoint.pt";
    if (!fs::exists(path))
        throw std::invalid_argument("no checkpoint in " + o.workDir.string());
    torch::serialize::InputArchive archive, average;
    archive.load_from(path.string());
    archive.read("ema", average);
    torch::Tensor step;
    archive.read("step", step);
    TrainResult result;
    result.lastStep = step.item<int64_t>();
    if (o.family == "residual-shift") {
        result.residualEma = ResidualShiftNet(o.residual);
        result.residualEma->load(average);
        result.residualEma->eval();
    } else {
        result.ema = Sr3UNet(o.unet);
        result.ema->load(average);
        result.ema->eval();
    }
    return result;
}

}  // namespace refine::train
