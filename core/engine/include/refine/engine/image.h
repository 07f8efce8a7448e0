#pragma once
/// @file image.h
/// @brief The engine's torch-free image type: interleaved float RGB, the currency between the
/// engine, the imaging library and the UI.

#include <cstddef>
#include <vector>

namespace refine {

/// @brief An interleaved float image (row-major, channel fastest), values in [0, 1] for colour.
/// Channels is 3 for the images the engine enhances and 1 for maps (e.g. the uncertainty map).
struct ImageF {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::vector<float> pixels;  ///< width * height * channels values

    ImageF() = default;
    ImageF(int w, int h, int c) : width(w), height(h), channels(c), pixels(std::size_t(w) * h * c, 0.f) {}

    bool empty() const noexcept { return pixels.empty(); }
    float& at(int x, int y, int c) { return pixels[(std::size_t(y) * width + x) * channels + c]; }
    float at(int x, int y, int c) const { return pixels[(std::size_t(y) * width + x) * channels + c]; }
};

}  // namespace refine
