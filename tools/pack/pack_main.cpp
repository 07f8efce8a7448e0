// refine-pack-data: turns a folder of photographs into the trainer's data pack, a safetensors
// file of uint8 crops (the GPU machine's build has no image decoders; see crop_pack.h), and
// writes the train/validation split it used. About a tenth of the photos, chosen by a stable hash
// of the file name, are validation photos and never enter a training pack; their crops can go
// into a separate validation pack (--validation-pack) for the trainer's validation loss.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include <CLI/CLI.hpp>

#include "crop_pack.h"
#include "oversampling.h"
#include "refine/engine/error.h"
#include "refine/imaging/image_io.h"

namespace fs = std::filesystem;
using namespace refine::pack;

namespace {

/// FNV-1a of the file name: a split that does not depend on the folder's order or the platform.
bool isValidation(const std::string& name, int percent)
{
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : name)
        h = (h ^ c) * 1099511628211ULL;
    return int(h % 100) < percent;
}

std::vector<fs::path> photosIn(const std::string& folder)
{
    std::vector<fs::path> photos;
    for (const auto& entry : fs::directory_iterator(folder))
        if (refine::imaging::isSupportedImagePath(entry.path()))
            photos.push_back(entry.path());
    std::sort(photos.begin(), photos.end());
    return photos;
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Pack training crops of a photo folder into a safetensors file for refine-train\n"
                 "(which makes the low-resolution inputs, and their damage, itself)."};
    std::string input, output, splitFile, validationPack;
    std::vector<std::string> oversample;
    CropOptions crop;
    int crops = 64, validationPercent = 10, validationCrops = 8;
    uint64_t seed = 1;
    app.add_option("input", input, "Folder of photographs")->required()->check(CLI::ExistingDirectory);
    app.add_option("-o,--output", output, "Pack to write (.safetensors)")->required();
    app.add_option("--patch", crop.patch, "Crop side in pixels")->capture_default_str();
    app.add_option("--crops", crops, "Crops per photo")->capture_default_str();
    app.add_option("--oversample", oversample,
                   "PATTERN=K: photos whose file name contains PATTERN give K times the crops (repeatable),\n"
                   "e.g. --oversample face-api=4 for the photos of people");
    app.add_option("--validation-percent", validationPercent, "Share of photos kept out")->capture_default_str();
    app.add_option("--split-file", splitFile, "Where to list the validation photos");
    app.add_option("--validation-pack", validationPack, "Also pack crops of the validation photos here");
    app.add_option("--validation-crops", validationCrops, "Crops per validation photo")->capture_default_str();
    app.add_option("--seed", seed, "Crop positions and JPEG qualities")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    try {
        if (crop.patch < 16 || crop.patch > 4096)
            throw refine::Error(refine::ErrorCode::InvalidArgument, "--patch must be from 16 to 4096 pixels");
        std::vector<OversampleRule> rules;
        for (const auto& text : oversample)
            rules.push_back(parseOversampleRule(text));

        std::mt19937_64 rng(seed), validationRng(seed + 1);
        CropPack training(crop), validation(crop);
        std::vector<std::string> validationNames;
        int trainingPhotos = 0;
        for (const auto& photo : photosIn(input)) {
            const std::string name = photo.filename().string();
            const bool heldOut = isValidation(name, validationPercent);
            if (heldOut)
                validationNames.push_back(name);
            if (heldOut && validationPack.empty())
                continue;
            try {
                const auto rgb = refine::imaging::readPhoto(photo).rgb;
                if (heldOut)
                    validation.addCrops(rgb, validationCrops, validationRng);
                else
                    training.addCrops(rgb, crops * oversampleFactor(name, rules), rng);
                trainingPhotos += heldOut ? 0 : 1;
            } catch (const std::exception& e) {
                std::fprintf(stderr, "skipping %s: %s\n", name.c_str(), e.what());
            }
        }
        std::string rulesText;
        for (const auto& text : oversample)
            rulesText += (rulesText.empty() ? "" : " ") + text;
        const std::map<std::string, std::string> metadata{{"source", input},
                                                          {"photos", std::to_string(trainingPhotos)},
                                                          {"validation_percent", std::to_string(validationPercent)},
                                                          {"oversample", rulesText}};
        training.save(output, metadata);
        if (!validationPack.empty())
            validation.save(validationPack, metadata);
        if (!splitFile.empty()) {
            std::ofstream out(splitFile);
            for (const auto& name : validationNames)
                out << name << "\n";
        }
        std::printf("%lld crops of %dx%d from %d photos (%zu kept for validation, %lld validation crops) -> %s\n",
                    (long long)training.size(), crop.patch, crop.patch, trainingPhotos, validationNames.size(),
                    (long long)validation.size(), output.c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "refine-pack-data: %s\n", e.what());
        return 1;
    }
    return 0;
}
