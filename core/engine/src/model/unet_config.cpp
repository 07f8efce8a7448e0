#include "model/unet_config.h"

#include <algorithm>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "model/card_numbers.h"
#include "refine/engine/error.h"

namespace refine {
namespace {

Error badModel(const std::string& message) { return Error(ErrorCode::BadModel, message); }

const torch::Tensor& requireParam(const std::map<std::string, torch::Tensor>& params, const std::string& name)
{
    auto it = params.find(name);
    if (it == params.end())
        throw badModel("the weights have no tensor '" + name + "', so they are not an SR3 UNet");
    return it->second;
}

bool hasPrefix(const std::map<std::string, torch::Tensor>& params, const std::string& prefix)
{
    auto it = params.lower_bound(prefix);
    return it != params.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

bool UNetConfig::levelHasAttention(int level) const
{
    const int resolution = imageSize >> level;
    return std::find(attnRes.begin(), attnRes.end(), resolution) != attnRes.end();
}

void UNetConfig::validate() const
{
    auto fail = [](const std::string& why) { throw badModel("invalid UNet shape: " + why); };
    if (inChannels <= 0 || outChannels <= 0 || innerChannels <= 0 || normGroups <= 0 || resBlocks <= 0)
        fail("channel, group and block counts must be positive");
    if (channelMults.empty() || channelMults.size() > 8)
        fail("channel_multiplier needs 1 to 8 levels");
    if (dropout < 0.0 || dropout >= 1.0)
        fail("dropout must be in [0, 1)");
    // Far above any published SR3 (64 channels, 8 multipliers, 3 blocks): a card beyond these is
    // a typo or hostile, and would otherwise end in an allocator failure.
    if (innerChannels > 1024 || resBlocks > 16 || inChannels > 64 || outChannels > 64 || imageSize < 1
        || imageSize > 16384)
        fail("inner_channel (at most 1024), res_blocks (16), in/out channels (64) or image_size is out of range");
    for (int mult : channelMults)
        if (mult > 32)
            fail("a channel multiplier above 32");
    // Only now that both factors are bounded can their product not overflow.
    for (int mult : channelMults) {
        if (mult <= 0 || (innerChannels * mult) % normGroups != 0)
            fail("every level's channels (inner_channel x multiplier) must be divisible by norm_groups");
    }
}

UNetConfig UNetConfig::sr3Faces16to128()
{
    UNetConfig c;
    c.innerChannels = 64;
    c.normGroups = 32;
    c.channelMults = {1, 2, 4, 8, 8};
    c.attnRes = {16};
    c.resBlocks = 2;
    c.dropout = 0.2;
    c.imageSize = 128;
    return c;
}

UNetConfig UNetConfig::sr3Faces64to512()
{
    UNetConfig c;
    c.innerChannels = 64;
    c.normGroups = 16;
    c.channelMults = {1, 2, 4, 8, 16};
    c.attnRes = {};
    c.resBlocks = 1;
    c.dropout = 0.0;
    c.imageSize = 512;
    return c;
}

bool operator==(const UNetConfig& a, const UNetConfig& b)
{
    auto attentionLevels = [](const UNetConfig& c) {
        std::vector<bool> levels;
        for (int l = 0; l < c.levels(); ++l)
            levels.push_back(c.levelHasAttention(l));
        return levels;
    };
    return a.inChannels == b.inChannels && a.outChannels == b.outChannels && a.innerChannels == b.innerChannels
        && a.normGroups == b.normGroups && a.channelMults == b.channelMults && a.resBlocks == b.resBlocks
        && attentionLevels(a) == attentionLevels(b);
}

nlohmann::json toJson(const UNetConfig& c)
{
    return {{"in_channel", c.inChannels},   {"out_channel", c.outChannels},
            {"inner_channel", c.innerChannels}, {"norm_groups", c.normGroups},
            {"channel_multiplier", c.channelMults}, {"attn_res", c.attnRes},
            {"res_blocks", c.resBlocks},     {"dropout", c.dropout},
            {"image_size", c.imageSize}};
}

UNetConfig unetConfigFromJson(const nlohmann::json& j)
{
    UNetConfig c;
    try {
        c.inChannels = cardInt(j, "in_channel", c.inChannels);
        c.outChannels = cardInt(j, "out_channel", c.outChannels);
        c.innerChannels = cardInt(j, "inner_channel", c.innerChannels);
        c.normGroups = cardInt(j, "norm_groups", c.normGroups);
        // The reference's config files say channel_multiplier; its UNet constructor, channel_mults.
        c.channelMults = cardInts(j, "channel_multiplier", cardInts(j, "channel_mults", c.channelMults));
        // The reference accepts a bare number for attn_res ("attn_res": 16).
        if (j.contains("attn_res"))
            c.attnRes = j["attn_res"].is_number() ? std::vector<int>{cardInt(j["attn_res"], "attn_res")}
                                                   : cardInts(j, "attn_res", {});
        c.resBlocks = cardInt(j, "res_blocks", c.resBlocks);
        c.dropout = j.value("dropout", c.dropout);
        c.imageSize = cardInt(j, "image_size", c.imageSize);
    } catch (const nlohmann::json::exception& e) {
        throw badModel(std::string("the UNet configuration has a value of the wrong type: ") + e.what());
    }
    c.validate();
    return c;
}

UNetConfig inferUNetConfig(const std::map<std::string, torch::Tensor>& params, const UNetConfig& fallback,
                           bool* groupsKnown)
{
    UNetConfig c = fallback;
    const auto& firstConv = requireParam(params, "downs.0.weight");
    c.innerChannels = int(firstConv.size(0));
    c.inChannels = int(firstConv.size(1));
    c.outChannels = int(requireParam(params, "final_conv.block.3.weight").size(0));

    // Walk `downs`: residual blocks until a Downsample closes a level.
    c.channelMults.clear();
    std::vector<bool> attention;
    int blocksInLevel = 0;
    int firstLevelBlocks = -1;
    bool levelAttention = false;
    for (int i = 1;; ++i) {
        const std::string p = "downs." + std::to_string(i) + ".";
        if (hasPrefix(params, p + "res_block.")) {
            ++blocksInLevel;
            levelAttention = levelAttention || hasPrefix(params, p + "attn.");
            continue;
        }
        if (blocksInLevel == 0)
            throw badModel("cannot infer the UNet shape: level " + std::to_string(c.channelMults.size())
                           + " has no residual blocks");
        const std::string lastBlock = "downs." + std::to_string(i - 1) + ".res_block.block2.block.3.weight";
        c.channelMults.push_back(int(requireParam(params, lastBlock).size(0)) / c.innerChannels);
        attention.push_back(levelAttention);
        if (firstLevelBlocks < 0)
            firstLevelBlocks = blocksInLevel;
        else if (firstLevelBlocks != blocksInLevel)
            throw badModel("cannot infer the UNet shape: levels have different numbers of residual blocks");
        blocksInLevel = 0;
        levelAttention = false;
        if (!params.count(p + "conv.weight"))
            break;  // no Downsample: that was the last level
    }
    c.resBlocks = firstLevelBlocks;

    // Express attention as resolutions relative to a nominal image size, as the reference does.
    c.imageSize = fallback.imageSize > 0 ? fallback.imageSize : 128;
    c.attnRes.clear();
    for (int level = 0; level < int(attention.size()); ++level)
        if (attention[level])
            c.attnRes.push_back(c.imageSize >> level);

    bool known = false;
    for (const UNetConfig& preset : {UNetConfig::sr3Faces16to128(), UNetConfig::sr3Faces64to512()}) {
        UNetConfig candidate = c;
        candidate.normGroups = preset.normGroups;
        candidate.imageSize = preset.imageSize;
        candidate.attnRes.clear();
        for (int level = 0; level < int(attention.size()); ++level)
            if (attention[level])
                candidate.attnRes.push_back(preset.imageSize >> level);
        if (candidate == preset) {
            c = preset;
            known = true;
        }
    }
    if (groupsKnown)
        *groupsKnown = known;
    if (known)
        c.validate();  // otherwise the caller must supply the group count first
    return c;
}

}  // namespace refine
