// refine-pack-data: turns a folder of photographs into the trainer's data pack, a safetensors
// file of uint8 crops [N, 3, P, P] (the GPU machine's build has no image decoders), and writes
// the train/validation split it used. About a tenth of the photos, chosen by a stable hash of
// the file name, are validation photos and never enter a training pack.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include <CLI/CLI.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "refine/imaging/image_io.h"
#include "refine/imaging/resample.h"
#include "weights/safetensors.h"

namespace fs = std::filesystem;

namespace {

/// FNV-1a of the file name: a split that does not depend on the folder's order or the platform.
bool isValidation(const std::string& name, int percent)
{
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : name)
        h = (h ^ c) * 1099511628211ULL;
    return int(h % 100) < percent;
}

/// Random crops of one photo, after shrinking it by a random factor so that crops hold more
/// than texture and downscaling noise averages out.
void addCrops(const cv::Mat& rgb, int crops, int patch, std::mt19937_64& rng, std::vector<uint8_t>& out, int64_t& count)
{
    std::uniform_real_distribution<double> shrink(1.0, 2.5);
    for (int i = 0; i < crops; ++i) {
        const double f = shrink(rng);
        cv::Size size(int(rgb.cols / f), int(rgb.rows / f));
        if (size.width < patch || size.height < patch)
            size = rgb.size();
        if (size.width < patch || size.height < patch)
            return;
        const cv::Mat small = size == rgb.size() ? rgb : refine::imaging::resizeArea(rgb, size);
        std::uniform_int_distribution<int> xs(0, size.width - patch), ys(0, size.height - patch);
        cv::Mat crop = small(cv::Rect(xs(rng), ys(rng), patch, patch)), bytes;
        crop.convertTo(bytes, CV_8UC3, 255.0);
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < patch; ++y)
                for (int x = 0; x < patch; ++x)
                    out.push_back(bytes.at<cv::Vec3b>(y, x)[c]);
        ++count;
    }
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Pack training crops of a photo folder into a safetensors file for refine-train"};
    std::string input, output, splitFile;
    int patch = 96, crops = 64, validationPercent = 10;
    uint64_t seed = 1;
    app.add_option("input", input, "Folder of photographs")->required()->check(CLI::ExistingDirectory);
    app.add_option("-o,--output", output, "Pack to write (.safetensors)")->required();
    app.add_option("--patch", patch, "Crop side in pixels")->capture_default_str();
    app.add_option("--crops", crops, "Crops per photo")->capture_default_str();
    app.add_option("--validation-percent", validationPercent, "Share of photos kept out")->capture_default_str();
    app.add_option("--split-file", splitFile, "Where to list the validation photos");
    app.add_option("--seed", seed, "Crop positions")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    std::vector<fs::path> photos;
    for (const auto& entry : fs::directory_iterator(input))
        if (refine::imaging::isSupportedImagePath(entry.path()))
            photos.push_back(entry.path());
    std::sort(photos.begin(), photos.end());

    std::mt19937_64 rng(seed);
    std::vector<uint8_t> data;
    int64_t count = 0;
    std::vector<std::string> validation;
    for (const auto& photo : photos) {
        const std::string name = photo.filename().string();
        if (isValidation(name, validationPercent)) {
            validation.push_back(name);
            continue;
        }
        try {
            addCrops(refine::imaging::readPhoto(photo).rgb, crops, patch, rng, data, count);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "skipping %s: %s\n", name.c_str(), e.what());
        }
    }
    auto tensor = torch::from_blob(data.data(), {count, 3, patch, patch}, torch::kUInt8).clone();
    refine::weights::writeSafetensors(output, {{"hr", tensor}},
                                      {{"source", input}, {"photos", std::to_string(photos.size() - validation.size())},
                                       {"validation_percent", std::to_string(validationPercent)}});
    if (!splitFile.empty()) {
        std::ofstream out(splitFile);
        for (const auto& name : validation)
            out << name << "\n";
    }
    std::printf("%lld crops of %dx%d from %zu photos (%zu kept for validation) -> %s\n", (long long)count, patch, patch,
                photos.size() - validation.size(), validation.size(), output.c_str());
    return 0;
}
