// refine-train: trains a super-resolution model (SR3, or residual shift: a clean upscaler plus a
// detail network) from a data pack and writes it as a Refine model (fp16 safetensors + card). Engine-only (no Qt, OpenCV or CLI11) so it builds on the GPU
// machine; hence the small hand-rolled option parser.
#include <cstdio>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "model/model_loader.h"
#include "refine/engine/error.h"
#include "runtime/device.h"
#include "forward_benchmark.h"
#include "trainer.h"

namespace {

const char* kUsage = R"(usage: refine-train --pack PACK --work DIR --out MODEL_DIR [options]
       refine-train --time-forward SIDE [architecture options] [--threads N]
  --pack PATH          data pack from refine-pack-data (uint8 crops)
  --work DIR           checkpoint.pt, loss.csv, validation.csv; an existing checkpoint is resumed
  --out DIR            where model.safetensors (fp16) and model.json are written at the end
  --id NAME            model id for the card (default refine-x4)
  --family NAME        sr3 (default) or residual-shift
  residual shift:      --clean-channels N 32; --clean-blocks N 3; --detail-channels N 64;
                       --detail-blocks N 4; --kappa X 0.5 (noise strength of the shifting; more
                       gives more varied candidates); --power X 1.0 and --sqrt-eta-min X 0.1 (the
                       schedule; these three also override an --init model's); the --inner,
                       --mults... options are SR3's
  --scale N            4; --patch N 64 (HR crop side); --batch N 16; --steps N 1000
  --lr X               2e-4; --warmup N 500; --ema X 0.999; --seed N 1
  --inner N            32; --mults 1,2,2; --res-blocks N 1; --attn-res 16,...(resolutions at image-size)
  --groups N           8; --image-size N 64 (only decides attention levels); --dropout X 0
  --device auto|cpu|cuda (CUDA trains under bf16 autocast, the CPU in fp32); --threads N
  --max-minutes X      checkpoint and stop after this wall time (run again to continue)
  --export-checkpoint  write the EMA of --work's checkpoint to --out and stop (the run may go on;
                       give the same family and shape options as the run)
  --log-every N        50; --checkpoint-every N 500
  --val-pack PATH      validation pack (refine-pack-data --validation-pack): the EMA's loss on it
                       at every checkpoint, in validation.csv (same crops and noise every time)
  --init MODEL_DIR     start a fresh run from a Refine model's weights; its card sets the architecture
  --init-detail MODEL_DIR  residual shift: take only that model's detail network and schedule; the
                       clean upscaler is new, of the --clean-channels/--clean-blocks shape
  --clean-only         residual shift: train the clean upscaler alone (the detail network is kept)
  --degrade none|old   old: every low-resolution input gets a fresh draw of realistic damage, half
                       as a scanned print (light blur, fine grain, then JPEG 40-80 at 4:2:0), half
                       as anything (blur, resize, Gaussian/Poisson noise and film grain in a random
                       order, then JPEG at quality 30-95), with fading and a colour cast on the photo
                       itself (tools/train/degradations.h has the ranges), and the model learns to
                       give the clean photo back (a restore model); print: every damaged
                       example is a scanned print (the narrower damage refine-eval --degrade old
                       measures);
                       its detail network learns soft consistency (the clean result's own shrink)
  --time-forward SIDE  time one forward pass at SIDE x SIDE, batch 1, and print the cost per output
                       megapixel per denoising step of the architecture; trains nothing
)";

std::vector<int> parseInts(const std::string& text)
{
    std::vector<int> values;
    std::stringstream list(text);
    for (std::string item; std::getline(list, item, ',');)
        if (!item.empty())
            values.push_back(std::stoi(item));
    return values;
}

refine::UNetConfig architectureFrom(const std::function<std::string(const std::string&, const std::string&)>& get)
{
    refine::UNetConfig unet;
    unet.innerChannels = std::stoi(get("--inner", "32"));
    unet.channelMults = parseInts(get("--mults", "1,2,2"));
    unet.resBlocks = std::stoi(get("--res-blocks", "1"));
    unet.attnRes = parseInts(get("--attn-res", ""));
    unet.normGroups = std::stoi(get("--groups", "8"));
    unet.imageSize = std::stoi(get("--image-size", "64"));
    unet.dropout = std::stod(get("--dropout", "0"));
    unet.validate();
    return unet;
}

refine::ResidualShiftConfig residualShiftFrom(const std::function<std::string(const std::string&, const std::string&)>& get,
                                              int scale)
{
    refine::ResidualShiftConfig c;
    c.scale = scale;
    c.clean.channels = std::stoi(get("--clean-channels", "32"));
    c.clean.blocks = std::stoi(get("--clean-blocks", "3"));
    c.detail.channels = std::stoi(get("--detail-channels", "64"));
    c.detail.blocks = std::stoi(get("--detail-blocks", "4"));
    c.schedule.kappa = std::stod(get("--kappa", "0.5"));
    c.schedule.power = std::stod(get("--power", "1.0"));
    c.schedule.sqrtEtaMin = std::stod(get("--sqrt-eta-min", "0.1"));
    c.validate();
    return c;
}

/// An --init model's schedule with the options given on the command line applied.
refine::ResidualShiftConfig withScheduleOptions(refine::ResidualShiftConfig c,
                                                const std::function<bool(const std::string&)>& given,
                                                const std::function<std::string(const std::string&, const std::string&)>& get)
{
    if (given("--kappa"))
        c.schedule.kappa = std::stod(get("--kappa", ""));
    if (given("--power"))
        c.schedule.power = std::stod(get("--power", ""));
    if (given("--sqrt-eta-min"))
        c.schedule.sqrtEtaMin = std::stod(get("--sqrt-eta-min", ""));
    c.validate();
    return c;
}

/// The model a run continues (--init), so the weights fit by construction.
refine::LoadedModel modelOf(const std::filesystem::path& modelDir)
{
    const auto weights = std::filesystem::is_directory(modelDir) ? modelDir / "model.safetensors" : modelDir;
    return refine::loadModelFile(weights);
}

int timeForward(const refine::UNetConfig& unet, int side)
{
    const auto cost = refine::train::measureForwardCost(unet, side);
    std::printf("forward %dx%d batch 1: %.3f s, %.3f s per output megapixel per step, %lld parameters\n", side, side,
                cost.secondsPerForward, cost.secondsPerMegapixel, (long long)cost.parameters);
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    std::map<std::string, std::string> args;
    for (int i = 1; i < argc; ++i) {
        const std::string key = argv[i];
        if (key == "--help" || key == "-h") {
            std::printf("%s", kUsage);
            return 0;
        }
        if (key == "--export-checkpoint" || key == "--clean-only") {
            args[key] = "1";
        } else if (key.rfind("--", 0) == 0 && i + 1 < argc) {
            args[key] = argv[++i];
        } else {
            std::fprintf(stderr, "refine-train: unexpected argument '%s'\n%s", key.c_str(), kUsage);
            return 2;
        }
    }
    auto get = [&](const std::string& key, const std::string& fallback) {
        return args.count(key) ? args[key] : fallback;
    };
    const bool timing = args.count("--time-forward") > 0;
    if (!timing && (!args.count("--pack") || !args.count("--work") || !args.count("--out"))) {
        std::fprintf(stderr, "%s", kUsage);
        return 2;
    }
    try {
        refine::configureCpuThreads(std::stoi(get("--threads", "0")));
        if (timing)
            return timeForward(architectureFrom(get), std::stoi(get("--time-forward", "256")));
        refine::train::TrainOptions o;
        o.initModel = get("--init", "");
        o.family = get("--family", "sr3");
        o.data.scale = std::stoi(get("--scale", "4"));
        if (!o.initModel.empty()) {
            auto init = modelOf(o.initModel);
            o.family = init.isResidualShift() ? "residual-shift" : "sr3";
            if (init.isResidualShift())
                o.residual = withScheduleOptions(
                    init.residual->config(), [&](const std::string& key) { return args.count(key) > 0; }, get);
            else
                o.unet = init.config;
        } else if (args.count("--init-detail")) {
            o.family = "residual-shift";
            o.initDetailModel = get("--init-detail", "");
            auto donor = modelOf(o.initDetailModel);
            if (!donor.isResidualShift())
                throw std::invalid_argument("--init-detail needs a residual-shift model");
            o.residual = residualShiftFrom(get, o.data.scale);
            o.residual.detail = donor.residual->config().detail;
            o.residual.schedule = withScheduleOptions(
                donor.residual->config(), [&](const std::string& key) { return args.count(key) > 0; }, get).schedule;
        } else if (o.family == "residual-shift") {
            o.residual = residualShiftFrom(get, o.data.scale);
        } else {
            o.unet = architectureFrom(get);
        }
        o.validationPack = get("--val-pack", "");
        o.cleanOnly = args.count("--clean-only") > 0;
        o.logEvery = std::stoll(get("--log-every", "50"));
        o.checkpointEvery = std::stoll(get("--checkpoint-every", "500"));
        o.data.patch = std::stoi(get("--patch", "64"));
        const std::string degrade = get("--degrade", "none");
        if (degrade != "none" && degrade != "old" && degrade != "print")
            throw std::invalid_argument("--degrade takes none, old or print");
        o.data.realisticDegradation = degrade != "none";
        if (degrade == "print")
            o.data.degradation.scannedPrintProbability = 1.0;
        o.batchSize = std::stoll(get("--batch", "16"));
        o.steps = std::stoll(get("--steps", "1000"));
        o.learningRate = std::stod(get("--lr", "2e-4"));
        o.warmupSteps = std::stoll(get("--warmup", "500"));
        o.emaDecay = std::stod(get("--ema", "0.999"));
        o.seed = std::stoull(get("--seed", "1"));
        o.maxMinutes = std::stod(get("--max-minutes", "0"));
        o.workDir = get("--work", "");
        o.device = get("--device", "auto");
        if (o.logEvery < 1 || o.checkpointEvery < 1 || o.batchSize < 1)
            throw std::invalid_argument("--log-every, --checkpoint-every and --batch must be at least 1");

        auto result = args.count("--export-checkpoint") ? refine::train::checkpointEma(o)
                                                        : refine::train::trainModel(get("--pack", ""), o);
        nlohmann::json training = {{"pack", get("--pack", "")}, {"steps", result.lastStep}, {"batch", o.batchSize},
                                   {"patch", o.data.patch}, {"lr", o.learningRate}, {"ema", o.emaDecay},
                                   {"degradation", degrade}};
        if (!o.initModel.empty())
            training["initialised_from"] = o.initModel.string();
        if (!o.initDetailModel.empty())
            training["detail_network_from"] = o.initDetailModel.string();
        if (o.cleanOnly)
            training["clean_only"] = true;
        if (result.validationLoss >= 0)
            training["validation_loss"] = result.validationLoss;
        nlohmann::json card = {{"id", get("--id", "refine-x4")}, {"native_scale", o.data.scale}, {"training", training}};
        if (o.family == "residual-shift") {
            if (result.validationLoss >= 0)
                training["validation_clean_psnr"] = result.validationCleanPsnr;
            card["training"] = training;
            refine::saveModel(get("--out", ""), result.residualEma, card);
        } else {
            refine::saveModel(get("--out", ""), result.ema, o.schedule, card);
        }
        std::printf("wrote %s/model.safetensors and model.json (complete the card's text fields)\n",
                    get("--out", "").c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-train: %s\n", e.what());
        return 1;
    }
    return 0;
}
