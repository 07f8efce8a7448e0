#pragma once
/// @file inline_banner.h
/// @brief A non-modal message strip at the top of the window (e.g. "2 files were not added"),
/// closed with its button or after a while; it never interrupts the work.

#include <QFrame>

class QAction;
class QLabel;
class QTimer;
class QToolButton;

namespace refine::ui {

class InlineBanner : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Info, Warning };
    explicit InlineBanner(QWidget* parent = nullptr);

    /// Shows `text`; hides itself after `timeoutMs` (0: stays until closed). `action`, when
    /// given, is offered as a button beside the text (e.g. "Keep the previews"); using it
    /// closes the message.
    void showMessage(const QString& text, Kind kind = Kind::Info, int timeoutMs = 12000, QAction* action = nullptr);
    QString text() const;
    /// The button of the action passed to showMessage (hidden when there is none).
    QToolButton* actionButton() const { return m_actionButton; }

private:
    QLabel* m_label;
    QToolButton* m_actionButton;
    QTimer* m_timer;
};

}  // namespace refine::ui
