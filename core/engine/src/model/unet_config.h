#pragma once
/// @file unet_config.h
/// @brief The shape of an SR3 UNet (the constructor arguments of the open SR3 implementation),
/// its JSON form, the two published presets, and inference of the shape from checkpoint tensors.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>
#include <torch/types.h>

namespace refine {

struct UNetConfig {
    int inChannels = 6;               ///< condition (3) + noisy image (3)
    int outChannels = 3;
    int innerChannels = 64;           ///< C: width of the first level
    int normGroups = 32;              ///< GroupNorm groups everywhere
    std::vector<int> channelMults{1, 2, 4, 8, 8};
    std::vector<int> attnRes{16};     ///< resolutions (relative to imageSize) that get self-attention
    int resBlocks = 2;
    double dropout = 0.0;
    int imageSize = 128;              ///< only decides which levels have attention

    int levels() const { return int(channelMults.size()); }
    /// H and W must be multiples of this to run without padding.
    int sizeMultiple() const { return 1 << (levels() - 1); }
    /// Whether level `level` (0 = full resolution) has attention blocks.
    bool levelHasAttention(int level) const;
    /// Throws refine::Error(BadModel) when the shape cannot be built (e.g. channels not divisible by groups).
    void validate() const;

    /// The published 16->128 face model (`config/sr_sr3_16_128.json`, ~98M parameters).
    static UNetConfig sr3Faces16to128();
    /// The published 64->512 face model (`config/sr_sr3_64_512.json`, ~155M parameters).
    static UNetConfig sr3Faces64to512();
};

bool operator==(const UNetConfig& a, const UNetConfig& b);

/// JSON keys follow the reference implementation's config: in_channel, out_channel, inner_channel,
/// norm_groups, channel_multiplier, attn_res, res_blocks, dropout, image_size.
nlohmann::json toJson(const UNetConfig& config);
UNetConfig unetConfigFromJson(const nlohmann::json& json);

/// @brief Reads as much of the shape as tensor shapes reveal (channels, levels, res blocks,
/// attention levels) from UNet parameters named as in the reference (prefix already stripped).
/// GroupNorm's group count and dropout leave no trace in the weights: they are taken from a
/// preset with the same shape when one matches, else from `fallback`.
/// @param groupsKnown set to true when the group count came from a matching preset.
UNetConfig inferUNetConfig(const std::map<std::string, torch::Tensor>& params, const UNetConfig& fallback,
                           bool* groupsKnown = nullptr);

}  // namespace refine
