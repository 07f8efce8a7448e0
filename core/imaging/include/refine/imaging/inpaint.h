#pragma once
/// @file inpaint.h
/// @brief Filling a marked part of a photo from its surroundings with OpenCV's inpainting. The
/// desktop app's repair brush inpaints the low-resolution input under a scratch, a crease or dust
/// with it, and gives the result to the diffusion as its condition: the model then starts from a
/// plausible guess of what lies under the damage instead of from the damage.

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "refine/engine/image.h"

namespace refine::imaging {

enum class InpaintMethod {
    Telea,         ///< fast marching (Telea 2004): quick, good for thin scratches and specks of dust
    NavierStokes,  ///< fluid dynamics (Bertalmio et al. 2001): continues edges into the area more smoothly
};

/// "telea" or "ns": the names the provenance uses.
const char* inpaintMethodName(InpaintMethod method);

/// @brief `image` with the pixels where `mask` is non-zero filled from the pixels around them;
/// every other pixel is returned exactly as it was.
/// @param image  CV_32FC3 (RGB) or CV_32FC1, values in [0, 1]
/// @param mask   CV_8UC1 of the same size; non-zero: fill this pixel
/// @param radius how far (in pixels) around each filled pixel its value is estimated from
/// @return the same type and size as `image`, the filled values clamped to [0, 1]
/// @throws refine::Error InvalidArgument for an empty or mismatched image or mask, a radius that
///         is not positive, or a mask that covers every pixel (there is nothing to fill it from)
cv::Mat inpaint(const cv::Mat& image, const cv::Mat& mask, InpaintMethod method, double radius = 3.0);

/// @brief inpaint() on the engine's image type: `mask` holds width * height values, row by row,
/// non-zero where the pixel is to be filled.
refine::ImageF inpaint(const refine::ImageF& image, const std::vector<std::uint8_t>& mask, InpaintMethod method,
                       double radius = 3.0);

}  // namespace refine::imaging
