#pragma once
/// @file image_convert.h
/// @brief Conversions between the engine's float images, OpenCV matrices and QImage, plus the
/// two derived pictures the app shows: the bicubic "Original" and the uncertainty heat map.

#include <QImage>

#include <opencv2/core.hpp>

#include "refine/engine/image.h"

namespace refine::ui {

/// 3-channel ImageF -> QImage::Format_RGB32; 1-channel -> Format_Grayscale8. Values are clamped.
QImage toQImage(const ImageF& image);
/// CV_32FC3 RGB -> Format_RGB32.
QImage toQImage(const cv::Mat& rgbFloat);
/// Any QImage -> 3-channel ImageF in [0, 1] (alpha dropped).
ImageF toImageF(const QImage& image);

/// The input enlarged `scale` times with bicubic interpolation: the "Original" the candidates
/// are compared with.
QImage bicubicEnlarged(const ImageF& input, int scale);

/// The uncertainty map as an inferno heat map (imaging::heatmap); a null image for an empty map.
QImage uncertaintyHeatmap(const ImageF& map);
/// The heat map as an overlay (ARGB): where the candidates agree it is nearly transparent, so
/// the photo shows through; where they differ, the colour is strong.
QImage uncertaintyOverlay(const ImageF& map);

/// The heat map's colour ramp from low to high, `width` x 1 pixels (for the legend).
QImage heatmapRamp(int width);

}  // namespace refine::ui
