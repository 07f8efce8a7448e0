#include "archive_settings.h"

#include <stdexcept>

namespace refine::cli {
namespace {

template <typename T>
T field(const nlohmann::json& json, const char* name)
{
    if (!json.contains(name))
        throw std::runtime_error(std::string("the settings lack '") + name + "'");
    try {
        return json.at(name).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw std::runtime_error(std::string("the setting '") + name + "' has the wrong type");
    }
}

std::string shown(const nlohmann::json& value)
{
    if (value.is_null())
        return "none";
    if (value.is_string())
        return value.get<std::string>().empty() ? "default" : value.get<std::string>();
    return value.dump();
}

}  // namespace

ArchiveSettings archiveSettingsFrom(const EnhanceOptions& o)
{
    ArchiveSettings s;
    s.scale = o.scale;
    s.candidates = o.candidates;
    s.preset = o.preset;
    s.sampler = o.sampler;
    s.steps = o.steps;
    s.ddimEta = o.ddimEta;
    s.consistency = o.consistency;
    s.cascadeNoise = o.cascadeNoise;
    s.tile = o.tile;
    s.precision = o.precision;
    s.format = o.format;
    s.jpegQuality = o.jpegQuality;
    s.writeClean = o.writeClean;
    s.detail = o.detail;
    s.uncertaintyMap = o.uncertaintyMap;
    if (o.seedGiven)
        s.seed = o.seed;
    return s;
}

EnhanceOptions enhanceOptionsFrom(const ArchiveSettings& s, const std::string& model)
{
    EnhanceOptions o;
    o.model = model;
    o.scale = s.scale;
    o.candidates = s.candidates;
    o.preset = s.preset;
    o.sampler = s.sampler;
    o.steps = s.steps;
    o.ddimEta = s.ddimEta;
    o.consistency = s.consistency;
    o.cascadeNoise = s.cascadeNoise;
    o.tile = s.tile;
    o.precision = s.precision;
    o.format = s.format;
    o.jpegQuality = s.jpegQuality;
    o.writeClean = s.writeClean;
    o.detail = s.detail;
    o.uncertaintyMap = s.uncertaintyMap;
    o.overwrite = false;
    return o;
}

nlohmann::json toJson(const ArchiveSettings& s)
{
    return {{"scale", s.scale},
            {"candidates", s.candidates},
            {"preset", s.preset},
            {"sampler", s.sampler},
            {"steps", s.steps},
            {"eta", s.ddimEta},
            {"consistency", s.consistency},
            {"cascade_noise", s.cascadeNoise},
            {"tile", s.tile},
            {"precision", s.precision},
            {"format", s.format},
            {"quality", s.jpegQuality},
            {"clean", s.writeClean},
            {"detail", s.detail},
            {"uncertainty_map", s.uncertaintyMap},
            {"seed", s.seed ? nlohmann::json(*s.seed) : nlohmann::json()}};
}

ArchiveSettings archiveSettingsFromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        throw std::runtime_error("the settings are not a JSON object");
    ArchiveSettings s;
    s.scale = field<int>(json, "scale");
    s.candidates = field<int>(json, "candidates");
    s.preset = field<std::string>(json, "preset");
    s.sampler = field<std::string>(json, "sampler");
    s.steps = field<int>(json, "steps");
    s.ddimEta = field<double>(json, "eta");
    s.consistency = field<std::string>(json, "consistency");
    s.cascadeNoise = field<double>(json, "cascade_noise");
    s.tile = field<int>(json, "tile");
    s.precision = field<std::string>(json, "precision");
    s.format = field<std::string>(json, "format");
    s.jpegQuality = field<int>(json, "quality");
    s.writeClean = field<bool>(json, "clean");
    s.detail = field<double>(json, "detail");
    s.uncertaintyMap = field<bool>(json, "uncertainty_map");
    if (json.contains("seed") && !json.at("seed").is_null())
        s.seed = field<uint64_t>(json, "seed");
    if (s.scale < 1 || s.candidates < 1)
        throw std::runtime_error("the settings' scale and candidates must be positive");
    return s;
}

std::vector<std::string> settingDifferences(const ArchiveSettings& planned, const ArchiveSettings& now)
{
    const nlohmann::json a = toJson(planned), b = toJson(now);
    std::vector<std::string> differences;
    for (const auto& [name, value] : a.items())
        if (value != b.at(name))
            differences.push_back(name + ": " + shown(value) + " in the plan, " + shown(b.at(name)) + " now");
    return differences;
}

}  // namespace refine::cli
