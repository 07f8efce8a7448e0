#include "panels/empty_state.h"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace refine::ui {

EmptyState::EmptyState(QWidget* parent)
    : QWidget(parent), m_icon(new QLabel(this)), m_title(new QLabel(tr("Enlarge a photo"), this)),
      m_hint(new QLabel(this)), m_modelNotice(new QLabel(this)), m_open(new QPushButton(tr("Open Photos…"), this))
{
    const QIcon icon = QApplication::windowIcon();
    if (!icon.isNull())
        m_icon->setPixmap(icon.pixmap(96, 96));
    m_icon->setAlignment(Qt::AlignCenter);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.8);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setAlignment(Qt::AlignCenter);
    m_hint->setText(tr("Drop photos or folders anywhere in this window, paste an image with Ctrl+V,\n"
                       "or open them from your disk. Refine makes several enlarged versions to choose from;\n"
                       "each one, shrunk back, is exactly your photo."));
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_modelNotice->setWordWrap(true);
    m_modelNotice->setAlignment(Qt::AlignCenter);
    m_modelNotice->setTextFormat(Qt::RichText);
    m_modelNotice->setText(tr("<b>No model is installed.</b><br>Refine needs a model to enhance photos. Put a model "
                              "folder (model.json and model.safetensors) into <i>share/refine/models</i> or into a "
                              "folder named by the REFINE_MODELS_DIR environment variable, then restart Refine."));
    m_modelNotice->hide();
    m_open->setDefault(true);
    m_open->setToolTip(tr("Choose photos to enhance (Ctrl+O)"));
    connect(m_open, &QPushButton::clicked, this, &EmptyState::openRequested);

    auto* layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(m_icon);
    layout->addWidget(m_title);
    layout->addSpacing(8);
    layout->addWidget(m_hint);
    layout->addSpacing(16);
    layout->addWidget(m_open, 0, Qt::AlignCenter);
    layout->addSpacing(16);
    layout->addWidget(m_modelNotice);
    layout->addStretch(3);
}

void EmptyState::setModelMissing(bool missing)
{
    m_modelNotice->setVisible(missing);
}

}  // namespace refine::ui
