#include "test_support.h"

#include <cmath>
#include <cstdlib>
#include <fstream>

#include <torch/torch.h>

namespace refine::test {

void useTestThreads()
{
    const char* env = std::getenv("REFINE_TEST_THREADS");
    torch::set_num_threads(env ? std::max(1, std::atoi(env)) : 2);
}

std::filesystem::path referenceFixtureDir()
{
    return std::filesystem::path(REFINE_SHARED_DIR) / "fixtures" / "sr3-reference";
}

UNetConfig tinyConfig()
{
    UNetConfig c;
    c.innerChannels = 8;
    c.normGroups = 4;
    c.channelMults = {1, 2};
    c.attnRes = {8};
    c.imageSize = 16;
    c.resBlocks = 1;
    c.dropout = 0.0;
    return c;
}

std::filesystem::path writeTinyModel(const std::filesystem::path& dir, int scale, uint64_t seed)
{
    torch::manual_seed(seed);
    Sr3UNet net(tinyConfig());
    BetaScheduleSpec schedule;  // linear 1e-6 .. 1e-2, T = 2000, as SR3
    nlohmann::json card = {{"id", "tiny-test"},
                           {"name", "Tiny test model"},
                           {"description", "random weights, for tests only"},
                           {"native_scale", scale},
                           {"license", "CC0-1.0"},
                           {"presets", {{{"name", "Fast"}, {"sampler", "dpmpp2m"}, {"steps", 3}},
                                        {{"name", "Balanced"}, {"sampler", "ddim"}, {"steps", 4}},
                                        {{"name", "Best"}, {"sampler", "ddpm"}, {"steps", 6}}}}};
    saveModel(dir, net, schedule, card, /*keepFloat32=*/true);
    return dir / "model.safetensors";
}

std::filesystem::path writeTinyResidualShiftModel(const std::filesystem::path& dir, int scale, uint64_t seed)
{
    torch::manual_seed(seed);
    ResidualShiftConfig config;
    config.scale = scale;
    config.clean = {8, 1};
    config.detail = {16, 1, 16};
    ResidualShiftNet net(config);
    {
        // A random detail network's output layer starts at zero; give it weights so tests see
        // candidates that differ from the clean result.
        torch::NoGradGuard noGrad;
        net->detail->tail->weight.normal_(0, 0.05);
    }
    nlohmann::json card = {{"id", "tiny-residual-test"},
                           {"name", "Tiny residual-shift test model"},
                           {"description", "random weights, for tests only"},
                           {"license", "CC0-1.0"},
                           {"presets", {{{"name", "Fast"}, {"sampler", "clean"}, {"steps", 0}},
                                        {{"name", "Balanced"}, {"sampler", "resshift"}, {"steps", 2}},
                                        {{"name", "Best"}, {"sampler", "resshift"}, {"steps", 3}}}}};
    saveModel(dir, net, card, /*keepFloat32=*/true);
    return dir / "model.safetensors";
}

ImageF syntheticImage(int width, int height, uint64_t seed)
{
    ImageF image(width, height, 3);
    const double phase = double(seed % 97) * 0.1;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const double u = double(x) / width, v = double(y) / height;
            const bool disc = std::hypot(u - 0.6, v - 0.4) < 0.2;
            image.at(x, y, 0) = float(0.2 + 0.6 * u);
            image.at(x, y, 1) = float(disc ? 0.9 : 0.3 + 0.4 * v);
            image.at(x, y, 2) = float(0.5 + 0.4 * std::sin(6.0 * u + 4.0 * v + phase));
        }
    return image;
}

}  // namespace refine::test
