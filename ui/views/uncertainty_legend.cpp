#include "views/uncertainty_legend.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

#include "model/uncertainty_map.h"

namespace refine::ui {

UncertaintyLegend::UncertaintyLegend(QWidget* parent) : QWidget(parent), m_ramp(uncertaintyRamp(256))
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setToolTip(tr("Where the candidates differ most: the model is least sure there.\n"
                  "Where they agree the overlay is clear and the photo shows through."));
}

QSize UncertaintyLegend::sizeHint() const
{
    const QFontMetrics metrics(font());
    return {std::max(200, metrics.horizontalAdvance(tr("Uncertainty")) + 40), metrics.height() * 2 + 28};
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
    const QRect bar(10, 8 + line, width() - 20, 12);
    // A checkerboard under the ramp shows its opacity: clear at "agree", as on the photo.
    const int square = bar.height() / 2;
    for (int x = 0; x * square < bar.width(); ++x)
        for (int y = 0; y < 2; ++y)
            painter.fillRect(QRect(bar.left() + x * square, bar.top() + y * square,
                                   std::min(square, bar.width() - x * square), square),
                             (x + y) % 2 ? QColor(150, 150, 150) : QColor(215, 215, 215));
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
