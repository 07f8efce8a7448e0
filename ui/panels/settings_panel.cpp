#include "panels/settings_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "jobs/preset_resolution.h"
#include "panels/advanced_settings.h"
#include "panels/old_photo_switch.h"
#include "refine/engine/engine.h"

namespace refine::ui {

SettingsPanel::SettingsPanel(QWidget* parent)
    : QWidget(parent), m_oldPhoto(new OldPhotoSwitch(this)), m_model(new QComboBox(this)), m_device(new QLabel(this)),
      m_scale(new QComboBox(this)), m_candidates(new QSpinBox(this)), m_preset(new QComboBox(this)),
      m_advancedToggle(new QToolButton(this)), m_advanced(new AdvancedSettings(this)), m_estimate(new QLabel(this))
{
    for (int scale : {2, 4, 8, 16})
        m_scale->addItem(tr("×%1").arg(scale), scale);
    m_scale->setToolTip(tr("How many times larger the result is on each side. ×8 and ×16 refine in several passes."));
    m_candidates->setObjectName(QStringLiteral("candidates"));
    m_candidates->setRange(1, 9);
    m_candidates->setToolTip(tr("How many different results to make. Each is a plausible version of your photo."));
    m_preset->setToolTip(tr("Fast, Balanced or Best: fewer or more refinement steps, from the model's card."));
    m_device->setWordWrap(true);
    m_estimate->setWordWrap(true);
    m_estimate->setToolTip(tr("A rough guess; it learns from each finished job on this computer."));

    m_advancedToggle->setText(tr("Advanced"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    connect(m_advancedToggle, &QToolButton::toggled, this, &SettingsPanel::setAdvancedVisible);
    m_advanced->setVisible(false);

    buildLayout();
    auto emitChanged = [this] {
        updateCandidatesEnabled();
        Q_EMIT changed();
    };
    connect(m_model, &QComboBox::currentIndexChanged, this, [this, emitChanged] {
        fillPresets();
        syncOldPhoto();
        emitChanged();
    });
    connect(m_oldPhoto, &OldPhotoSwitch::toggled, this, &SettingsPanel::applyOldPhoto);
    connect(m_scale, &QComboBox::currentIndexChanged, this, emitChanged);
    connect(m_candidates, &QSpinBox::valueChanged, this, emitChanged);
    connect(m_preset, &QComboBox::currentIndexChanged, this, emitChanged);
    connect(m_advanced, &AdvancedSettings::changed, this, emitChanged);
}

void SettingsPanel::buildLayout()
{
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(m_oldPhoto);
    form->addRow(tr("&Model:"), m_model);
    form->addRow(tr("Device:"), m_device);
    form->addRow(tr("&Scale:"), m_scale);
    form->addRow(tr("&Candidates:"), m_candidates);
    form->addRow(tr("&Quality:"), m_preset);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_advancedToggle, 0, Qt::AlignLeft);
    layout->addWidget(m_advanced);
    layout->addWidget(m_estimate);
    layout->addStretch(1);
}

void SettingsPanel::setModels(const std::vector<ModelInfo>& models, const QString& defaultId)
{
    const QSignalBlocker blocker(m_model);
    m_models = models;
    m_defaultId = defaultId;
    m_restoreId = QString::fromStdString(Engine::restoreModelId());
    m_model->clear();
    for (const ModelInfo& m : m_models) {
        m_model->addItem(QString::fromStdString(m.name.empty() ? m.id : m.name), QString::fromStdString(m.id));
        m_model->setItemData(m_model->count() - 1, describeModel(m), Qt::ToolTipRole);
    }
    if (m_models.empty())
        m_model->addItem(tr("No model installed"), QString());
    m_model->setEnabled(!m_models.empty());
    const int index = m_model->findData(defaultId);
    m_model->setCurrentIndex(index >= 0 ? index : 0);
    m_model->setToolTip(m_models.empty() ? tr("Install a model to enhance photos (see Help > About Refine).")
                                         : m_model->currentData(Qt::ToolTipRole).toString());
    fillPresets();
    m_oldPhoto->setRestoreModel(m_restoreId, m_model->findData(m_restoreId) >= 0);
    syncOldPhoto();
}

void SettingsPanel::syncOldPhoto()
{
    m_oldPhoto->setOn(m_oldPhoto->isRestoreInstalled() && m_model->currentData().toString() == m_restoreId);
}

void SettingsPanel::applyOldPhoto(bool on)
{
    EnhanceSettings s = settings();
    QString model = on ? m_restoreId : m_defaultId;
    if (!on && m_model->findData(model) < 0) {  // no default model: the first other one
        for (const ModelInfo& m : m_models)
            if (QString::fromStdString(m.id) != m_restoreId) {
                model = QString::fromStdString(m.id);
                break;
            }
    }
    s.modelId = model;
    s.consistency = on ? Consistency::Soft : Consistency::Exact;
    setSettings(s);
}

const ModelInfo* SettingsPanel::currentModel() const
{
    const int index = m_model->currentIndex();
    return index >= 0 && index < int(m_models.size()) ? &m_models[size_t(index)] : nullptr;
}

void SettingsPanel::fillPresets()
{
    const QString previous = m_preset->currentData().toString();
    const QSignalBlocker blocker(m_preset);
    m_preset->clear();
    const ModelInfo* model = currentModel();
    if (model) {
        for (const SamplingPreset& p : model->presets)
            m_preset->addItem(QString::fromStdString(p.name), QString::fromStdString(p.name));
        for (int i = 0; model && i < int(model->presets.size()); ++i) {
            const auto& p = model->presets[size_t(i)];
            QString tip = tr("%1 sampler, %2 steps").arg(QString::fromStdString(p.sampler)).arg(p.steps);
            if (model->hasCleanUpscale())
                tip = p.steps == 0 || p.sampler == "clean"
                        ? tr("The clean result only: instant, the most likely version, no candidates")
                        : tr("The clean result, then candidates with %n detail step(s) each", "", p.steps);
            m_preset->setItemData(i, tip, Qt::ToolTipRole);
        }
        m_model->setToolTip(describeModel(*model));
    }
    if (m_preset->count() == 0)
        m_preset->addItem(tr("Default"), QString());
    int index = m_preset->findData(previous);
    if (index < 0 && model)
        index = m_preset->findData(QString::fromStdString(model->defaultPreset));
    m_preset->setCurrentIndex(std::max(0, index));
    m_advanced->setResidualShift(model && model->hasCleanUpscale());
    updateCandidatesEnabled();
}

void SettingsPanel::updateCandidatesEnabled()
{
    const ModelInfo* model = currentModel();
    const bool cleanOnly = model && isCleanOnly(settings().toRequest({}, 0), *model);
    m_candidates->setEnabled(!cleanOnly);
    m_candidates->setToolTip(cleanOnly ? tr("This quality makes the clean result only; choose Balanced or Best for "
                                            "candidates.")
                                       : tr("How many different results to make. Each is a plausible version of "
                                            "your photo."));
}

EnhanceSettings SettingsPanel::settings() const
{
    EnhanceSettings s;
    s.modelId = m_model->currentData().toString();
    s.scale = m_scale->currentData().toInt();
    s.candidates = m_candidates->value();
    s.preset = m_preset->currentData().toString();
    m_advanced->read(s);
    return s;
}

void SettingsPanel::setSettings(const EnhanceSettings& s)
{
    {
        const QSignalBlocker b1(m_model), b2(m_scale), b3(m_candidates);
        const int model = m_model->findData(s.modelId);
        if (model >= 0)
            m_model->setCurrentIndex(model);
        fillPresets();
        m_scale->setCurrentIndex(std::max(0, m_scale->findData(s.scale)));
        m_candidates->setValue(s.candidates);
        const QSignalBlocker b4(m_preset);
        const int preset = m_preset->findData(s.preset);
        if (preset >= 0)
            m_preset->setCurrentIndex(preset);
        m_advanced->write(s);
    }
    syncOldPhoto();
    updateCandidatesEnabled();
    Q_EMIT changed();
}

void SettingsPanel::setDevice(const QString& text, bool gpu)
{
    m_device->setText(text);
    m_advanced->setGpuAvailable(gpu);
}

void SettingsPanel::setEstimate(const QString& text)
{
    m_estimate->setText(text);
}

QString SettingsPanel::estimate() const
{
    return m_estimate->text();
}

bool SettingsPanel::isAdvancedVisible() const
{
    return m_advanced->isVisibleTo(this);
}

void SettingsPanel::setAdvancedVisible(bool visible)
{
    m_advanced->setVisible(visible);
    m_advancedToggle->setArrowType(visible ? Qt::DownArrow : Qt::RightArrow);
    const QSignalBlocker blocker(m_advancedToggle);
    m_advancedToggle->setChecked(visible);
}

QString SettingsPanel::describeModel(const ModelInfo& m)
{
    QStringList lines;
    lines << QString::fromStdString(m.name.empty() ? m.id : m.name) + QStringLiteral(" (") + QString::fromStdString(m.id) + QLatin1Char(')');
    if (!m.description.empty())
        lines << QString::fromStdString(m.description);
    lines << tr("Native scale: ×%1").arg(m.nativeScale);
    if (m.parameters > 0)
        lines << tr("Parameters: %1 million").arg(double(m.parameters) / 1e6, 0, 'f', 1);
    if (!m.architecture.empty())
        lines << tr("Architecture: %1").arg(QString::fromStdString(m.architecture));
    if (!m.training.empty())
        lines << tr("Training: %1").arg(QString::fromStdString(m.training));
    if (!m.quality.empty())
        lines << tr("Quality: %1").arg(QString::fromStdString(m.quality));
    if (!m.license.empty())
        lines << tr("License: %1").arg(QString::fromStdString(m.license));
    return lines.join(QLatin1Char('\n'));
}

}  // namespace refine::ui
