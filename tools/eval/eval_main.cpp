// refine-eval: measures a model against classic upscaling on a folder of photos. Every photo's
// centred crop is the ground truth; its low-resolution input is made with the same bicubic
// downscale H that training and the consistency projection use, so the numbers say how well the
// model inverts the degradation it was trained on. Prints a Markdown report; optionally writes it,
// a CSV of every score and a contact sheet to look at.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include <CLI/CLI.hpp>
#include <opencv2/core.hpp>

#include "contact_sheet.h"
#include "eval_inputs.h"
#include "evaluation.h"
#include "refine/engine/engine.h"
#include "refine/imaging/image_io.h"
#include "report.h"

namespace fs = std::filesystem;
using namespace refine;
using namespace refine::eval;

namespace {

constexpr int kExitNoPhotos = 1;
constexpr int kExitOutputFailed = 1;
constexpr int kExitModel = 3;

struct Options {
    std::string photosDir, listFile, model, preset, sampler, device = "auto", consistency = "exact";
    std::string csvPath, markdownPath, contactSheetPath, contactBeside, degrade = "none";
    std::vector<std::string> subsets;
    int scale = 4, crop = 256, candidates = 4, steps = 0, maxImages = 0, threads = 0, validationPercent = 0;
    uint64_t seed = 1;
    double detail = 1.0;
    int contactZoom = 1;
};

/// "NAME=PATTERN" as (name, pattern); both empty when the text is not of that form.
std::pair<std::string, std::string> splitSubset(const std::string& text)
{
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == text.size())
        return {};
    return {text.substr(0, equals), text.substr(equals + 1)};
}

void addOptions(CLI::App& app, Options& o)
{
    app.add_option("photos", o.photosDir, "Folder of photographs")->required()->check(CLI::ExistingDirectory);
    app.add_option("--list", o.listFile,
                   "File names to use, one a line (refine-pack-data --split-file); 'name FX FY' centres the "
                   "crop at those fractions of the photo's width and height")
        ->check(CLI::ExistingFile);
    app.add_option("--validation-percent", o.validationPercent,
                   "Only the photos refine-pack-data keeps out for validation at this percentage")
        ->check(CLI::Range(0, 100));
    app.add_option("--model", o.model, "Model id or path (default: the bundled model)");
    app.add_option("--scale", o.scale, "Enlargement")->check(CLI::IsMember({2, 4, 8, 16}))->capture_default_str();
    app.add_option("--crop", o.crop, "Side of the centred ground-truth crop in pixels")
        ->check(CLI::Range(16, 8192))->capture_default_str();
    app.add_option("--candidates", o.candidates, "Samples per photo")->check(CLI::Range(1, 16))->capture_default_str();
    app.add_option("--preset", o.preset, "Model preset (default: the model's)");
    app.add_option("--sampler", o.sampler, "Overrides the preset's sampler")
        ->check(CLI::IsMember({"ddpm", "ddim", "dpmpp2m", "resshift", "clean"}));
    app.add_option("--steps", o.steps, "Overrides the preset's steps")->check(CLI::NonNegativeNumber);
    app.add_option("--detail", o.detail, "Residual-shift models: score clean + detail * (candidate - clean)")
        ->check(CLI::Range(0.0, 2.0))->capture_default_str();
    app.add_option("--seed", o.seed, "Job seed of every photo")->capture_default_str();
    app.add_option("--max-images", o.maxImages, "Stop after this many photos (0: all)")->check(CLI::NonNegativeNumber);
    app.add_option("--threads", o.threads, "CPU threads (0: all cores)")->check(CLI::NonNegativeNumber);
    app.add_option("--device", o.device, "auto, cpu, cuda or cuda:N")->capture_default_str();
    app.add_option("--consistency", o.consistency, "exact, soft (residual-shift models) or off")
        ->check(CLI::IsMember({"exact", "soft", "off"}))->capture_default_str();
    app.add_option("--degrade", o.degrade,
                   "old: damage every low-resolution input as an old photo (blur, film grain, libjpeg at\n"
                   "quality 45-75; seeded per photo) before any method sees it; scores stay against the clean original;\n"
                   "old-blur, old-grain, old-jpeg: that part of the same draw alone")
        ->check(CLI::IsMember({"none", "old", "old-blur", "old-grain", "old-jpeg"}))->capture_default_str();
    app.add_option("--subset", o.subsets,
                   "NAME=PATTERN: also report the mean over photos whose file name contains PATTERN\n"
                   "(repeatable; repeat a NAME to give it several patterns), e.g. --subset people=music_")
        ->check(CLI::Validator(
            [](std::string& text) { return splitSubset(text).first.empty() ? "expects NAME=PATTERN" : ""; },
            "NAME=PATTERN"));
    app.add_option("--csv", o.csvPath, "Write every score as CSV");
    app.add_option("--markdown", o.markdownPath, "Write the report as Markdown");
    app.add_option("--contact-sheet", o.contactSheetPath, "Write a PNG grid of inputs, outputs and ground truths (the --subset photos first)");
    app.add_option("--contact-beside", o.contactBeside,
                   "Put the contact sheet to the right of this one (an earlier run's, same photos and size): "
                   "two models side by side")
        ->check(CLI::ExistingFile);
    app.add_option("--contact-zoom", o.contactZoom,
                   "Show the contact sheet's cells at this zoom, pixels repeated (3 = 300% crops)")
        ->check(CLI::Range(1, 8))->capture_default_str();
}

/// The command line as a shell would need it typed, for the report: rerunnable as is.
std::string commandLineOf(int argc, char** argv)
{
    std::string line;
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                                 "0123456789_./=:,+-@%") == std::string::npos;
        std::string quoted = "'";
        for (char c : arg)
            quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        line += (i ? " " : "") + (plain ? arg : quoted + "'");
    }
    return line;
}

std::unique_ptr<Engine> loadEngine(const Options& o)
{
    EngineOptions engineOptions;
    engineOptions.device = o.device;
    engineOptions.cpuThreads = o.threads;
    auto engine = std::make_unique<Engine>(engineOptions);
    engine->loadModel(o.model.empty() ? Engine::defaultModelId() : o.model);
    return engine;
}

EvalSettings settingsFrom(const Options& o)
{
    EvalSettings s;
    s.scale = o.scale;
    s.crop = o.crop - o.crop % o.scale;
    s.request.candidates = o.candidates;
    s.request.preset = o.preset;
    s.request.sampler = o.sampler;
    s.request.steps = o.steps;
    s.request.seed = o.seed;
    parseConsistency(o.consistency, &s.request.consistency);
    s.detail = o.detail;
    s.damage = damagePartNamed(o.degrade);
    return s;
}

void printProgress(size_t index, size_t count, const PhotoEvaluation& e)
{
    const auto& m = e.scores.methods;
    std::fprintf(stderr, "[%zu/%zu] %s: %d px, enhance %.1f s, PSNR SR best %.2f / mean %.2f, bicubic %.2f\n",
                 index + 1, count, e.scores.name.c_str(), e.scores.hrSide, e.enhanceSeconds, m.back().psnrBest,
                 m.back().psnrMean, m.front().psnrBest);
}

/// Writes text or bytes where asked; returns false (after saying why) when that failed.
bool writeOutput(const std::string& path, const std::vector<unsigned char>& bytes, const char* what)
{
    try {
        const fs::path target(path);
        if (target.has_parent_path())
            fs::create_directories(target.parent_path());
        imaging::writeFileAtomically(target, bytes, /*allowOverwrite=*/true);
        std::fprintf(stderr, "refine-eval: %s written to %s\n", what, path.c_str());
        return true;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-eval: cannot write the %s %s: %s\n", what, path.c_str(), e.what());
        return false;
    }
}

std::vector<unsigned char> bytesOf(const std::string& text) { return {text.begin(), text.end()}; }

/// `sheet` to the right of the sheet in the PNG at `leftPath`, a gap between them.
cv::Mat besideEarlierSheet(const std::string& leftPath, const cv::Mat& sheet, int gap)
{
    const cv::Mat left = imaging::readPhoto(leftPath).rgb;
    if (left.rows != sheet.rows)
        throw std::runtime_error(leftPath + " is " + std::to_string(left.rows) + " px high, this sheet " +
                                 std::to_string(sheet.rows) + ": run it with the same photos, crop and zoom");
    cv::Mat joined(sheet.rows, left.cols + gap + sheet.cols, CV_32FC3, cv::Scalar::all(0.1));
    left.copyTo(joined(cv::Rect(0, 0, left.cols, left.rows)));
    sheet.copyTo(joined(cv::Rect(left.cols + gap, 0, sheet.cols, sheet.rows)));
    return joined;
}

bool writeContactSheet(const std::string& path, const std::vector<ContactRow>& rows, int zoom, const std::string& beside)
{
    imaging::EncodeOptions png;
    png.format = "png";
    ContactSheetLayout layout;
    layout.zoom = zoom;
    try {
        cv::Mat sheet = renderContactSheet(rows, layout);
        if (!beside.empty())
            sheet = besideEarlierSheet(beside, sheet, 3 * layout.gap);
        return writeOutput(path, imaging::encodePhoto(sheet, cv::Mat(), png), "contact sheet");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-eval: cannot make the contact sheet: %s\n", e.what());
        return false;
    }
}

RunInfo runInfoFor(const Options& o, const Engine& engine, const std::string& commandLine)
{
    RunInfo run;
    run.commandLine = commandLine;
    run.modelId = engine.model().id;
    run.modelSha256 = engine.model().sha256;
    run.device = engine.deviceName() + " (" + Engine::deviceInfo().summary + ", LibTorch " +
                 Engine::deviceInfo().torchVersion + ")";
    run.scale = o.scale;
    run.crop = o.crop - o.crop % o.scale;
    run.candidates = o.candidates;
    run.consistency = o.consistency;
    run.degrade = o.degrade;
    run.seed = static_cast<unsigned long long>(o.seed);
    for (const auto& subset : o.subsets)
        run.subsets.push_back(splitSubset(subset));  // validated by the option's check
    return run;
}

}  // namespace

int main(int argc, char** argv)
{
    const auto start = std::chrono::steady_clock::now();
    CLI::App app{"Measure a Refine model against bicubic and Lanczos upscaling on a folder of photos"};
    Options o;
    addOptions(app, o);
    CLI11_PARSE(app, argc, argv);

    std::vector<fs::path> photos;
    try {
        photos = selectPhotos({o.photosDir, o.listFile, o.validationPercent});
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-eval: %s\n", e.what());
        return kExitNoPhotos;
    }
    if (photos.empty()) {
        std::fprintf(stderr, "refine-eval: no photos to evaluate in %s\n", o.photosDir.c_str());
        return kExitNoPhotos;
    }

    std::unique_ptr<Engine> engine;
    try {
        engine = loadEngine(o);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-eval: %s\n", e.what());
        return kExitModel;
    }
    if (o.threads > 0)
        cv::setNumThreads(o.threads);  // the metrics share the cores the engine was given
    std::fprintf(stderr, "refine-eval: model %s on %s, %zu photos\n", engine->model().id.c_str(),
                 engine->deviceName().c_str(), photos.size());

    EvalSettings settings = settingsFrom(o);
    try {
        settings.cropCentres = readCropCentres(o.listFile);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-eval: %s\n", e.what());
        return kExitNoPhotos;
    }
    RunInfo run = runInfoFor(o, *engine, commandLineOf(argc, argv));
    std::vector<ImageResult> results;
    // The contact sheet shows the subsets' photos first (with --subset people=..., people first:
    // faces are where a wrong guess shows most), then the others, in the evaluation's order.
    std::vector<ContactRow> sheetRows, otherRows;
    const auto inASubset = [&run](const fs::path& photo) {
        const std::string name = photo.filename().string();
        return std::any_of(run.subsets.begin(), run.subsets.end(),
                           [&name](const auto& subset) { return name.find(subset.second) != std::string::npos; });
    };
    const size_t planned = o.maxImages > 0 ? std::min(photos.size(), size_t(o.maxImages)) : photos.size();
    for (size_t i = 0; i < photos.size(); ++i) {
        if (o.maxImages > 0 && int(results.size()) >= o.maxImages)
            break;
        try {
            PhotoEvaluation e = evaluatePhoto(*engine, settings, photos[i]);
            printProgress(results.size(), planned, e);
            run.sampler = e.srSampler;
            run.steps = e.srSteps;
            run.enhanceSeconds += e.enhanceSeconds;
            results.push_back(std::move(e.scores));
            auto& rows = inASubset(photos[i]) ? sheetRows : otherRows;
            if (rows.size() < size_t(ContactSheetLayout{}.maxRows))
                rows.push_back(std::move(e.images));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "refine-eval: skipping %s: %s\n", photos[i].filename().string().c_str(), e.what());
            ++run.skipped;
        }
    }
    if (results.empty()) {
        std::fprintf(stderr, "refine-eval: none of the photos could be evaluated\n");
        return kExitNoPhotos;
    }
    run.totalSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const std::string report = markdownReport(run, results);
    std::fputs(report.c_str(), stdout);
    bool written = true;
    if (!o.markdownPath.empty())
        written &= writeOutput(o.markdownPath, bytesOf(report), "report");
    if (!o.csvPath.empty())
        written &= writeOutput(o.csvPath, bytesOf(csvReport(results)), "CSV");
    if (!o.contactSheetPath.empty()) {
        for (auto& row : otherRows)
            sheetRows.push_back(std::move(row));
        written &= writeContactSheet(o.contactSheetPath, sheetRows, o.contactZoom, o.contactBeside);
    }
    return written ? 0 : kExitOutputFailed;
}
