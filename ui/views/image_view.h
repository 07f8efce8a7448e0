#pragma once
/// @file image_view.h
/// @brief A zoomable, pannable view of one image whose zoom and pan come from a shared ViewSync.
///
/// Wheel: zoom about the cursor. Ctrl+0: fit. 1: actual pixels (unless digits are reserved for
/// the candidate grid, see setDigitZoom). Space+drag or middle-drag: pan. With region selection
/// enabled, a left-drag draws a rectangle (in content pixels) and emits regionSelected, or, with
/// the brush tool, paints a stroke (shown while painting) and emits brushPainted, or with Shift
/// held erases (brushErased); a circle follows the cursor at the brush's size, which [ and ] or
/// Ctrl+wheel change. A plain click emits clicked.
///
/// The mouse and key handling lives here once; views that show more (the split view) plug into
/// it through the protected hooks instead of handling events again.

#include <QImage>
#include <QPainterPath>
#include <QPixmap>
#include <QWidget>

#include "views/brush_stroke.h"

namespace refine::ui {

class LazyOriginal;
class ViewSync;

class ImageView : public QWidget {
    Q_OBJECT
public:
    explicit ImageView(ViewSync* sync, QWidget* parent = nullptr);

    /// The image; it is stretched over the content size, so a smaller preview lines up with the
    /// final image. A null image shows `placeholder` text instead.
    void setImage(const QImage& image);
    QImage image() const { return m_image; }
    /// The size of the content in its own pixels (the final output size); defaults to the image's
    /// (or the Original's while it is shown).
    void setContentSize(QSize size);
    QSize contentSize() const;
    /// Shows the photo's bicubic Original from `original` instead of image(), rendered for the
    /// part and zoom on screen (nullptr: image() again). Not owned.
    void setOriginalSource(LazyOriginal* original);
    bool showsOriginal() const { return m_original != nullptr; }

    void setCaption(const QString& caption);
    QString caption() const { return m_caption; }
    void setPlaceholder(const QString& text);
    /// A heat map drawn over the image (stretched like it) when visible.
    void setOverlay(const QImage& overlay, double opacity = 0.6);
    void setOverlayVisible(bool visible);
    bool isOverlayVisible() const { return m_overlayVisible; }
    void setHighlighted(bool highlighted);

    enum class SelectionTool { Rectangle, Brush };
    void setRegionSelectionEnabled(bool enabled);
    void setSelectionTool(SelectionTool tool);
    /// The brush's diameter in content pixels.
    void setBrushDiameter(double diameter);
    double brushDiameter() const { return m_brushDiameter; }
    /// The painted selection shown (content pixels; empty: none).
    void setBrushArea(const QPainterPath& area);
    QPainterPath brushArea() const { return m_brushArea; }
    /// The painted selection as a wash (the default) or, false, as its outline alone: once a new
    /// version of the area is chosen, it shows as it is.
    void setBrushAreaWashed(bool washed);
    bool isBrushAreaWashed() const { return m_brushWashed; }
    /// The selected rectangle in content pixels (empty: none).
    QRect selection() const { return m_selection; }
    void setSelection(const QRect& contentRect);
    /// When true (the default), the "1" key zooms to actual pixels.
    void setDigitZoom(bool enabled) { m_digitZoom = enabled; }

    /// The zoom actually shown (the fit zoom while fitting), in logical pixels per content pixel.
    double effectiveZoom() const;
    /// Where the content lies in widget coordinates.
    QRectF contentRectInWidget() const;
    QPointF mapToContent(QPointF widgetPos) const;
    QPointF mapFromContent(QPointF contentPos) const;

    QSize sizeHint() const override { return {320, 240}; }

Q_SIGNALS:
    void clicked();
    void regionSelected(const QRect& contentRect);
    /// A brush stroke ended; `strokeArea` is what it covered, in content pixels.
    void brushPainted(const QPainterPath& strokeArea);
    /// A brush stroke made with Shift held ended: `strokeArea` is to be taken out of the painted area.
    void brushErased(const QPainterPath& strokeArea);
    /// [ or ] or Ctrl+wheel asked for another brush size.
    void brushDiameterChanged(double diameter);

protected:
    void paintEvent(QPaintEvent* event) override;
    /// Paints the image into `target` (widget coordinates of the whole content); overridden by
    /// the split view to paint two images.
    virtual void paintContent(QPainter& painter, const QRectF& target);
    void paintImage(QPainter& painter, const QPixmap& pixmap, const QRectF& target) const;
    void paintImage(QPainter& painter, const QImage& image, const QRectF& target) const;
    /// Paints `original` into `target`: the tile rendered for what is visible, or, until it is
    /// ready, the photo stretched.
    void paintOriginal(QPainter& painter, LazyOriginal* original, const QRectF& target);
    /// Repaints whenever `original` has a new tile, instead of what `connection` followed.
    void repaintOnTiles(LazyOriginal* original, QMetaObject::Connection& connection);

    // --- hooks for subclasses ---
    /// Paints over everything else (after the caption); nothing by default.
    virtual void paintForeground(QPainter& painter) { Q_UNUSED(painter); }
    /// A left press at `pos` the subclass takes for a drag of its own (the split view's divider);
    /// true: taken, and moveGrabbed() follows for each move until the release.
    virtual bool grabPress(QPointF pos) { Q_UNUSED(pos); return false; }
    virtual void moveGrabbed(QPointF pos) { Q_UNUSED(pos); }
    /// The mouse moved with no button held (needs mouse tracking).
    virtual void hoverMoved(QPointF pos) { Q_UNUSED(pos); }
    /// Keys that show something while held down (besides space, which pans); holdChanged(true)
    /// on press and (false) on release or when the focus leaves. Auto-repeats are ignored.
    virtual bool isHoldKey(int key) const { Q_UNUSED(key); return false; }
    virtual void holdChanged(bool held) { Q_UNUSED(held); }
    /// The cursor for the current drag or held key.
    void updateCursor();

    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void leaveEvent(QEvent* event) override;

    ViewSync* sync() const { return m_sync; }

private:
    void paintCaption(QPainter& painter) const;
    void paintSelection(QPainter& painter) const;
    /// The brush's outline around the cursor (dashed while Shift makes it erase).
    void paintBrushCursor(QPainter& painter) const;
    QRect brushCursorRect() const;
    /// The cursor moved to `pos` (widget pixels; outside: hidden): repaints where the outline was and goes.
    void moveBrushCursor(QPointF pos, bool inside);
    bool isPainting() const { return m_selectionEnabled && m_tool == SelectionTool::Brush; }
    /// [ (smaller) and ]: true when the key was one of them.
    bool handleBrushSizeKey(int key);
    double fitZoom() const;
    void zoomBy(double factor, QPointF widgetAnchor);
    /// Space and the subclass's hold keys, pressed (`down`) or released; false: not such a key.
    bool handleHoldKey(QKeyEvent* event, bool down);

    /// Paints the visible part of a QPixmap or QImage stretched over `target`.
    template <typename Picture>
    void paintPicture(QPainter& painter, const Picture& picture, const QRectF& target) const;
    bool hasContent() const { return !m_pixmap.isNull() || m_original; }

    ViewSync* m_sync;  // not owned; outlives the views (the window owns both)
    QImage m_image;
    QPixmap m_pixmap;
    LazyOriginal* m_original = nullptr;  // not owned (the candidate set's)
    QMetaObject::Connection m_originalConnection;
    QImage m_overlay;
    QPixmap m_overlayPixmap;
    double m_overlayOpacity = 0.6;
    bool m_overlayVisible = false;
    QSize m_contentSize;
    QString m_caption;
    QString m_placeholder;
    bool m_highlighted = false;
    bool m_digitZoom = true;

    bool m_selectionEnabled = false;
    QRect m_selection;
    SelectionTool m_tool = SelectionTool::Rectangle;
    double m_brushDiameter = 16;
    QPainterPath m_brushArea;
    bool m_brushWashed = true;
    BrushStroke m_stroke;
    bool m_erasing = false;        // the stroke being painted takes away from the area
    QPointF m_cursorPos;           // widget pixels, for the brush outline
    bool m_cursorInside = false;
    bool m_spaceHeld = false;
    enum class Drag { None, Pan, Select, Paint, Grabbed } m_drag = Drag::None;
    QPointF m_dragStart, m_lastPos;
};

}  // namespace refine::ui
