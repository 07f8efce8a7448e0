#include "panels/drop_overlay.h"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>

namespace refine::ui {

DropOverlay::DropOverlay(QWidget* parent) : QWidget(parent)
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
    hide();
    parent->installEventFilter(this);  // follow the parent's size
}

void DropOverlay::showOver(const QString& text)
{
    m_text = text;
    setGeometry(parentWidget()->rect());
    raise();
    show();
    update();
}

bool DropOverlay::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize)
        setGeometry(parentWidget()->rect());
    return QWidget::eventFilter(watched, event);
}

void DropOverlay::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QColor shade = palette().color(QPalette::Highlight);
    shade.setAlpha(70);
    painter.fillRect(rect(), shade);
    const QRectF frame = QRectF(rect()).adjusted(16, 16, -16, -16);
    painter.setPen(QPen(palette().color(QPalette::Highlight), 3, Qt::DashLine));
    painter.drawRoundedRect(frame, 16, 16);

    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    painter.setFont(big);
    const QRect textRect = QFontMetrics(big).boundingRect(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_text);
    QPainterPath plate;
    plate.addRoundedRect(QRectF(textRect).adjusted(-20, -12, 20, 12), 10, 10);
    painter.fillPath(plate, palette().color(QPalette::Window));
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_text);
}

}  // namespace refine::ui
