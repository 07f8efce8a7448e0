#pragma once
/// @file edit_commands.h
/// @brief The undoable edits of Explore: replacing a candidate's pixels (a re-sampled or blended
/// region), adding candidates ("more like this") and a candidate's Detail.

#include <QUndoCommand>
#include <QVector>

#include <memory>

#include "model/candidate_set.h"

namespace refine::ui {

/// Swaps a candidate's pixels and its list of edits (the provenance of those pixels). Commands
/// of the same exploration (`session` != 0) on the same candidate merge, so trying alternative
/// after alternative leaves one undo step.
class ReplacePixelsCommand : public QUndoCommand {
public:
    ReplacePixelsCommand(CandidateSet* set, int position, std::shared_ptr<const ImageF> after,
                         std::vector<imaging::RegionEdit> afterEdits, const QString& text, int session = 0);
    void redo() override;
    void undo() override;
    int id() const override { return m_session != 0 ? 1 : -1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    CandidateSet* m_set;
    int m_position;
    std::shared_ptr<const ImageF> m_before, m_after;
    std::vector<imaging::RegionEdit> m_beforeEdits, m_afterEdits;
    int m_session;
};

/// Appends candidates; undo removes them again.
class AddCandidatesCommand : public QUndoCommand {
public:
    AddCandidatesCommand(CandidateSet* set, QVector<Candidate> candidates, const QString& text);
    void redo() override;
    void undo() override;

private:
    CandidateSet* m_set;
    QVector<Candidate> m_candidates;
};

/// Sets a candidate's Detail. Consecutive changes of the same candidate's Detail merge, so a
/// drag, or arrow key after arrow key, is one undo step.
class SetDetailCommand : public QUndoCommand {
public:
    SetDetailCommand(CandidateSet* set, int position, double after, const QString& text);
    void redo() override;
    void undo() override;
    int id() const override { return 2; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    CandidateSet* m_set;
    int m_position;
    double m_before, m_after;
};

}  // namespace refine::ui
