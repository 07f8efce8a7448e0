#include "views/detail_control.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSlider>
#include <QToolButton>

#include <cmath>

#include "refine/engine/detail.h"

namespace refine::ui {
namespace {

int toTicks(double detail) { return int(std::lround(detail * DetailControl::kTicksPerUnit)); }

}  // namespace

DetailControl::DetailControl(QWidget* parent)
    : QWidget(parent), m_label(new QLabel(this)), m_slider(new QSlider(Qt::Horizontal, this)),
      m_reset(new QToolButton(this))
{
    setToolTip(tr("Detail: how much of this candidate's generated detail to show.\n"
                  "0 = the clean (most likely) result, 1 = as sampled, 2 = twice the sampled detail.\n"
                  "Every setting stays consistent with your photo. Double-click to reset to 1."));
    m_slider->setRange(toTicks(kMinDetail), toTicks(kMaxDetail));
    m_slider->setValue(toTicks(1.0));
    m_slider->setSingleStep(5);
    m_slider->setPageStep(25);
    m_slider->setTickPosition(QSlider::TicksBelow);
    m_slider->setTickInterval(kTicksPerUnit);  // marks at 0, 1 (as sampled) and 2
    m_slider->setToolTip(toolTip());
    m_slider->setAccessibleName(tr("Detail"));
    m_slider->installEventFilter(this);
    m_label->installEventFilter(this);
    m_label->setToolTip(toolTip());
    // The widest text, so the slider does not shift while the value changes.
    m_label->setMinimumWidth(m_label->fontMetrics().horizontalAdvance(tr("Detail %1").arg(2.0, 0, 'f', 2)) + 2);
    QPalette light = m_label->palette();
    light.setColor(QPalette::WindowText, Qt::white);  // on the dark plate, like the captions
    m_label->setPalette(light);
    m_reset->setText(tr("Reset"));
    m_reset->setAutoRaise(true);
    m_reset->setPalette(light);
    m_reset->setToolTip(tr("Back to Detail 1: the candidate as sampled"));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 4, 2);
    layout->setSpacing(6);
    layout->addWidget(m_label);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_reset);

    connect(m_slider, &QSlider::valueChanged, this, &DetailControl::onSliderMoved);
    connect(m_slider, &QSlider::sliderReleased, this, [this] { Q_EMIT chosen(value()); });
    connect(m_reset, &QToolButton::clicked, this, &DetailControl::reset);
    updateText();
}

double DetailControl::value() const
{
    return double(m_slider->value()) / kTicksPerUnit;
}

void DetailControl::setValue(double detail)
{
    const QSignalBlocker blocker(m_slider);
    m_slider->setValue(toTicks(detail));
    updateText();
}

QString DetailControl::text() const
{
    return m_label->text();
}

void DetailControl::reset()
{
    m_slider->setValue(toTicks(1.0));  // chosen() follows, unless it already was 1
}

void DetailControl::onSliderMoved(int)
{
    updateText();
    if (m_slider->isSliderDown())
        Q_EMIT dragged(value());
    else
        Q_EMIT chosen(value());
}

void DetailControl::updateText()
{
    m_label->setText(tr("Detail %1").arg(value(), 0, 'f', 2));
    m_reset->setEnabled(m_slider->value() != toTicks(1.0));
}

bool DetailControl::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::MouseButtonDblClick && (watched == m_slider || watched == m_label)) {
        reset();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void DetailControl::paintEvent(QPaintEvent*)
{
    // The captions' dark translucent plate: readable over any photo, light or dark theme.
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QPainterPath plate;
    plate.addRoundedRect(QRectF(rect()), 4, 4);
    painter.fillPath(plate, QColor(0, 0, 0, 165));
}

void DetailControl::mousePressEvent(QMouseEvent* event)
{
    event->accept();  // a press on the plate is not a click, pan or selection on the image below
}

}  // namespace refine::ui
