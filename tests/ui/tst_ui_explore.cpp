// Explore in the window, as a person uses it: re-sampling a selected region changes only that
// region (plus its feather), the alternatives can be chosen and undone; blending a region between
// candidates; the same with a painted (brush) selection, which changes only the feathered painted
// area; "more like this". Every slot gets a fresh window with two candidates and makes its own
// selection, so each runs alone (the session itself: tst_ui_explore_session).
#include <QtTest>

#include <QUndoStack>

#include <nlohmann/json.hpp>

#include "explore/region_mask.h"
#include "explore/region_plan.h"
#include "files/candidate_exporter.h"
#include "refine/imaging/metadata.h"
#include "panels/alternatives_strip.h"
#include "views/candidate_grid.h"
#include "views/image_view.h"
#include "views/view_sync.h"
#include "ui_brush_helpers.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;

namespace {

using test::changeWhere;
using test::paintStroke;
using test::readBytes;
using test::weightAt;

/// Largest change outside `keep` (output pixels): must be exactly zero.
double changeOutside(const ImageF& a, const ImageF& b, const QRect& keep)
{
    return changeWhere(a, b, [&](int x, int y) { return !keep.contains(x, y); });
}

double changeInside(const ImageF& a, const ImageF& b, const QRect& region)
{
    return changeWhere(a, b, [&](int x, int y) { return region.contains(x, y); });
}

/// Drags a rectangle on a view, as a person would, from `from` to `to` (widget pixels).
void dragRectangle(ImageView* view, QPoint from, QPoint to)
{
    QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, from);
    QMouseEvent move(QEvent::MouseMove, QPointF(to), view->mapToGlobal(QPointF(to)), Qt::NoButton, Qt::LeftButton,
                     Qt::NoModifier);
    QApplication::sendEvent(view, &move);
    QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier, to);
}

}  // namespace

class TestUiExplore : public QObject {
    Q_OBJECT

    std::unique_ptr<test::UiTestEnvironment> m_env;
    std::unique_ptr<MainWindow> m_window;

    CandidateSet* set() const { return m_window->candidates(); }

    /// Selects about the middle third of candidate 1 by dragging a rectangle on it.
    QRect selectMiddleOfCandidateOne()
    {
        m_window->setRegionMode(true);
        ImageView* view = m_window->grid()->candidateView(0);
        const QRectF content = view->contentRectInWidget();
        dragRectangle(view, (content.topLeft() + QPointF(content.width() * 0.35, content.height() * 0.35)).toPoint(),
                      (content.topLeft() + QPointF(content.width() * 0.6, content.height() * 0.65)).toPoint());
        return m_window->grid()->regionSelection();
    }

    /// The bounding box of the stroke paintDiagonalOnCandidateOne() paints: (26, 16) to (64, 48),
    /// give or take the pixel the mouse positions round to on screen.
    static bool isDiagonalStrokeBox(const QRect& box)
    {
        return QRect(QPoint(25, 15), QPoint(64, 48)).contains(box) && box.contains(QRect(QPoint(27, 17), QPoint(62, 46)));
    }

    /// Paints a stroke 8 pixels wide on candidate 1 from (30, 20) to (60, 44), zoomed in and panned.
    void paintDiagonalOnCandidateOne()
    {
        m_window->setBrushMode(true);
        m_window->grid()->setBrushDiameter(8);
        m_window->viewSync()->setZoom(4.0);
        m_window->viewSync()->pan(QPointF(12, 6), QSizeF(96, 64), 4.0);
        paintStroke(m_window->grid()->candidateView(0), QPointF(30, 20), QPointF(60, 44));
        m_window->viewSync()->fit();
    }

    /// Undo gives candidate 1 its pixels back bit for bit, redo re-applies the edit; then undone.
    void undoRedoRestoresCandidateOne(const ImageF& before)
    {
        m_window->undoStack()->undo();
        QCOMPARE(test::maxDifference(*set()->candidate(0).pixels, before), 0.0);
        QVERIFY(set()->candidate(0).edits.empty());
        m_window->undoStack()->redo();
        QVERIFY(test::maxDifference(*set()->candidate(0).pixels, before) > 0);
        m_window->undoStack()->undo();
    }

    struct BlendOutcome {
        ImageF source, target, blended;
        int feather;  ///< the soft edge blendRegionInto gives the selection
    };
    /// Blends the selected region of candidate 1 into candidate 2.
    BlendOutcome blendFirstIntoSecond()
    {
        set()->setSelected(0);
        BlendOutcome b{*set()->candidate(0).pixels, *set()->candidate(1).pixels, {}, 0};
        m_window->blendRegionInto(1);
        b.blended = *set()->candidate(1).pixels;
        const QRect selection = m_window->grid()->regionSelection();
        b.feather = std::clamp(std::min(selection.width(), selection.height()) / 8, 2, 32);
        return b;
    }

    /// The region edits written into the exported file of candidate `position` (null on failure).
    nlohmann::json exportedEdits(int position, const QString& folder)
    {
        const QString dir = m_env->path(folder);
        QDir().mkpath(dir);
        ExportOptions options;
        options.directory = dir;
        options.format = QStringLiteral("png");
        const ExportReport report = exportCandidates(*set(), {position}, options);
        if (!report.ok()) {
            qWarning() << report.failed;
            return {};
        }
        return nlohmann::json::parse(imaging::readProvenance(readBytes(report.written[0])).edits);
    }

private Q_SLOTS:
    void initTestCase() { m_env = std::make_unique<test::UiTestEnvironment>(); }

    void init()
    {
        m_window = test::makeWindow(2);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(test::openAndWait(*m_window, {m_env->photo(QStringLiteral("explore.png"), 24, 16)}));
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->enhance(); }));
        QCOMPARE(set()->count(), 2);
    }

    void cleanup() { m_window.reset(); }

    void numberKeysWorkWhereverTheFocusIs()
    {
        QTest::keyClick(m_window.get(), Qt::Key_2);
        QCOMPARE(m_window->grid()->soloPosition(), 1);
        QTest::keyClick(m_window.get(), Qt::Key_0);
        QCOMPARE(m_window->grid()->soloPosition(), -1);
    }

    void planCoversSelectionAndFeather()
    {
        const RegionPlan plan = planRegion(QRect(40, 20, 16, 12), QSize(24, 16), 4);
        QVERIFY(plan.isValid());
        const QRect reach = plan.selection.adjusted(-plan.feather, -plan.feather, plan.feather, plan.feather);
        QVERIFY(plan.patchRect.contains(reach.intersected(QRect(0, 0, 96, 64))));
        QVERIFY(QRect(0, 0, 24, 16).contains(plan.inputCrop));
        QCOMPARE(plan.patchRect, QRect(plan.inputCrop.topLeft() * 4, plan.inputCrop.size() * 4));
        QCOMPARE(featherWeight(0, 8), 1.f);
        QVERIFY(featherWeight(4, 8) > 0.f && featherWeight(4, 8) < 1.f);
        QCOMPARE(featherWeight(8, 8), 0.f);
    }

    void regionResamplingChangesOnlyTheRegion()
    {
        const QRect selection = selectMiddleOfCandidateOne();
        QVERIFY2(!selection.isEmpty(), "the drag selected a region");
        QCOMPARE(set()->selected(), 0);

        const ImageF before = *set()->candidate(0).pixels;
        const ImageF other = *set()->candidate(1).pixels;
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->resampleRegion(); }));
        QCOMPARE(m_window->alternatives()->count(), 3);
        QVERIFY(m_window->alternatives()->isVisible());
        QVERIFY(test::maxDifference(*set()->candidate(0).pixels, before) == 0);  // nothing applied yet

        const QImage uncertaintyBefore = set()->uncertaintyHeat();
        QVERIFY(!uncertaintyBefore.isNull());
        m_window->chooseAlternative(1);
        const ImageF after = *set()->candidate(0).pixels;
        QVERIFY2(set()->uncertaintyHeat() != uncertaintyBefore, "the uncertainty map follows the edit");
        const RegionPlan plan = planRegion(selection, QSize(24, 16), 4);
        const QRect reach = plan.selection.adjusted(-plan.feather, -plan.feather, plan.feather, plan.feather);
        QCOMPARE(changeOutside(after, before, reach), 0.0);
        QVERIFY2(changeInside(after, before, plan.selection) > 1e-3, "the region got new pixels");
        QCOMPARE(test::maxDifference(*set()->candidate(1).pixels, other), 0.0);  // other candidates untouched
        QCOMPARE(set()->candidate(0).edits.size(), size_t(1));
        const imaging::RegionEdit edit = set()->candidate(0).edits.front();
        QCOMPARE(int(edit.kind), int(imaging::RegionEdit::Kind::Resampled));
        QCOMPARE(QRect(edit.x, edit.y, edit.width, edit.height), plan.selection);
        QCOMPARE(edit.feather, plan.feather);

        // Trying another alternative replaces the first in the same undo step.
        m_window->chooseAlternative(0);
        QCOMPARE(m_window->undoStack()->count(), 1);
        QCOMPARE(set()->candidate(0).edits.size(), size_t(1));
        undoRedoRestoresCandidateOne(before);
    }

    void blendRegionIntoAnotherCandidate()
    {
        const QRect selection = selectMiddleOfCandidateOne();
        QVERIFY(!selection.isEmpty());
        const BlendOutcome b = blendFirstIntoSecond();
        const ImageF &source = b.source, &target = b.target, &blended = b.blended;
        // Inside (away from the soft edge) the pixels are candidate 1's; far outside, unchanged.
        const int feather = b.feather;
        QCOMPARE(changeInside(blended, source, selection), 0.0);
        QCOMPARE(changeOutside(blended, target, selection.adjusted(-feather, -feather, feather, feather)), 0.0);

        // The exported file says which region came from which candidate.
        const nlohmann::json edits = exportedEdits(1, QStringLiteral("blended"));
        QCOMPARE(edits.size(), size_t(1));
        QCOMPARE(edits[0]["kind"].get<std::string>(), std::string("blended_from"));
        QCOMPARE(edits[0]["source_candidate"].get<int>(), set()->candidate(0).index);
        QCOMPARE(edits[0]["region"][2].get<int>(), selection.width());
        m_window->undoStack()->undo();
        QVERIFY(set()->candidate(1).edits.empty());
        QCOMPARE(test::maxDifference(*set()->candidate(1).pixels, target), 0.0);
    }

    void brushStrokeSelectsThePaintedArea()
    {
        QVERIFY(!selectMiddleOfCandidateOne().isEmpty());
        m_window->setBrushMode(true);
        CandidateGrid* grid = m_window->grid();
        QVERIFY(grid->regionSelection().isEmpty());  // the rectangle went with the tool change
        ImageView* view = grid->candidateView(0);
        view->setFocus();
        grid->setBrushDiameter(8);
        QTest::keyClick(view, Qt::Key_BracketRight);
        QCOMPARE(grid->brushDiameter(), 10.0);
        QTest::keyClick(view, Qt::Key_BracketLeft);
        QCOMPARE(grid->brushDiameter(), 8.0);

        // Painted while zoomed in and panned: the stroke lands on the same image pixels.
        m_window->viewSync()->setZoom(4.0);
        m_window->viewSync()->pan(QPointF(12, 6), QSizeF(96, 64), 4.0);
        paintStroke(view, QPointF(30, 20), QPointF(60, 44));
        m_window->viewSync()->fit();
        QCOMPARE(set()->selected(), 0);
        // The stroke from (30, 20) to (60, 44), 8 wide, within the pixel the mouse positions round to.
        QVERIFY2(isDiagonalStrokeBox(grid->regionSelection()), qPrintable(QStringLiteral("%1,%2 %3x%4")
                     .arg(grid->regionSelection().x()).arg(grid->regionSelection().y())
                     .arg(grid->regionSelection().width()).arg(grid->regionSelection().height())));
        QCOMPARE(grid->candidateView(1)->brushArea(), grid->brushArea());  // mirrored for comparison
        // A band 8 wide along the 38-pixel diagonal, with round ends: about 38 * 8 + pi * 16.
        const FeatheredMask mask = featheredMask(grid->brushArea(), grid->regionSelection(), 0);
        double area = 0;
        for (int y = 0; y < mask.weights.height(); ++y)
            for (int x = 0; x < mask.weights.width(); ++x)
                area += weightAt(mask, mask.origin.x() + x, mask.origin.y() + y) / 255.0;
        QVERIFY2(std::abs(area - (38.4 * 8 + 3.1416 * 16)) < 20, qPrintable(QString::number(area)));
        QCOMPARE(weightAt(mask, 45, 32), 255);  // on the stroke
        QCOMPARE(weightAt(mask, 27, 46), 0);    // a corner of its bounding box

        QTest::keyClick(view, Qt::Key_Escape);
        QVERIFY(grid->regionSelection().isEmpty());
        QVERIFY(grid->candidateView(1)->brushArea().isEmpty());
        paintStroke(view, QPointF(30, 20), QPointF(60, 44));
        QVERIFY(!grid->regionSelection().isEmpty());
    }

    void brushResamplingChangesOnlyThePaintedArea()
    {
        paintDiagonalOnCandidateOne();
        const QRect selection = m_window->grid()->regionSelection();
        QVERIFY(isDiagonalStrokeBox(selection));
        const QPainterPath brush = m_window->grid()->brushArea();
        const ImageF before = *set()->candidate(0).pixels;
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->resampleRegion(); }));
        m_window->chooseAlternative(1);
        const ImageF after = *set()->candidate(0).pixels;

        const RegionPlan plan = planRegion(selection, QSize(24, 16), 4);
        const FeatheredMask mask = featheredMask(brush, maskReach(brush, plan.feather, plan.patchRect), plan.feather);
        QCOMPARE(changeWhere(after, before, [&](int x, int y) { return weightAt(mask, x, y) == 0; }), 0.0);
        QVERIFY2(changeWhere(after, before, [&](int x, int y) { return weightAt(mask, x, y) == 255; }) > 1e-3,
                 "the painted area got new pixels");
        QCOMPARE(changeWhere(after, before, [](int x, int y) { return x == 27 && y == 46; }), 0.0);  // not the box
        const imaging::RegionEdit edit = set()->candidate(0).edits.back();
        QVERIFY(edit.brushMask);
        QCOMPARE(QRect(edit.x, edit.y, edit.width, edit.height), plan.selection);
        QCOMPARE(edit.feather, plan.feather);

        undoRedoRestoresCandidateOne(before);
    }

    void brushBlendTakesOnlyThePaintedArea()
    {
        paintDiagonalOnCandidateOne();
        const QPainterPath brush = m_window->grid()->brushArea();
        QVERIFY(!brush.isEmpty());
        const BlendOutcome b = blendFirstIntoSecond();
        const ImageF &source = b.source, &target = b.target, &blended = b.blended;
        const int feather = b.feather;
        const FeatheredMask mask = featheredMask(brush, maskReach(brush, feather, QRect(0, 0, 96, 64)), feather);
        QCOMPARE(changeWhere(blended, source, [&](int x, int y) { return weightAt(mask, x, y) == 255; }), 0.0);
        QCOMPARE(changeWhere(blended, target, [&](int x, int y) { return weightAt(mask, x, y) == 0; }), 0.0);
        QVERIFY(set()->candidate(1).edits.back().brushMask);

        const nlohmann::json edits = exportedEdits(1, QStringLiteral("brush-blended"));
        QCOMPARE(edits.size(), size_t(1));
        QCOMPARE(edits[0]["shape"].get<std::string>(), std::string("brush"));
        m_window->undoStack()->undo();
        QCOMPARE(test::maxDifference(*set()->candidate(1).pixels, target), 0.0);
        m_window->setBrushMode(false);
        QVERIFY(m_window->grid()->brushArea().isEmpty());
    }

    void moreLikeThisAddsCandidatesWithNewIndices()
    {
        const ImageF first = *set()->candidate(0).pixels;
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->moreLikeThis(); }));
        QCOMPARE(set()->count(), 4);
        QCOMPARE(set()->candidate(2).index, 2);
        QCOMPARE(set()->candidate(3).index, 3);
        QVERIFY(set()->candidate(2).seed != set()->candidate(0).seed);
        QCOMPARE(test::maxDifference(*set()->candidate(0).pixels, first), 0.0);  // existing ones stay
        QCOMPARE(m_window->grid()->candidateCells(), 4);
        m_window->undoStack()->undo();
        QCOMPARE(set()->count(), 2);
        m_window->undoStack()->redo();
        QCOMPARE(set()->count(), 4);
    }
};

QTEST_MAIN(TestUiExplore)
#include "tst_ui_explore.moc"
