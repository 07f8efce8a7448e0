// refine-cli: enhance photos with Refine (a residual-shift or SR3 model) from the terminal, and archives in shards.
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "archive_command.h"
#include "enhance_command.h"
#include "enhance_options.h"
#include "refine/engine/engine.h"

namespace {

refine::CancelToken g_cancel;

extern "C" void onInterrupt(int)
{
    g_cancel.cancel();  // lock-free atomic store: safe in a signal handler
}

int listModels()
{
    std::vector<std::string> problems;
    const auto models = refine::Engine::installedModels(&problems);
    // A broken model folder is named, never fatal: the healthy models are still listed.
    for (const auto& problem : problems)
        std::fprintf(stderr, "refine-cli: skipping the model folder %s\n", problem.c_str());
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
    refine::cli::addEnhanceOptions(*enhance, enhanceOptions);
    refine::cli::ArchiveCommand archiveCommand;
    auto* archive = refine::cli::addArchiveCommand(app, archiveCommand);
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
    if (*archive)
        return refine::cli::runArchiveCommand(archiveCommand, g_cancel);
    return 0;
}
