#include "model/unet_flops.h"

#include <vector>

namespace refine {
namespace {

/// Counts one forward pass level by level; `pixels[level]` is the resolution of that level.
class FlopCounter {
public:
    FlopCounter(const UNetConfig& config, int64_t height, int64_t width) : m_config(config)
    {
        const int64_t multiple = config.sizeMultiple();
        height = (height + multiple - 1) / multiple * multiple;
        width = (width + multiple - 1) / multiple * multiple;
        for (int level = 0; level < config.levels(); ++level)
            m_pixels.push_back(double(height >> level) * double(width >> level));
    }

    double total() const { return m_flops; }

    void conv(int level, double in, double out, double kernel) { m_flops += 2 * in * out * kernel * kernel * m_pixels[level]; }

    void linear(double in, double out) { m_flops += 2 * in * out; }

    /// ResnetBlock (two 3x3 convolutions, the noise bias, a 1x1 shortcut when widths differ) and
    /// its optional self-attention (qkv and out projections, scores and mixing over all positions).
    void block(int level, double in, double out, bool attention)
    {
        linear(m_config.innerChannels, out);
        conv(level, in, out, 3);
        conv(level, out, out, 3);
        if (in != out)
            conv(level, in, out, 1);
        if (attention) {
            const double positions = m_pixels[level];
            conv(level, out, 3 * out, 1);
            m_flops += 2 * 2 * positions * positions * out;
            conv(level, out, out, 1);
        }
    }

private:
    const UNetConfig& m_config;
    std::vector<double> m_pixels;
    double m_flops = 0;
};

}  // namespace

double unetForwardFlops(const UNetConfig& config, int64_t height, int64_t width)
{
    FlopCounter count(config, height, width);
    const int C = config.innerChannels;
    const int levels = config.levels();

    count.linear(C, 4 * C);  // noise-level MLP
    count.linear(4 * C, C);

    count.conv(0, config.inChannels, C, 3);  // stem
    std::vector<int> skips{C};
    int channels = C;
    for (int level = 0; level < levels; ++level) {
        const int out = C * config.channelMults[level];
        for (int i = 0; i < config.resBlocks; ++i) {
            count.block(level, channels, out, config.levelHasAttention(level));
            channels = out;
            skips.push_back(channels);
        }
        if (level + 1 < levels) {
            count.conv(level + 1, channels, channels, 3);  // strided: counted at the output size
            skips.push_back(channels);
        }
    }

    count.block(levels - 1, channels, channels, true);  // the middle always has attention
    count.block(levels - 1, channels, channels, false);

    for (int level = levels - 1; level >= 0; --level) {
        const int out = C * config.channelMults[level];
        for (int i = 0; i < config.resBlocks + 1; ++i) {
            count.block(level, channels + skips.back(), out, config.levelHasAttention(level));
            skips.pop_back();
            channels = out;
        }
        if (level > 0)
            count.conv(level - 1, channels, channels, 3);  // nearest x2 then 3x3
    }

    count.conv(0, channels, config.outChannels, 3);  // final_conv
    return count.total();
}

}  // namespace refine
