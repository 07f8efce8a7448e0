#include "model/image_convert.h"

#include <algorithm>

#include "model/display_colour.h"
#include "refine/imaging/engine_image.h"

namespace refine::ui {
namespace {

int toByte(float v) { return int(std::clamp(v, 0.f, 1.f) * 255.f + 0.5f); }

}  // namespace

QImage toQImage(const ImageF& image, const QColorSpace& colourSpace)
{
    if (image.empty())
        return {};
    if (image.channels == 1) {
        QImage out(image.width, image.height, QImage::Format_Grayscale8);
        for (int y = 0; y < image.height; ++y) {
            uchar* line = out.scanLine(y);
            for (int x = 0; x < image.width; ++x)
                line[x] = uchar(toByte(image.at(x, y, 0)));
        }
        return out;
    }
    QImage out(image.width, image.height, QImage::Format_RGB32);
    for (int y = 0; y < image.height; ++y) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(y));
        for (int x = 0; x < image.width; ++x)
            line[x] = qRgb(toByte(image.at(x, y, 0)), toByte(image.at(x, y, 1)), toByte(image.at(x, y, 2)));
    }
    return toDisplayColours(std::move(out), colourSpace);
}

QImage toQImage(const cv::Mat& rgbFloat, const QColorSpace& colourSpace)
{
    if (rgbFloat.empty() || rgbFloat.type() != CV_32FC3)
        return {};
    QImage out(rgbFloat.cols, rgbFloat.rows, QImage::Format_RGB32);
    for (int y = 0; y < rgbFloat.rows; ++y) {
        const auto* in = rgbFloat.ptr<cv::Vec3f>(y);  // also a region of a larger matrix
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(y));
        for (int x = 0; x < rgbFloat.cols; ++x)
            line[x] = qRgb(toByte(in[x][0]), toByte(in[x][1]), toByte(in[x][2]));
    }
    return toDisplayColours(std::move(out), colourSpace);
}

ImageF toImageF(const QImage& image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    ImageF out(rgb.width(), rgb.height(), 3);
    for (int y = 0; y < rgb.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x) {
            out.at(x, y, 0) = float(qRed(line[x])) / 255.f;
            out.at(x, y, 1) = float(qGreen(line[x])) / 255.f;
            out.at(x, y, 2) = float(qBlue(line[x])) / 255.f;
        }
    }
    return out;
}

}  // namespace refine::ui
