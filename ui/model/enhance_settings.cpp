#include "model/enhance_settings.h"

#include <QRandomGenerator>
#include <QSettings>

#include <algorithm>

namespace refine::ui {
namespace {

/// A saved consistency: its name, or the bool of versions before the modes (true: exact, false:
/// off). Anything else, or nothing, is exact: the safe choice for a clean photo.
Consistency consistencyFromSetting(const QVariant& value)
{
    const QString text = value.toString();
    if (text == QLatin1String("true"))
        return Consistency::Exact;
    if (text == QLatin1String("false"))
        return Consistency::Off;
    Consistency mode = Consistency::Exact;
    return parseConsistency(text.toStdString(), &mode) ? mode : Consistency::Exact;
}

}  // namespace

EnhanceRequest EnhanceSettings::toRequest(const ImageF& input, std::uint64_t jobSeed) const
{
    EnhanceRequest r;
    r.input = input;
    r.scale = scale;
    r.candidates = candidates;
    r.preset = preset.toStdString();
    r.sampler = sampler.toStdString();
    r.steps = steps;
    r.seed = jobSeed;
    r.consistency = consistency;
    r.tileSize = tileSize;
    r.uncertaintyMap = uncertaintyMap && candidates > 1;
    r.previewInterval = 1;
    r.previewMaxSide = 768;  // enough for a grid cell; the final images come in full size
    return r;
}

Precision EnhanceSettings::precisionValue() const
{
    if (precision == QLatin1String("fp16"))
        return Precision::Float16;
    if (precision == QLatin1String("bf16"))
        return Precision::BFloat16;
    return Precision::Float32;
}

std::uint64_t EnhanceSettings::nextSeed() const
{
    // 53 bits: the seed survives a round trip through JSON numbers and XMP text unchanged.
    return fixedSeed ? seed : (QRandomGenerator::global()->generate64() >> 11);
}

void EnhanceSettings::save(QSettings& s) const
{
    s.beginGroup(QStringLiteral("enhance"));
    s.setValue(QStringLiteral("model"), modelId);
    s.setValue(QStringLiteral("scale"), scale);
    s.setValue(QStringLiteral("candidates"), candidates);
    s.setValue(QStringLiteral("preset"), preset);
    s.setValue(QStringLiteral("sampler"), sampler);
    s.setValue(QStringLiteral("steps"), steps);
    s.setValue(QStringLiteral("fixedSeed"), fixedSeed);
    s.setValue(QStringLiteral("seed"), QString::number(seed));
    s.setValue(QStringLiteral("precision"), precision);
    s.setValue(QStringLiteral("tileSize"), tileSize);
    s.setValue(QStringLiteral("consistency"), QString::fromLatin1(consistencyName(consistency)));
    s.setValue(QStringLiteral("uncertaintyMap"), uncertaintyMap);
    s.endGroup();
}

EnhanceSettings EnhanceSettings::load(QSettings& s)
{
    EnhanceSettings e;
    s.beginGroup(QStringLiteral("enhance"));
    e.modelId = s.value(QStringLiteral("model"), e.modelId).toString();
    const int scale = s.value(QStringLiteral("scale"), e.scale).toInt();
    e.scale = (scale == 2 || scale == 4 || scale == 8 || scale == 16) ? scale : 4;
    e.candidates = std::clamp(s.value(QStringLiteral("candidates"), e.candidates).toInt(), 1, 9);
    e.preset = s.value(QStringLiteral("preset"), e.preset).toString();
    e.sampler = s.value(QStringLiteral("sampler"), e.sampler).toString();
    e.steps = std::clamp(s.value(QStringLiteral("steps"), e.steps).toInt(), 0, 2000);
    e.fixedSeed = s.value(QStringLiteral("fixedSeed"), e.fixedSeed).toBool();
    e.seed = s.value(QStringLiteral("seed"), QString::number(e.seed)).toString().toULongLong();
    e.precision = s.value(QStringLiteral("precision"), e.precision).toString();
    e.tileSize = std::max(0, s.value(QStringLiteral("tileSize"), e.tileSize).toInt());
    e.consistency = consistencyFromSetting(s.value(QStringLiteral("consistency")));
    e.uncertaintyMap = s.value(QStringLiteral("uncertaintyMap"), e.uncertaintyMap).toBool();
    s.endGroup();
    return e;
}

bool EnhanceSettings::operator==(const EnhanceSettings& o) const
{
    return modelId == o.modelId && scale == o.scale && candidates == o.candidates && preset == o.preset
        && sampler == o.sampler && steps == o.steps && fixedSeed == o.fixedSeed && seed == o.seed
        && precision == o.precision && tileSize == o.tileSize && consistency == o.consistency
        && uncertaintyMap == o.uncertaintyMap;
}

}  // namespace refine::ui
