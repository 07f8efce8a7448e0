#include "bench_workloads.h"

#include <sstream>
#include <stdexcept>

namespace refine::bench {
namespace {

/// The published SR3 face networks are timed with the sampler of the first CPU measurements
/// (DDIM 20), whatever the family of the default model.
const SamplingPreset kSr3Balanced{"Balanced", "ddim", 20};

Workload faces64to512(int candidates, const SamplingPreset& balanced)
{
    Workload w;
    w.id = "a" + std::to_string(candidates);
    w.title = "SR3 faces 64->512 (155M, random weights)";
    w.randomNetwork = UNetConfig::sr3Faces64to512();
    w.inputWidth = w.inputHeight = 64;
    w.scale = 8;
    w.candidates = candidates;
    w.sampling = balanced;
    return w;
}

Workload faces16to128(const SamplingPreset& balanced)
{
    Workload w;
    w.id = "b";
    w.title = "SR3 faces 16->128 (98M, random weights)";
    w.randomNetwork = UNetConfig::sr3Faces16to128();
    w.inputWidth = w.inputHeight = 16;
    w.scale = 8;
    w.candidates = 1;
    w.sampling = balanced;
    return w;
}

Workload defaultModel(const std::string& id, const std::string& model, int width, int height, int candidates,
                      const SamplingPreset& preset)
{
    Workload w;
    w.id = id;
    w.title = model + " x4";
    w.model = model;
    w.inputWidth = width;
    w.inputHeight = height;
    w.scale = 4;
    w.candidates = candidates;
    w.sampling = preset;
    return w;
}

}  // namespace

SamplingPreset findPreset(const std::vector<SamplingPreset>& presets, const std::string& name)
{
    std::string known;
    for (const auto& p : presets) {
        if (p.name == name)
            return p;
        known += (known.empty() ? "" : ", ") + p.name;
    }
    throw std::invalid_argument("no preset '" + name + "' (the model has: " + known + ")");
}

std::vector<Workload> standardWorkloads(const std::string& selection, const std::string& model,
                                        const std::vector<SamplingPreset>& presets)
{
    const SamplingPreset balanced = findPreset(presets, "Balanced");
    std::vector<Workload> workloads;
    std::stringstream list(selection == "all" ? std::string("a,b,c,d,e,f,g") : selection);
    for (std::string item; std::getline(list, item, ',');) {
        if (item == "a") {
            workloads.push_back(faces64to512(1, kSr3Balanced));
            workloads.push_back(faces64to512(4, kSr3Balanced));
        } else if (item == "b") {
            workloads.push_back(faces16to128(kSr3Balanced));
        } else if (item == "c") {
            for (const auto& preset : presets)
                workloads.push_back(defaultModel("c-" + preset.name, model, 512, 512, 4, preset));
        } else if (item == "d") {
            workloads.push_back(defaultModel("d", model, 128, 128, 1, balanced));
        } else if (item == "e") {
            workloads.push_back(defaultModel("e", model, 128, 128, 4, balanced));
        } else if (item == "f") {
            workloads.push_back(defaultModel("f", model, 640, 480, 4, balanced));
        } else if (item == "g") {
            for (const auto& preset : presets)
                if (preset.steps == 0)
                    workloads.push_back(defaultModel("g-" + preset.name, model, 640, 480, 1, preset));
        } else if (!item.empty()) {
            throw std::invalid_argument("unknown workload '" + item + "' (expected a-g, all or custom)");
        }
    }
    return workloads;
}

}  // namespace refine::bench
