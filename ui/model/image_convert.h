#pragma once
/// @file image_convert.h
/// @brief Conversions between the engine's float images, OpenCV matrices and QImage, plus the
/// bicubic "Original" the candidates are compared with (the uncertainty picture: uncertainty_map.h).

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

}  // namespace refine::ui
