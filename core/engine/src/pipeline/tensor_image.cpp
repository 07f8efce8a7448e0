#include "pipeline/tensor_image.h"

#include <algorithm>
#include <cstring>

#include <torch/nn/functional.h>

namespace refine {

torch::Tensor imageToTensor(const ImageF& image)
{
    auto hwc = torch::from_blob(const_cast<float*>(image.pixels.data()), {image.height, image.width, image.channels},
                                torch::kFloat32);
    return (hwc.permute({2, 0, 1}).unsqueeze(0) * 2.0 - 1.0).contiguous();
}

ImageF tensorToImage(const torch::Tensor& chw)
{
    auto hwc = ((chw.detach().to(torch::kCPU, torch::kFloat32).clamp(-1, 1) + 1.0) * 0.5).permute({1, 2, 0}).contiguous();
    ImageF image(int(hwc.size(1)), int(hwc.size(0)), int(hwc.size(2)));
    std::memcpy(image.pixels.data(), hwc.data_ptr<float>(), image.pixels.size() * sizeof(float));
    return image;
}

ImageF mapToImage(const torch::Tensor& hw)
{
    auto map = hw.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    ImageF image(int(map.size(1)), int(map.size(0)), 1);
    std::memcpy(image.pixels.data(), map.data_ptr<float>(), image.pixels.size() * sizeof(float));
    return image;
}

torch::Tensor shrinkToFit(const torch::Tensor& images, int maxSide)
{
    const int64_t longer = std::max(images.size(-2), images.size(-1));
    if (maxSide <= 0 || longer <= maxSide)
        return images;
    const double ratio = double(maxSide) / double(longer);
    const std::vector<int64_t> size{std::max<int64_t>(1, int64_t(images.size(-2) * ratio)),
                                    std::max<int64_t>(1, int64_t(images.size(-1) * ratio))};
    namespace F = torch::nn::functional;
    return F::interpolate(images.to(torch::kFloat32), F::InterpolateFuncOptions().size(size).mode(torch::kArea));
}

}  // namespace refine
