#include "files/thumbnail_reader.h"

#include <algorithm>

#include "model/display_colour.h"
#include "refine/imaging/image_io.h"

namespace refine::ui {
namespace {

/// CV_8UC3 RGB -> Format_RGB32.
QImage toQImage8(const cv::Mat& rgb)
{
    if (rgb.empty() || rgb.type() != CV_8UC3)
        return {};
    QImage out(rgb.cols, rgb.rows, QImage::Format_RGB32);
    for (int y = 0; y < rgb.rows; ++y) {
        const auto* in = rgb.ptr<cv::Vec3b>(y);
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(y));
        for (int x = 0; x < rgb.cols; ++x)
            line[x] = qRgb(in[x][0], in[x][1], in[x][2]);
    }
    return out;
}

}  // namespace

QImage readThumbnail(const QString& path, int side)
{
    try {
        const imaging::Thumbnail thumbnail = imaging::readThumbnail(path.toStdString(), std::max(1, side));
        return toDisplayColours(toQImage8(thumbnail.rgb), colourSpaceOf(thumbnail.iccProfile));
    } catch (...) {
        return {};  // the queue marks it "cannot be read"
    }
}

}  // namespace refine::ui
