#pragma once
/// @file alternatives_strip.h
/// @brief The re-sampled versions of a selected region, side by side under the grid: clicking
/// one puts it into the candidate (undoable), "Keep as it was" takes it out again.

#include <QImage>
#include <QVector>
#include <QWidget>

class QButtonGroup;
class QHBoxLayout;
class QLabel;

namespace refine::ui {

class AlternativesStrip : public QWidget {
    Q_OBJECT
public:
    explicit AlternativesStrip(QWidget* parent = nullptr);

    /// Shows the region as it is now and each alternative; nothing is chosen yet.
    void setAlternatives(const QImage& current, const QVector<QImage>& thumbnails, const QString& title);
    int count() const { return int(m_thumbnails.size()); }
    /// -1: the region as it was.
    int chosen() const { return m_chosen; }
    /// Marks `index` as chosen without emitting (when the choice was made elsewhere).
    void setChosen(int index);

Q_SIGNALS:
    void alternativeChosen(int index);  ///< -1: keep as it was
    void moreRequested();
    void closeRequested();

private:
    void rebuildButtons();

    QLabel* m_title;
    QHBoxLayout* m_buttons;
    QButtonGroup* m_group;
    QImage m_current;
    QVector<QImage> m_thumbnails;
    int m_chosen = -1;
};

}  // namespace refine::ui
