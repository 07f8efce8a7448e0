#include "explore/edit_commands.h"

namespace refine::ui {

int ReplacePixelsCommand::newSession()
{
    static int last = 0;  // the GUI thread's alone
    return ++last;
}

ReplacePixelsCommand::ReplacePixelsCommand(CandidateSet* set, int position, std::shared_ptr<const ImageF> after,
                                           std::vector<imaging::RegionEdit> afterEdits, const QString& text,
                                           int session)
    : QUndoCommand(text), m_set(set), m_position(position), m_before(set->result(position).pixels),
      m_after(std::move(after)), m_beforeEdits(set->result(position).edits), m_afterEdits(std::move(afterEdits)),
      m_beforeClean(set->result(position).repairedClean), m_afterClean(m_beforeClean), m_session(session)
{
}

void ReplacePixelsCommand::redo()
{
    m_set->replacePixels(m_position, m_after, m_afterEdits, m_afterClean);
}

void ReplacePixelsCommand::undo()
{
    m_set->replacePixels(m_position, m_before, m_beforeEdits, m_beforeClean);
}

bool ReplacePixelsCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = dynamic_cast<const ReplacePixelsCommand*>(other);
    if (!next || next->m_session != m_session || next->m_position != m_position)
        return false;
    // The merged command goes from our "before" to the newest "after" (whose edit list the caller
    // built from the session's starting point, so it holds one entry for the region).
    m_after = next->m_after;
    m_afterEdits = next->m_afterEdits;
    m_afterClean = next->m_afterClean;
    return true;
}

AddCandidatesCommand::AddCandidatesCommand(CandidateSet* set, QVector<Candidate> candidates, const QString& text)
    : QUndoCommand(text), m_set(set), m_candidates(std::move(candidates))
{
}

void AddCandidatesCommand::redo()
{
    m_set->appendCandidates(m_candidates);
}

void AddCandidatesCommand::undo()
{
    m_set->takeLast(int(m_candidates.size()));
}

SetDetailCommand::SetDetailCommand(CandidateSet* set, int position, double after, const QString& text)
    : QUndoCommand(text), m_set(set), m_position(position), m_before(set->candidate(position).detail), m_after(after)
{
}

void SetDetailCommand::redo()
{
    m_set->setDetail(m_position, m_after);
}

void SetDetailCommand::undo()
{
    m_set->setDetail(m_position, m_before);
}

bool SetDetailCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = dynamic_cast<const SetDetailCommand*>(other);
    if (!next || next->m_position != m_position)
        return false;
    m_after = next->m_after;
    setObsolete(m_after == m_before);  // dragged back to where it was: nothing to undo
    return true;
}

}  // namespace refine::ui
