#include "trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "model/model_loader.h"
#include "runtime/device.h"
#include "sr3_objective.h"
#include "validation_loss.h"

namespace refine::train {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

void copyWeights(Sr3UNet& from, Sr3UNet& to)
{
    torch::NoGradGuard noGrad;
    auto source = from->parameters();
    auto target = to->parameters();
    for (size_t i = 0; i < source.size(); ++i)
        target[i].copy_(source[i]);
}

void updateEma(Sr3UNet& net, Sr3UNet& ema, double decay)
{
    torch::NoGradGuard noGrad;
    auto source = net->parameters();
    auto target = ema->parameters();
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
    void save(Sr3UNet& net, Sr3UNet& ema, torch::optim::Adam& optimizer, int64_t step) const
    {
        torch::serialize::OutputArchive archive, model, average, adam;
        net->save(model);
        ema->save(average);
        optimizer.save(adam);
        archive.write("model", model);
        archive.write("ema", average);
        archive.write("optimizer", adam);
        archive.write("step", torch::tensor(step));
        const fs::path temporary = path.string() + ".tmp";
        archive.save_to(temporary.string());
        fs::rename(temporary, path);  // an interrupted save never leaves a broken checkpoint
    }
    int64_t load(Sr3UNet& net, Sr3UNet& ema, torch::optim::Adam& optimizer) const
    {
        torch::serialize::InputArchive archive, model, average, adam;
        archive.load_from(path.string());
        archive.read("model", model);
        archive.read("ema", average);
        archive.read("optimizer", adam);
        net->load(model);
        ema->load(average);
        optimizer.load(adam);
        torch::Tensor step;
        archive.read("step", step);
        return step.item<int64_t>();
    }
};

/// Starts `net` from a shipped model, e.g. to continue training the bundled default.
void initialiseFrom(const fs::path& modelDir, Sr3UNet& net)
{
    const fs::path weights = fs::is_directory(modelDir) ? modelDir / "model.safetensors" : modelDir;
    auto loaded = loadModelFile(weights);
    torch::NoGradGuard noGrad;
    loadUNetWeights(net, unetStateDict(loaded.net), weights.string());
    std::printf("initialised from %s\n", weights.c_str());
}

}  // namespace

TrainResult trainModel(const std::string& packPath, const TrainOptions& o)
{
    const torch::Device device = selectDevice(o.device);
    TrainingData data(packPath, o.data);
    const NoiseSchedule schedule(o.schedule);
    torch::manual_seed(o.seed);
    Sr3UNet net(o.unet), ema(o.unet);
    if (!o.initModel.empty())
        initialiseFrom(o.initModel, net);
    copyWeights(net, ema);
    net->to(device);
    ema->to(device);
    net->train();
    torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(o.learningRate));

    fs::create_directories(o.workDir);
    const Checkpoint checkpoint{o.workDir / "checkpoint.pt"};
    int64_t step = 0;
    if (checkpoint.exists()) {
        step = checkpoint.load(net, ema, optimizer);
        std::printf("resumed from %s at step %lld\n", checkpoint.path.c_str(), (long long)step);
    }
    std::ofstream lossLog(o.workDir / "loss.csv", std::ios::app);
    std::unique_ptr<ValidationLoss> validation;
    std::ofstream validationLog;
    if (!o.validationPack.empty()) {
        validation = std::make_unique<ValidationLoss>(o.validationPack, o.data);
        validationLog.open(o.workDir / "validation.csv", std::ios::app);
    }
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
        const auto loss = sr3NoiseLoss(net, batch, schedule, generator, device);

        optimizer.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(net->parameters(), o.gradientClip);
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
            if (validation) {
                result.validationLoss = validation->evaluate(ema, schedule, device);
                std::printf("step %lld  validation loss (EMA) %.4f\n", (long long)step, result.validationLoss);
                validationLog << step << "," << result.validationLoss << "\n";
                validationLog.flush();
            }
        }
        if (outOfTime) {
            std::printf("time limit reached at step %lld; run again to continue\n", (long long)step);
            break;
        }
    }
    ema->to(torch::kCPU);
    ema->eval();
    result.ema = ema;
    result.lastStep = step;
    return result;
}

}  // namespace refine::train
