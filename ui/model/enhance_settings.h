#pragma once
/// @file enhance_settings.h
/// @brief The choices of the settings panel as plain data: turned into an EnhanceRequest for a
/// job and persisted in QSettings between sessions.

#include <QString>

#include <cstdint>

#include "refine/engine/enhance.h"

class QSettings;

namespace refine::ui {

struct EnhanceSettings {
    QString modelId;            ///< empty: the engine's default model
    int scale = 4;              ///< 2, 4, 8 or 16
    int candidates = 4;         ///< 1..9
    QString preset;             ///< a preset of the model's card; empty: the card's default
    QString sampler;            ///< Advanced; empty: the preset's
    int steps = 0;              ///< Advanced; 0: the preset's
    bool fixedSeed = false;     ///< Advanced; false: a new random seed per job
    quint64 seed = 1;
    QString precision = QStringLiteral("fp32");  ///< "fp32", "fp16", "bf16" (GPU only)
    int tileSize = 0;           ///< 0: automatic
    /// What the results keep of the photo (enhance.h): Exact for clean photos, Soft with the
    /// restore model (the Old photo switch), Off to experiment. Saved by name ("exact", "soft",
    /// "off"); the true/false of older versions reads as exact/off.
    Consistency consistency = Consistency::Exact;
    bool uncertaintyMap = true; ///< compute the per-pixel spread (needs 2+ candidates)

    /// A request for `input` with these settings; `seed` is the job's seed.
    EnhanceRequest toRequest(const ImageF& input, std::uint64_t seed) const;
    Precision precisionValue() const;
    /// The seed a new job uses: the fixed one, or a fresh random one.
    std::uint64_t nextSeed() const;

    void save(QSettings& settings) const;
    static EnhanceSettings load(QSettings& settings);
    bool operator==(const EnhanceSettings& other) const;
};

}  // namespace refine::ui
