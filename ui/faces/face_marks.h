#pragma once
/// @file face_marks.h
/// @brief The faces marked on the window's image views (the grid's cells, the split view): a
/// thin outline around each face with its number, the current face's stronger. The marks are
/// transparent overlays on the views, so the views themselves know nothing about faces and every
/// click still reaches them. Also zooms the shared view to a face.

#include <QObject>
#include <QPointer>
#include <QRect>
#include <QVector>

class QWidget;

namespace refine::ui {

class CandidateSet;
class FaceSession;
class ImageView;
class ViewSync;

class FaceMarks : public QObject {
    Q_OBJECT
public:
    FaceMarks(FaceSession* session, CandidateSet* set, ViewSync* sync, QObject* parent = nullptr);

    /// Marks the faces on every image view inside `container` (itself too, if it is one), and on
    /// the views it makes later (the grid makes cells as candidates come).
    void watch(QWidget* container);
    void setVisible(bool visible);
    bool isVisible() const { return m_visible; }
    /// How many views carry marks (tests).
    int markedViews() const;

    /// Zooms every view (they share `sync`) so that `outputBox` (content pixels of `view`) fills
    /// about half of `view`, centred on it.
    static void zoomTo(ViewSync* sync, const ImageView* view, const QRect& outputBox);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    /// Gives every view in the watched containers an overlay, once.
    void attachAll();
    void refresh();

    FaceSession* m_session;
    CandidateSet* m_set;
    QVector<QPointer<QWidget>> m_containers;
    bool m_visible = true;
};

}  // namespace refine::ui
