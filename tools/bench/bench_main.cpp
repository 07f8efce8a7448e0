// refine-bench: measures Refine's enhance pipeline on the standard workloads of
// docs/performance.md and prints a Markdown table. Engine-only, so it builds on the GPU machine.
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <torch/cuda.h>
#include <torch/version.h>

#include "../common/argument_map.h"
#include "../common/tool_main.h"
#include "bench_run.h"
#include "bench_table.h"
#include "model/model_catalog.h"
#include "refine/engine/error.h"
#include "runtime/device.h"

namespace {

const char* kUsage = R"(usage: refine-bench [options]
  --workload LIST     comma-separated: a (64->512 faces, random weights, 1 and 4 candidates),
                      b (16->128 faces, random weights; a and b run SR3 DDIM 20), c (default
                      model, 512x512 -> 2048x2048, 4 candidates, every preset), d (default model,
                      128x128 -> 512x512, 1 candidate, Balanced), e (the same with 4 candidates),
                      f (640x480 -> 2560x1920, 4 candidates, Balanced), g (640x480, the clean-only
                      presets), all, or custom (default: a,b,c on CUDA, d on the CPU)
  --device auto|cpu|cuda[:N]   --precision fp32|fp16|bf16 (the network; fp32 on the CPU)
  --threads N         CPU threads (default: all cores)
  --memory-gib X      activation memory budget (default: 12 on CUDA, 3 on the CPU)
  --previews N        x0 preview every N steps, as the app does (default 1; 0 = none)
  --warmup-steps N    steps of the untimed first job (default 2)
  --steps N           run N steps instead of the preset's (for quick checks of slow workloads)
  --model NAME|PATH   the model of workloads c-g and custom (default: the bundled default model)
  --markdown FILE     also write the table (with device and command) to FILE
  custom workload:    --input WxH (128x128) --scale S (4) --candidates N (1) --preset NAME (Balanced)
)";

const std::set<std::string> kOptions{"--workload", "--device", "--precision", "--threads", "--memory-gib",
                                     "--previews", "--warmup-steps", "--steps", "--model", "--markdown",
                                     "--input", "--scale", "--candidates", "--preset", "--help"};

refine::bench::Workload customWorkload(const refine::tools::ArgumentMap& args, const std::string& model,
                                       const std::vector<refine::SamplingPreset>& presets)
{
    refine::bench::Workload w;
    w.id = "custom";
    w.model = model;
    w.title = model;
    char separator = 0;
    std::istringstream size(args.text("--input", "128x128"));
    if (!(size >> w.inputWidth >> separator >> w.inputHeight) || separator != 'x' || w.inputWidth < 1 || w.inputHeight < 1)
        throw std::invalid_argument("--input expects WIDTHxHEIGHT, e.g. 128x128");
    w.scale = args.integer("--scale", 4);
    w.candidates = args.integer("--candidates", 1);
    w.sampling = refine::bench::findPreset(presets, args.text("--preset", "Balanced"));
    return w;
}

std::string deviceLine(const torch::Device& device)
{
    std::string line = "LibTorch " TORCH_VERSION ", " + device.str();
    if (!device.is_cuda())
        line += ", " + std::to_string(torch::get_num_threads()) + " CPU threads";
    return line;
}

std::string commandLine(int argc, char** argv)
{
    std::string line = "refine-bench";
    for (int i = 1; i < argc; ++i)
        line += std::string(" ") + argv[i];
    return line;
}

int run(int argc, char** argv)
{
    const refine::tools::ArgumentMap args(argc, argv, {"--help"});
    if (args.has("--help")) {
        std::printf("%s", kUsage);
        return 0;
    }
    for (const auto& key : args.unknown(kOptions))
        throw std::invalid_argument("unknown option " + key);

    refine::bench::BenchOptions options;
    options.engine.device = args.text("--device", "auto");
    options.engine.precision = refine::precisionFromName(args.text("--precision", "fp32"));
    options.engine.cpuThreads = args.integer("--threads", 0);
    options.memoryBudgetGiB = args.number("--memory-gib", 0);
    options.previewInterval = args.integer("--previews", 1);
    options.warmupSteps = args.integer("--warmup-steps", 2);
    options.stepsOverride = args.integer("--steps", 0);
    const torch::Device device = refine::selectDevice(options.engine.device);

    refine::bench::BenchRunner runner(options);
    const std::string model = args.text("--model", refine::kDefaultModelId);
    const auto presets = refine::bench::BenchRunner::presetsOf(model);
    const std::string selection = args.text("--workload", device.is_cuda() ? "a,b,c" : "d");
    std::vector<refine::bench::Workload> workloads;
    if (selection == "custom")
        workloads.push_back(customWorkload(args, model, presets));
    else
        workloads = refine::bench::standardWorkloads(selection, model, presets);

    std::printf("%s\n\n", deviceLine(device).c_str());
    std::vector<refine::bench::BenchResult> results;
    for (const auto& workload : workloads) {
        std::fprintf(stderr, "running %s: %s ...\n", workload.id.c_str(), workload.title.c_str());
        results.push_back(runner.run(workload));
        std::printf("%s\n", refine::bench::markdownTable({results.back()}).c_str());
        std::fflush(stdout);
    }
    const std::string table = refine::bench::markdownTable(results);
    std::printf("All workloads:\n\n%s", table.c_str());
    if (args.has("--markdown")) {
        std::ofstream file(args.text("--markdown", ""));
        file << "Device: " << deviceLine(device) << "\n\nCommand: `" << commandLine(argc, argv) << "`\n\n" << table;
        if (!file)
            throw std::runtime_error("cannot write " + args.text("--markdown", ""));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    return refine::tools::runTool("refine-bench", kUsage, [&] { return run(argc, argv); });
}
