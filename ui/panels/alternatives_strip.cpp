#include "panels/alternatives_strip.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace refine::ui {
namespace {

constexpr int kThumbSide = 72;

}  // namespace

AlternativesStrip::AlternativesStrip(QWidget* parent)
    : QWidget(parent), m_title(new QLabel(this)), m_buttons(new QHBoxLayout), m_group(new QButtonGroup(this))
{
    m_group->setExclusive(true);
    auto* more = new QPushButton(tr("More Alternatives"), this);
    more->setToolTip(tr("Re-sample the region again with new seeds"));
    auto* done = new QPushButton(tr("Done"), this);
    done->setToolTip(tr("Close this strip; the chosen alternative stays (Edit > Undo takes it back)"));
    auto* side = new QVBoxLayout;
    side->addWidget(more);
    side->addWidget(done);
    side->addStretch(1);

    auto* row = new QHBoxLayout;
    row->addLayout(m_buttons);
    row->addStretch(1);
    row->addLayout(side);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(m_title);
    layout->addLayout(row);

    connect(m_group, &QButtonGroup::idClicked, this, [this](int id) {
        m_chosen = id;
        Q_EMIT alternativeChosen(id);
    });
    connect(more, &QPushButton::clicked, this, &AlternativesStrip::moreRequested);
    connect(done, &QPushButton::clicked, this, &AlternativesStrip::closeRequested);
    hide();
}

void AlternativesStrip::setAlternatives(const QImage& current, const QVector<QImage>& thumbnails, const QString& title)
{
    m_current = current;
    m_thumbnails = thumbnails;
    m_chosen = -1;
    m_title->setText(title);
    rebuildButtons();
}

void AlternativesStrip::setChosen(int index)
{
    m_chosen = index;
    if (QAbstractButton* button = m_group->button(index))
        button->setChecked(true);
}

void AlternativesStrip::rebuildButtons()
{
    for (QAbstractButton* button : m_group->buttons()) {
        m_group->removeButton(button);
        delete button;
    }
    auto addButton = [this](const QString& text, const QImage& thumb, int id) {
        auto* button = new QToolButton(this);
        button->setText(text);
        button->setCheckable(true);
        button->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
        button->setIconSize(QSize(kThumbSide, kThumbSide));
        if (!thumb.isNull())
            button->setIcon(QIcon(QPixmap::fromImage(
                thumb.scaled(kThumbSide, kThumbSide, Qt::KeepAspectRatio, Qt::SmoothTransformation))));
        m_group->addButton(button, id);
        m_buttons->addWidget(button);
        return button;
    };
    addButton(tr("As it was"), m_current, -1)->setChecked(true);
    for (int i = 0; i < m_thumbnails.size(); ++i)
        addButton(tr("Alternative %1").arg(i + 1), m_thumbnails[i], i)
            ->setToolTip(tr("Use this version of the region (Edit > Undo takes it back)"));
}

}  // namespace refine::ui
