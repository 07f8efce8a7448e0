#pragma once
/// @file inline_banner.h
/// @brief A non-modal message strip at the top of the window (e.g. "2 files were not added"),
/// closed with its button or after a while; it never interrupts the work.

#include <QFrame>

class QLabel;
class QTimer;

namespace refine::ui {

class InlineBanner : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Info, Warning };
    explicit InlineBanner(QWidget* parent = nullptr);

    /// Shows `text`; hides itself after `timeoutMs` (0: stays until closed).
    void showMessage(const QString& text, Kind kind = Kind::Info, int timeoutMs = 12000);
    QString text() const;

private:
    QLabel* m_label;
    QTimer* m_timer;
};

}  // namespace refine::ui
