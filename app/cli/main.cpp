// refine-cli: enhance photos with SR3 diffusion super-resolution from the terminal.
#include <csignal>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "enhance_command.h"
#include "refine/engine/engine.h"

namespace {

refine::CancelToken g_cancel;

extern "C" void onInterrupt(int)
{
    g_cancel.cancel();  // lock-free atomic store: safe in a signal handler
}

void addEnhanceOptions(CLI::App& command, refine::cli::EnhanceOptions& o)
{
    command.add_option("inputs", o.inputs, "Photos or folders of photos")->required();
    command.add_option("-o,--output", o.outputDir, "Output folder (default: beside each photo)");
    command.add_option("--scale", o.scale, "Enlargement")->check(CLI::IsMember({2, 4, 8, 16}))->capture_default_str();
    command.add_option("--candidates", o.candidates, "Number of different results")
        ->check(CLI::Range(1, 16))->capture_default_str();
    command.add_option("--preset", o.preset, "Model preset: Fast, Balanced or Best (default: the model's)");
    command.add_option("--steps", o.steps, "Denoising steps (default: the preset's)")->check(CLI::Range(1, 2000));
    command.add_option("--sampler", o.sampler,
                       "SR3 models: ddpm (ancestral), ddim or dpmpp2m; residual-shift models: resshift, or clean "
                       "(the clean result only) (default: the preset's)")
        ->check(CLI::IsMember({"ddpm", "ddim", "dpmpp2m", "resshift", "clean"}));
    command.add_option("--eta", o.ddimEta, "DDIM eta: 0 deterministic, 1 ancestral-like")->check(CLI::Range(0.0, 1.0));
    command.add_option("--seed", o.seed, "Job seed; the same seed gives the same pixels on the same device")
        ->each([&o](const std::string&) { o.seedGiven = true; });
    command.add_option("--model", o.model, "Model id (see `refine-cli models`) or a .safetensors/.pth path");
    command.add_option("--device", o.device, "auto, cpu or cuda[:N]")->capture_default_str();
    command.add_option("--precision", o.precision, "Network precision on CUDA")
        ->check(CLI::IsMember({"fp32", "fp16", "bf16"}))->capture_default_str();
    command.add_option("--tile", o.tile, "Tile side in output pixels (default: from the memory budget)")
        ->check(CLI::Range(64, 8192));
    command.add_option("--consistency", o.consistency, "exact: downscaling a result gives back the input; off")
        ->check(CLI::IsMember({"exact", "off"}))->capture_default_str();
    command.add_option("--cascade-noise", o.cascadeNoise, "CDM augmentation noise for x8/x16 later stages")
        ->check(CLI::Range(0.0, 1.0));
    command.add_flag("--uncertainty-map", o.uncertaintyMap, "Also write where the candidates disagree");
    command.add_flag("--clean", o.writeClean,
                     "Also write the clean, most likely result (name_x4_clean.png; residual-shift models)");
    command.add_option("--detail", o.detail,
                       "Detail of each candidate: 0 = the clean result, 1 = as sampled, up to 2 = more than "
                       "sampled (residual-shift models)")
        ->check(CLI::Range(0.0, 2.0))->capture_default_str();
    command.add_option("--format", o.format, "png, jpg, tif or webp (default: the input's)")
        ->check(CLI::IsMember({"png", "jpg", "jpeg", "tif", "tiff", "webp"}));
    command.add_option("--quality", o.jpegQuality, "JPEG/WebP quality")->check(CLI::Range(1, 100))->capture_default_str();
    command.add_flag("--overwrite", o.overwrite, "Replace existing output files (inputs are never replaced)");
    command.add_option("--threads", o.threads, "CPU threads (default: all cores)")->check(CLI::Range(1, 1024));
    command.add_flag("-q,--quiet", o.quiet, "No progress bar");
}

int listModels()
{
    const auto models = refine::Engine::installedModels();
    if (models.empty()) {
        std::printf("No models installed. Put a model folder in $REFINE_MODELS_DIR.\n");
        return 0;
    }
    for (const auto& m : models) {
        std::printf("%s%s\n  %s\n", m.id.c_str(), m.id == refine::Engine::defaultModelId() ? "  (default)" : "",
                    m.name.c_str());
        std::printf("  native x%d, %lld parameters, %s\n", m.nativeScale, m.parameters, m.architecture.c_str());
        std::printf("  presets:");
        for (const auto& p : m.presets)
            std::printf(" %s (%s, %d steps)", p.name.c_str(), p.sampler.c_str(), p.steps);
        std::printf("\n  license: %s\n  sha256: %s\n  file: %s\n", m.license.c_str(), m.sha256.c_str(), m.path.c_str());
        if (!m.quality.empty())
            std::printf("  quality: %s\n", m.quality.c_str());
        std::printf("\n");
    }
    return 0;
}

int printInfo()
{
    const auto info = refine::Engine::deviceInfo();
    std::printf("Refine %s\nLibTorch %s\nCUDA available: %s (%d device(s))\nCPU threads: %d\nDefault device: %s\n",
                REFINE_VERSION, info.torchVersion.c_str(), info.cudaAvailable ? "yes" : "no", info.cudaDeviceCount,
                info.cpuThreads, info.summary.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Refine: diffusion super-resolution (SR3) for photos. Several plausible enlargements per photo, "
                 "each consistent with the original."};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("refine-cli ") + REFINE_VERSION);

    refine::cli::EnhanceOptions enhanceOptions;
    auto* enhance = app.add_subcommand("enhance", "Enhance photos into candidate files");
    addEnhanceOptions(*enhance, enhanceOptions);
    auto* models = app.add_subcommand("models", "List installed models with their cards");
    auto* info = app.add_subcommand("info", "Show devices and the LibTorch version");

    CLI11_PARSE(app, argc, argv);

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    if (*models)
        return listModels();
    if (*info)
        return printInfo();
    if (*enhance)
        return refine::cli::runEnhance(enhanceOptions, g_cancel);
    return 0;
}
