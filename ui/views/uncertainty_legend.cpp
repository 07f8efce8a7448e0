#include "views/uncertainty_legend.h"

#include <QPainter>
#include <QPainterPath>

#include "model/image_convert.h"

namespace refine::ui {

UncertaintyLegend::UncertaintyLegend(QWidget* parent) : QWidget(parent), m_ramp(heatmapRamp(256))
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setToolTip(tr("Where the candidates differ most: the model is least sure there"));
}

QSize UncertaintyLegend::sizeHint() const
{
    const QFontMetrics metrics(font());
    return {std::max(200, metrics.horizontalAdvance(tr("Uncertainty")) + 40), metrics.height() * 2 + 26};
}

void UncertaintyLegend::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QPainterPath plate;
    plate.addRoundedRect(QRectF(rect()), 6, 6);
    painter.fillPath(plate, QColor(0, 0, 0, 190));

    const QFontMetrics metrics(font());
    const int line = metrics.height();
    painter.setPen(Qt::white);
    painter.drawText(QRect(10, 6, width() - 20, line), Qt::AlignLeft, tr("Uncertainty"));
    const QRect bar(10, 8 + line, width() - 20, 10);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(bar, m_ramp);
    painter.setPen(QColor(255, 255, 255, 120));
    painter.drawRect(bar.adjusted(0, 0, -1, -1));
    painter.setPen(Qt::white);
    const QRect labels(10, bar.bottom() + 3, width() - 20, line);
    painter.drawText(labels, Qt::AlignLeft, tr("agree"));
    painter.drawText(labels, Qt::AlignRight, tr("differ"));
}

}  // namespace refine::ui
