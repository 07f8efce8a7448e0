#include "faces/face_session.h"

#include <QUndoCommand>
#include <QUndoStack>

#include "model/candidate_set.h"
#include "model/detail_preview.h"

namespace refine::ui {
namespace {

/// One face's pick, from `before` to `after`. Detail changes of the same face merge, so a drag
/// of the slider, or arrow key after arrow key, is one undo step.
class FacePickCommand : public QUndoCommand {
public:
    FacePickCommand(FaceSession* session, int face, FacePick before, FacePick after, const QString& text,
                    bool mergeable)
        : QUndoCommand(text), m_session(session), m_generation(session->generation()), m_face(face),
          m_before(std::move(before)), m_after(std::move(after)), m_mergeable(mergeable)
    {
    }
    void redo() override { apply(m_after); }
    void undo() override { apply(m_before); }
    int id() const override { return m_mergeable ? 3 : -1; }
    bool mergeWith(const QUndoCommand* other) override
    {
        const auto* next = static_cast<const FacePickCommand*>(other);
        if (next->m_face != m_face || next->m_generation != m_generation || !next->m_mergeable)
            return false;
        m_after = next->m_after;
        return true;
    }

private:
    void apply(const FacePick& pick)
    {
        if (m_session->generation() == m_generation)  // the photo's faces are still these
            m_session->setPick(m_face, pick);
    }

    FaceSession* m_session;
    int m_generation;
    int m_face;
    FacePick m_before, m_after;
    bool m_mergeable;
};

}  // namespace

FaceSession::FaceSession(CandidateSet* set, QUndoStack* undo, QObject* parent)
    : QObject(parent), m_set(set), m_undo(undo)
{
    // A new job, "more like this" or an undo changes which candidates there are: a pick of a
    // candidate that went falls back to the default, and every view of the picks must say so.
    connect(m_set, &CandidateSet::candidatesChanged, this, [this] {
        if (!m_faces.isEmpty())
            Q_EMIT pickChanged(-1);
    });
    connect(m_set, &CandidateSet::candidateChanged, this, [this] {
        if (!m_faces.isEmpty())
            Q_EMIT pickChanged(-1);
    });
}

void FaceSession::setFaces(const QString& path, const std::vector<imaging::FaceBox>& boxes)
{
    if (path != m_set->path())
        return;
    ++m_generation;
    m_faces.clear();
    for (const imaging::FaceBox& b : boxes)
        m_faces.push_back(Face{QRect(b.x, b.y, b.width, b.height), defaultPick(*m_set)});
    m_current = m_faces.isEmpty() ? -1 : 0;
    Q_EMIT facesChanged();
    Q_EMIT currentChanged(m_current);
}

void FaceSession::clear()
{
    if (m_faces.isEmpty() && m_current < 0)
        return;
    ++m_generation;
    m_faces.clear();
    m_current = -1;
    Q_EMIT facesChanged();
    Q_EMIT currentChanged(m_current);
}

void FaceSession::setCurrent(int face)
{
    if (face < 0 || face >= count())
        return;
    m_current = face;
    Q_EMIT currentChanged(face);  // also when it stays: "show me this face again"
}

void FaceSession::next()
{
    if (count() > 0)
        setCurrent((m_current + 1) % count());
}

void FaceSession::previous()
{
    if (count() > 0)
        setCurrent((m_current - 1 + count()) % count());
}

FacePick FaceSession::pickOf(int face) const
{
    return face >= 0 && face < count() ? resolvedPick(*m_set, m_faces[face].pick) : defaultPick(*m_set);
}

void FaceSession::pickClean(int face)
{
    if (!m_set->hasClean())
        return;
    FacePick pick;
    pick.source = FacePick::Source::Clean;
    pick.chosenByUser = true;
    pushPick(face, pick, tr("Face %1 from the clean result").arg(face + 1));
}

void FaceSession::pickCandidate(int face, int position)
{
    if (position < 0 || position >= m_set->count())
        return;
    pushPick(face, candidatePick(*m_set, position, m_set->candidate(position).detail),
             tr("Face %1 from candidate %2").arg(face + 1).arg(position + 1));
}

void FaceSession::resetPick(int face)
{
    pushPick(face, defaultPick(*m_set), tr("Face %1 back to the default").arg(face + 1));
}

void FaceSession::setDetail(int face, double detail)
{
    FacePick pick = pickOf(face);
    if (pick.source != FacePick::Source::Candidate || !m_set->hasClean())
        return;
    pick.detail = clampDetail(detail);
    pushPick(face, pick, tr("Detail %1 for face %2").arg(pick.detail, 0, 'f', 2).arg(face + 1), /*mergeable=*/true);
}

void FaceSession::setPick(int face, const FacePick& pick)
{
    if (face < 0 || face >= count())
        return;
    m_faces[face].pick = pick;
    Q_EMIT pickChanged(face);
}

void FaceSession::pushPick(int face, const FacePick& pick, const QString& text, bool mergeable)
{
    if (face < 0 || face >= count() || pickOf(face) == pick)
        return;
    m_undo->push(new FacePickCommand(this, face, m_faces[face].pick, pick, text, mergeable));
}

}  // namespace refine::ui
