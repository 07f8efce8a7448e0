#include "model/model_card.h"

#include <fstream>
#include <sstream>
#include <iomanip>

#ifdef REFINE_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

#include "json_nesting.h"
#include "model/card_numbers.h"
#include "refine/engine/error.h"

namespace refine {
namespace {

// Far beyond any real card (a few KB, nesting 3 deep), but small enough that a hostile card is
// refused before it costs memory or, when nested deeply, the stack (json_nesting.h).
constexpr std::size_t kMaxCardBytes = std::size_t{1} << 20;
constexpr int kMaxCardNesting = 64;

// The card's text, read in chunks so that a huge file (or a card linked to /dev/zero) is refused
// after kMaxCardBytes instead of filling the memory.
std::string readCardText(const std::filesystem::path& cardPath)
{
    std::ifstream in(cardPath, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Io, "cannot open the model card " + cardPath.string());
    std::string text;
    char chunk[1 << 16];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        text.append(chunk, std::size_t(in.gcount()));
        if (text.size() > kMaxCardBytes)
            throw Error(ErrorCode::BadModel, cardPath.string() + " is larger than 1 MB; a model card is a few KB of JSON");
    }
    return text;
}

std::string textOf(const nlohmann::json& value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_null())
        return {};
    return value.dump(2);
}

std::string architectureSummary(const UNetConfig& c)
{
    std::ostringstream s;
    s << "SR3 UNet: " << c.innerChannels << " channels x (";
    for (size_t i = 0; i < c.channelMults.size(); ++i)
        s << (i ? "," : "") << c.channelMults[i];
    s << "), " << c.resBlocks << " res blocks, GroupNorm " << c.normGroups << ", attention at";
    bool any = false;
    for (int l = 0; l < c.levels(); ++l)
        if (c.levelHasAttention(l)) {
            s << " level " << l;
            any = true;
        }
    s << (any ? " and the middle" : " the middle only");
    return s.str();
}

std::string architectureSummary(const ResidualShiftConfig& c)
{
    std::ostringstream s;
    s << "residual shift x" << c.scale << ": clean upscaler " << c.clean.channels << " channels x " << c.clean.blocks
      << " residual blocks; detail network " << c.detail.channels << " channels x " << c.detail.blocks
      << " blocks on the pixel-unshuffled grid; kappa " << c.schedule.kappa;
    return s.str();
}

/// A preset that cannot run is the card's fault: say so when the model is loaded, not per photo.
void checkPresets(const ModelInfo& info, const std::string& source)
{
    const bool residual = info.kind == "residual-shift";
    bool defaultFound = false;
    for (const auto& p : info.presets) {
        const bool fits = residual ? (p.sampler == "resshift" && p.steps >= 1) || (p.sampler == "clean" && p.steps == 0)
                                   : (p.sampler == "ddpm" || p.sampler == "ddim" || p.sampler == "dpmpp2m") && p.steps >= 1;
        if (!fits || p.steps > 10000)
            throw Error(ErrorCode::BadModel, source + ": preset '" + p.name + "' (" + p.sampler + ", "
                                                 + std::to_string(p.steps) + " steps) cannot run on a"
                                                 + (residual ? " residual-shift" : "n SR3") + " model");
        defaultFound = defaultFound || p.name == info.defaultPreset;
    }
    if (!defaultFound)
        throw Error(ErrorCode::BadModel, source + ": the default preset '" + info.defaultPreset + "' is not one of its presets");
}

}  // namespace

std::vector<SamplingPreset> defaultResidualShiftPresets()
{
    return {{"Fast", "clean", 0}, {"Balanced", "resshift", 4}, {"Best", "resshift", 8}};
}

std::vector<SamplingPreset> defaultPresets()
{
    return {{"Fast", "dpmpp2m", 10}, {"Balanced", "dpmpp2m", 20}, {"Best", "ddpm", 100}};
}

BetaScheduleSpec betaScheduleFromJson(const nlohmann::json& j)
{
    BetaScheduleSpec s;
    s.kind = betaScheduleKindFromName(j.value("schedule", std::string("linear")));
    s.timesteps = cardInt(j, "n_timestep", s.timesteps);
    s.linearStart = j.value("linear_start", s.linearStart);
    s.linearEnd = j.value("linear_end", s.linearEnd);
    return s;
}

nlohmann::json toJson(const BetaScheduleSpec& s)
{
    return {{"schedule", betaScheduleKindName(s.kind)},
            {"n_timestep", s.timesteps},
            {"linear_start", s.linearStart},
            {"linear_end", s.linearEnd}};
}

ModelCard modelCardFromJson(const nlohmann::json& j, const std::string& source)
{
    ModelCard card;
    card.json = j;
    try {
        ModelInfo& info = card.info;
        info.id = j.value("id", std::string());
        info.name = j.value("name", info.id);
        info.description = textOf(j.value("description", nlohmann::json()));
        info.license = textOf(j.value("license", nlohmann::json()));
        info.sha256 = j.value("sha256", std::string());
        info.nativeScale = cardInt(j, "native_scale", 4);
        info.training = textOf(j.value("training", nlohmann::json()));
        info.quality = textOf(j.value("quality", nlohmann::json()));
        info.cascadeNoise = j.value("cascade_noise", 0.0);
        info.defaultPreset = j.value("default_preset", std::string("Balanced"));
        if (j.contains("presets"))
            for (const auto& p : j["presets"])
                info.presets.push_back({p.at("name").get<std::string>(), p.at("sampler").get<std::string>(),
                                        cardInt(p.at("steps"), "steps")});
        info.kind = j.value("kind", std::string("sr3"));
        if (info.kind == "residual-shift") {
            card.residualShift = residualShiftConfigFromJson(j.at("residual_shift"));
            info.architecture = architectureSummary(*card.residualShift);
            info.nativeScale = card.residualShift->scale;
            if (info.presets.empty())
                info.presets = defaultResidualShiftPresets();
        } else if (info.kind != "sr3") {
            throw Error(ErrorCode::BadModel, source + ": unknown model kind '" + info.kind
                                                 + "' (this Refine knows 'sr3' and 'residual-shift')");
        }
        if (info.presets.empty())
            info.presets = defaultPresets();
        checkPresets(info, source);
        if (j.contains("unet")) {
            card.unet = unetConfigFromJson(j["unet"]);
            info.architecture = architectureSummary(*card.unet);
        }
        if (j.contains("beta_schedule"))
            card.schedule = betaScheduleFromJson(j["beta_schedule"]);
        info.cardJson = j.dump(2);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::BadModel, source + ": a field of the model card is missing or has the wrong type ("
                                             + e.what() + ")");
    }
    if (card.info.nativeScale < 2 || card.info.nativeScale > 16)
        throw Error(ErrorCode::BadModel, source + ": native_scale must be between 2 and 16");
    return card;
}

ModelCard readModelCard(const std::filesystem::path& cardPath)
{
    const std::string text = readCardText(cardPath);
    if (!jsonNestingWithin(text, kMaxCardNesting))
        throw Error(ErrorCode::BadModel, cardPath.string() + " nests more than " + std::to_string(kMaxCardNesting)
                                             + " levels deep; a model card is a shallow JSON object");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::BadModel, cardPath.string() + " is not valid JSON: " + e.what());
    }
    return modelCardFromJson(j, cardPath.string());
}

std::string sha256OfFile(const std::filesystem::path& path)
{
#ifdef REFINE_HAVE_OPENSSL
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Io, "cannot open " + path.string());
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        EVP_DigestUpdate(ctx.get(), buffer.data(), size_t(in.gcount()));
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &length);
    std::ostringstream hex;
    for (unsigned int i = 0; i < length; ++i)
        hex << std::hex << std::setw(2) << std::setfill('0') << int(digest[i]);
    return hex.str();
#else
    (void)path;
    return {};
#endif
}

}  // namespace refine
