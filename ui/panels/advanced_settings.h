#pragma once
/// @file advanced_settings.h
/// @brief The settings most people never touch: sampler, steps, seed, precision, tile size,
/// consistency and the uncertainty map.

#include <QWidget>

#include "model/enhance_settings.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace refine::ui {

class AdvancedSettings : public QWidget {
    Q_OBJECT
public:
    explicit AdvancedSettings(QWidget* parent = nullptr);

    /// Reads the advanced fields into `settings` (the others are left alone).
    void read(EnhanceSettings& settings) const;
    void write(const EnhanceSettings& settings);
    /// Half precision only helps (and only works well) on a GPU.
    void setGpuAvailable(bool available);
    /// Offers the samplers of the model's family: SR3's three, or residual shift (and the clean
    /// result alone); a sampler of the other family falls back to the preset's. Soft consistency
    /// needs a residual-shift model's clean result: for SR3 it is offered no more, and falls back
    /// to exact.
    void setResidualShift(bool residualShift);

Q_SIGNALS:
    void changed();

private:
    void connectChanges();
    /// The chosen sampler is of the other family: back to "From preset".
    void dropUnfitSampler();
    /// The chosen consistency cannot run on the model: back to exact.
    void dropUnfitConsistency();

    QComboBox* m_sampler;
    QSpinBox* m_steps;
    QCheckBox* m_fixedSeed;
    QLineEdit* m_seed;
    QComboBox* m_precision;
    QComboBox* m_tile;
    QComboBox* m_consistency;
    QCheckBox* m_uncertainty;
};

}  // namespace refine::ui
