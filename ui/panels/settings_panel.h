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
class OldPhotoSwitch;

class SettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPanel(QWidget* parent = nullptr);

    /// The installed models; `defaultId` is chosen when nothing else is, and when the Old photo
    /// switch is turned off. The switch is available when Engine::restoreModelId() is installed.
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

    /// On: the restore model with soft consistency; off: the default model, exactly consistent.
    /// It shows on whenever the restore model is the chosen one.
    OldPhotoSwitch* oldPhotoSwitch() const { return m_oldPhoto; }

    /// A plain-text description of a model card, for tooltips and the About box.
    static QString describeModel(const ModelInfo& model);

Q_SIGNALS:
    void changed();

private:
    void buildLayout();
    void fillPresets();
    /// A clean-only preset (residual-shift Fast) makes no candidates: their number does not apply.
    void updateCandidatesEnabled();
    /// The Old photo switch was turned on or off: its model and consistency.
    void applyOldPhoto(bool on);
    /// The switch shows whether the restore model is the chosen one.
    void syncOldPhoto();

    std::vector<ModelInfo> m_models;
    QString m_defaultId, m_restoreId;
    OldPhotoSwitch* m_oldPhoto;
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
