#include "crop_pack.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "refine/engine/error.h"
#include "refine/imaging/resample.h"
#include "weights/safetensors.h"

namespace refine::pack {

void CropPack::appendChannelMajor(const cv::Mat& bytes, std::vector<uint8_t>& out)
{
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < bytes.rows; ++y)
            for (int x = 0; x < bytes.cols; ++x)
                out.push_back(bytes.at<cv::Vec3b>(y, x)[c]);
}

void CropPack::addCrops(const cv::Mat& rgb, int count, std::mt19937_64& rng)
{
    const int patch = m_options.patch;
    std::uniform_real_distribution<double> shrink(m_options.shrinkMin, m_options.shrinkMax);
    for (int i = 0; i < count; ++i) {
        const double f = shrink(rng);
        cv::Size size(int(rgb.cols / f), int(rgb.rows / f));
        if (size.width < patch || size.height < patch)
            size = rgb.size();
        if (size.width < patch || size.height < patch)
            return;
        const cv::Mat small = size == rgb.size() ? rgb : imaging::resizeArea(rgb, size);
        std::uniform_int_distribution<int> xs(0, size.width - patch), ys(0, size.height - patch);
        const cv::Mat crop = small(cv::Rect(xs(rng), ys(rng), patch, patch)).clone();
        cv::Mat bytes;
        crop.convertTo(bytes, CV_8UC3, 255.0);
        appendChannelMajor(bytes, m_highRes);
        ++m_count;
    }
}

void CropPack::save(const std::string& path, const std::map<std::string, std::string>& metadata) const
{
    if (m_count == 0)
        throw Error(ErrorCode::InvalidArgument, "no crops for " + path + ": no photo was at least as large as the patch");
    const int64_t p = m_options.patch;
    auto bytes = [](const std::vector<uint8_t>& v, at::IntArrayRef shape) {
        return torch::from_blob(const_cast<uint8_t*>(v.data()), shape, torch::kUInt8).clone();
    };
    weights::writeSafetensors(path, {{"hr", bytes(m_highRes, {m_count, 3, p, p})}}, metadata);
}

}  // namespace refine::pack
