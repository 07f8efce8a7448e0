// The Explore session on its own, without a window or the engine: the jobs it prepares (a region
// of a candidate, "more like this"), what it does with their outcomes (alternatives, added
// candidates), blending and Detail, all through the undo stack. Every slot starts from a fresh
// photo with two candidates.
#include <QtTest>

#include <QUndoStack>

#include "explore/explore_session.h"
#include "explore/region_mask.h"
#include "explore/region_plan.h"
#include "model/candidate_set.h"
#include "refine/imaging/engine_image.h"
#include "ui_brush_helpers.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;
using test::maxDifference;

namespace {

constexpr int kWidth = 24, kHeight = 16, kScale = 4;

}  // namespace

using test::changeWhere;
using test::weightAt;

class TestUiExploreSession : public QObject {
    Q_OBJECT

    std::unique_ptr<CandidateSet> m_set;
    std::unique_ptr<QUndoStack> m_undo;
    std::unique_ptr<ExploreSession> m_session;

    /// Re-samples `selection` of candidate 1 with a made-up job of three alternatives.
    bool resample(const QRect& selection, const QPainterPath& brush = {}, bool continuing = false)
    {
        const auto request = m_session->regionRequest(0, selection, brush, continuing);
        if (!request)
            return false;
        m_session->takeRegionOutcome(test::fakeOutcome(request->input, 3, kScale, request->seed));
        return true;
    }

private Q_SLOTS:
    void init()
    {
        m_set = std::make_unique<CandidateSet>();
        m_set->setPhoto(QStringLiteral("/tmp/explore-session.png"), test::photoOf(test::gradient(kWidth, kHeight, 0.3f)));
        m_set->setScale(kScale);
        m_set->setOutcome(test::fakeOutcome(m_set->input(), 2, kScale));
        m_undo = std::make_unique<QUndoStack>();
        m_session = std::make_unique<ExploreSession>(m_set.get(), m_undo.get());
    }

    void cleanup()
    {
        m_session.reset();
        m_undo.reset();
        m_set.reset();
    }

    void regionJobIsTheCandidatesJobOnACrop()
    {
        const QRect selection(40, 20, 16, 12);
        const auto request = m_session->regionRequest(0, selection, {}, false);
        QVERIFY(request);
        const RegionPlan plan = planRegion(selection, QSize(kWidth, kHeight), kScale);
        QCOMPARE(QSize(request->input.width, request->input.height), plan.inputCrop.size());
        QCOMPARE(request->candidates, ExploreSession::kRegionAlternatives);
        QCOMPARE(request->scale, kScale);
        QCOMPARE(request->previewInterval, 0);
        QVERIFY(!request->uncertaintyMap);
        QVERIFY(!m_session->regionRequest(5, selection, {}, false));   // no such candidate
        QVERIFY(!m_session->regionRequest(0, QRect(), {}, false));     // nothing selected
    }

    void alternativesChangeOnlyTheRegionUntilUndone()
    {
        QSignalSpy ready(m_session.get(), &ExploreSession::alternativesReady);
        const ImageF before = *m_set->candidate(0).pixels;
        const ImageF other = *m_set->candidate(1).pixels;
        const QRect selection(40, 20, 16, 12);
        QVERIFY(resample(selection));
        QCOMPARE(ready.size(), 1);
        QCOMPARE(ready.first().at(1).value<QVector<QImage>>().size(), 3);
        QVERIFY(ready.first().at(2).toString().contains(QStringLiteral("16×12")));
        QCOMPARE(m_session->alternativeCount(), 3);
        QCOMPARE(maxDifference(*m_set->candidate(0).pixels, before), 0.0);  // nothing applied yet

        m_session->chooseAlternative(1);
        const ImageF after = *m_set->candidate(0).pixels;
        const RegionPlan plan = planRegion(selection, QSize(kWidth, kHeight), kScale);
        const QRect reach = plan.selection.adjusted(-plan.feather, -plan.feather, plan.feather, plan.feather);
        QCOMPARE(changeWhere(after, before, [&](int x, int y) { return !reach.contains(x, y); }), 0.0);
        QVERIFY(changeWhere(after, before, [&](int x, int y) { return plan.selection.contains(x, y); }) > 1e-3);
        QCOMPARE(maxDifference(*m_set->candidate(1).pixels, other), 0.0);
        QCOMPARE(m_set->candidate(0).edits.size(), size_t(1));
        QCOMPARE(int(m_set->candidate(0).edits[0].kind), int(imaging::RegionEdit::Kind::Resampled));

        // Another alternative replaces the first in the same undo step; -1 restores.
        m_session->chooseAlternative(2);
        QCOMPARE(m_undo->count(), 1);
        QCOMPARE(m_set->candidate(0).edits.size(), size_t(1));
        m_session->chooseAlternative(-1);
        QCOMPARE(maxDifference(*m_set->candidate(0).pixels, before), 0.0);
        QVERIFY(m_set->candidate(0).edits.empty());
        m_session->chooseAlternative(0);
        m_undo->undo();
        QCOMPARE(maxDifference(*m_set->candidate(0).pixels, before), 0.0);
    }

    void moreAlternativesContinueTheSession()
    {
        const QRect selection(40, 20, 16, 12);
        QVERIFY(resample(selection));
        m_session->chooseAlternative(0);
        QVERIFY(resample(selection, {}, /*continuing=*/true));  // "more alternatives"
        m_session->chooseAlternative(1);
        QCOMPARE(m_set->candidate(0).edits.size(), size_t(1));  // still one edit, from the same start
        QCOMPARE(m_undo->count(), 1);
        QVERIFY(resample(selection, {}, /*continuing=*/false));  // a new session starts from the edited pixels
        m_session->chooseAlternative(2);
        QCOMPARE(m_set->candidate(0).edits.size(), size_t(2));
        QCOMPARE(m_undo->count(), 2);
    }

    void resetForgetsTheSession()
    {
        const ImageF before = *m_set->candidate(0).pixels;
        QVERIFY(resample(QRect(40, 20, 16, 12)));
        m_session->reset();
        QCOMPARE(m_session->alternativeCount(), 0);
        m_session->chooseAlternative(0);
        QCOMPARE(maxDifference(*m_set->candidate(0).pixels, before), 0.0);
        QCOMPARE(m_undo->count(), 0);
    }

    void blendCopiesTheRegionIntoAnotherCandidate()
    {
        QSignalSpy status(m_session.get(), &ExploreSession::statusMessage);
        const ImageF source = *m_set->candidate(0).pixels, target = *m_set->candidate(1).pixels;
        const QRect selection(32, 16, 32, 24);
        m_session->blendRegion(0, 1, selection, {});
        const ImageF blended = *m_set->candidate(1).pixels;
        const int feather = std::clamp(std::min(selection.width(), selection.height()) / 8, 2, 32);
        const QRect reach = selection.adjusted(-feather, -feather, feather, feather);
        QCOMPARE(changeWhere(blended, source, [&](int x, int y) { return selection.contains(x, y); }), 0.0);
        QCOMPARE(changeWhere(blended, target, [&](int x, int y) { return !reach.contains(x, y); }), 0.0);
        QCOMPARE(m_set->candidate(1).edits.back().sourceCandidate, m_set->candidate(0).index);
        QCOMPARE(status.size(), 1);
        m_undo->undo();
        QCOMPARE(maxDifference(*m_set->candidate(1).pixels, target), 0.0);
        const int steps = m_undo->count();
        m_session->blendRegion(0, 0, selection, {});  // into itself: nothing
        m_session->blendRegion(0, 7, selection, {});  // no such candidate: nothing
        QCOMPARE(m_undo->count(), steps);
    }

    void brushBlendTakesOnlyThePaintedArea()
    {
        QPainterPath brush;
        brush.addEllipse(QRectF(30, 14, 36, 28));
        const QRect selection = brush.boundingRect().toAlignedRect();
        const ImageF source = *m_set->candidate(0).pixels, target = *m_set->candidate(1).pixels;
        m_session->blendRegion(0, 1, selection, brush);
        const ImageF blended = *m_set->candidate(1).pixels;
        const int feather = std::clamp(std::min(selection.width(), selection.height()) / 8, 2, 32);
        const FeatheredMask mask =
            featheredMask(brush, maskReach(brush, feather, QRect(0, 0, kWidth * kScale, kHeight * kScale)), feather);
        const auto weight = [&](int x, int y) { return weightAt(mask, x, y); };
        QCOMPARE(changeWhere(blended, source, [&](int x, int y) { return weight(x, y) == 255; }), 0.0);
        QCOMPARE(changeWhere(blended, target, [&](int x, int y) { return weight(x, y) == 0; }), 0.0);
        QVERIFY(m_set->candidate(1).edits.back().brushMask);
    }

    void moreLikeThisContinuesTheCandidateIndices()
    {
        const auto request = m_session->moreRequest(5);
        QVERIFY(request);
        QCOMPARE(request->firstCandidateIndex, 2);
        QCOMPARE(request->candidates, 5);
        QCOMPARE(request->input.width, kWidth);  // the photo's pixels, given back to the kept settings
        QVERIFY(!m_session->moreRequest(0));

        test::FakeJob more;
        more.firstIndex = 2;
        m_session->takeMoreOutcome(test::fakeOutcome(m_set->input(), more));
        QCOMPARE(m_set->count(), 4);
        QCOMPARE(m_set->candidate(3).index, 3);
        QCOMPARE(m_session->moreRequest(9)->candidates, ExploreSession::kMaxCandidates - 4);
        m_undo->undo();
        QCOMPARE(m_set->count(), 2);
    }

    void detailNeedsACleanResult()
    {
        m_session->setDetail(0, 0.5);  // an SR3-like result: no clean result to blend with
        QCOMPARE(m_undo->count(), 0);

        test::FakeJob withClean;
        withClean.clean = true;
        m_set->setOutcome(test::fakeOutcome(m_set->input(), withClean));
        QVERIFY(m_set->hasClean());
        m_session->setDetail(0, 0.5);
        QCOMPARE(m_set->candidate(0).detail, 0.5);
        m_session->setDetail(0, 0.5);  // unchanged: no new step
        QCOMPARE(m_undo->count(), 1);
        m_undo->undo();
        QCOMPARE(m_set->candidate(0).detail, 1.0);
    }
};

QTEST_MAIN(TestUiExploreSession)
#include "tst_ui_explore_session.moc"
