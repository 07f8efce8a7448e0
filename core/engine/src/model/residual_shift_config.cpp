#include "model/residual_shift_config.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "model/card_numbers.h"
#include "refine/engine/error.h"

namespace refine {
namespace {

void require(bool condition, const std::string& what)
{
    if (!condition)
        throw Error(ErrorCode::BadModel, "residual-shift model card: " + what);
}

}  // namespace

double ResidualShiftSchedule::sqrtEta(double u) const
{
    u = std::clamp(u, 0.0, 1.0);
    return sqrtEtaMin * std::pow(sqrtEtaMax / sqrtEtaMin, std::pow(u, power));
}

void ResidualShiftConfig::validate() const
{
    // Bounds keep a hostile or mistyped card from asking for gigabytes of weights.
    require(scale == 2 || scale == 4, "scale must be 2 or 4");
    require(clean.channels >= 4 && clean.channels <= 256, "clean.channels must be between 4 and 256");
    require(clean.blocks >= 0 && clean.blocks <= 32, "clean.blocks must be between 0 and 32");
    require(detail.channels >= 8 && detail.channels <= 512, "detail.channels must be between 8 and 512");
    require(detail.blocks >= 1 && detail.blocks <= 32, "detail.blocks must be between 1 and 32");
    require(detail.embedding >= 8 && detail.embedding <= 1024, "detail.embedding must be between 8 and 1024");
    require(schedule.kappa > 0 && schedule.kappa <= 8, "schedule.kappa must be in (0, 8]");
    require(schedule.sqrtEtaMin > 0 && schedule.sqrtEtaMin < schedule.sqrtEtaMax && schedule.sqrtEtaMax < 1,
            "schedule needs 0 < sqrt_eta_min < sqrt_eta_max < 1");
    require(schedule.power > 0 && schedule.power <= 4, "schedule.power must be in (0, 4]");
}

nlohmann::json toJson(const ResidualShiftConfig& c)
{
    return {{"scale", c.scale},
            {"clean", {{"channels", c.clean.channels}, {"blocks", c.clean.blocks}}},
            {"detail", {{"channels", c.detail.channels}, {"blocks", c.detail.blocks}, {"embedding", c.detail.embedding}}},
            {"schedule",
             {{"kappa", c.schedule.kappa},
              {"sqrt_eta_min", c.schedule.sqrtEtaMin},
              {"sqrt_eta_max", c.schedule.sqrtEtaMax},
              {"power", c.schedule.power}}}};
}

ResidualShiftConfig residualShiftConfigFromJson(const nlohmann::json& j)
{
    ResidualShiftConfig c;
    c.scale = cardInt(j, "scale", c.scale);
    if (j.contains("clean")) {
        const auto& k = j.at("clean");
        c.clean.channels = cardInt(k, "channels", c.clean.channels);
        c.clean.blocks = cardInt(k, "blocks", c.clean.blocks);
    }
    if (j.contains("detail")) {
        const auto& k = j.at("detail");
        c.detail.channels = cardInt(k, "channels", c.detail.channels);
        c.detail.blocks = cardInt(k, "blocks", c.detail.blocks);
        c.detail.embedding = cardInt(k, "embedding", c.detail.embedding);
    }
    if (j.contains("schedule")) {
        const auto& k = j.at("schedule");
        c.schedule.kappa = k.value("kappa", c.schedule.kappa);
        c.schedule.sqrtEtaMin = k.value("sqrt_eta_min", c.schedule.sqrtEtaMin);
        c.schedule.sqrtEtaMax = k.value("sqrt_eta_max", c.schedule.sqrtEtaMax);
        c.schedule.power = k.value("power", c.schedule.power);
    }
    c.validate();
    return c;
}

double cleanNetMacsPerPixel(const ResidualShiftConfig& c)
{
    const double w = c.clean.channels, s2 = double(c.scale) * c.scale;
    return 3 * w * 25 + 2.0 * c.clean.blocks * w * w * 9 + w * 3 * s2 * 9;
}

double detailNetMacsPerPixel(const ResidualShiftConfig& c)
{
    const double w = c.detail.channels, in = 2 * 3.0 * c.scale * c.scale, out = 3.0 * c.scale * c.scale;
    return in * w * 9 + 2.0 * c.detail.blocks * w * w * 9 + w * out * 9;
}

}  // namespace refine
