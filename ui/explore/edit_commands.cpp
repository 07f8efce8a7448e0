#include "explore/edit_commands.h"

namespace refine::ui {

ReplacePixelsCommand::ReplacePixelsCommand(CandidateSet* set, int position, std::shared_ptr<const ImageF> after,
                                           const QString& text, int session)
    : QUndoCommand(text), m_set(set), m_position(position), m_before(set->candidate(position).pixels),
      m_after(std::move(after)), m_session(session)
{
}

void ReplacePixelsCommand::redo()
{
    m_set->replacePixels(m_position, m_after, +1);
}

void ReplacePixelsCommand::undo()
{
    m_set->replacePixels(m_position, m_before, -1);
}

bool ReplacePixelsCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = dynamic_cast<const ReplacePixelsCommand*>(other);
    if (!next || next->m_session != m_session || next->m_position != m_position)
        return false;
    // The merged command goes from our "before" to the newest "after"; the edit count the newer
    // command added is taken back so it stays one edit.
    m_after = next->m_after;
    m_set->adjustEdits(m_position, -1);
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

}  // namespace refine::ui
