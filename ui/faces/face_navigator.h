#pragma once
/// @file face_navigator.h
/// @brief Faces, one by one: the window's Faces panel. It steps through the photo's faces (the
/// buttons, or F and Shift+F), shows the current face in the original, in the clean result and in
/// every candidate side by side, and takes the person's pick for it (click a version) and its
/// Detail. The first tile shows the face as the selected result will be exported. Faces start
/// at the clean result, the most likely version, until a version is picked.

#include <QImage>
#include <QRect>
#include <QVector>
#include <QWidget>

class QAbstractButton;
class QAction;
class QButtonGroup;
class QHBoxLayout;
class QLabel;
class QSlider;
class QToolButton;

namespace refine::ui {

class CandidateSet;
class FaceSession;

class FaceNavigator : public QWidget {
    Q_OBJECT
public:
    FaceNavigator(FaceSession* session, CandidateSet* set, QWidget* parent = nullptr);

    /// The tile of a version: CandidateSet::kClean or a candidate position (nullptr: none).
    QAbstractButton* versionTile(int position) const;
    /// The preview of the current face in the selected result, as it will be exported.
    QImage resultPreview() const;
    /// "Face 2 of 3"
    QString title() const;
    /// What the current face is taken from, in words ("Candidate 2 · Detail 0.80").
    QString pickLine() const;
    QSlider* detailSlider() const { return m_detail; }
    QAction* nextAction() const { return m_next; }
    QAction* previousAction() const { return m_previous; }

    /// Tile images, in logical pixels.
    static constexpr int kTileSide = 112;

Q_SIGNALS:
    /// The person stepped to a face (or asked to see it again): show `outputBox` (the results'
    /// pixels) in the views.
    void zoomRequested(const QRect& outputBox);

private:
    void buildLayout();
    void refresh();
    void rebuildTiles();
    void refreshTiles();
    void refreshDetail();
    void step(bool forward);
    /// The part of the results shown in a tile: the face's box with room around it.
    QRect shownRect() const;
    QToolButton* makeTile(int position, const QString& caption);

    FaceSession* m_session;
    CandidateSet* m_set;
    QLabel* m_title;
    QToolButton* m_previousButton;
    QToolButton* m_nextButton;
    QToolButton* m_zoomButton;
    QLabel* m_pick;
    QToolButton* m_reset;
    QLabel* m_original;
    QLabel* m_result;
    QLabel* m_resultCaption;
    QHBoxLayout* m_tiles;
    QButtonGroup* m_versions;
    QSlider* m_detail;
    QLabel* m_detailValue;
    QLabel* m_empty;
    QAction* m_next;
    QAction* m_previous;
    QVector<int> m_tilePositions;  ///< of the version tiles, in order
    QImage m_resultImage;
};

}  // namespace refine::ui
