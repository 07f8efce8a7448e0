#include "panels/old_photo_switch.h"

#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include "panels/inline_banner.h"

namespace refine::ui {

OldPhotoSwitch::OldPhotoSwitch(QWidget* parent)
    : QWidget(parent), m_toggle(new QCheckBox(tr("&Old photo"), this)), m_hint(new QLabel(this)),
      m_suggestion(new InlineBanner(this)), m_use(new QAction(tr("Use Old photo"), this))
{
    m_toggle->setObjectName(QStringLiteral("oldPhoto"));
    m_hint->setText(tr("For worn prints and old, small JPEGs: removes noise, grain and blocks."));
    m_hint->setWordWrap(true);
    m_hint->setEnabled(false);  // drawn as secondary text
    m_use->setToolTip(tr("The restore model with soft consistency, for this photo and the next ones"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_toggle);
    layout->addWidget(m_hint);
    layout->addWidget(m_suggestion);

    connect(m_toggle, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            m_suggestion->hide();  // answered
        Q_EMIT toggled(on);
    });
    connect(m_use, &QAction::triggered, m_toggle, [this] { m_toggle->setChecked(true); });
    setRestoreModel(QString(), false);
}

void OldPhotoSwitch::setRestoreModel(const QString& modelId, bool installed)
{
    m_modelId = modelId;
    m_installed = installed;
    if (!installed)
        setOn(false);
    m_toggle->setEnabled(installed);
    m_toggle->setToolTip(installed ? tr("Old photo: the restore model (%1) with soft consistency, so the "
                                        "candidates keep what the photo shows without copying its noise and "
                                        "JPEG blocks back. Off: the default model, exactly consistent.")
                                         .arg(modelId)
                                   : tr("The restore model (%1) is not installed, so the Old photo switch is not "
                                        "available. See Help > About Refine for where models go.")
                                         .arg(modelId));
}

bool OldPhotoSwitch::isOn() const
{
    return m_toggle->isChecked();
}

void OldPhotoSwitch::setOn(bool on)
{
    const QSignalBlocker blocker(m_toggle);
    m_toggle->setChecked(on);
    if (on)
        m_suggestion->hide();
}

void OldPhotoSwitch::suggest(const QString& reason)
{
    // Said once per photo: the switch answers it, and a closed suggestion stays closed.
    if (reason.isEmpty() || isOn()) {
        m_suggestion->hide();
        return;
    }
    if (m_installed)
        m_suggestion->showMessage(tr("This photo looks worn: %1. Old photo may give cleaner results.").arg(reason),
                                  InlineBanner::Kind::Info, 0, m_use);
    else
        m_suggestion->showMessage(tr("This photo looks worn: %1. The Old photo model (%2) is not installed.")
                                      .arg(reason, m_modelId),
                                  InlineBanner::Kind::Info, 0);
}

void OldPhotoSwitch::clearSuggestion()
{
    m_suggestion->hide();
}

bool OldPhotoSwitch::isSuggesting() const
{
    return !m_suggestion->isHidden();
}

QString OldPhotoSwitch::suggestionText() const
{
    return isSuggesting() ? m_suggestion->text() : QString();
}

QToolButton* OldPhotoSwitch::useButton() const
{
    return m_suggestion->actionButton();
}

}  // namespace refine::ui
