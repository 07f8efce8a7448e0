#include "pipeline/tiled_denoiser.h"

#include <algorithm>
#include <cmath>

#include <torch/nn/functional.h>

#include "refine/engine/error.h"
#include "runtime/device.h"

namespace refine {
namespace {

constexpr int64_t kMinTile = 64;       // below this the overlap eats most of a tile
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

int64_t roundDownTo(int64_t value, int64_t multiple) { return std::max(multiple, value / multiple * multiple); }

}  // namespace

double estimateForwardBytes(const UNetConfig& c, int64_t side, torch::ScalarType dtype)
{
    const double pixels = double(side) * double(side);
    const double elementSize = double(c10::elementSize(dtype));
    // Skip connections stay alive through the whole pass; a handful of working tensors of the
    // widest level come on top. Attention scores and their softmax are (HW)^2 per position pair.
    double skipChannels = 0, widest = 0, attention = 0;
    for (int level = 0; level < c.levels(); ++level) {
        const double levelPixels = pixels / std::pow(4.0, level);
        const double channels = double(c.innerChannels) * c.channelMults[level];
        skipChannels += (c.resBlocks + 1) * channels * levelPixels;
        widest = std::max(widest, channels * levelPixels);
        if (c.levelHasAttention(level) || level == c.levels() - 1)
            attention = std::max(attention, 2.0 * levelPixels * levelPixels);
    }
    return elementSize * (skipChannels + 8.0 * widest) + 4.0 * attention;
}

NetworkFootprint NetworkFootprint::of(const UNetConfig& config)
{
    return {config.sizeMultiple(), false,
            [config](int64_t side, torch::ScalarType dtype) { return estimateForwardBytes(config, side, dtype); }};
}

NetworkFootprint NetworkFootprint::ofDetailNet(const ResidualShiftConfig& c)
{
    return {c.scale, true, [c](int64_t side, torch::ScalarType dtype) {
                const double lowPixels = double(side / c.scale) * double(side / c.scale);
                return double(c10::elementSize(dtype)) * lowPixels
                       * (6.0 * c.detail.channels + 4.0 * 3 * c.scale * c.scale);
            }};
}

TilePlan planTiling(const NetworkFootprint& footprint, torch::ScalarType dtype, const TilingOptions& options,
                    int64_t height, int64_t width)
{
    const double budget = options.memoryBudgetGiB * kGiB;
    const int64_t multiple = std::max<int64_t>(footprint.sizeMultiple, 8);
    TilePlan plan;
    if (options.tile > 0) {
        plan.tile = roundDownTo(options.tile, multiple);
    } else {
        plan.tile = roundDownTo(std::max(height, width) + multiple - 1, multiple);
        while (plan.tile > kMinTile && footprint.forwardBytes(plan.tile, dtype) > budget)
            plan.tile = roundDownTo(plan.tile * 3 / 4, multiple);
    }
    plan.overlap = options.overlap > 0 ? options.overlap : plan.tile / 4;
    plan.batch = std::max<int64_t>(1, int64_t(budget / footprint.forwardBytes(plan.tile, dtype)));
    return plan;
}

TiledDenoiser::TiledDenoiser(NoisePredictor network, const UNetConfig& config, torch::ScalarType dtype,
                             const TilingOptions& options, const CancelToken* cancel)
    : TiledDenoiser(std::move(network), NetworkFootprint::of(config), dtype, options, cancel)
{
}

TiledDenoiser::TiledDenoiser(NoisePredictor network, NetworkFootprint footprint, torch::ScalarType dtype,
                             const TilingOptions& options, const CancelToken* cancel)
    : m_network(std::move(network)), m_footprint(std::move(footprint)), m_dtype(dtype), m_options(options),
      m_cancel(cancel), m_userTile(options.tile > 0)
{
}

void TiledDenoiser::checkCancel() const
{
    if (m_cancel && m_cancel->isCancelled())
        throw Cancelled();
}

void TiledDenoiser::planFor(int64_t height, int64_t width)
{
    m_plannedHeight = height;
    m_plannedWidth = width;
    const TilePlan plan = planTiling(m_footprint, m_dtype, m_options, height, width);
    // A caller's tile is planned once, so a tile shrunk after running out of memory stays shrunk.
    if (!m_userTile || m_tile == 0)
        m_tile = plan.tile;
    m_overlap = m_options.overlap > 0 ? m_options.overlap : m_tile / 4;
    m_batch = m_tile == plan.tile ? plan.batch
                                  : std::max<int64_t>(1, int64_t(m_options.memoryBudgetGiB * kGiB
                                                                 / m_footprint.forwardBytes(m_tile, m_dtype)));
}

torch::Tensor TiledDenoiser::predictNoise(const torch::Tensor& condition, const torch::Tensor& x, double noiseLevel)
{
    if (x.size(2) != m_plannedHeight || x.size(3) != m_plannedWidth)
        planFor(x.size(2), x.size(3));
    const auto input = torch::cat({condition, x}, 1).to(m_dtype);
    for (;;) {
        try {
            return predictTiled(input, noiseLevel).to(torch::kFloat32);
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            if (!isOutOfMemory(e) || !shrinkAfterOutOfMemory())
                throw;
        }
    }
}

bool TiledDenoiser::shrinkAfterOutOfMemory()
{
    // First fewer tiles per batch, then smaller tiles; give up below the minimum tile.
    if (m_lastBatchItems > 1) {
        m_batch = m_lastBatchItems / 2;
        return true;
    }
    const int64_t smaller = roundDownTo(m_tile * 3 / 4, tileMultiple());
    if (smaller < kMinTile || smaller >= m_tile)
        throw Error(ErrorCode::OutOfMemory,
                    "ran out of memory even with " + std::to_string(m_tile) + "-pixel tiles");  // the engine words it
    m_tile = smaller;
    m_overlap = m_options.overlap > 0 ? std::min(m_options.overlap, m_tile / 2) : m_tile / 4;
    return true;
}

const TiledDenoiser::TileLayout& TiledDenoiser::layoutFor(int64_t height, int64_t width, const torch::Device& device)
{
    TileLayout& l = m_layout;
    if (l.height == height && l.width == width && l.tile == m_tile && l.overlap == m_overlap)
        return l;
    const int64_t alignment = m_footprint.alignTiles ? m_footprint.sizeMultiple : 1;
    l = TileLayout{height, width, m_tile, m_overlap, planTiles(height, width, m_tile, m_overlap, alignment), {}, {}};
    auto weights = torch::zeros({1, 1, height, width}, torch::TensorOptions(device));
    for (const TileRect& t : l.tiles) {
        l.windows.push_back(tileWindow(t, height, width, m_overlap).to(device));
        weights[0].narrow(1, t.y, t.height).narrow(2, t.x, t.width).add_(l.windows.back());
    }
    l.inverseWeight = weights.reciprocal();
    return l;
}

torch::Tensor TiledDenoiser::predictTiled(const torch::Tensor& input, double noiseLevel)
{
    const int64_t n = input.size(0), height = input.size(2), width = input.size(3);
    const TileLayout& layout = layoutFor(height, width, input.device());
    const auto& tiles = layout.tiles;
    m_lastBatchItems = std::min<int64_t>(int64_t(tiles.size()) * n, m_batch);
    if (tiles.size() == 1 && n <= m_batch) {
        checkCancel();
        return forwardPadded(input, noiseLevel);
    }
    auto sum = torch::zeros({n, 3, height, width}, input.options().dtype(torch::kFloat32));
    // Work items are (tile, candidate) pairs; tiles of every candidate share a batch.
    const int64_t items = int64_t(tiles.size()) * n;
    for (int64_t first = 0; first < items; first += m_batch) {
        checkCancel();
        const int64_t last = std::min(items, first + m_batch);
        std::vector<torch::Tensor> crops;
        for (int64_t i = first; i < last; ++i) {
            const TileRect& t = tiles[i / n];
            crops.push_back(input[i % n].narrow(1, t.y, t.height).narrow(2, t.x, t.width));
        }
        const auto eps = forwardPadded(torch::stack(crops), noiseLevel).to(torch::kFloat32);
        for (int64_t i = first; i < last; ++i) {
            const TileRect& t = tiles[i / n];
            sum[i % n].narrow(1, t.y, t.height).narrow(2, t.x, t.width).add_(eps[i - first] * layout.windows[i / n]);
        }
    }
    return sum.mul_(layout.inverseWeight);
}

torch::Tensor TiledDenoiser::forwardPadded(const torch::Tensor& input, double noiseLevel)
{
    // Reflect-pad to the network's size multiple (the UNet halves the size per level) and crop back.
    const int64_t multiple = m_footprint.sizeMultiple;
    const int64_t height = input.size(2), width = input.size(3);
    const int64_t padBottom = (multiple - height % multiple) % multiple;
    const int64_t padRight = (multiple - width % multiple) % multiple;
    auto padded = input;
    if (padBottom || padRight) {
        namespace F = torch::nn::functional;
        auto options = F::PadFuncOptions({0, padRight, 0, padBottom});
        // Reflection needs the pad to be smaller than the image; tiny images repeat their edge.
        if (padBottom < height && padRight < width)
            options.mode(torch::kReflect);
        else
            options.mode(torch::kReplicate);
        padded = F::pad(input, options);
    }
    auto level = torch::full({input.size(0)}, noiseLevel, input.options());
    // The network runs channels-last (prepareForInference); the sampler works on plain NCHW.
    auto eps = m_network(padded.contiguous(torch::MemoryFormat::ChannelsLast), level);
    return eps.narrow(2, 0, height).narrow(3, 0, width).contiguous();
}

}  // namespace refine
