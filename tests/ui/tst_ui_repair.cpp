// The repair brush in the window, as a person uses it, with the tiny model: painting over a
// scratch (Shift erases, Esc clears), Repair Painted Area, choosing a fill. Outside the painted
// area's feather the pixels stay bit for bit, undo and redo are exact, the scratch is not copied
// back into the fill, and the exported file records the repair. A Fast job's clean result is
// repaired too. Each slot gets a fresh window with two candidates.
#include <QtTest>

#include <QPainter>
#include <QUndoStack>

#include <nlohmann/json.hpp>

#include "files/candidate_exporter.h"
#include "jobs/enhance_controller.h"
#include "panels/alternatives_strip.h"
#include "refine/imaging/metadata.h"
#include "repair/repair_mask.h"
#include "repair/repair_session.h"
#include "views/candidate_grid.h"
#include "views/view_sync.h"
#include "ui_brush_helpers.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;
using test::changeWhere;
using test::weightAt;

namespace {

constexpr int kWidth = 24, kHeight = 16, kScale = 4;
constexpr int kScratchRow = 8;  // input pixels

/// A gentle ramp with a white scratch one pixel wide along row kScratchRow, x 4..19.
QString writeScratchedPhoto(const QString& path)
{
    QImage image(kWidth, kHeight, QImage::Format_RGB32);
    for (int y = 0; y < kHeight; ++y)
        for (int x = 0; x < kWidth; ++x)
            image.setPixelColor(x, y, QColor(60 + 4 * x, 70 + 3 * y, 90 + 2 * x));
    QPainter painter(&image);
    painter.setPen(Qt::white);
    painter.drawLine(4, kScratchRow, 19, kScratchRow);
    painter.end();
    image.save(path);
    return path;
}

/// The scratch's band in output pixels, where the brush paints.
constexpr double kScratchY = kScratchRow * kScale + 2;

/// Mean of the pixels where `where(x, y)` holds.
template <typename Where>
double meanWhere(const ImageF& image, Where where)
{
    double sum = 0;
    int n = 0;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x)
            if (where(x, y))
                for (int c = 0; c < 3; ++c, ++n)
                    sum += image.at(x, y, c);
    return n > 0 ? sum / n : 0;
}

}  // namespace

class TestUiRepair : public QObject {
    Q_OBJECT

    std::unique_ptr<test::UiTestEnvironment> m_env;
    std::unique_ptr<MainWindow> m_window;

    CandidateSet* set() const { return m_window->candidates(); }
    CandidateGrid* grid() const { return m_window->grid(); }

    /// Paints with the repair brush along the scratch on candidate 1 (output pixels).
    QPainterPath paintOverTheScratch()
    {
        m_window->setRepairBrushMode(true);
        grid()->setBrushDiameter(8);
        test::paintStroke(grid()->candidateView(0), QPointF(16, kScratchY), QPointF(80, kScratchY));
        return grid()->brushArea();
    }

    /// The painted area's blend weights, as the repair makes them.
    static FeatheredMask maskOf(const QPainterPath& area)
    {
        const RegionPlan plan = planRegion(area.boundingRect().toAlignedRect(), QSize(kWidth, kHeight), kScale);
        const int feather = repairFeather(plan, kScale);
        return featheredMask(area, maskReach(area, feather, plan.patchRect), feather);
    }

private Q_SLOTS:
    void initTestCase() { m_env = std::make_unique<test::UiTestEnvironment>(/*withResidualShift=*/true); }

    void init()
    {
        m_window = test::makeWindow(2);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        const QString photo = writeScratchedPhoto(m_env->path(QStringLiteral("scratched.png")));
        QVERIFY(test::openAndWait(*m_window, {photo}));
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->enhance(); }));
        QCOMPARE(set()->count(), 2);
    }

    void cleanup() { m_window.reset(); }

    void brushPaintsErasesAndClears()
    {
        const QPainterPath area = paintOverTheScratch();
        QVERIFY(!area.isEmpty());
        QCOMPARE(set()->selected(), 0);
        QVERIFY(area.contains(QPointF(48, kScratchY)));
        QCOMPARE(grid()->candidateView(1)->brushArea(), area);  // shown on every candidate

        // Shift+drag across the middle takes that part away again.
        grid()->setBrushDiameter(12);
        test::paintStroke(grid()->candidateView(0), QPointF(48, 20), QPointF(48, 50), Qt::ShiftModifier);
        const QPainterPath left = grid()->brushArea();
        QVERIFY(!left.contains(QPointF(48, kScratchY)));
        QVERIFY(left.contains(QPointF(24, kScratchY)));
        QVERIFY(left.contains(QPointF(72, kScratchY)));

        // Erasing everything clears the area, as Esc does.
        grid()->setBrushDiameter(200);
        test::paintStroke(grid()->candidateView(0), QPointF(48, 32), QPointF(50, 32), Qt::ShiftModifier);
        QVERIFY(grid()->brushArea().isEmpty());
        paintOverTheScratch();
        QTest::keyClick(grid()->candidateView(0), Qt::Key_Escape);
        QVERIFY(grid()->brushArea().isEmpty());
    }

    void repairFillsThePaintedAreaWithoutTheScratch()
    {
        const QPainterPath area = paintOverTheScratch();
        const ImageF before = *set()->candidate(0).pixels;
        const ImageF other = *set()->candidate(1).pixels;
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->repairPaintedArea(); }));
        QCOMPARE(m_window->alternatives()->count(), RepairSession::kFills);
        QVERIFY(m_window->alternatives()->isVisible());
        QCOMPARE(test::maxDifference(*set()->candidate(0).pixels, before), 0.0);  // nothing applied yet

        m_window->chooseAlternative(1);
        const ImageF after = *set()->candidate(0).pixels;
        const FeatheredMask mask = maskOf(area);
        const auto outside = [&](int x, int y) { return weightAt(mask, x, y) == 0; };
        const auto inside = [&](int x, int y) { return weightAt(mask, x, y) == 255; };
        QCOMPARE(changeWhere(after, before, outside), 0.0);
        QCOMPARE(test::maxDifference(*set()->candidate(1).pixels, other), 0.0);
        // The scratch was in the candidate (it is consistent with the photo); the fill is not.
        const double scratch = meanWhere(before, inside), filled = meanWhere(after, inside);
        const double around = meanWhere(before, [&](int x, int y) {
            return outside(x, y) && std::abs(y - kScratchY) < 14 && x >= 16 && x < 80;
        });
        QVERIFY2(scratch - filled > 0.2 && std::abs(filled - around) < 0.1,
                 qPrintable(QStringLiteral("scratch %1, fill %2, around %3").arg(scratch).arg(filled).arg(around)));

        const imaging::RegionEdit edit = set()->candidate(0).edits.back();
        QCOMPARE(int(edit.kind), int(imaging::RegionEdit::Kind::Repaired));
        // The painted area is drawn as its outline now, so the fill shows; "As it was" washes it again.
        QVERIFY(!grid()->candidateView(0)->isBrushAreaWashed());
        m_window->chooseAlternative(-1);
        QVERIFY(grid()->candidateView(0)->isBrushAreaWashed());
        QCOMPARE(test::maxDifference(*set()->candidate(0).pixels, before), 0.0);
        m_window->chooseAlternative(1);

        // Undo and redo, exact.
        m_window->undoStack()->undo();
        QCOMPARE(test::maxDifference(*set()->candidate(0).pixels, before), 0.0);
        QVERIFY(set()->candidate(0).edits.empty());
        m_window->undoStack()->redo();
        QCOMPARE(test::maxDifference(*set()->candidate(0).pixels, after), 0.0);
        QCOMPARE(set()->candidate(0).edits.size(), size_t(1));
    }

    void repairHoldsAtEveryDetailWithTheDefaultModelsKind()
    {
        // A residual-shift model: candidates are shown as clean + Detail (candidate - clean).
        m_window->settingsPanel()->setSettings(test::residualShiftSettings(QStringLiteral("Balanced"), 2));
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->enhance(); }));
        QVERIFY(set()->hasClean());
        const QPainterPath area = paintOverTheScratch();
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->repairPaintedArea(); }));
        m_window->chooseAlternative(0);
        QVERIFY(set()->candidate(0).repairedClean);

        // At Detail 0 the candidate is its (mended) clean result: the scratch is gone there too.
        m_window->setCandidateDetail(0, 0.0);
        const ImageF atZero = set()->outputPixels(0);
        const ImageF photoClean = *set()->clean().pixels;
        const FeatheredMask mask = maskOf(area);
        const auto inside = [&](int x, int y) { return weightAt(mask, x, y) == 255; };
        const auto outside = [&](int x, int y) { return weightAt(mask, x, y) == 0; };
        QCOMPARE(changeWhere(atZero, photoClean, outside), 0.0);
        const double scratch = meanWhere(photoClean, inside), mended = meanWhere(atZero, inside);
        QVERIFY2(scratch - mended > 0.2, qPrintable(QStringLiteral("scratch %1, mended %2").arg(scratch).arg(mended)));
        m_window->undoStack()->undo();  // the Detail
        m_window->undoStack()->undo();  // the repair
        QVERIFY(!set()->candidate(0).repairedClean);
    }

    void aFastResultIsRepairedByTheCleanUpscaler()
    {
        // A Fast job gives the clean result alone; the brush paints on it, and the repair is the
        // clean upscaler's on the inpainted photo: one fill, undoable, recorded as such.
        m_window->settingsPanel()->setSettings(test::residualShiftSettings(QStringLiteral("Fast"), 2));
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->enhance(); }));
        QCOMPARE(set()->count(), 0);
        QVERIFY(set()->hasClean() && grid()->cleanView());
        m_window->setRepairBrushMode(true);
        grid()->setBrushDiameter(8);
        test::paintStroke(grid()->cleanView(), QPointF(16, kScratchY), QPointF(80, kScratchY));
        const QPainterPath area = grid()->brushArea();
        QVERIFY(!area.isEmpty());
        QCOMPARE(set()->selected(), CandidateSet::kClean);

        const ImageF before = *set()->clean().pixels;
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->repairPaintedArea(); }));
        QCOMPARE(m_window->alternatives()->count(), 1);
        QCOMPARE(test::maxDifference(*set()->clean().pixels, before), 0.0);  // nothing applied yet
        m_window->chooseAlternative(0);
        const ImageF after = *set()->clean().pixels;
        const FeatheredMask mask = maskOf(area);
        const auto outside = [&](int x, int y) { return weightAt(mask, x, y) == 0; };
        const auto inside = [&](int x, int y) { return weightAt(mask, x, y) == 255; };
        QCOMPARE(changeWhere(after, before, outside), 0.0);
        const double scratch = meanWhere(before, inside), filled = meanWhere(after, inside);
        QVERIFY2(scratch - filled > 0.2, qPrintable(QStringLiteral("scratch %1, fill %2").arg(scratch).arg(filled)));
        QCOMPARE(grid()->cleanView()->image(), set()->clean().image);  // the views show the repair

        ExportOptions options;
        options.directory = m_env->path(QStringLiteral("clean-repaired"));
        options.format = QStringLiteral("png");
        QDir().mkpath(options.directory);
        const ExportReport report = exportCandidates(*set(), {CandidateSet::kClean}, options);
        QVERIFY2(report.ok(), qPrintable(report.failed.join(QLatin1Char('\n'))));
        const nlohmann::json edits =
            nlohmann::json::parse(imaging::readProvenance(test::readBytes(report.written[0])).edits);
        QCOMPARE(edits.size(), size_t(1));
        QCOMPARE(edits[0]["method"].get<std::string>(), std::string("inpaint+clean"));
        QCOMPARE(edits[0]["alternative"].get<int>(), -1);

        m_window->undoStack()->undo();
        QCOMPARE(test::maxDifference(*set()->clean().pixels, before), 0.0);
        QVERIFY(set()->clean().edits.empty());
        m_window->undoStack()->redo();
        QCOMPARE(test::maxDifference(*set()->clean().pixels, after), 0.0);
    }

    void exportedFileRecordsTheRepair()
    {
        paintOverTheScratch();
        quint64 seed = 0;
        QObject::connect(m_window->controller(), &EnhanceController::finished, this,
                         [&seed](quint64, const JobOutcome& outcome) { seed = outcome.request->seed; });
        QVERIFY(test::runAndWait(*m_window, [this] { m_window->repairPaintedArea(); }));
        m_window->chooseAlternative(2);

        ExportOptions options;
        options.directory = m_env->path(QStringLiteral("repaired"));
        options.format = QStringLiteral("png");
        QDir().mkpath(options.directory);
        const ExportReport report = exportCandidates(*set(), {0}, options);
        QVERIFY2(report.ok(), qPrintable(report.failed.join(QLatin1Char('\n'))));
        const nlohmann::json edits =
            nlohmann::json::parse(imaging::readProvenance(test::readBytes(report.written[0])).edits);
        QCOMPARE(edits.size(), size_t(1));
        const nlohmann::json& entry = edits[0];
        QCOMPARE(entry["kind"].get<std::string>(), std::string("repaired"));
        QCOMPARE(entry["method"].get<std::string>(), std::string("inpaint+diffusion"));
        QCOMPARE(entry["inpaint"].get<std::string>(), std::string("telea"));
        QCOMPARE(entry["shape"].get<std::string>(), std::string("brush"));
        QCOMPARE(entry["seed"].get<std::uint64_t>(), std::uint64_t(seed));
        QCOMPARE(entry["alternative"].get<int>(), 2);
        const QRect box = grid()->brushArea().boundingRect().toAlignedRect();
        QCOMPARE(entry["region"], nlohmann::json({box.x(), box.y(), box.width(), box.height()}));
    }
};

QTEST_MAIN(TestUiRepair)
#include "tst_ui_repair.moc"
