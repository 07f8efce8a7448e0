#pragma once
/// @file image_convert.h
/// @brief Conversions between the engine's float images, OpenCV matrices and QImage (the
/// uncertainty picture: uncertainty_map.h; the bicubic "Original": lazy_original.h).

#include <QColorSpace>
#include <QImage>

#include <opencv2/core.hpp>

#include "refine/engine/image.h"

namespace refine::ui {

/// 3-channel ImageF -> QImage::Format_RGB32; 1-channel -> Format_Grayscale8. Values are clamped.
/// Pixels in `colourSpace` (a photo's) are converted for the screen (display_colour.h).
QImage toQImage(const ImageF& image, const QColorSpace& colourSpace = {});
/// CV_32FC3 RGB -> Format_RGB32, converted for the screen like toQImage(ImageF).
QImage toQImage(const cv::Mat& rgbFloat, const QColorSpace& colourSpace = {});
/// Any QImage -> 3-channel ImageF in [0, 1] (alpha dropped).
ImageF toImageF(const QImage& image);

}  // namespace refine::ui
