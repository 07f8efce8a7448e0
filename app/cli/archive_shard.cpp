#include "archive_shard.h"

#include <stdexcept>

namespace refine::cli {
namespace {

bool parseCount(const std::string& text, int& value)
{
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    value = std::stoi(text);
    return true;
}

}  // namespace

Shard parseShard(const std::string& text)
{
    const auto slash = text.find('/');
    Shard shard;
    if (slash == std::string::npos || !parseCount(text.substr(0, slash), shard.index)
        || !parseCount(text.substr(slash + 1), shard.count))
        throw std::invalid_argument("--shard wants K/N, e.g. 0/4 for the first of four shards (got '" + text + "')");
    if (shard.count < 1 || shard.index >= shard.count)
        throw std::invalid_argument("--shard " + text + ": K counts from 0 and must be below N (0/" +
                                    std::to_string(std::max(shard.count, 1)) + " to " +
                                    std::to_string(std::max(shard.count, 1) - 1) + "/" +
                                    std::to_string(std::max(shard.count, 1)) + ")");
    return shard;
}

std::string shardName(const Shard& shard)
{
    return std::to_string(shard.index) + "/" + std::to_string(shard.count);
}

bool inShard(int photoId, const Shard& shard)
{
    return photoId % shard.count == shard.index;
}

std::vector<size_t> shardMembers(const std::vector<int>& photoIds, const Shard& shard)
{
    std::vector<size_t> members;
    for (size_t i = 0; i < photoIds.size(); ++i)
        if (inShard(photoIds[i], shard))
            members.push_back(i);
    return members;
}

}  // namespace refine::cli
