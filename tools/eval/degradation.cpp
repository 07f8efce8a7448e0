#include "degradation.h"

#include <stdexcept>

#include <torch/torch.h>

#include "diffusion/resampling.h"
#include "image_metrics.h"

namespace refine::eval {
namespace {

/// CV_32FC3 (interleaved) -> [1, 3, H, W] float32; H is linear, so [0, 1] works as well as the
/// model's [-1, 1].
torch::Tensor toTensor(const cv::Mat& rgb)
{
    CV_Assert(rgb.type() == CV_32FC3);
    const cv::Mat continuous = rgb.isContinuous() ? rgb : rgb.clone();
    auto hwc = torch::from_blob(const_cast<float*>(continuous.ptr<float>()), {rgb.rows, rgb.cols, 3}, torch::kFloat32);
    return hwc.permute({2, 0, 1}).unsqueeze(0).contiguous();  // contiguous() copies out of the Mat
}

cv::Mat toMat(const torch::Tensor& nchw)
{
    const torch::Tensor hwc = nchw.squeeze(0).permute({1, 2, 0}).contiguous().to(torch::kFloat32);
    cv::Mat view(int(hwc.size(0)), int(hwc.size(1)), CV_32FC3, hwc.data_ptr<float>());
    return view.clone();
}

torch::Tensor applyH(const cv::Mat& rgb, int factor)
{
    if (factor < 1 || rgb.cols % factor != 0 || rgb.rows % factor != 0)
        throw std::invalid_argument("downscaling by " + std::to_string(factor) + " needs sides that are multiples of it");
    torch::NoGradGuard noGrad;
    return downscaleBicubic(toTensor(rgb), factor);
}

}  // namespace

cv::Mat downscaleH(const cv::Mat& rgb, int factor)
{
    return toMat(applyH(rgb, factor).clamp(0.0, 1.0));
}

double consistencyMse(const cv::Mat& output, const cv::Mat& lowRes, int factor)
{
    return meanSquaredError(toMat(applyH(output, factor)), lowRes);
}

}  // namespace refine::eval
