#include "views/image_view.h"

#include <QGuiApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "model/lazy_original.h"
#include "views/view_sync.h"

namespace refine::ui {
namespace {

constexpr double kWheelStep = 1.25;       // one notch
constexpr int kClickSlop = 4;             // pixels a click may move before it is a drag
constexpr double kSmoothBelowZoom = 2.0;  // above this, show pixels as crisp squares
constexpr double kBrushStep = 1.25;       // one [ or ] press, or one wheel notch
constexpr double kMinBrush = 2, kMaxBrush = 512;

}  // namespace

ImageView::ImageView(ViewSync* sync, QWidget* parent) : QWidget(parent), m_sync(sync)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(80, 60);
    if (m_sync)
        connect(m_sync, &ViewSync::changed, this, qOverload<>(&QWidget::update));
}

void ImageView::setImage(const QImage& image)
{
    // The grid refreshes every cell on any change: converting an unchanged 12-megapixel image
    // to a pixmap again would cost more than the change itself.
    if (!image.isNull() && image.cacheKey() == m_image.cacheKey())
        return;
    m_image = image;
    m_pixmap = image.isNull() ? QPixmap() : QPixmap::fromImage(image);
    update();
}

void ImageView::setContentSize(QSize size)
{
    m_contentSize = size;
    update();
}

QSize ImageView::contentSize() const
{
    if (m_contentSize.isValid() && !m_contentSize.isEmpty())
        return m_contentSize;
    return m_original && m_image.isNull() ? m_original->contentSize() : m_image.size();
}

void ImageView::setOriginalSource(LazyOriginal* original)
{
    if (original == m_original)
        return;
    m_original = original;
    repaintOnTiles(original, m_originalConnection);
}

void ImageView::repaintOnTiles(LazyOriginal* original, QMetaObject::Connection& connection)
{
    disconnect(connection);
    connection = original ? connect(original, &LazyOriginal::tileReady, this, qOverload<>(&QWidget::update))
                          : QMetaObject::Connection();
    update();
}

void ImageView::setCaption(const QString& caption)
{
    if (caption == m_caption)
        return;
    m_caption = caption;
    update();
}

void ImageView::setPlaceholder(const QString& text)
{
    m_placeholder = text;
    update();
}

void ImageView::setOverlay(const QImage& overlay, double opacity)
{
    m_overlay = overlay;
    m_overlayPixmap = overlay.isNull() ? QPixmap() : QPixmap::fromImage(overlay);
    m_overlayOpacity = opacity;
    update();
}

void ImageView::setOverlayVisible(bool visible)
{
    m_overlayVisible = visible;
    update();
}

void ImageView::setHighlighted(bool highlighted)
{
    if (highlighted == m_highlighted)
        return;
    m_highlighted = highlighted;
    update();
}

void ImageView::setSelection(const QRect& contentRect)
{
    m_selection = contentRect.normalized().intersected(QRect(QPoint(0, 0), contentSize()));
    update();
}

void ImageView::setRegionSelectionEnabled(bool enabled)
{
    m_selectionEnabled = enabled;
    if (isPainting())
        setMouseTracking(true);  // the brush's outline follows the cursor
    update();
}

void ImageView::setSelectionTool(SelectionTool tool)
{
    m_tool = tool;
    if (isPainting())
        setMouseTracking(true);
    update();
}

void ImageView::setBrushDiameter(double diameter)
{
    if (m_cursorInside)
        update(brushCursorRect());  // the old outline
    m_brushDiameter = std::clamp(diameter, kMinBrush, kMaxBrush);
    if (m_cursorInside)
        update(brushCursorRect());
}

void ImageView::setBrushArea(const QPainterPath& area)
{
    m_brushArea = area;
    update();
}

void ImageView::setBrushAreaWashed(bool washed)
{
    if (washed == m_brushWashed)
        return;
    m_brushWashed = washed;
    update();
}

double ImageView::fitZoom() const
{
    const QSize content = contentSize();
    if (content.isEmpty())
        return 1;
    return std::min(double(width()) / content.width(), double(height()) / content.height());
}

double ImageView::effectiveZoom() const
{
    return !m_sync || m_sync->isFit() ? fitZoom() : m_sync->zoom();
}

QRectF ImageView::contentRectInWidget() const
{
    const QSizeF content = contentSize();
    const double zoom = effectiveZoom();
    const QPointF center = m_sync && !m_sync->isFit() ? m_sync->center() : QPointF(0.5, 0.5);
    const QSizeF shown = content * zoom;
    const QPointF widgetCenter(width() / 2.0, height() / 2.0);
    const QPointF topLeft = widgetCenter - QPointF(center.x() * shown.width(), center.y() * shown.height());
    return {topLeft, shown};
}

QPointF ImageView::mapToContent(QPointF widgetPos) const
{
    const QRectF r = contentRectInWidget();
    const double zoom = effectiveZoom();
    return (widgetPos - r.topLeft()) / zoom;
}

QPointF ImageView::mapFromContent(QPointF contentPos) const
{
    return contentRectInWidget().topLeft() + contentPos * effectiveZoom();
}

void ImageView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Window).darker(125));
    if (!hasContent()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    } else {
        paintContent(painter, contentRectInWidget());
        if (m_overlayVisible && !m_overlayPixmap.isNull()) {
            painter.setOpacity(m_overlayOpacity);
            paintImage(painter, m_overlayPixmap, contentRectInWidget());
            painter.setOpacity(1.0);
        }
    }
    paintSelection(painter);
    if (hasContent())
        paintBrushCursor(painter);
    paintCaption(painter);
    if (m_highlighted) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(rect()).adjusted(1.5, 1.5, -1.5, -1.5));
    }
    if (hasContent())
        paintForeground(painter);
}

void ImageView::paintContent(QPainter& painter, const QRectF& target)
{
    if (m_original)
        paintOriginal(painter, m_original, target);
    else
        paintImage(painter, m_pixmap, target);
}

template <typename Picture>
void ImageView::paintPicture(QPainter& painter, const Picture& picture, const QRectF& target) const
{
    // Only the visible part is scaled: a zoomed-in 50 MP image stays fast.
    const QRectF visible = target.intersected(QRectF(rect()));
    if (picture.isNull() || visible.isEmpty())
        return;
    const double sx = picture.width() / target.width(), sy = picture.height() / target.height();
    const QRectF source((visible.left() - target.left()) * sx, (visible.top() - target.top()) * sy,
                        visible.width() * sx, visible.height() * sy);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, effectiveZoom() * devicePixelRatioF() < kSmoothBelowZoom);
    if constexpr (std::is_same_v<Picture, QPixmap>)
        painter.drawPixmap(visible, picture, source);
    else
        painter.drawImage(visible, picture, source);
}

void ImageView::paintImage(QPainter& painter, const QPixmap& pixmap, const QRectF& target) const
{
    paintPicture(painter, pixmap, target);
}

void ImageView::paintImage(QPainter& painter, const QImage& image, const QRectF& target) const
{
    paintPicture(painter, image, target);
}

void ImageView::paintOriginal(QPainter& painter, LazyOriginal* original, const QRectF& target)
{
    const QRectF visible = target.intersected(QRectF(rect()));
    if (!original || original->isEmpty() || visible.isEmpty())
        return;
    // What is on screen, at the resolution it is shown (never more than one pixel per output pixel).
    const double zoom = effectiveZoom();
    const QRectF shown(mapToContent(visible.topLeft()), mapToContent(visible.bottomRight()));
    const OriginalTile tile = original->tile(shown, zoom * devicePixelRatioF());
    if (tile.isNull()) {
        paintImage(painter, original->overview(), target);  // until the tile is rendered
        return;
    }
    paintImage(painter, tile.image, QRectF(mapFromContent(QPointF(tile.content.topLeft())), QSizeF(tile.content.size()) * zoom));
}

void ImageView::paintCaption(QPainter& painter) const
{
    if (m_caption.isEmpty())
        return;
    const QFontMetrics metrics(font());
    const QRect text = metrics.boundingRect(QRect(0, 0, width() - 24, height()), Qt::AlignLeft | Qt::TextWordWrap,
                                            m_caption);
    const QRectF box = QRectF(text).translated(12, 10).adjusted(-6, -3, 6, 3);
    painter.setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addRoundedRect(box, 4, 4);
    // Dark translucent plate: white text stays readable over any photo, light or dark theme.
    painter.fillPath(path, QColor(0, 0, 0, 165));
    painter.setPen(Qt::white);
    painter.drawText(box.adjusted(6, 3, -6, -3), Qt::AlignLeft | Qt::TextWordWrap, m_caption);
}

void ImageView::paintSelection(QPainter& painter) const
{
    const QRectF content = contentRectInWidget();
    const QTransform toWidget = QTransform::fromTranslate(content.left(), content.top())
                                    .scale(effectiveZoom(), effectiveZoom());
    QPainterPath area = m_brushArea;
    if (m_stroke.isActive())
        area = m_erasing ? area.subtracted(m_stroke.area()) : area.united(m_stroke.area());
    paintBrushArea(painter, area, toWidget, m_brushWashed || m_stroke.isActive());
    if (m_selection.isEmpty())
        return;
    const QRectF r(mapFromContent(m_selection.topLeft()), mapFromContent(m_selection.bottomRight() + QPoint(1, 1)));
    painter.setBrush(QColor(255, 255, 255, 40));
    painter.setPen(QPen(Qt::black, 1));
    painter.drawRect(r);
    painter.setPen(QPen(Qt::white, 1, Qt::DashLine));
    painter.drawRect(r);
}

void ImageView::paintBrushCursor(QPainter& painter) const
{
    if (!isPainting() || !m_cursorInside || m_drag == Drag::Pan || m_spaceHeld)
        return;
    const double radius = m_brushDiameter * effectiveZoom() / 2;
    const bool erasing = m_drag == Drag::Paint ? m_erasing
                                               : bool(QGuiApplication::keyboardModifiers() & Qt::ShiftModifier);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(Qt::NoBrush);
    // A white ring on a dark one: visible over light and dark photos.
    painter.setPen(QPen(QColor(0, 0, 0, 150), 3));
    painter.drawEllipse(m_cursorPos, radius, radius);
    painter.setPen(QPen(Qt::white, 1, erasing ? Qt::DashLine : Qt::SolidLine));
    painter.drawEllipse(m_cursorPos, radius, radius);
    painter.restore();
}

QRect ImageView::brushCursorRect() const
{
    const double reach = m_brushDiameter * effectiveZoom() / 2 + 3;  // the ring and its pen
    return QRectF(m_cursorPos - QPointF(reach, reach), QSizeF(2 * reach, 2 * reach)).toAlignedRect();
}

void ImageView::moveBrushCursor(QPointF pos, bool inside)
{
    if (m_cursorInside)
        update(brushCursorRect());
    m_cursorPos = pos;
    m_cursorInside = inside;
    if (m_cursorInside)
        update(brushCursorRect());
}

void ImageView::zoomBy(double factor, QPointF widgetAnchor)
{
    if (!m_sync || contentSize().isEmpty())
        return;
    const QPointF anchor = mapToContent(widgetAnchor);
    const QSizeF content = contentSize();
    const QPointF normalised(anchor.x() / content.width(), anchor.y() / content.height());
    const QPointF offset = widgetAnchor - QPointF(width() / 2.0, height() / 2.0);
    m_sync->zoomAbout(effectiveZoom(), factor, normalised, offset, content);
}

void ImageView::wheelEvent(QWheelEvent* event)
{
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0) {
        event->ignore();
        return;
    }
    if (isPainting() && event->modifiers() & Qt::ControlModifier) {
        setBrushDiameter(m_brushDiameter * std::pow(kBrushStep, notches));
        Q_EMIT brushDiameterChanged(m_brushDiameter);
        event->accept();
        return;
    }
    zoomBy(std::pow(kWheelStep, notches), event->position());
    event->accept();
}

void ImageView::mousePressEvent(QMouseEvent* event)
{
    setFocus(Qt::MouseFocusReason);
    m_dragStart = m_lastPos = event->position();
    if (event->button() == Qt::LeftButton && grabPress(event->position())) {
        m_drag = Drag::Grabbed;
        event->accept();
        return;
    }
    const bool pan = event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld);
    if (pan)
        m_drag = Drag::Pan;
    else if (event->button() == Qt::LeftButton && isPainting()) {
        m_drag = Drag::Paint;
        m_erasing = bool(event->modifiers() & Qt::ShiftModifier);
        m_stroke.begin(mapToContent(event->position()), m_brushDiameter);
        update();
    } else if (event->button() == Qt::LeftButton)
        m_drag = m_selectionEnabled ? Drag::Select : Drag::None;
    updateCursor();
    event->accept();
}

void ImageView::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF pos = event->position();
    if (isPainting())
        moveBrushCursor(pos, true);
    if (m_drag == Drag::Grabbed) {
        moveGrabbed(pos);
    } else if (!(event->buttons() & (Qt::LeftButton | Qt::MiddleButton))) {
        hoverMoved(pos);
    } else if (m_drag == Drag::Pan && m_sync) {
        m_sync->pan(pos - m_lastPos, contentSize(), effectiveZoom());
    } else if (m_drag == Drag::Paint) {
        m_stroke.extendTo(mapToContent(pos));
        update();
    } else if (m_drag == Drag::Select && (pos - m_dragStart).manhattanLength() > kClickSlop) {
        setSelection(QRectF(mapToContent(m_dragStart), mapToContent(pos)).toAlignedRect());
    }
    m_lastPos = pos;
}

void ImageView::mouseReleaseEvent(QMouseEvent* event)
{
    const bool click = (event->position() - m_dragStart).manhattanLength() <= kClickSlop;
    const Drag drag = m_drag;
    m_drag = Drag::None;
    updateCursor();
    if (event->button() != Qt::LeftButton || drag == Drag::Pan || drag == Drag::Grabbed)
        return;
    if (drag == Drag::Paint) {
        const QPainterPath area = m_stroke.area();
        m_stroke.clear();
        update();
        // A click paints (or erases) a dot: it is not a "clicked".
        if (m_erasing)
            Q_EMIT brushErased(area);
        else
            Q_EMIT brushPainted(area);
        return;
    }
    if (click) {
        Q_EMIT clicked();
    } else if (drag == Drag::Select && !m_selection.isEmpty()) {
        Q_EMIT regionSelected(m_selection);
    }
}

bool ImageView::handleHoldKey(QKeyEvent* event, bool down)
{
    const int key = event->key();
    if (key != Qt::Key_Space && !isHoldKey(key))
        return false;
    if (!event->isAutoRepeat()) {
        if (key == Qt::Key_Space) {
            m_spaceHeld = down;
            updateCursor();
        } else {
            holdChanged(down);
        }
    }
    event->accept();
    return true;
}

void ImageView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Shift && m_cursorInside)
        update(brushCursorRect());  // the outline turns dashed: the brush erases
    if (handleHoldKey(event, true) || handleBrushSizeKey(event->key()))
        return;
    if (event->key() == Qt::Key_0 && event->modifiers() & Qt::ControlModifier && m_sync) {
        m_sync->fit();
    } else if (event->key() == Qt::Key_1 && m_digitZoom && !(event->modifiers() & Qt::ControlModifier) && m_sync) {
        m_sync->setZoom(1.0 / devicePixelRatioF());
    } else if ((event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal) && m_sync) {
        zoomBy(kWheelStep, rect().center());
    } else if (event->key() == Qt::Key_Minus && m_sync) {
        zoomBy(1 / kWheelStep, rect().center());
    } else {
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

bool ImageView::handleBrushSizeKey(int key)
{
    if (!isPainting() || (key != Qt::Key_BracketLeft && key != Qt::Key_BracketRight))
        return false;
    setBrushDiameter(key == Qt::Key_BracketRight ? m_brushDiameter * kBrushStep : m_brushDiameter / kBrushStep);
    Q_EMIT brushDiameterChanged(m_brushDiameter);
    return true;
}

void ImageView::keyReleaseEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Shift && m_cursorInside)
        update(brushCursorRect());
    if (!handleHoldKey(event, false))
        QWidget::keyReleaseEvent(event);
}

void ImageView::focusOutEvent(QFocusEvent* event)
{
    // The releases go to another widget: never stay stuck panning or flicked.
    m_spaceHeld = false;
    holdChanged(false);
    updateCursor();
    QWidget::focusOutEvent(event);
}

void ImageView::leaveEvent(QEvent* event)
{
    moveBrushCursor(m_cursorPos, false);
    QWidget::leaveEvent(event);
}

void ImageView::updateCursor()
{
    if (m_drag == Drag::Pan)
        setCursor(Qt::ClosedHandCursor);
    else if (m_spaceHeld)
        setCursor(Qt::OpenHandCursor);
    else if (m_selectionEnabled)
        setCursor(Qt::CrossCursor);
    else
        unsetCursor();
}

}  // namespace refine::ui
