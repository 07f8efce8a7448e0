#pragma once
/// @file lazy_original.h
/// @brief The "Original" the candidates are compared with: the photo enlarged `scale` times
/// with bicubic interpolation. It is never made whole (at x16 a 12-megapixel photo would make
/// 3 gigapixels, 12 GB even at 8 bits): views ask for the part they show at the resolution they
/// show it, which is rendered off the GUI thread (QtConcurrent) and kept in a few tiles. Until
/// a tile is ready a view paints the photo itself stretched (overview()).

#include <QColorSpace>
#include <QImage>
#include <QObject>
#include <QRect>

#include <deque>
#include <memory>
#include <optional>

#include "refine/engine/image.h"

namespace refine::ui {

/// A rendered part of the Original.
struct OriginalTile {
    QRect content;  ///< the output pixels it covers
    QSize size;     ///< its pixels: at most one per output pixel
    QImage image;   ///< of `size`; null until rendered
    bool isNull() const { return image.isNull(); }
    /// Pixels per output pixel (the lower of both axes).
    double resolution() const;
};

class LazyOriginal : public QObject {
    Q_OBJECT
public:
    explicit LazyOriginal(QObject* parent = nullptr);

    /// A new photo or scale: `input` is shared (never copied), `overview` is its display image.
    /// Forgets every tile; a render of the previous source still running is dropped when it ends.
    void setSource(std::shared_ptr<const ImageF> input, int scale, const QColorSpace& colourSpace, QImage overview);
    bool isEmpty() const { return !m_input || m_input->empty(); }
    int scale() const { return m_scale; }
    /// The size of the whole enlargement (input size x scale), in output pixels.
    QSize contentSize() const;
    /// The photo at its own size, in display colours: what is shown until a tile is ready.
    QImage overview() const { return m_overview; }

    /// A tile covering `visible` (output pixels, clipped to the content) with at least
    /// `resolution` image pixels per output pixel (at most 1 is ever needed). When no tile has
    /// been rendered for it, one is scheduled (tileReady follows) and a null tile returned.
    OriginalTile tile(const QRectF& visible, double resolution);
    /// A render is running or waiting.
    bool isRendering() const { return m_running.has_value(); }

    /// The tile scheduled for `visible` at `resolution`: the visible part and a margin for
    /// panning, aligned to whole input pixels, never more than kMaxTilePixels.
    OriginalTile plan(const QRectF& visible, double resolution) const;
    /// Renders `content` (output pixels, aligned to whole input pixels) of `input` enlarged
    /// `scale` times at `size` pixels: bicubic where it is shown larger than the photo, the
    /// photo's area average where smaller. Thread-safe.
    static QImage render(const ImageF& input, int scale, const QColorSpace& colourSpace, const QRect& content,
                         QSize size);

    /// Tiles kept, and their largest size (a 4K screen with room to pan; about 64 MB).
    static constexpr int kCachedTiles = 4;
    static constexpr qint64 kMaxTilePixels = 16'000'000;

Q_SIGNALS:
    /// A tile was rendered: views showing the Original repaint and pick it up.
    void tileReady();

private:
    void schedule(const OriginalTile& wanted);
    void startRender(const OriginalTile& wanted);
    void renderFinished(quint64 generation, OriginalTile tile);

    std::shared_ptr<const ImageF> m_input;
    int m_scale = 1;
    QColorSpace m_colourSpace;
    QImage m_overview;
    quint64 m_generation = 0;           ///< bumped by setSource(): older renders are dropped
    std::deque<OriginalTile> m_tiles;   ///< most recently rendered first
    std::optional<OriginalTile> m_running;
    std::deque<OriginalTile> m_waiting; ///< newest last; only the few newest wait
    std::optional<OriginalTile> m_failed;  ///< a render that failed is not asked for again
};

}  // namespace refine::ui
