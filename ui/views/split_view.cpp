#include "views/split_view.h"

#include <QPainter>
#include <QPainterPath>

#include "model/lazy_original.h"

#include <algorithm>
#include <cmath>

namespace refine::ui {
namespace {

constexpr double kGrabDistance = 8;  // pixels either side of the divider that grab it

}  // namespace

SplitView::SplitView(ViewSync* sync, QWidget* parent) : ImageView(sync, parent)
{
    setMouseTracking(true);  // the cursor changes over the divider
    m_beforeLabel = tr("Original");
    m_afterLabel = tr("Candidate");
}

void SplitView::setOriginal(LazyOriginal* original)
{
    if (original == m_before)
        return;
    m_before = original;
    repaintOnTiles(original, m_beforeConnection);
}

void SplitView::setLabels(const QString& before, const QString& after)
{
    m_beforeLabel = before;
    m_afterLabel = after;
    update();
}

void SplitView::setDivider(double fraction)
{
    m_divider = std::clamp(fraction, 0.0, 1.0);
    update();
}

bool SplitView::nearDivider(double x) const
{
    return !m_flick && std::abs(x - dividerX()) <= kGrabDistance;
}

void SplitView::paintContent(QPainter& painter, const QRectF& target)
{
    if (m_flick) {
        paintOriginal(painter, m_before, target);
        return;
    }
    ImageView::paintContent(painter, target);
    painter.save();
    painter.setClipRect(QRectF(0, 0, dividerX(), height()));
    paintOriginal(painter, m_before, target);
    painter.restore();
}

void SplitView::paintForeground(QPainter& painter)
{
    painter.setRenderHint(QPainter::Antialiasing);
    if (!m_flick)
        paintDivider(painter);
    paintLabels(painter);
}

void SplitView::paintDivider(QPainter& painter) const
{
    const double x = dividerX();
    painter.setPen(QPen(QColor(0, 0, 0, 140), 3));
    painter.drawLine(QPointF(x, 0), QPointF(x, height()));
    painter.setPen(QPen(Qt::white, 1.5));
    painter.drawLine(QPointF(x, 0), QPointF(x, height()));
    // A round handle in the middle says "drag me".
    const QPointF c(x, height() / 2.0);
    painter.setBrush(Qt::white);
    painter.setPen(QPen(QColor(0, 0, 0, 160), 1));
    painter.drawEllipse(c, 11, 11);
    painter.setPen(QPen(Qt::black, 1.5));
    painter.drawLine(c + QPointF(-5, 0), c + QPointF(-2, -3));
    painter.drawLine(c + QPointF(-5, 0), c + QPointF(-2, 3));
    painter.drawLine(c + QPointF(5, 0), c + QPointF(2, -3));
    painter.drawLine(c + QPointF(5, 0), c + QPointF(2, 3));
}

void SplitView::paintLabels(QPainter& painter) const
{
    const QFontMetrics metrics(font());
    auto label = [&](const QString& text, bool left) {
        const int w = metrics.horizontalAdvance(text) + 14, h = metrics.height() + 6;
        const QRectF box(left ? 12 : width() - w - 12, height() - h - 12, w, h);
        QPainterPath path;
        path.addRoundedRect(box, 4, 4);
        painter.fillPath(path, QColor(0, 0, 0, 165));
        painter.setPen(Qt::white);
        painter.drawText(box, Qt::AlignCenter, text);
    };
    if (m_flick) {
        label(m_beforeLabel + tr(" (holding O)"), true);
        return;
    }
    if (m_divider > 0.02)
        label(m_beforeLabel, true);
    if (m_divider < 0.98)
        label(m_afterLabel, false);
}

bool SplitView::grabPress(QPointF pos)
{
    return nearDivider(pos.x());
}

void SplitView::moveGrabbed(QPointF pos)
{
    setDivider(pos.x() / std::max(1, width()));
}

void SplitView::hoverMoved(QPointF pos)
{
    if (nearDivider(pos.x()))
        setCursor(Qt::SplitHCursor);
    else
        updateCursor();
}

void SplitView::holdChanged(bool held)
{
    if (held == m_flick)
        return;
    m_flick = held;
    update();
}

}  // namespace refine::ui
