#include "panels/advanced_settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QStandardItemModel>

namespace refine::ui {
namespace {

void selectData(QComboBox* combo, const QVariant& value)
{
    const int index = combo->findData(value);
    combo->setCurrentIndex(index >= 0 ? index : 0);
}

bool isResidualShiftSampler(const QString& sampler)
{
    return sampler == QLatin1String("resshift") || sampler == QLatin1String("clean");
}

}  // namespace

AdvancedSettings::AdvancedSettings(QWidget* parent)
    : QWidget(parent), m_sampler(new QComboBox(this)), m_steps(new QSpinBox(this)),
      m_fixedSeed(new QCheckBox(tr("Fixed"), this)), m_seed(new QLineEdit(this)), m_precision(new QComboBox(this)),
      m_tile(new QComboBox(this)), m_consistency(new QComboBox(this)),
      m_uncertainty(new QCheckBox(tr("Compute uncertainty map"), this))
{
    m_sampler->addItem(tr("From preset"), QString());
    m_sampler->addItem(tr("DDPM (SR3, slow)"), QStringLiteral("ddpm"));
    m_sampler->addItem(tr("DDIM"), QStringLiteral("ddim"));
    m_sampler->addItem(tr("DPM-Solver++ (2M)"), QStringLiteral("dpmpp2m"));
    m_sampler->addItem(tr("Residual shift"), QStringLiteral("resshift"));
    m_sampler->addItem(tr("Clean result only"), QStringLiteral("clean"));
    m_sampler->setToolTip(tr("How the picture is refined step by step. DPM-Solver++ needs the fewest steps."));

    m_steps->setRange(0, 2000);
    m_steps->setSpecialValueText(tr("From preset"));
    m_steps->setToolTip(tr("Refinement steps: more are slower and usually a little cleaner."));

    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{1,19}")), m_seed));
    m_seed->setToolTip(tr("The same seed, settings and device give the same pixels. "
                          "Without a fixed seed every run draws a new one (it is saved in the files)."));
    auto* seedRow = new QHBoxLayout;
    seedRow->setContentsMargins(0, 0, 0, 0);
    seedRow->addWidget(m_fixedSeed);
    seedRow->addWidget(m_seed, 1);

    m_precision->addItem(tr("Full (fp32)"), QStringLiteral("fp32"));
    m_precision->addItem(tr("Half (fp16, GPU)"), QStringLiteral("fp16"));
    m_precision->addItem(tr("bfloat16 (GPU)"), QStringLiteral("bf16"));
    m_precision->setToolTip(tr("Half precision is faster on a GPU and uses less memory."));

    m_tile->addItem(tr("Automatic"), 0);
    for (int side : {128, 256, 512, 1024})
        m_tile->addItem(tr("%1 px").arg(side), side);
    m_tile->setToolTip(tr("Large photos are refined in overlapping tiles. Smaller tiles need less memory."));

    m_consistency->setObjectName(QStringLiteral("consistency"));
    m_consistency->addItem(tr("Exact"), QString::fromLatin1(consistencyName(Consistency::Exact)));
    m_consistency->addItem(tr("Soft (old photos)"), QString::fromLatin1(consistencyName(Consistency::Soft)));
    m_consistency->addItem(tr("Off (experiments)"), QString::fromLatin1(consistencyName(Consistency::Off)));
    m_consistency->setItemData(0, tr("Every candidate, shrunk back, equals your photo: detail is added, nothing "
                                     "that was there is changed. Right for clean photos."),
                               Qt::ToolTipRole);
    m_consistency->setItemData(1, tr("Every candidate, shrunk back, equals the model's clean result shrunk: what "
                                     "the photo shows is kept, its noise and JPEG blocks are not copied back. "
                                     "Residual-shift models only; the Old photo switch chooses it."),
                               Qt::ToolTipRole);
    m_consistency->setItemData(2, tr("The network's output as it is, with no projection onto the photo."),
                               Qt::ToolTipRole);
    m_consistency->setToolTip(tr("What every result keeps of your photo when shrunk back to its size."));
    m_uncertainty->setToolTip(tr("Where the candidates disagree, shown as a heat map (needs 2 or more candidates)."));

    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Sampler:"), m_sampler);
    form->addRow(tr("Steps:"), m_steps);
    form->addRow(tr("Seed:"), seedRow);
    form->addRow(tr("Precision:"), m_precision);
    form->addRow(tr("Tile size:"), m_tile);
    form->addRow(tr("Consistency:"), m_consistency);
    form->addRow(m_uncertainty);
    connectChanges();
}

void AdvancedSettings::connectChanges()
{
    auto emitChanged = [this] { Q_EMIT changed(); };
    connect(m_sampler, &QComboBox::currentIndexChanged, this, emitChanged);
    connect(m_steps, &QSpinBox::valueChanged, this, emitChanged);
    connect(m_fixedSeed, &QCheckBox::toggled, this, [this, emitChanged](bool on) {
        m_seed->setEnabled(on);
        emitChanged();
    });
    connect(m_seed, &QLineEdit::textEdited, this, emitChanged);
    connect(m_precision, &QComboBox::currentIndexChanged, this, emitChanged);
    connect(m_tile, &QComboBox::currentIndexChanged, this, emitChanged);
    connect(m_consistency, &QComboBox::currentIndexChanged, this, emitChanged);
    connect(m_uncertainty, &QCheckBox::toggled, this, emitChanged);
}

void AdvancedSettings::read(EnhanceSettings& s) const
{
    s.sampler = m_sampler->currentData().toString();
    s.steps = m_steps->value();
    s.fixedSeed = m_fixedSeed->isChecked();
    s.seed = m_seed->text().toULongLong();
    s.precision = m_precision->currentData().toString();
    s.tileSize = m_tile->currentData().toInt();
    parseConsistency(m_consistency->currentData().toString().toStdString(), &s.consistency);
    s.uncertaintyMap = m_uncertainty->isChecked();
}

void AdvancedSettings::write(const EnhanceSettings& s)
{
    const QSignalBlocker blockers[] = {QSignalBlocker(m_sampler), QSignalBlocker(m_steps), QSignalBlocker(m_fixedSeed),
                                       QSignalBlocker(m_seed),    QSignalBlocker(m_precision), QSignalBlocker(m_tile),
                                       QSignalBlocker(m_consistency), QSignalBlocker(m_uncertainty)};
    selectData(m_sampler, s.sampler);
    dropUnfitSampler();
    m_steps->setValue(s.steps);
    m_fixedSeed->setChecked(s.fixedSeed);
    m_seed->setText(QString::number(s.seed));
    m_seed->setEnabled(s.fixedSeed);
    selectData(m_precision, s.precision);
    selectData(m_tile, s.tileSize);
    selectData(m_consistency, QString::fromLatin1(consistencyName(s.consistency)));
    dropUnfitConsistency();
    m_uncertainty->setChecked(s.uncertaintyMap);
}

void AdvancedSettings::setResidualShift(bool residualShift)
{
    auto* model = qobject_cast<QStandardItemModel*>(m_sampler->model());
    for (int row = 1; model && row < model->rowCount(); ++row)
        model->item(row)->setEnabled(isResidualShiftSampler(m_sampler->itemData(row).toString()) == residualShift);
    dropUnfitSampler();
    if (auto* modes = qobject_cast<QStandardItemModel*>(m_consistency->model()))
        modes->item(m_consistency->findData(QString::fromLatin1(consistencyName(Consistency::Soft))))
            ->setEnabled(residualShift);
    dropUnfitConsistency();
}

void AdvancedSettings::dropUnfitConsistency()
{
    const auto* model = qobject_cast<QStandardItemModel*>(m_consistency->model());
    const int row = m_consistency->currentIndex();
    if (model && row >= 0 && !model->item(row)->isEnabled())
        m_consistency->setCurrentIndex(0);
}

void AdvancedSettings::dropUnfitSampler()
{
    const auto* model = qobject_cast<QStandardItemModel*>(m_sampler->model());
    const int row = m_sampler->currentIndex();
    if (model && row > 0 && !model->item(row)->isEnabled())
        m_sampler->setCurrentIndex(0);
}

void AdvancedSettings::setGpuAvailable(bool available)
{
    auto* model = qobject_cast<QStandardItemModel*>(m_precision->model());
    for (int row = 1; model && row < model->rowCount(); ++row)
        model->item(row)->setEnabled(available);
    if (!available)
        m_precision->setCurrentIndex(0);
}

}  // namespace refine::ui
