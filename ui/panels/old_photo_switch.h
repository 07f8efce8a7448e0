#pragma once
/// @file old_photo_switch.h
/// @brief The "Old photo" switch of the settings panel: the restore model (trained on blur, noise,
/// film grain and JPEG) with soft consistency, for worn prints and old small JPEGs. Below it, when
/// the open photo looks degraded, a suggestion line says why ("JPEG quality about 52 and visible
/// noise (sigma 6/255)") with a "Use Old photo" button: the switch is never turned on silently.
/// Without the restore model installed the switch is disabled and its tooltip says so.

#include <QWidget>

class QAction;
class QCheckBox;
class QLabel;
class QToolButton;

namespace refine::ui {

class InlineBanner;

class OldPhotoSwitch : public QWidget {
    Q_OBJECT
public:
    explicit OldPhotoSwitch(QWidget* parent = nullptr);

    /// Whether the restore model `modelId` is installed; without it the switch is off and
    /// disabled, and a suggestion says the model is missing instead of offering it.
    void setRestoreModel(const QString& modelId, bool installed);
    bool isRestoreInstalled() const { return m_installed; }

    bool isOn() const;
    /// Shows `on` without emitting toggled (the model was chosen elsewhere, or settings loaded).
    void setOn(bool on);

    /// The open photo looks degraded for `reason` (plain words): the suggestion line shows it
    /// until the switch is turned on or the line is closed; nothing when the switch is on already
    /// or `reason` is empty (the photo looks fine).
    void suggest(const QString& reason);
    void clearSuggestion();
    bool isSuggesting() const;
    QString suggestionText() const;

    QCheckBox* toggle() const { return m_toggle; }
    /// The suggestion's "Use Old photo" button.
    QToolButton* useButton() const;

Q_SIGNALS:
    /// The person turned the switch on or off (the box, or the suggestion's button).
    void toggled(bool on);

private:
    QCheckBox* m_toggle;
    QLabel* m_hint;
    InlineBanner* m_suggestion;
    QAction* m_use;
    QString m_modelId;
    bool m_installed = false;
};

}  // namespace refine::ui
