#include "model/lazy_original.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

#include "model/image_convert.h"
#include "refine/imaging/resample.h"

namespace refine::ui {
namespace {

constexpr int kWaiting = 2;          // requests that wait while one renders; older ones are stale
constexpr double kPanMargin = 0.25;  // of the visible size, rendered on each side for panning
constexpr int kBicubicReach = 2;     // input pixels a bicubic sample reaches on each side

/// Whether `tile` shows all of `shown` at `resolution` or finer.
bool covers(const OriginalTile& tile, const QRectF& shown, double resolution)
{
    // The planned resolution is rounded up to whole pixels: a hair below still counts.
    return QRectF(tile.content).contains(shown) && tile.resolution() >= resolution * 0.98;
}

bool samePlan(const OriginalTile& a, const OriginalTile& b)
{
    return a.content == b.content && a.size == b.size;
}

cv::Rect cvRect(const QRect& r)
{
    return {r.x(), r.y(), r.width(), r.height()};
}

}  // namespace

double OriginalTile::resolution() const
{
    if (content.isEmpty())
        return 0;
    return std::min(double(size.width()) / content.width(), double(size.height()) / content.height());
}

LazyOriginal::LazyOriginal(QObject* parent) : QObject(parent) {}

void LazyOriginal::setSource(std::shared_ptr<const ImageF> input, int scale, const QColorSpace& colourSpace,
                             QImage overview)
{
    m_input = std::move(input);
    m_scale = std::max(1, scale);
    m_colourSpace = colourSpace;
    m_overview = std::move(overview);
    ++m_generation;
    m_tiles.clear();
    m_running.reset();
    m_waiting.clear();
    m_failed.reset();
}

QSize LazyOriginal::contentSize() const
{
    return isEmpty() ? QSize() : QSize(m_input->width * m_scale, m_input->height * m_scale);
}

OriginalTile LazyOriginal::plan(const QRectF& visible, double resolution) const
{
    const QRectF bounds(QPointF(0, 0), QSizeF(contentSize()));
    const QRectF shown = visible.intersected(bounds);
    if (shown.isEmpty())
        return {};
    resolution = std::clamp(resolution, 1e-4, 1.0);
    const double mx = shown.width() * kPanMargin, my = shown.height() * kPanMargin;
    const QRectF wanted = shown.adjusted(-mx, -my, mx, my).intersected(bounds);
    // Whole input pixels, so the render starts from exact pixels of the photo.
    const int s = m_scale;
    const int x0 = int(std::floor(wanted.left() / s)) * s, y0 = int(std::floor(wanted.top() / s)) * s;
    const int x1 = int(std::ceil(wanted.right() / s)) * s, y1 = int(std::ceil(wanted.bottom() / s)) * s;
    OriginalTile tile;
    tile.content = QRect(x0, y0, x1 - x0, y1 - y0);
    double w = std::ceil(tile.content.width() * resolution), h = std::ceil(tile.content.height() * resolution);
    if (w * h > double(kMaxTilePixels)) {  // a safety net: views never show that many pixels
        const double shrink = std::sqrt(double(kMaxTilePixels) / (w * h));
        w = std::floor(w * shrink);
        h = std::floor(h * shrink);
    }
    tile.size = QSize(std::clamp(int(w), 1, tile.content.width()), std::clamp(int(h), 1, tile.content.height()));
    return tile;
}

OriginalTile LazyOriginal::tile(const QRectF& visible, double resolution)
{
    const OriginalTile wanted = plan(visible, resolution);
    if (wanted.content.isEmpty() || isEmpty())
        return {};
    const QRectF shown = visible.intersected(QRectF(QPointF(0, 0), QSizeF(contentSize())));
    const double needed = wanted.resolution();
    for (auto it = m_tiles.begin(); it != m_tiles.end(); ++it) {
        if (covers(*it, shown, needed)) {
            const OriginalTile hit = *it;
            m_tiles.erase(it);
            m_tiles.push_front(hit);  // most recently used first
            return hit;
        }
    }
    const bool coming = (m_running && covers(*m_running, shown, needed))
                     || std::any_of(m_waiting.begin(), m_waiting.end(),
                                    [&](const OriginalTile& t) { return covers(t, shown, needed); });
    if (!coming && !(m_failed && samePlan(*m_failed, wanted)))
        schedule(wanted);
    return {};
}

void LazyOriginal::schedule(const OriginalTile& wanted)
{
    if (!m_running) {
        startRender(wanted);
        return;
    }
    m_waiting.push_back(wanted);
    while (int(m_waiting.size()) > kWaiting)
        m_waiting.pop_front();
}

void LazyOriginal::startRender(const OriginalTile& wanted)
{
    m_running = wanted;
    const quint64 generation = m_generation;
    auto* watcher = new QFutureWatcher<QImage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, wanted] {
        watcher->deleteLater();
        OriginalTile done = wanted;
        done.image = watcher->result();
        renderFinished(generation, std::move(done));
    });
    // The pixels are shared with the render, so a new photo never pulls them from under it.
    watcher->setFuture(QtConcurrent::run(
        [input = m_input, scale = m_scale, colourSpace = m_colourSpace, wanted]() -> QImage {
            try {
                return render(*input, scale, colourSpace, wanted.content, wanted.size);
            } catch (...) {  // out of memory, or a bad region: the stretched photo stays
                return {};
            }
        }));
}

void LazyOriginal::renderFinished(quint64 generation, OriginalTile tile)
{
    if (generation != m_generation)
        return;  // of a previous photo or scale; setSource() already forgot its request
    m_running.reset();
    if (tile.isNull()) {
        m_failed = tile;  // asking again would fail again
    } else {
        m_tiles.push_front(std::move(tile));
        while (int(m_tiles.size()) > kCachedTiles)
            m_tiles.pop_back();
    }
    if (!m_waiting.empty()) {
        const OriginalTile next = m_waiting.back();  // the newest is what the views show now
        m_waiting.clear();
        startRender(next);
    }
    Q_EMIT tileReady();
}

QImage LazyOriginal::render(const ImageF& input, int scale, const QColorSpace& colourSpace, const QRect& content,
                            QSize size)
{
    if (input.empty() || input.channels != 3 || scale < 1 || content.isEmpty() || size.isEmpty())
        return {};
    const QRect inputRect(content.x() / scale, content.y() / scale, content.width() / scale, content.height() / scale);
    const QRect image(0, 0, input.width, input.height);
    if (inputRect.isEmpty() || !image.contains(inputRect))
        return {};
    // The photo's pixels as a matrix, not a copy.
    const cv::Mat whole(input.height, input.width, CV_32FC3, const_cast<float*>(input.pixels.data()));
    if (size.width() <= inputRect.width() && size.height() <= inputRect.height()) {
        // Shown no larger than the photo itself: the enlargement averages back to the photo.
        return toQImage(imaging::resizeArea(whole(cvRect(inputRect)), cv::Size(size.width(), size.height())),
                        colourSpace);
    }
    // Bicubic at the smallest whole factor that gives the pixels shown (the full factor at
    // 1:1), from the region plus the pixels its samples reach, so every pixel is exactly the
    // full enlargement's; then averaged down to the size shown.
    const int factor = std::clamp(int(std::ceil(std::max(double(size.width()) / inputRect.width(),
                                                         double(size.height()) / inputRect.height()))),
                                  1, scale);
    const QRect reach =
        inputRect.adjusted(-kBicubicReach, -kBicubicReach, kBicubicReach, kBicubicReach).intersected(image);
    const cv::Mat enlarged =
        imaging::resizeBicubic(whole(cvRect(reach)), cv::Size(reach.width() * factor, reach.height() * factor));
    const cv::Mat part = enlarged(cv::Rect((inputRect.x() - reach.x()) * factor, (inputRect.y() - reach.y()) * factor,
                                           inputRect.width() * factor, inputRect.height() * factor));
    if (part.cols == size.width() && part.rows == size.height())
        return toQImage(part, colourSpace);
    return toQImage(imaging::resizeArea(part, cv::Size(size.width(), size.height())), colourSpace);
}

}  // namespace refine::ui
