#include "pipeline/tile_grid.h"

#include <algorithm>
#include <cmath>

namespace refine {
namespace {

/// Tile starts along one axis: evenly spread, first at 0, last flush with the end.
std::vector<int64_t> axisStarts(int64_t length, int64_t tile, int64_t overlap, int64_t alignment)
{
    if (tile >= length)
        return {0};
    const int64_t stride = std::max<int64_t>(1, tile - overlap);
    const int64_t count = (length - tile + stride - 1) / stride + 1;
    std::vector<int64_t> starts(count);
    for (int64_t i = 0; i < count; ++i)
        starts[i] = int64_t(std::llround(double(i) * double(length - tile) / double(count - 1))) / alignment * alignment;
    return starts;
}

/// Weights along one axis of a tile: on each interior side, zero for the outer quarter of the
/// overlap (where the network saw the tile's artificial border instead of real neighbours), then
/// a sin^2 ramp up to 1.
torch::Tensor axisWindow(int64_t start, int64_t size, int64_t length, int64_t overlap)
{
    auto w = torch::ones({size}, torch::kFloat32);
    const int64_t ramp = std::min(overlap, size / 2);
    if (ramp <= 0)
        return w;
    const int64_t margin = ramp / 4;
    const double halfPi = std::acos(0.0);
    auto a = w.accessor<float, 1>();
    for (int64_t d = 0; d < ramp; ++d) {
        const float value =
            d < margin ? 0.f : float(std::pow(std::sin(halfPi * double(d - margin + 0.5) / double(ramp - margin)), 2));
        if (start > 0)
            a[d] = value;
        if (start + size < length)
            a[size - 1 - d] = std::min(a[size - 1 - d], value);
    }
    return w;
}

}  // namespace

std::vector<TileRect> planTiles(int64_t height, int64_t width, int64_t tile, int64_t overlap, int64_t alignment)
{
    std::vector<TileRect> tiles;
    alignment = std::max<int64_t>(1, alignment);
    const auto ys = axisStarts(height, tile, overlap, alignment);
    const auto xs = axisStarts(width, tile, overlap, alignment);
    for (int64_t y : ys)
        for (int64_t x : xs)
            tiles.push_back({y, x, std::min(tile, height), std::min(tile, width)});
    return tiles;
}

torch::Tensor tileWindow(const TileRect& t, int64_t imageHeight, int64_t imageWidth, int64_t overlap)
{
    return axisWindow(t.y, t.height, imageHeight, overlap).unsqueeze(1)
         * axisWindow(t.x, t.width, imageWidth, overlap).unsqueeze(0);
}

}  // namespace refine
