#pragma once
/// @file settings_panel.h
/// @brief What to do with the photo: model, scale, number of candidates, quality preset, the
/// Advanced section, the device it runs on and how long it should take.

#include <QWidget>

#include <vector>

#include "model/enhance_settings.h"
#include "refine/engine/model_info.h"

class QComboBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace refine::ui {

class AdvancedSettings;

class SettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPanel(QWidget* parent = nullptr);

    void setModels(const std::vector<ModelInfo>& models, const QString& defaultId);
    /// The model chosen in the picker, or nullptr when none is installed.
    const ModelInfo* currentModel() const;
    bool hasModels() const { return !m_models.empty(); }

    EnhanceSettings settings() const;
    void setSettings(const EnhanceSettings& settings);

    /// "GPU (CUDA)" or "CPU — slow"; a GPU also enables half precision.
    void setDevice(const QString& text, bool gpu);
    void setEstimate(const QString& text);
    QString estimate() const;
    bool isAdvancedVisible() const;
    void setAdvancedVisible(bool visible);

    /// A plain-text description of a model card, for tooltips and the About box.
    static QString describeModel(const ModelInfo& model);

Q_SIGNALS:
    void changed();

private:
    void buildLayout();
    void fillPresets();
    /// A clean-only preset (residual-shift Fast) makes no candidates: their number does not apply.
    void updateCandidatesEnabled();

    std::vector<ModelInfo> m_models;
    QComboBox* m_model;
    QLabel* m_device;
    QComboBox* m_scale;
    QSpinBox* m_candidates;
    QComboBox* m_preset;
    QToolButton* m_advancedToggle;
    AdvancedSettings* m_advanced;
    QLabel* m_estimate;
};

}  // namespace refine::ui
