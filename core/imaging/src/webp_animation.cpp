#include "webp_animation.h"

#include <webp/demux.h>

#include <memory>

#include <opencv2/imgproc.hpp>

namespace refine::imaging::detail {
namespace {

struct DecoderDeleter {
    void operator()(WebPAnimDecoder* decoder) const { WebPAnimDecoderDelete(decoder); }
};

}  // namespace

cv::Mat decodeFirstWebpFrame(const std::vector<unsigned char>& webp)
{
    WebPAnimDecoderOptions options;
    if (!WebPAnimDecoderOptionsInit(&options))
        return {};
    options.color_mode = MODE_BGRA;  // OpenCV's channel order
    options.use_threads = 0;
    const WebPData data{webp.data(), webp.size()};
    const std::unique_ptr<WebPAnimDecoder, DecoderDeleter> decoder(WebPAnimDecoderNew(&data, &options));
    WebPAnimInfo info;
    if (!decoder || !WebPAnimDecoderGetInfo(decoder.get(), &info))
        return {};
    std::uint8_t* canvas = nullptr;
    int timestamp = 0;
    if (!WebPAnimDecoderGetNext(decoder.get(), &canvas, &timestamp) || !canvas)
        return {};
    // The canvas belongs to the decoder: copy it out before the decoder goes.
    const cv::Mat bgra = cv::Mat(int(info.canvas_height), int(info.canvas_width), CV_8UC4, canvas).clone();
    cv::Mat alpha;
    cv::extractChannel(bgra, alpha, 3);
    double lowest = 0;
    cv::minMaxLoc(alpha, &lowest);
    if (lowest < 255)
        return bgra;
    cv::Mat bgr;
    cv::cvtColor(bgra, bgr, cv::COLOR_BGRA2BGR);
    return bgr;
}

}  // namespace refine::imaging::detail
