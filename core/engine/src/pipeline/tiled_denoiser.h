#pragma once
/// @file tiled_denoiser.h
/// @brief Runs the UNet on images of any size: pads to the network's size multiple, splits large
/// images into overlapping tiles, batches the tiles of all candidates together under a memory
/// budget, and blends the tiles' noise predictions with smooth windows. The sampler calls it at
/// every step, so tiles are blended at every denoising step and no seam can build up.
/// On running out of memory it retries the step with smaller batches, then smaller tiles.

#include <algorithm>
#include <functional>

#include <torch/types.h>

#include "model/residual_shift_config.h"
#include "model/sr3_unet.h"
#include "pipeline/tile_grid.h"
#include "refine/engine/enhance.h"

namespace refine {

struct TilingOptions {
    int64_t tile = 0;          ///< output-pixel tile side; 0 = largest that fits the budget
    int64_t overlap = 0;       ///< 0 = a quarter of the tile
    double memoryBudgetGiB = 3;
};

/// Bytes of activation memory one forward pass needs for a side x side tile (estimate).
double estimateForwardBytes(const UNetConfig& config, int64_t side, torch::ScalarType dtype);

/// The network as the denoiser sees it: eps (SR3) or x0 (residual shift) for input
/// [B, 6, H, W] = cat(condition, x) at noise level [B].
using NoisePredictor = std::function<torch::Tensor(const torch::Tensor& input, const torch::Tensor& noiseLevel)>;

/// What tiling needs to know of a network: the multiple its input sides must have, whether tile
/// starts must sit on that grid too, and the activation bytes of one side x side forward pass.
struct NetworkFootprint {
    int64_t sizeMultiple = 1;
    bool alignTiles = false;
    std::function<double(int64_t side, torch::ScalarType dtype)> forwardBytes;

    static NetworkFootprint of(const UNetConfig& config);
    /// A residual-shift detail network: its activations live at the low resolution, a few copies
    /// of its feature maps plus the pixel-unshuffled inputs.
    static NetworkFootprint ofDetailNet(const ResidualShiftConfig& config);
};

/// The tiling of one image size: the largest square tile (up to the whole image) whose forward
/// pass fits the budget, or the caller's tile, and how many tiles fit one batch.
struct TilePlan {
    int64_t tile = 0;
    int64_t overlap = 0;
    int64_t batch = 1;
};
TilePlan planTiling(const NetworkFootprint& footprint, torch::ScalarType dtype, const TilingOptions& options,
                    int64_t height, int64_t width);

class TiledDenoiser {
public:
    /// `config` gives the size multiple and the memory estimate of `network`.
    TiledDenoiser(NoisePredictor network, const UNetConfig& config, torch::ScalarType dtype,
                  const TilingOptions& options, const CancelToken* cancel);
    TiledDenoiser(NoisePredictor network, NetworkFootprint footprint, torch::ScalarType dtype,
                  const TilingOptions& options, const CancelToken* cancel);

    /// The network's output for x [N, 3, H, W] given condition [N, 3, H, W] (both float32, on the
    /// net's device), blended over tiles.
    torch::Tensor predictNoise(const torch::Tensor& condition, const torch::Tensor& x, double noiseLevel);

    int64_t tileSize() const { return m_tile; }
    int64_t batchLimit() const { return m_batch; }

private:
    /// The tiles of one image size and tile size, their blending windows on the device and the
    /// inverse of the windows' sum: the same at every step, so made once.
    struct TileLayout {
        int64_t height = -1, width = -1, tile = 0, overlap = 0;
        std::vector<TileRect> tiles;
        std::vector<torch::Tensor> windows;   ///< [1, h, w] per tile
        torch::Tensor inverseWeight;          ///< [1, 1, H, W]
    };

    void planFor(int64_t height, int64_t width);
    const TileLayout& layoutFor(int64_t height, int64_t width, const torch::Device& device);
    torch::Tensor predictTiled(const torch::Tensor& input, double noiseLevel);
    torch::Tensor forwardPadded(const torch::Tensor& input, double noiseLevel);
    bool shrinkAfterOutOfMemory();
    void checkCancel() const;

    int64_t tileMultiple() const { return std::max<int64_t>(m_footprint.sizeMultiple, 8); }

    NoisePredictor m_network;
    NetworkFootprint m_footprint;
    torch::ScalarType m_dtype;
    TilingOptions m_options;
    const CancelToken* m_cancel;
    int64_t m_tile = 0, m_overlap = 0, m_batch = 1;
    int64_t m_lastBatchItems = 1;  ///< items in the largest batch of the last attempt
    int64_t m_plannedHeight = -1, m_plannedWidth = -1;
    TileLayout m_layout;
    bool m_userTile = false;
};

}  // namespace refine
