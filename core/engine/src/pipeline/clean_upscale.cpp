#include "pipeline/clean_upscale.h"

#include <algorithm>

#include "diffusion/resampling.h"
#include "refine/engine/error.h"

namespace refine {
namespace {

torch::Tensor residualOf(CleanUpscaler& net, const torch::Tensor& lowRes, torch::ScalarType dtype)
{
    return net->residual(lowRes.to(dtype).contiguous(torch::MemoryFormat::ChannelsLast)).to(torch::kFloat32);
}

}  // namespace

torch::Tensor cleanUpscale(CleanUpscaler& net, const torch::Tensor& lowRes, torch::ScalarType dtype,
                           int64_t tileSide, const CancelToken* cancel)
{
    const int64_t s = net->scale(), halo = net->receptiveRadius();
    const int64_t height = lowRes.size(2), width = lowRes.size(3);
    tileSide = std::max<int64_t>(tileSide, 4 * halo);
    auto out = upscaleBicubic(lowRes, int(s)).contiguous();
    if (height <= tileSide && width <= tileSide)
        return out.add_(residualOf(net, lowRes, dtype));
    for (int64_t y0 = 0; y0 < height; y0 += tileSide)
        for (int64_t x0 = 0; x0 < width; x0 += tileSide) {
            if (cancel && cancel->isCancelled())
                throw Cancelled();
            const int64_t y1 = std::min(height, y0 + tileSide), x1 = std::min(width, x0 + tileSide);
            const int64_t top = std::max<int64_t>(0, y0 - halo), left = std::max<int64_t>(0, x0 - halo);
            const int64_t bottom = std::min(height, y1 + halo), right = std::min(width, x1 + halo);
            const auto tile = lowRes.narrow(2, top, bottom - top).narrow(3, left, right - left);
            const auto residual = residualOf(net, tile, dtype)
                                      .narrow(2, (y0 - top) * s, (y1 - y0) * s)
                                      .narrow(3, (x0 - left) * s, (x1 - x0) * s);
            out.narrow(2, y0 * s, (y1 - y0) * s).narrow(3, x0 * s, (x1 - x0) * s).add_(residual);
        }
    return out;
}

}  // namespace refine
