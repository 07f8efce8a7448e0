#include "forward_benchmark.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include <torch/torch.h>

#include "model/sr3_unet.h"

namespace refine::train {

ForwardCost measureForwardCost(const UNetConfig& config, int side, int repeats)
{
    torch::InferenceMode inference;
    torch::manual_seed(0);
    Sr3UNet net(config);
    net->eval();
    const auto input = torch::randn({1, config.inChannels, side, side});
    const auto level = torch::full({1}, 0.5);
    net->forward(input, level);  // warm-up: first-call allocations are not the network's cost
    std::vector<double> seconds;
    for (int i = 0; i < std::max(1, repeats); ++i) {
        const auto start = std::chrono::steady_clock::now();
        net->forward(input, level);
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    ForwardCost cost;
    cost.secondsPerForward = seconds[seconds.size() / 2];
    cost.secondsPerMegapixel = cost.secondsPerForward / (double(side) * side / 1e6);
    cost.parameters = parameterCount(*net);
    return cost;
}

}  // namespace refine::train
