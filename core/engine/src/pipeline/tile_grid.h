#pragma once
/// @file tile_grid.h
/// @brief Tile geometry: overlapping tiles covering an image, and the smooth blending window of
/// each tile. Plain arithmetic, no model involved.

#include <cstdint>
#include <vector>

#include <torch/types.h>

namespace refine {

struct TileRect {
    int64_t y = 0, x = 0, height = 0, width = 0;
};

/// Tiles of at most tile x tile covering height x width, neighbours overlapping by at least
/// `overlap`, spread evenly; a single tile when the image fits. Tile starts are multiples of
/// `alignment` (networks on a pixel-unshuffled grid need their tiles on that grid); height, width
/// and tile must then be multiples of it too.
std::vector<TileRect> planTiles(int64_t height, int64_t width, int64_t tile, int64_t overlap, int64_t alignment = 1);

/// The blending weight of a tile [height, width]: 1 inside, rising smoothly (sin^2) across the
/// overlap on the sides that touch another tile, so that weighted sums join without seams.
/// Sides on the image border keep weight 1 up to the edge.
torch::Tensor tileWindow(const TileRect& tile, int64_t imageHeight, int64_t imageWidth, int64_t overlap);

}  // namespace refine
