// refine-train: trains an SR3 super-resolution model from a data pack and writes it as a Refine
// model (fp16 safetensors + card). Engine-only (no Qt, OpenCV or CLI11) so it builds on the GPU
// machine; hence the small hand-rolled option parser.
#include <cstdio>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "model/model_loader.h"
#include "refine/engine/error.h"
#include "runtime/device.h"
#include "trainer.h"

namespace {

const char* kUsage = R"(usage: refine-train --pack PACK --work DIR --out MODEL_DIR [options]
  --pack PATH          data pack from refine-pack-data (uint8 crops)
  --work DIR           checkpoint.pt and loss.csv; an existing checkpoint is resumed
  --out DIR            where model.safetensors (fp16) and model.json are written at the end
  --id NAME            model id for the card (default refine-x4)
  --scale N            4; --patch N 64 (HR crop side); --batch N 16; --steps N 1000
  --lr X               2e-4; --warmup N 500; --ema X 0.999; --seed N 1
  --inner N            32; --mults 1,2,2; --res-blocks N 1; --attn-res 16,...(resolutions at image-size)
  --groups N           8; --image-size N 64 (only decides attention levels); --dropout X 0
  --device auto|cpu|cuda; --threads N; --max-minutes X (checkpoint and stop)
  --old-photo          stronger blur and noise on the low-resolution inputs
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
        if (key == "--old-photo") {
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
    if (!args.count("--pack") || !args.count("--work") || !args.count("--out")) {
        std::fprintf(stderr, "%s", kUsage);
        return 2;
    }
    try {
        refine::train::TrainOptions o;
        o.unet.innerChannels = std::stoi(get("--inner", "32"));
        o.unet.channelMults = parseInts(get("--mults", "1,2,2"));
        o.unet.resBlocks = std::stoi(get("--res-blocks", "1"));
        o.unet.attnRes = parseInts(get("--attn-res", ""));
        o.unet.normGroups = std::stoi(get("--groups", "8"));
        o.unet.imageSize = std::stoi(get("--image-size", "64"));
        o.unet.dropout = std::stod(get("--dropout", "0"));
        o.data.scale = std::stoi(get("--scale", "4"));
        o.data.patch = std::stoi(get("--patch", "64"));
        o.data.oldPhotoDegradation = args.count("--old-photo") > 0;
        o.batchSize = std::stoll(get("--batch", "16"));
        o.steps = std::stoll(get("--steps", "1000"));
        o.learningRate = std::stod(get("--lr", "2e-4"));
        o.warmupSteps = std::stoll(get("--warmup", "500"));
        o.emaDecay = std::stod(get("--ema", "0.999"));
        o.seed = std::stoull(get("--seed", "1"));
        o.maxMinutes = std::stod(get("--max-minutes", "0"));
        o.workDir = get("--work", "");
        o.device = get("--device", "auto");
        refine::configureCpuThreads(std::stoi(get("--threads", "0")));

        auto ema = refine::train::trainModel(get("--pack", ""), o);
        nlohmann::json card = {{"id", get("--id", "refine-x4")},
                               {"native_scale", o.data.scale},
                               {"training",
                                {{"pack", get("--pack", "")}, {"steps", o.steps}, {"batch", o.batchSize},
                                 {"patch", o.data.patch}, {"lr", o.learningRate}, {"ema", o.emaDecay},
                                 {"old_photo_degradation", o.data.oldPhotoDegradation}}}};
        refine::saveModel(get("--out", ""), ema, o.schedule, card);
        std::printf("wrote %s/model.safetensors and model.json (complete the card's text fields)\n",
                    get("--out", "").c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-train: %s\n", e.what());
        return 1;
    }
    return 0;
}
