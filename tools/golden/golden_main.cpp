// refine-golden: runs the golden checks of ../shared/fixtures/sr3-reference (the open SR3
// implementation's tiny checkpoint, forward pass and ancestral chain) on any device and precision,
// and prints each relative error with its tolerance. Engine-only: this is how the GPU machine,
// which has no Qt for the test suite, checks CUDA fp32 and the half precisions.
#include <cstdio>
#include <filesystem>
#include <set>

#include "../common/argument_map.h"
#include "../common/tool_main.h"
#include "golden_check.h"
#include "runtime/device.h"

namespace {

const char* kUsage = R"(usage: refine-golden [--fixture DIR] [--device auto|cpu|cuda[:N]] [--precision fp32|fp16|bf16] [--threads N]
  --fixture DIR   the golden vector (default: ../shared/fixtures/sr3-reference of the source tree)
Exit status 0 when every check is within its tolerance, 1 otherwise.
)";

int run(int argc, char** argv)
{
    const refine::tools::ArgumentMap args(argc, argv, {"--help"});
    if (args.has("--help")) {
        std::printf("%s", kUsage);
        return 0;
    }
    for (const auto& key : args.unknown({"--fixture", "--device", "--precision", "--threads", "--help"}))
        throw std::invalid_argument("unknown option " + key);
    const torch::Device device = refine::selectDevice(args.text("--device", "auto"));
    const auto precision = refine::precisionFromName(args.text("--precision", "fp32"));
    const torch::ScalarType dtype = refine::networkDtype(precision, device);
    refine::configureCpuThreads(args.integer("--threads", 0));

    const refine::golden::GoldenFixture fixture(args.text("--fixture", REFINE_GOLDEN_FIXTURE_DIR));
    const auto scratch = std::filesystem::temp_directory_path() / "refine-golden";
    auto model = fixture.loadModel(scratch);
    std::vector<refine::golden::CheckResult> results{fixture.checkSchedule(model),
                                                     fixture.checkForward(model, device, dtype)};
    for (const auto& step : fixture.checkChain(model, device, dtype))
        results.push_back(step);
    std::filesystem::remove_all(scratch);

    std::printf("Golden checks on %s, network in %s\n\n| check | relative error | tolerance | |\n|---|---:|---:|---|\n",
                device.str().c_str(), refine::precisionName(dtype == torch::kFloat32 ? refine::Precision::Float32 : precision).c_str());
    bool allPassed = true;
    for (const auto& r : results) {
        std::printf("| %s | %.3g | %.0e | %s |\n", r.name.c_str(), r.relativeError, r.tolerance, r.passed() ? "ok" : "FAILED");
        allPassed = allPassed && r.passed();
    }
    return allPassed ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv)
{
    return refine::tools::runTool("refine-golden", kUsage, [&] { return run(argc, argv); });
}
