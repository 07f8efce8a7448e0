#pragma once
/// @file edit_commands.h
/// @brief The undoable edits of Explore and of the repair brush: replacing a candidate's pixels (a
/// re-sampled, blended or repaired region), adding candidates ("more like this") and a
/// candidate's Detail.

#include <QUndoCommand>
#include <QVector>

#include <memory>

#include "model/candidate_set.h"

namespace refine::ui {

/// Swaps a candidate's pixels and its list of edits (the provenance of those pixels). Commands
/// of the same exploration or repair (`session` != 0) on the same candidate merge, so trying
/// alternative after alternative leaves one undo step.
class ReplacePixelsCommand : public QUndoCommand {
public:
    /// A session id no exploration or repair has had yet, so that two sessions never merge.
    static int newSession();

    ReplacePixelsCommand(CandidateSet* set, int position, std::shared_ptr<const ImageF> after,
                         std::vector<imaging::RegionEdit> afterEdits, const QString& text, int session = 0);
    /// A repair also mends the clean result the candidate's Detail blends over (residual-shift
    /// models; Candidate::repairedClean): `after` replaces it too. Without this it stays.
    void setRepairedClean(std::shared_ptr<const ImageF> after) { m_afterClean = std::move(after); }
    void redo() override;
    void undo() override;
    int id() const override { return m_session != 0 ? 1 : -1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    CandidateSet* m_set;
    int m_position;
    std::shared_ptr<const ImageF> m_before, m_after;
    std::vector<imaging::RegionEdit> m_beforeEdits, m_afterEdits;
    std::shared_ptr<const ImageF> m_beforeClean, m_afterClean;
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
