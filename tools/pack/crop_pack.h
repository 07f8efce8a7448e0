#pragma once
/// @file crop_pack.h
/// @brief The trainer's data pack as it is filled: uint8 crops 'hr' [N, 3, P, P] (channel-major,
/// RGB). The trainer makes every low-resolution input itself, degraded afresh for each example
/// when it trains a restore model (tools/train/degradations.h).

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace refine::pack {

struct CropOptions {
    int patch = 96;  ///< crop side in pixels
    double shrinkMin = 1.0, shrinkMax = 2.5;  ///< random area shrink of the photo before each crop
};

class CropPack {
public:
    explicit CropPack(const CropOptions& options) : m_options(options) {}

    /// Adds `count` random crops of one photo (CV_32FC3 RGB in [0, 1]). The photo is first shrunk
    /// by a random factor, so crops hold more than texture and downscaling noise averages out.
    /// A photo smaller than the patch adds nothing.
    void addCrops(const cv::Mat& rgb, int count, std::mt19937_64& rng);

    int64_t size() const { return m_count; }
    /// Writes the safetensors pack; throws refine::Error when it is empty or cannot be written.
    void save(const std::string& path, const std::map<std::string, std::string>& metadata) const;

private:
    static void appendChannelMajor(const cv::Mat& bytes, std::vector<uint8_t>& out);

    CropOptions m_options;
    std::vector<uint8_t> m_highRes;
    int64_t m_count = 0;
};

}  // namespace refine::pack
