#pragma once
/// @file uncertainty_map.h
/// @brief Where the candidates disagree: the per-pixel spread of the candidates (the engine's
/// measure, recomputed here after region edits) and its picture, a heat map overlay that is
/// transparent where the candidates agree and strong where they differ, plus its legend ramp.

#include <QImage>
#include <QVector>

#include <memory>

#include "refine/engine/image.h"

namespace refine::ui {

/// The candidates' per-pixel standard deviation (over candidates, population form) averaged
/// over the colour channels, as the engine computes its uncertainty map; 1 channel. Empty when
/// there are fewer than two candidates or their sizes differ.
ImageF candidateSpread(const QVector<std::shared_ptr<const ImageF>>& candidates);

/// Overlay opacity (0..255) for a spread `t` as a fraction of the map's robust maximum: 0 where
/// the candidates agree, rising in proportion to the spread (so the picture does not exaggerate).
int uncertaintyAlpha(float t);

/// The map as an ARGB overlay: inferno colour (imaging::heatmap) with uncertaintyAlpha()
/// opacity. A null image for an empty map.
QImage uncertaintyOverlay(const ImageF& map);

/// The overlay's ramp from "agree" to "differ", `width` x 1 ARGB pixels with the same opacity
/// as the overlay, so the legend shows exactly what the overlay does.
QImage uncertaintyRamp(int width);

}  // namespace refine::ui
