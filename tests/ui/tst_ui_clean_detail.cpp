// Residual-shift models in the app: the "Clean (most likely)" cell (shown as soon as the clean
// result arrives, every candidate's first preview, the Fast preset's only result, exported as
// `_clean`), and the Detail slider of each candidate (0 = clean, 1 = as sampled, exact at both
// ends, previewed while dragged, undoable, recorded in the exported file). SR3 models keep the
// grid as it was. Every slot makes its own window and job.
#include <QtTest>

#include <QAction>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QUndoStack>

#include <fstream>

#include "files/candidate_exporter.h"
#include "jobs/enhance_controller.h"
#include "model/detail_preview.h"
#include "model/image_convert.h"
#include "panels/inline_banner.h"
#include "refine/engine/detail.h"
#include "refine/imaging/metadata.h"
#include "views/candidate_grid.h"
#include "views/detail_control.h"
#include "views/image_view.h"
#include "views/split_view.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;

using test::maxLevelDifference;
using test::readBytes;

class TestUiCleanDetail : public QObject {
    Q_OBJECT

    std::unique_ptr<test::UiTestEnvironment> m_env;

    /// A window with the residual-shift model and `preset`, a photo open.
    std::unique_ptr<MainWindow> openWindow(const QString& preset, const QString& photo, int candidates = 2)
    {
        auto window = test::makeWindow(candidates);
        window->settingsPanel()->setSettings(test::residualShiftSettings(preset, candidates));
        if (!test::openAndWait(*window, {m_env->photo(photo)}))
            return nullptr;
        return window;
    }

    /// openWindow() and one finished Enhance.
    std::unique_ptr<MainWindow> enhancedWindow(const QString& preset, const QString& photo, int candidates = 2)
    {
        auto window = openWindow(preset, photo, candidates);
        if (!window || !test::runAndWait(*window, [&] { window->enhance(); }))
            return nullptr;
        return window;
    }

    QString outputFolder(const QString& name) const
    {
        const QString dir = m_env->path(name);
        QDir().mkpath(dir);
        return dir;
    }

private Q_SLOTS:
    void initTestCase() { m_env = std::make_unique<test::UiTestEnvironment>(/*withResidualShift=*/true); }

    void cleanCellShowsAsSoonAsTheCleanResultArrives()
    {
        auto window = openWindow(QStringLiteral("Balanced"), QStringLiteral("clean-cell.png"));
        QVERIFY(window);
        CandidateGrid* grid = window->grid();
        CandidateSet* set = window->candidates();
        int stepWhenShown = -1;
        connect(set, &CandidateSet::previewChanged, window.get(), [&] {
            if (stepWhenShown < 0 && grid->cleanView() && !grid->cleanView()->image().isNull())
                stepWhenShown = set->previewStep();
        });
        QSignalSpy done(window.get(), &MainWindow::jobCompleted);
        window->enhance();
        QVERIFY2(grid->cleanView(), "the Clean cell is there from the moment Enhance is pressed");
        QVERIFY(grid->cleanView()->caption().startsWith(QStringLiteral("Clean (most likely)")));
        QVERIFY(done.wait(120000));
        QCOMPARE(stepWhenShown, 0);  // before any candidate step
        QVERIFY(set->hasClean());
        QCOMPARE(set->clean().index, -1);
        QCOMPARE(set->clean().pixels->width, 64);
        QCOMPARE(grid->cleanView()->image(), set->clean().image);
        QVERIFY(grid->cleanView()->caption().startsWith(QStringLiteral("Clean (most likely) · MSE")));
        QCOMPARE(set->count(), 2);
        QCOMPARE(grid->candidateCells(), 2);
        QVERIFY(!grid->detailControl(-1));
        QVERIFY(window->lastError().isEmpty());
    }

    void cleanCellShowsTheDraftUntilTheExactResultComes()
    {
        auto window = openWindow(QStringLiteral("Fast"), QStringLiteral("clean-draft.png"));
        QVERIFY(window);
        CandidateGrid* grid = window->grid();
        QImage draft, shownWithDraft;
        connect(window->controller(), &EnhanceController::cleanDraftReady, window.get(),
                [&](quint64, const QImage& image) {
                    draft = image;
                    shownWithDraft = grid->cleanView()->image();
                });
        QVERIFY(test::runAndWait(*window, [&] { window->enhance(); }));
        QVERIFY2(!draft.isNull(), "an exact-consistency job at the model's scale sends a draft");
        QCOMPARE(shownWithDraft, draft);  // on screen at once
        // What is kept, shown and exported is the projected result, not the draft.
        CandidateSet* set = window->candidates();
        QVERIFY(set->hasClean());
        QVERIFY(set->clean().image != draft);
        QCOMPARE(grid->cleanView()->image(), set->clean().image);
        QVERIFY(set->clean().consistencyMse < 1e-6);
    }

    void sr3ModelsHaveNoCleanCellNorDetail()
    {
        auto window = test::makeWindow(2);
        QVERIFY(test::openAndWait(*window, {m_env->photo(QStringLiteral("sr3.png"))}));
        QVERIFY(test::runAndWait(*window, [&] {
            window->enhance();
            QVERIFY(!window->grid()->cleanView());
        }));
        QVERIFY(!window->grid()->cleanView());
        QVERIFY(!window->candidates()->hasClean());
        QCOMPARE(window->grid()->candidateCells(), 2);
        QVERIFY(!window->grid()->detailControl(0));
        QVERIFY(!window->grid()->detailControl(1));
        QTest::keyClick(window->grid(), Qt::Key_C);  // no clean cell to solo
        QCOMPARE(window->grid()->soloPosition(), -1);
    }

    void everyCandidateStartsFromTheCleanResult()
    {
        auto window = openWindow(QStringLiteral("Best"), QStringLiteral("first-preview.png"), 3);
        QVERIFY(window);
        CandidateSet* set = window->candidates();
        QVector<QImage> first(3);
        connect(set, &CandidateSet::previewChanged, window.get(), [&] {
            for (int i = 0; i < first.size(); ++i)
                if (first[i].isNull() && set->isPreviewPosition(i))
                    first[i] = set->displayImage(i);
        });
        QImage draft;
        connect(window->controller(), &EnhanceController::cleanDraftReady, window.get(),
                [&](quint64, const QImage& image) { draft = image; });
        QVERIFY(test::runAndWait(*window, [&] { window->enhance(); }));
        for (int i = 0; i < first.size(); ++i) {
            QVERIFY2(!first[i].isNull(), qPrintable(QStringLiteral("candidate %1 had a preview").arg(i + 1)));
            QVERIFY2(first[i] == set->clean().image || first[i] == draft, "the clean result or its draft");
            QVERIFY2(maxLevelDifference(set->candidate(i).image, set->clean().image) > 0,
                     "the candidate then got its own detail");
        }
    }

    void fastMakesTheCleanResultOnly()
    {
        auto window = openWindow(QStringLiteral("Fast"), QStringLiteral("fast.png"), 3);
        QVERIFY(window);
        QVERIFY(!window->settingsPanel()->findChild<QSpinBox*>(QStringLiteral("candidates"))->isEnabled());  // no candidates to count
        QVERIFY(test::runAndWait(*window, [&] {
            window->enhance();
            QCOMPARE(window->candidates()->displayCount(), 0);  // no candidate cells to wait for
        }));
        CandidateSet* set = window->candidates();
        CandidateGrid* grid = window->grid();
        QCOMPARE(set->count(), 0);
        QVERIFY(set->hasClean());
        QCOMPARE(grid->candidateCells(), 0);
        QVERIFY(grid->cleanView());
        QCOMPARE(grid->cleanView()->image(), set->clean().image);
        QCOMPARE(set->selected(), CandidateSet::kClean);
        QVERIFY(window->lastError().isEmpty());
        QVERIFY(set->uncertaintyHeat().isNull());

        // Viewing works on the clean result; exploring needs candidates.
        const auto action = [&](const QString& text) {
            for (QAction* a : window->findChildren<QAction*>())
                if (a->text() == text)
                    return a;
            return static_cast<QAction*>(nullptr);
        };
        QVERIFY(action(QStringLiteral("&Export Candidate…"))->isEnabled());
        QVERIFY(action(QStringLiteral("Export &All Candidates…"))->isEnabled());
        QVERIFY(!action(QStringLiteral("&More Like This"))->isEnabled());
        QVERIFY(!action(QStringLiteral("Select &Region"))->isEnabled());
        QVERIFY(!action(QStringLiteral("&Uncertainty Overlay"))->isEnabled());
        window->moreLikeThis();  // nothing to be more like: no job
        QVERIFY(!window->controller()->isBusy());
        window->setUncertaintyShown(true);
        window->setUncertaintyShown(false);

        QTest::keyClick(grid, Qt::Key_C);
        QCOMPARE(grid->soloPosition(), CandidateSet::kClean);
        QVERIFY(!grid->cleanView()->isHidden());
        QVERIFY(grid->originalView()->isHidden());
        QTest::keyClick(grid, Qt::Key_1);  // no candidate 1: back to the grid
        QCOMPARE(grid->soloPosition(), -1);
        QTest::keyPress(grid, Qt::Key_O);
        QVERIFY(grid->cleanView()->showsOriginal());  // flicks like a candidate
        QTest::keyRelease(grid, Qt::Key_O);
        QVERIFY(!grid->cleanView()->showsOriginal());
        QCOMPARE(grid->cleanView()->image(), set->clean().image);

        window->setSplitViewShown(true);
        QCOMPARE(window->splitView()->image(), set->clean().image);
        window->setSplitViewShown(false);

        const QString dir = outputFolder(QStringLiteral("fast-out"));
        const ExportReport report = window->exportAllTo(dir, QStringLiteral("png"));
        QVERIFY2(report.ok(), qPrintable(report.failed.join(QLatin1Char('\n'))));
        QCOMPARE(report.written, QStringList({dir + QStringLiteral("/fast_x4_clean.png")}));
        const imaging::Provenance p = imaging::readProvenance(readBytes(report.written[0]));
        QCOMPARE(p.modelId, std::string("tiny-residual-test"));
        QCOMPARE(p.detail, std::string("clean"));
        QVERIFY(maxLevelDifference(QImage(report.written[0]), set->clean().image) <= 1);
    }

    void detailSliderBlendsFromCleanToSampled()
    {
        auto window = enhancedWindow(QStringLiteral("Balanced"), QStringLiteral("detail.png"));
        QVERIFY(window);
        CandidateSet* set = window->candidates();
        DetailControl* detail = window->grid()->detailControl(0);
        QVERIFY(detail);
        QVERIFY(window->grid()->detailControl(1));
        QCOMPARE(detail->value(), 1.0);
        QCOMPARE(detail->text(), QStringLiteral("Detail 1.00"));
        QVERIFY(detail->toolTip().contains(QStringLiteral("0 = the clean")));
        QCOMPARE(detail->slider()->minimum(), int(kMinDetail * DetailControl::kTicksPerUnit));
        QCOMPARE(detail->slider()->maximum(), int(kMaxDetail * DetailControl::kTicksPerUnit));
        const ImageF sampled = *set->candidate(0).pixels;
        const ImageF clean = *set->clean().pixels;
        const ImageF other = set->outputPixels(1);
        QVERIFY(test::maxDifference(sampled, clean) > 1e-3);

        detail->slider()->setValue(0);
        QCOMPARE(set->candidate(0).detail, 0.0);
        QCOMPARE(detail->text(), QStringLiteral("Detail 0.00"));
        QCOMPARE(test::maxDifference(set->outputPixels(0), clean), 0.0);
        QCOMPARE(window->grid()->candidateView(0)->image(), set->clean().image);
        QCOMPARE(test::maxDifference(*set->candidate(0).pixels, sampled), 0.0);  // nothing was re-sampled
        QCOMPARE(test::maxDifference(set->outputPixels(1), other), 0.0);         // each candidate has its own

        detail->slider()->setValue(150);
        QCOMPARE(test::maxDifference(set->outputPixels(0), blendDetail(clean, sampled, 1.5)), 0.0);

        detail->slider()->setValue(100);
        QCOMPARE(test::maxDifference(set->outputPixels(0), sampled), 0.0);  // exactly as sampled
        QCOMPARE(window->grid()->candidateView(0)->image(), toQImage(sampled));

        // Undo walks the Detail back; the changes of one candidate merged into one step.
        window->undoStack()->undo();
        QCOMPARE(set->candidate(0).detail, 1.0);
        detail->slider()->setValue(40);
        QCOMPARE(window->undoStack()->count(), 1);
        window->undoStack()->undo();
        QCOMPARE(set->candidate(0).detail, 1.0);
        QCOMPARE(detail->value(), 1.0);  // the slider follows
        window->undoStack()->redo();
        QCOMPARE(set->candidate(0).detail, 0.4);
        QCOMPARE(detail->value(), 0.4);

        // Double-click (or Reset) goes back to 1.
        QTest::mouseDClick(detail->slider(), Qt::LeftButton);
        QCOMPARE(set->candidate(0).detail, 1.0);
        QVERIFY(!detail->resetButton()->isEnabled());
    }

    void draggingPreviewsAndLettingGoApplies()
    {
        auto window = enhancedWindow(QStringLiteral("Balanced"), QStringLiteral("drag.png"));
        QVERIFY(window);
        CandidateSet* set = window->candidates();
        DetailControl* detail = window->grid()->detailControl(1);
        QVERIFY(detail);
        detail->slider()->setSliderDown(true);
        detail->slider()->setValue(0);
        QCOMPARE(set->candidate(1).detail, 1.0);  // only previewed while held
        QCOMPARE(window->undoStack()->count(), 0);
        QCOMPARE(window->grid()->candidateView(1)->image(), set->clean().image);  // small: shown exactly
        detail->slider()->setSliderDown(false);  // let go
        QCOMPARE(set->candidate(1).detail, 0.0);
        QCOMPARE(window->undoStack()->count(), 1);
        QCOMPARE(test::maxDifference(set->outputPixels(1), *set->clean().pixels), 0.0);

        // A large result is blended shrunk while dragging.
        ImageF big(3000, 1500, 3), bigSampled(3000, 1500, 3);
        std::fill(bigSampled.pixels.begin(), bigSampled.pixels.end(), 0.5f);
        const DetailPreview preview(big, bigSampled, CandidateGrid::kDragPreviewSide);
        const QImage half = preview.render(0.5);
        QVERIFY(std::max(half.width(), half.height()) <= CandidateGrid::kDragPreviewSide);
        QCOMPARE(qRed(half.pixel(10, 10)), qRed(toQImage(applyDetail(big, bigSampled, 0.5)).pixel(10, 10)));
    }

    void exportRecordsEachCandidatesDetail()
    {
        auto window = enhancedWindow(QStringLiteral("Balanced"), QStringLiteral("export.png"));
        QVERIFY(window);
        CandidateSet* set = window->candidates();
        window->grid()->detailControl(0)->slider()->setValue(50);
        QCOMPARE(set->candidate(0).detail, 0.5);

        const QString dir = outputFolder(QStringLiteral("detail-out"));
        const ExportReport report = window->exportAllTo(dir, QStringLiteral("png"));
        QVERIFY2(report.ok(), qPrintable(report.failed.join(QLatin1Char('\n'))));
        QCOMPARE(report.written, QStringList({dir + QStringLiteral("/export_x4_clean.png"),
                                              dir + QStringLiteral("/export_x4_c1.png"),
                                              dir + QStringLiteral("/export_x4_c2.png")}));
        const imaging::Provenance first = imaging::readProvenance(readBytes(report.written[1]));
        QCOMPARE(first.detail, std::string("0.5"));
        QCOMPARE(first.candidateIndex, 0);
        QCOMPARE(first.seed, set->candidate(0).seed);
        QCOMPARE(imaging::readProvenance(readBytes(report.written[2])).detail, std::string("1"));
        // The file holds the blend at full resolution.
        QVERIFY(maxLevelDifference(QImage(report.written[1]), toQImage(set->outputPixels(0))) <= 1);
        QVERIFY(maxLevelDifference(QImage(report.written[1]), set->candidate(1).image) > 0);
    }

    void cleanCellIsSelectedViewedAndExported()
    {
        auto window = enhancedWindow(QStringLiteral("Balanced"), QStringLiteral("pick.png"));
        QVERIFY(window);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        CandidateSet* set = window->candidates();
        CandidateGrid* grid = window->grid();
        QTest::mouseClick(grid->cleanView(), Qt::LeftButton, Qt::NoModifier, grid->cleanView()->rect().center());
        QCOMPARE(set->selected(), CandidateSet::kClean);

        // Number keys and C wherever the focus is.
        QTest::keyClick(window.get(), Qt::Key_C);
        QCOMPARE(grid->soloPosition(), CandidateSet::kClean);
        QTest::keyClick(window.get(), Qt::Key_2);
        QCOMPARE(grid->soloPosition(), 1);
        QTest::keyClick(window.get(), Qt::Key_0);
        QCOMPARE(grid->soloPosition(), -1);

        window->setSplitViewShown(true);
        QCOMPARE(window->splitView()->image(), set->clean().image);
        window->setSplitViewShown(false);

        const QString dir = outputFolder(QStringLiteral("clean-out"));
        const QString path = defaultExportPath(*set, CandidateSet::kClean, dir, QStringLiteral("png"));
        QCOMPARE(QFileInfo(path).fileName(), QStringLiteral("pick_x4_clean.png"));
        const ExportReport report = exportCandidateAs(*set, CandidateSet::kClean, path);
        QVERIFY2(report.ok(), qPrintable(report.failed.join(QLatin1Char('\n'))));
        const imaging::Provenance p = imaging::readProvenance(readBytes(path));
        QCOMPARE(p.detail, std::string("clean"));
        QCOMPARE(p.candidateIndex, -1);
        QVERIFY(maxLevelDifference(QImage(path), set->clean().image) <= 1);
    }

    void resampledRegionKeepsTheCandidatesDetail()
    {
        auto window = enhancedWindow(QStringLiteral("Balanced"), QStringLiteral("region.png"));
        QVERIFY(window);
        window->show();  // the drag lands on laid-out cells
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        CandidateSet* set = window->candidates();
        window->setCandidateDetail(0, 0.5);
        set->setSelected(0);
        window->setRegionMode(true);
        // Select the middle of candidate 1 through its view, as a person would.
        ImageView* view = window->grid()->candidateView(0);
        const QRectF content = view->contentRectInWidget();
        const QPoint from = (content.topLeft() + QPointF(content.width() * 0.3, content.height() * 0.3)).toPoint();
        const QPoint to = (content.topLeft() + QPointF(content.width() * 0.7, content.height() * 0.7)).toPoint();
        QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, from);
        QMouseEvent move(QEvent::MouseMove, QPointF(to), view->mapToGlobal(QPointF(to)), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(view, &move);
        QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier, to);
        QVERIFY(!window->grid()->regionSelection().isEmpty());

        const ImageF before = *set->candidate(0).pixels;
        QVERIFY(test::runAndWait(*window, [&] { window->resampleRegion(); }));
        window->chooseAlternative(0);
        QVERIFY2(test::maxDifference(*set->candidate(0).pixels, before) > 1e-3, "the region was re-sampled");
        QCOMPARE(set->candidate(0).detail, 0.5);  // the Detail stays, applied to the new pixels
        QCOMPARE(test::maxDifference(set->outputPixels(0), blendDetail(*set->clean().pixels, *set->candidate(0).pixels, 0.5)),
                 0.0);
        QCOMPARE(window->grid()->candidateView(0)->image(), toQImage(set->outputPixels(0)));
    }

    void cancelledJobKeepsItsCleanResult()
    {
        auto window = openWindow(QStringLiteral("Balanced"), QStringLiteral("cancel.png"));
        QVERIFY(window);
        EnhanceSettings slow = test::residualShiftSettings(QStringLiteral("Balanced"), 2);
        slow.steps = 400;
        window->settingsPanel()->setSettings(slow);
        QSignalSpy cancelled(window->controller(), &EnhanceController::cancelled);
        // Cancel the moment the clean result is in: before the candidates' first steps are done.
        connect(window->controller(), &EnhanceController::cleanReady, window.get(), [&] { window->cancel(); });
        window->enhance();
        QVERIFY(cancelled.wait(60000));
        QVERIFY(!window->candidates()->hasClean());  // nothing changes unless asked
        QVERIFY(window->canKeepPreviews());
        window->banner()->actionButton()->click();
        QVERIFY(window->candidates()->hasClean());
        QCOMPARE(window->candidates()->clean().pixels->width, 64);
        QVERIFY(window->candidates()->isResult(window->candidates()->selected()));
        const ExportReport report = window->exportAllTo(outputFolder(QStringLiteral("kept-out")), QStringLiteral("png"));
        QVERIFY2(report.ok(), qPrintable(report.failed.join(QLatin1Char('\n'))));
        QVERIFY(report.written.first().endsWith(QStringLiteral("cancel_x4_clean.png")));
    }

    void fastQueueBatchWritesTheCleanResults()
    {
        auto window = test::makeWindow(2);
        window->settingsPanel()->setSettings(test::residualShiftSettings(QStringLiteral("Fast"), 2));
        const QString a = m_env->photo(QStringLiteral("batch-a.png")), b = m_env->photo(QStringLiteral("batch-b.png"), 16, 16, 2);
        QVERIFY(test::openAndWait(*window, {a, b}));
        const QString dir = outputFolder(QStringLiteral("batch-out"));
        QSignalSpy finished(window.get(), &MainWindow::queueFinished);
        window->enhanceQueueInto(dir);
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().at(0).toInt(), 2);
        QCOMPARE(finished.first().at(1).toInt(), 0);
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/batch-a_x4_clean.png")));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/batch-b_x4_clean.png")));
    }
};

QTEST_MAIN(TestUiCleanDetail)
#include "tst_ui_clean_detail.moc"
