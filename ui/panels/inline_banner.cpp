#include "panels/inline_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

namespace refine::ui {

InlineBanner::InlineBanner(QWidget* parent)
    : QFrame(parent), m_label(new QLabel(this)), m_actionButton(new QToolButton(this)), m_timer(new QTimer(this))
{
    m_actionButton->hide();
    connect(m_actionButton, &QToolButton::clicked, this, &QWidget::hide);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* close = new QToolButton(this);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setAutoRaise(true);
    close->setToolTip(tr("Close this message"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_actionButton, 0, Qt::AlignTop);
    layout->addWidget(close, 0, Qt::AlignTop);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &QWidget::hide);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void InlineBanner::showMessage(const QString& text, Kind kind, int timeoutMs, QAction* action)
{
    m_label->setText(text);
    if (m_actionButton->defaultAction())
        m_actionButton->removeAction(m_actionButton->defaultAction());
    if (action)
        m_actionButton->setDefaultAction(action);
    m_actionButton->setVisible(action != nullptr);
    // Tinted with the palette's own colours, so it fits light and dark themes alike.
    QPalette p = palette();
    const QColor base = p.color(QPalette::Window);
    const QColor tint = kind == Kind::Warning ? QColor(230, 160, 30) : p.color(QPalette::Highlight);
    QColor mixed;
    mixed.setRgbF(0.8f * base.redF() + 0.2f * tint.redF(), 0.8f * base.greenF() + 0.2f * tint.greenF(),
                  0.8f * base.blueF() + 0.2f * tint.blueF());
    p.setColor(QPalette::Window, mixed);
    setPalette(p);
    show();
    if (timeoutMs > 0)
        m_timer->start(timeoutMs);
    else
        m_timer->stop();
}

QString InlineBanner::text() const
{
    return m_label->text();
}

}  // namespace refine::ui
