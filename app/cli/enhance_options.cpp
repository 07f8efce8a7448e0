#include "enhance_options.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace refine::cli {

std::optional<uint64_t> parseSeed(const std::string& text)
{
    uint64_t seed = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, seed);  // digits only: no sign, no wrap
    if (text.empty() || error != std::errc() || stop != end)
        return std::nullopt;
    return seed;
}

std::string finiteNumberProblem(const std::string& text)
{
    const double value = std::strtod(text.c_str(), nullptr);
    return std::isfinite(value) ? std::string() : "must be a number, not " + text;
}

namespace {

/// CLI::Range lets "nan" through (every comparison with NaN is false), and a NaN --eta, --detail or
/// --cascade-noise would surface per photo as "the model produced invalid pixels; its weights may be
/// damaged". Empty description: --help is unchanged.
const CLI::Validator kFinite([](std::string& text) { return finiteNumberProblem(text); }, "", "FINITE");

}  // namespace

void addEnhanceOptions(CLI::App& command, EnhanceOptions& o, EnhanceOptionsFor use)
{
    const bool plan = use == EnhanceOptionsFor::ArchivePlan;
    command.add_option("inputs", o.inputs, plan ? "Photos or folders of photos (walked recursively)"
                                                : "Photos or folders of photos")->required();
    auto* output = command.add_option("-o,--output", o.outputDir,
                                      plan ? "Output folder (its subfolders mirror the input folders)"
                                           : "Output folder (default: beside each photo)");
    if (plan)
        output->required();
    command.add_option("--scale", o.scale, "Enlargement")->check(CLI::IsMember({2, 4, 8, 16}))->capture_default_str();
    command.add_option("--candidates", o.candidates, "Number of different results")
        ->check(CLI::Range(1, 16))->capture_default_str();
    command.add_option("--preset", o.preset, "Model preset: Fast, Balanced or Best (default: the model's)");
    command.add_option("--steps", o.steps, "Denoising steps (default: the preset's)")->check(CLI::Range(1, 2000));
    command.add_option("--sampler", o.sampler,
                       "SR3 models: ddpm (ancestral), ddim or dpmpp2m; residual-shift models: resshift, or clean "
                       "(the clean result only) (default: the preset's)")
        ->check(CLI::IsMember({"ddpm", "ddim", "dpmpp2m", "resshift", "clean"}));
    command.add_option("--eta", o.ddimEta, "DDIM eta: 0 deterministic, 1 ancestral-like")
        ->check(CLI::Range(0.0, 1.0))->check(kFinite);
    // Read as text: CLI11's own conversion wraps "-5" and saturates 2^64 without a word.
    command
        .add_option_function<std::string>(
            "--seed",
            [&o](const std::string& text) {
                const auto seed = parseSeed(text);
                if (!seed)
                    throw CLI::ValidationError(kSeedRangeMessage);
                o.seed = *seed;
                o.seedGiven = true;
            },
            plan ? "Job seed of every photo (default: one derived from each photo's content)"
                 : "Job seed; the same seed gives the same pixels on the same device")
        ->type_name("UINT");
    command.add_option("--model", o.model, "Model id (see `refine-cli models`) or a .safetensors/.pth path");
    if (!plan)
        command.add_option("--device", o.device, "auto, cpu or cuda[:N]")->capture_default_str();
    command.add_option("--precision", o.precision, "Network precision on CUDA")
        ->check(CLI::IsMember({"fp32", "fp16", "bf16"}))->capture_default_str();
    command.add_option("--tile", o.tile, "Tile side in output pixels (default: from the memory budget)")
        ->check(CLI::Range(64, 8192));
    command.add_option("--consistency", o.consistency,
                       "exact: downscaling a result gives back the input; soft: it gives back the model's clean\n"
                       "result shrunk (keeps the photo, not its noise and JPEG blocks; residual-shift models;\n"
                       "the default with --restore); off: no projection")
        ->check(CLI::IsMember({"exact", "soft", "off"}))->capture_default_str()
        ->each([&o](const std::string&) { o.consistencyGiven = true; });
    // Options are applied in the order given, so --model or --consistency after --restore win too.
    command.add_flag_callback(
        "--restore",
        [&o] {
            if (o.model.empty())
                o.model = Engine::restoreModelId();
            if (!o.consistencyGiven)
                o.consistency = "soft";
        },
        "Old, damaged photos (JPEG blocks, noise, grain, blur): the restore model (" + Engine::restoreModelId()
            + ") and soft consistency, unless --model or --consistency say otherwise");
    command.add_option("--cascade-noise", o.cascadeNoise, "CDM augmentation noise for x8/x16 later stages")
        ->check(CLI::Range(0.0, 1.0))->check(kFinite);
    command.add_flag("--uncertainty-map", o.uncertaintyMap, "Also write where the candidates disagree");
    command.add_flag("--clean", o.writeClean,
                     "Also write the clean, most likely result (name_x4_clean.png; residual-shift models)");
    command.add_option("--detail", o.detail,
                       "Detail of each candidate: 0 = the clean result, 1 = as sampled, up to 2 = more than "
                       "sampled (residual-shift models)")
        ->check(CLI::Range(0.0, 2.0))->check(kFinite)->capture_default_str();
    command.add_option("--format", o.format, "png, jpg, tif or webp (default: the input's)")
        ->check(CLI::IsMember({"png", "jpg", "jpeg", "tif", "tiff", "webp"}));
    command.add_option("--quality", o.jpegQuality, "JPEG/WebP quality")->check(CLI::Range(1, 100))->capture_default_str();
    if (plan)
        return;
    command.add_flag("--overwrite", o.overwrite, "Replace existing output files (inputs are never replaced)");
    command.add_option("--threads", o.threads, "CPU threads (default: all cores)")->check(CLI::Range(1, 1024));
    command.add_flag("-q,--quiet", o.quiet, "No progress bar");
}

}  // namespace refine::cli
