#pragma once
/// @file face_session.h
/// @brief The faces of the open photo and the person's pick for each: which face is being looked
/// at (stepping through them), and picks that go through the undo stack. The session only keeps
/// the choices; face_composition.h applies them to the results written, the face navigator shows
/// them.

#include <QObject>
#include <QString>
#include <QVector>

#include <vector>

#include "faces/face_picks.h"
#include "refine/imaging/face_detection.h"

class QUndoStack;

namespace refine::ui {

class CandidateSet;

class FaceSession : public QObject {
    Q_OBJECT
public:
    FaceSession(CandidateSet* set, QUndoStack* undo, QObject* parent = nullptr);

    /// The faces found in the photo at `path` (its pixels), each at the default pick; the first
    /// becomes the current one. Ignored when `path` is no longer the open photo.
    void setFaces(const QString& path, const std::vector<imaging::FaceBox>& boxes);
    /// No faces (a new photo is being opened).
    void clear();

    const QVector<Face>& faces() const { return m_faces; }
    int count() const { return int(m_faces.size()); }
    /// The face being looked at, or -1 when there are none.
    int current() const { return m_current; }
    void setCurrent(int face);
    /// The next (previous) face, round to the first (last).
    void next();
    void previous();

    /// The current face's pick as it applies to the candidates now (resolvedPick).
    FacePick pickOf(int face) const;
    /// Face `face` from the clean result, from candidate `position` (at that candidate's Detail),
    /// or back to the default; each undoable.
    void pickClean(int face);
    void pickCandidate(int face, int position);
    void resetPick(int face);
    /// The Detail face `face` is blended at, when it comes from a candidate; undoable, and a drag
    /// of the slider is one undo step.
    void setDetail(int face, double detail);

    /// Sets a pick without the undo stack: what the undo commands call.
    void setPick(int face, const FacePick& pick);
    /// Changes whenever the faces are replaced, so that undo commands of other faces do nothing.
    int generation() const { return m_generation; }

Q_SIGNALS:
    /// Faces were found or cleared.
    void facesChanged();
    void currentChanged(int face);
    /// The pick of face `face` changed, or every face's could have (-1: the candidates changed).
    void pickChanged(int face);

private:
    void pushPick(int face, const FacePick& pick, const QString& text, bool mergeable = false);

    CandidateSet* m_set;
    QUndoStack* m_undo;
    QVector<Face> m_faces;
    int m_current = -1;
    int m_generation = 0;
};

}  // namespace refine::ui
