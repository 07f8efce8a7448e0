// The image views: synchronized zoom and pan keep every cell aligned, number keys solo a
// candidate, a click selects one, the split view's divider and "hold O" flick, the overlay.
#include <QtTest>

#include <QWheelEvent>

#include "model/candidate_set.h"
#include "model/image_convert.h"
#include "model/uncertainty_map.h"
#include "refine/imaging/engine_image.h"
#include "views/candidate_grid.h"
#include "views/image_view.h"
#include "views/split_view.h"
#include "views/view_sync.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;

using test::fakeOutcome;
using test::gradient;

class TestUiViews : public QObject {
    Q_OBJECT

    CandidateSet m_set;
    ViewSync m_sync;
    std::unique_ptr<CandidateGrid> m_grid;

    static void wheel(QWidget* target, QPoint at, int delta)
    {
        QWheelEvent event(at, target->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(target, &event);
    }

    /// Every candidate cell (same size as the first) shows the same content point at `at`.
    void verifyAligned(QPoint at)
    {
        const QPointF expected = m_grid->originalView()->mapToContent(at);
        for (int i = 0; i < m_grid->candidateCells(); ++i) {
            ImageView* cell = m_grid->candidateView(i);
            QCOMPARE(cell->size(), m_grid->originalView()->size());
            QCOMPARE(cell->effectiveZoom(), m_grid->originalView()->effectiveZoom());
            const QPointF got = cell->mapToContent(at);
            QVERIFY2(std::abs(got.x() - expected.x()) < 1e-6 && std::abs(got.y() - expected.y()) < 1e-6,
                     qPrintable(QStringLiteral("cell %1 is not aligned").arg(i + 1)));
        }
    }

private Q_SLOTS:
    void init()
    {
        m_set.setPhoto(QStringLiteral("/tmp/photo.png"), test::photoOf(gradient(16, 12, 0.f)));
        m_set.setOutcome(fakeOutcome(m_set.input(), 3));
        m_sync.fit();
        m_grid = std::make_unique<CandidateGrid>(&m_set, &m_sync);
        m_grid->resize(800, 600);  // 4 cells: 2x2 of equal size
        m_grid->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_grid.get()));
    }

    void cleanup() { m_grid.reset(); }

    void gridHasOriginalAndCandidates()
    {
        QCOMPARE(m_grid->candidateCells(), 3);
        QVERIFY(m_grid->originalView()->showsOriginal());
        QCOMPARE(m_grid->originalView()->contentSize(), QSize(64, 48));
        QVERIFY(m_grid->originalView()->caption().contains(QStringLiteral("Original")));
        QVERIFY(m_grid->candidateView(1)->caption().contains(QStringLiteral("MSE 2.0e-05")));
    }

    void synchronizedZoomKeepsCellsAligned()
    {
        const QPoint at(60, 40);
        verifyAligned(at);
        const double fitZoom = m_grid->candidateView(1)->effectiveZoom();
        // Wheel on candidate 2: every cell zooms, and the point under the cursor stays put.
        const QPointF before = m_grid->candidateView(1)->mapToContent(at);
        wheel(m_grid->candidateView(1), at, 240);
        QVERIFY(!m_sync.isFit());
        QVERIFY(m_grid->candidateView(1)->effectiveZoom() > fitZoom * 1.5);
        const QPointF after = m_grid->candidateView(1)->mapToContent(at);
        QVERIFY(std::abs(before.x() - after.x()) < 1e-6 && std::abs(before.y() - after.y()) < 1e-6);
        verifyAligned(at);

        // Middle-drag pans every cell together.
        ImageView* cell = m_grid->candidateView(0);
        QTest::mousePress(cell, Qt::MiddleButton, Qt::NoModifier, QPoint(100, 100));
        QMouseEvent move(QEvent::MouseMove, QPointF(130, 90), cell->mapToGlobal(QPointF(130, 90)), Qt::NoButton,
                         Qt::MiddleButton, Qt::NoModifier);
        QApplication::sendEvent(cell, &move);
        QTest::mouseRelease(cell, Qt::MiddleButton, Qt::NoModifier, QPoint(130, 90));
        QVERIFY(std::abs(cell->mapToContent(QPointF(130, 90)).x() - cell->mapToContent(QPointF(100, 100)).x()) > 0);
        verifyAligned(at);

        // Ctrl+0 fits again.
        QTest::keyClick(cell, Qt::Key_0, Qt::ControlModifier);
        QVERIFY(m_sync.isFit());
        QCOMPARE(cell->effectiveZoom(), fitZoom);
        verifyAligned(at);
    }

    void numberKeysSoloACandidate()
    {
        ImageView* cell = m_grid->candidateView(0);
        cell->setFocus();
        QTest::keyClick(cell, Qt::Key_2);
        QCOMPARE(m_grid->soloPosition(), 1);
        QVERIFY(m_grid->candidateView(1)->isVisible());
        QVERIFY(!m_grid->candidateView(0)->isVisible());
        QVERIFY(!m_grid->originalView()->isVisible());
        QTest::keyClick(m_grid->candidateView(1), Qt::Key_2);  // the same number: back to the grid
        QCOMPARE(m_grid->soloPosition(), -1);
        QVERIFY(m_grid->candidateView(0)->isVisible());
        QTest::keyClick(m_grid->candidateView(1), Qt::Key_9);  // no such candidate: grid
        QCOMPARE(m_grid->soloPosition(), -1);
    }

    void clickSelectsACandidate()
    {
        QSignalSpy clicked(m_grid.get(), &CandidateGrid::candidateClicked);
        QTest::mouseClick(m_grid->candidateView(2), Qt::LeftButton, Qt::NoModifier, QPoint(50, 50));
        QCOMPARE(m_set.selected(), 2);
        QCOMPARE(clicked.size(), 1);
    }

    void uncertaintyOverlayToggles()
    {
        m_grid->setUncertaintyVisible(true);
        QVERIFY(m_grid->candidateView(0)->isOverlayVisible());
        QVERIFY(!m_grid->originalView()->isOverlayVisible());  // the original has no uncertainty
        m_grid->setUncertaintyVisible(false);
        QVERIFY(!m_grid->candidateView(0)->isOverlayVisible());
    }

    void overlayIsClearWhereCandidatesAgree()
    {
        const int n = 101;
        ImageF map(n, 1, 1);
        for (int x = 0; x < n; ++x)
            map.at(x, 0, 0) = float(x) / float(n - 1) * 0.2f;  // 0 (agree) .. 0.2 (differ)
        const QImage overlay = uncertaintyOverlay(map);
        QCOMPARE(overlay.format(), QImage::Format_ARGB32);
        QCOMPARE(qAlpha(overlay.pixel(0, 0)), 0);  // no tint where the spread is 0
        for (int x = 1; x < n; ++x)
            QVERIFY2(qAlpha(overlay.pixel(x, 0)) >= qAlpha(overlay.pixel(x - 1, 0)), "opacity rises with the spread");
        QVERIFY(std::abs(qAlpha(overlay.pixel(n / 2, 0)) - uncertaintyAlpha(0.5f)) <= 2);  // in proportion
        // The legend's ramp uses the same opacity: clear at "agree", strongest at "differ".
        const QImage ramp = uncertaintyRamp(64);
        QCOMPARE(qAlpha(ramp.pixel(0, 0)), 0);
        QCOMPARE(qAlpha(ramp.pixel(63, 0)), uncertaintyAlpha(1.f));
        QCOMPARE(qAlpha(overlay.pixel(n - 1, 0)), uncertaintyAlpha(1.f));
    }

    void spreadMatchesTheEnginesDefinition()
    {
        auto a = std::make_shared<ImageF>(2, 1, 3);
        auto b = std::make_shared<ImageF>(2, 1, 3);
        for (int c = 0; c < 3; ++c) {
            a->at(0, 0, c) = b->at(0, 0, c) = 0.5f;  // agree
            a->at(1, 0, c) = 0.2f;                    // differ by 0.4: population std 0.2
            b->at(1, 0, c) = 0.6f;
        }
        const ImageF spread = candidateSpread({a, b});
        QCOMPARE(spread.channels, 1);
        QCOMPARE(spread.at(0, 0, 0), 0.f);
        QVERIFY(std::abs(spread.at(1, 0, 0) - 0.2f) < 1e-6f);
        QVERIFY(candidateSpread({a}).empty());  // one candidate has no spread
    }

    void holdingOFlicksTheGridToTheOriginal()
    {
        ImageView* cell = m_grid->candidateView(1);
        QCOMPARE(cell->image(), m_set.candidate(1).image);
        QVERIFY(!cell->showsOriginal());
        QTest::keyPress(cell, Qt::Key_O);  // a cell ignores it: the grid acts
        QVERIFY(m_grid->isShowingOriginal());
        QVERIFY(cell->showsOriginal());
        QTest::keyPress(cell, Qt::Key_O);  // pressed again: still the original
        QTest::keyRelease(m_grid.get(), Qt::Key_O);
        QVERIFY(!m_grid->isShowingOriginal());
        QVERIFY(!cell->showsOriginal());
        QCOMPARE(cell->image(), m_set.candidate(1).image);
    }

    void splitViewDividerAndFlick()
    {
        SplitView split(&m_sync);
        split.resize(400, 300);
        split.setOriginal(m_set.original());
        split.setImage(m_set.candidate(0).image);
        split.show();
        QVERIFY(QTest::qWaitForWindowExposed(&split));
        QCOMPARE(split.divider(), 0.5);
        // Drag the divider from the middle to a quarter.
        QTest::mousePress(&split, Qt::LeftButton, Qt::NoModifier, QPoint(200, 150));
        QMouseEvent move(QEvent::MouseMove, QPointF(100, 150), split.mapToGlobal(QPointF(100, 150)), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&split, &move);
        QTest::mouseRelease(&split, Qt::LeftButton, Qt::NoModifier, QPoint(100, 150));
        QCOMPARE(split.divider(), 0.25);
        // Holding O shows the original; letting go comes back.
        QTest::keyPress(&split, Qt::Key_O);
        QVERIFY(split.isShowingOriginal());
        QTest::keyRelease(&split, Qt::Key_O);
        QVERIFY(!split.isShowingOriginal());
        QTest::keyPress(&split, Qt::Key_Backslash);
        QVERIFY(split.isShowingOriginal());
        QTest::keyRelease(&split, Qt::Key_Backslash);
        // "1" is actual pixels here (no digits are taken by a grid).
        QTest::keyClick(&split, Qt::Key_1);
        QVERIFY(!m_sync.isFit());
        QCOMPARE(split.effectiveZoom(), 1.0 / split.devicePixelRatioF());
    }
};

QTEST_MAIN(TestUiViews)
#include "tst_ui_views.moc"
