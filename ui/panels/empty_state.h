#pragma once
/// @file empty_state.h
/// @brief What the window shows before a photo is open: how to start, and a clear notice when
/// no model is installed.

#include <QWidget>

class QLabel;
class QPushButton;

namespace refine::ui {

class EmptyState : public QWidget {
    Q_OBJECT
public:
    explicit EmptyState(QWidget* parent = nullptr);
    /// Shows the "no model installed" notice instead of the normal hint.
    void setModelMissing(bool missing);

Q_SIGNALS:
    void openRequested();

private:
    QLabel* m_icon;
    QLabel* m_title;
    QLabel* m_hint;
    QLabel* m_modelNotice;
    QPushButton* m_open;
};

}  // namespace refine::ui
