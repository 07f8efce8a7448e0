#include "jpeg_low_res.h"

#include <torch/torch.h>

#include "diffusion/resampling.h"
#include "refine/imaging/image_io.h"

namespace refine::pack {

namespace {

/// H applied to an OpenCV image through the engine's tensor operator (HWC <-> CHW).
cv::Mat downscaleWithH(const cv::Mat& rgb, int scale)
{
    const cv::Mat contiguous = rgb.isContinuous() ? rgb : rgb.clone();
    auto image = torch::from_blob(contiguous.data, {1, rgb.rows, rgb.cols, 3}, torch::kFloat32).permute({0, 3, 1, 2});
    auto small = downscaleBicubic(image, scale).clamp(0, 1).permute({0, 2, 3, 1}).contiguous();
    return cv::Mat(int(small.size(1)), int(small.size(2)), CV_32FC3, small.data_ptr<float>()).clone();
}

}  // namespace

cv::Mat jpegLowRes(const cv::Mat& highRes, int scale, int quality)
{
    imaging::EncodeOptions jpeg;
    jpeg.format = "jpg";
    jpeg.jpegQuality = quality;
    const auto bytes = imaging::encodePhoto(downscaleWithH(highRes, scale), cv::Mat(), jpeg);
    cv::Mat decoded;
    imaging::decodePhoto(bytes, "JPEG low-resolution crop").rgb.convertTo(decoded, CV_8UC3, 255.0);
    return decoded;
}

}  // namespace refine::pack
