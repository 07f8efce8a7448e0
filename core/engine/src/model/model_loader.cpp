#include "model/model_loader.h"

#include <fstream>
#include <set>

#include "refine/engine/error.h"
#include "weights/pth_reader.h"
#include "weights/safetensors.h"

namespace refine {
namespace fs = std::filesystem;
namespace {

const std::string kPrefix = "denoise_fn.";

/// The schedule buffers a reference `.pth` stores next to the UNet.
const std::set<std::string>& scheduleBufferNames()
{
    static const std::set<std::string> names{
        "betas", "alphas_cumprod", "alphas_cumprod_prev", "sqrt_alphas_cumprod", "sqrt_one_minus_alphas_cumprod",
        "log_one_minus_alphas_cumprod", "sqrt_recip_alphas_cumprod", "sqrt_recipm1_alphas_cumprod",
        "posterior_variance", "posterior_log_variance_clipped", "posterior_mean_coef1", "posterior_mean_coef2"};
    return names;
}

std::string shapeText(const torch::Tensor& t)
{
    std::string s = "[";
    for (int64_t i = 0; i < t.dim(); ++i)
        s += (i ? ", " : "") + std::to_string(t.size(i));
    return s + "]";
}

/// Splits a reference state dict into UNet parameters (prefix removed) and schedule buffers.
std::map<std::string, torch::Tensor> unetParamsOf(const std::map<std::string, torch::Tensor>& all,
                                                  std::vector<double>* betas, const std::string& source)
{
    const bool prefixed = all.count(kPrefix + "downs.0.weight") > 0;
    std::map<std::string, torch::Tensor> params;
    for (const auto& [name, tensor] : all) {
        if (scheduleBufferNames().count(name))
            continue;
        if (!prefixed)
            params[name] = tensor;  // a bare UNet state dict (Refine's own files)
        else if (name.compare(0, kPrefix.size(), kPrefix) == 0)
            params[name.substr(kPrefix.size())] = tensor;
        else
            throw Error(ErrorCode::BadModel, source + ": unexpected tensor '" + name + "'");
    }
    auto it = all.find("betas");
    if (betas && it != all.end()) {
        auto b = it->second.to(torch::kFloat64).contiguous();
        betas->assign(b.data_ptr<double>(), b.data_ptr<double>() + b.numel());
    }
    return params;
}

std::optional<ModelCard> cardBeside(const fs::path& weights)
{
    std::vector<fs::path> candidates{fs::path(weights).replace_extension(".json")};
    if (weights.extension() == ".safetensors")
        candidates.push_back(weights.parent_path() / "model.json");
    for (const auto& candidate : candidates)
        if (fs::exists(candidate))
            return readModelCard(candidate);
    return std::nullopt;
}

void verifyChecksum(const fs::path& path, const std::string& expected)
{
    if (expected.empty())
        return;
    const std::string actual = sha256OfFile(path);
    if (!actual.empty() && actual != expected)
        throw Error(ErrorCode::BadModel, path.filename().string() + " does not match the sha256 in its model card "
                                             "(the file is corrupt or was replaced): expected " + expected
                                             + ", found " + actual);
}

/// A residual-shift model: its card says the shape; the weights must match it exactly.
LoadedModel buildResidualShiftModel(const fs::path& path, const std::map<std::string, torch::Tensor>& params,
                                    const ModelCard& card)
{
    LoadedModel model;
    model.info = card.info;
    if (model.info.id.empty())
        model.info.id = path.parent_path().filename().string();
    if (model.info.name.empty())
        model.info.name = model.info.id;
    model.residual = ResidualShiftNet(*card.residualShift);
    loadModuleWeights(*model.residual, params, path.filename().string());
    model.residual->eval();
    model.info.path = path.string();
    model.info.parameters = parameterCount(*model.residual);
    return model;
}

void writeWeightsAndCard(const fs::path& dir, std::map<std::string, torch::Tensor> params, nlohmann::json& card,
                         const std::string& format, bool keepFloat32, int64_t parameters)
{
    fs::create_directories(dir);
    if (!keepFloat32)
        for (auto& [name, tensor] : params)
            tensor = tensor.to(torch::kFloat16);
    const fs::path weightsPath = dir / "model.safetensors";
    weights::writeSafetensors(weightsPath.string(), params, {{"format", format}});
    card["weights"] = "model.safetensors";
    card["sha256"] = sha256OfFile(weightsPath);
    card["parameters"] = parameters;
    std::ofstream out(dir / "model.json");
    out << card.dump(2) << "\n";
    if (!out)
        throw Error(ErrorCode::Io, "cannot write " + (dir / "model.json").string());
}

LoadedModel buildModel(const fs::path& path, const std::map<std::string, torch::Tensor>& params,
                       std::optional<ModelCard> card, std::vector<double> betas)
{
    const std::string source = path.filename().string();
    if (card && card->residualShift)
        return buildResidualShiftModel(path, params, *card);
    LoadedModel model;
    bool groupsKnown = false;
    if (card && card->unet) {
        model.config = *card->unet;
    } else {
        model.config = inferUNetConfig(params, UNetConfig{}, &groupsKnown);
        if (!groupsKnown)
            throw Error(ErrorCode::BadModel,
                        source + ": the weights do not match a known SR3 configuration and GroupNorm's group count "
                                 "cannot be read from tensor shapes; put a JSON file beside it, e.g. "
                                 + fs::path(path).replace_extension(".json").filename().string()
                                 + " with {\"unet\": {\"norm_groups\": 32, ...}, \"native_scale\": 8}");
    }
    if (card && card->schedule)
        betas = makeBetaSchedule(*card->schedule);
    if (betas.empty())
        throw Error(ErrorCode::BadModel, source + ": no noise schedule (neither a 'beta_schedule' in the card nor "
                                                  "'betas' in the checkpoint)");
    model.betas = betas;
    model.net = Sr3UNet(model.config);
    loadUNetWeights(model.net, params, source);
    model.net->eval();

    if (card)
        model.info = card->info;
    if (model.info.id.empty())
        model.info.id = path.stem().string();
    if (model.info.name.empty())
        model.info.name = model.info.id;
    if (model.info.presets.empty())
        model.info.presets = defaultPresets();
    if (!card) {
        // The published face models enlarge 8x (16->128, 64->512).
        model.info.nativeScale = groupsKnown ? 8 : 4;
        model.info.description = "SR3 checkpoint " + source;
    }
    model.info.path = path.string();
    model.info.parameters = parameterCount(*model.net);
    return model;
}

}  // namespace

void loadUNetWeights(Sr3UNet& net, const std::map<std::string, torch::Tensor>& params, const std::string& source)
{
    loadModuleWeights(*net, params, source);
}

void loadModuleWeights(torch::nn::Module& module, const std::map<std::string, torch::Tensor>& params,
                       const std::string& source)
{
    torch::NoGradGuard noGrad;
    std::set<std::string> expected;
    for (auto& item : module.named_parameters()) {
        const std::string& name = item.key();
        expected.insert(name);
        auto it = params.find(name);
        if (it == params.end())
            throw Error(ErrorCode::BadModel, source + ": missing tensor '" + name + "' " + shapeText(item.value()));
        const torch::Tensor& stored = it->second;
        if (!stored.is_floating_point())
            throw Error(ErrorCode::BadModel, source + ": tensor '" + name + "' has an integer dtype; weights must be "
                                                                           "floating point");
        if (stored.sizes() != item.value().sizes())
            throw Error(ErrorCode::BadModel, source + ": tensor '" + name + "' has shape " + shapeText(stored)
                                                 + " but the architecture needs " + shapeText(item.value()));
        item.value().copy_(stored.to(item.value().dtype()));
    }
    for (const auto& [name, tensor] : params)
        if (!expected.count(name))
            throw Error(ErrorCode::BadModel, source + ": unexpected tensor '" + name + "' " + shapeText(tensor)
                                                 + " (the architecture has no such parameter)");
}

std::map<std::string, torch::Tensor> moduleStateDict(torch::nn::Module& module)
{
    std::map<std::string, torch::Tensor> params;
    for (auto& item : module.named_parameters())
        params[item.key()] = item.value().detach().cpu();
    return params;
}

std::map<std::string, torch::Tensor> unetStateDict(Sr3UNet& net) { return moduleStateDict(*net); }

LoadedModel loadModelFile(const fs::path& path)
{
    if (!fs::exists(path))
        throw Error(ErrorCode::BadModel, "model file not found: " + path.string());
    const std::string extension = path.extension().string();
    if (extension == ".safetensors") {
        auto file = weights::readSafetensors(path.string());
        auto card = cardBeside(path);
        if (card)
            verifyChecksum(path, card->info.sha256);
        auto model = buildModel(path, unetParamsOf(file.tensors, nullptr, path.filename().string()), card, {});
        model.info.format = "safetensors";
        return model;
    }
    if (extension == ".pth" || extension == ".pt") {
        std::vector<double> betas;
        auto params = unetParamsOf(weights::readPthStateDict(path.string()), &betas, path.filename().string());
        auto model = buildModel(path, params, cardBeside(path), betas);
        model.info.format = "pth";
        if (model.info.sha256.empty())
            model.info.sha256 = sha256OfFile(path);
        return model;
    }
    throw Error(ErrorCode::BadModel, path.string() + ": unknown model format (expected .safetensors or .pth)");
}

void saveModel(const fs::path& dir, Sr3UNet& net, const BetaScheduleSpec& schedule, nlohmann::json card,
               bool keepFloat32)
{
    card["unet"] = toJson(net->config());
    card["beta_schedule"] = toJson(schedule);
    writeWeightsAndCard(dir, unetStateDict(net), card, "refine-sr3", keepFloat32, parameterCount(*net));
}

void saveModel(const fs::path& dir, ResidualShiftNet& net, nlohmann::json card, bool keepFloat32)
{
    card["kind"] = "residual-shift";
    card["native_scale"] = net->config().scale;
    card["residual_shift"] = toJson(net->config());
    writeWeightsAndCard(dir, moduleStateDict(*net), card, "refine-residual-shift", keepFloat32, parameterCount(*net));
}

}  // namespace refine
