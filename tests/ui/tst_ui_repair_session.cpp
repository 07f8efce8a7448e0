// The repair brush's session on its own, without a window or the engine: the fill job it prepares
// (the candidate's job on the input crop, inpainted under the painted area), what it does with the
// job's outcome (fills blended in by the feathered painted area), choosing, undo and redo, the
// provenance entry, and the clean result a residual-shift candidate's Detail blends over.
#include <QtTest>

#include <QUndoStack>

#include "explore/edit_commands.h"
#include "explore/explore_session.h"
#include "model/candidate_set.h"
#include "model/detail_preview.h"
#include "refine/imaging/engine_image.h"
#include "repair/repair_mask.h"
#include "repair/repair_session.h"
#include "ui_brush_helpers.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;
using test::changeWhere;
using test::maxDifference;
using test::weightAt;

namespace {

constexpr int kWidth = 24, kHeight = 16, kScale = 4;
constexpr int kScratchRow = 8;  // input pixels

/// A gentle ramp with a white scratch along row kScratchRow, x 4..19.
ImageF scratchedPhoto()
{
    ImageF image(kWidth, kHeight, 3);
    for (int y = 0; y < kHeight; ++y)
        for (int x = 0; x < kWidth; ++x)
            for (int c = 0; c < 3; ++c)
                image.at(x, y, c) = 0.2f + 0.02f * float(x) + 0.01f * float(y + c);
    for (int x = 4; x < 20; ++x)
        for (int c = 0; c < 3; ++c)
            image.at(x, kScratchRow, c) = 1.f;
    return image;
}

/// A stroke 8 output pixels wide along the scratch, as the brush paints it.
QPainterPath strokeOverTheScratch()
{
    QPainterPath line(QPointF(16, kScratchRow * kScale + 2));
    line.lineTo(QPointF(80, kScratchRow * kScale + 2));
    QPainterPathStroker stroker;
    stroker.setWidth(8);
    stroker.setCapStyle(Qt::RoundCap);
    return stroker.createStroke(line);
}

}  // namespace

class TestUiRepairSession : public QObject {
    Q_OBJECT

    std::unique_ptr<CandidateSet> m_set;
    std::unique_ptr<QUndoStack> m_undo;
    std::unique_ptr<RepairSession> m_session;

    void openPhoto(bool withClean)
    {
        auto photo = std::make_shared<imaging::Photo>();
        photo->rgb = imaging::fromImageF(scratchedPhoto());
        photo->format = "png";
        m_set->setPhoto(QStringLiteral("/tmp/repair-session.png"), photo);
        m_set->setScale(kScale);
        test::FakeJob job;
        job.clean = withClean;
        m_set->setOutcome(test::fakeOutcome(m_set->input(), job));
    }

    /// Runs a made-up fill job of three fills over `area` of candidate 1; its request.
    std::optional<EnhanceRequest> fill(const QPainterPath& area, bool continuing = false, bool withClean = false)
    {
        auto request = m_session->fillRequest(0, area, continuing);
        if (!request)
            return std::nullopt;
        test::FakeJob job;
        job.candidates = RepairSession::kFills;
        job.seed = request->seed;
        job.clean = withClean;
        m_session->takeFillOutcome(test::fakeOutcome(request->input, job));
        return request;
    }

    /// The fill's blend weights for `area`, as the session makes them.
    FeatheredMask maskOf(const QPainterPath& area) const
    {
        const RegionPlan plan = planRegion(area.boundingRect().toAlignedRect(), QSize(kWidth, kHeight), kScale);
        const int feather = repairFeather(plan, kScale);
        return featheredMask(area, maskReach(area, feather, plan.patchRect), feather);
    }

private Q_SLOTS:
    void init()
    {
        m_set = std::make_unique<CandidateSet>();
        m_undo = std::make_unique<QUndoStack>();
        m_session = std::make_unique<RepairSession>(m_set.get(), m_undo.get());
        openPhoto(false);
    }

    void cleanup()
    {
        m_session.reset();
        m_undo.reset();
        m_set.reset();
    }

    void fillJobIsTheCandidatesJobOnTheInpaintedCrop()
    {
        const QPainterPath area = strokeOverTheScratch();
        const auto request = m_session->fillRequest(0, area, false);
        QVERIFY(request);
        const RegionPlan plan = planRegion(area.boundingRect().toAlignedRect(), QSize(kWidth, kHeight), kScale);
        QCOMPARE(QSize(request->input.width, request->input.height), plan.inputCrop.size());
        QCOMPARE(request->candidates, RepairSession::kFills);
        QCOMPARE(request->scale, kScale);
        QCOMPARE(request->consistency, m_set->candidate(0).request->consistency);
        QCOMPARE(request->previewInterval, 0);
        QVERIFY(!request->uncertaintyMap);

        // The crop is the photo's, except under the painted area: there the scratch is gone.
        const ImageF crop = cropImage(m_set->input(), plan.inputCrop);
        const std::vector<std::uint8_t> mask = inputMaskUnder(area, plan.inputCrop, kScale);
        double keptChange = 0, scratchLeft = 0;
        for (int y = 0; y < crop.height; ++y)
            for (int x = 0; x < crop.width; ++x)
                for (int c = 0; c < 3; ++c) {
                    const double change = std::abs(request->input.at(x, y, c) - crop.at(x, y, c));
                    if (mask[size_t(y * crop.width + x)] == 0)
                        keptChange = std::max(keptChange, change);
                    else if (crop.at(x, y, c) == 1.f)
                        scratchLeft = std::max(scratchLeft, double(request->input.at(x, y, c)));
                }
        QCOMPARE(keptChange, 0.0);
        QVERIFY2(scratchLeft > 0 && scratchLeft < 0.7, qPrintable(QString::number(scratchLeft)));
    }

    void fillsChangeOnlyThePaintedAreaUntilUndone()
    {
        QSignalSpy ready(m_session.get(), &RepairSession::fillsReady);
        const ImageF before = *m_set->candidate(0).pixels;
        const ImageF other = *m_set->candidate(1).pixels;
        const QPainterPath area = strokeOverTheScratch();
        const auto request = fill(area);
        QVERIFY(request);
        QCOMPARE(ready.size(), 1);
        QCOMPARE(ready.first().at(1).value<QVector<QImage>>().size(), RepairSession::kFills);
        QCOMPARE(m_session->fillCount(), RepairSession::kFills);
        QCOMPARE(maxDifference(*m_set->candidate(0).pixels, before), 0.0);  // nothing applied yet

        m_session->chooseFill(1);
        const ImageF after = *m_set->candidate(0).pixels;
        const FeatheredMask mask = maskOf(area);
        QCOMPARE(changeWhere(after, before, [&](int x, int y) { return weightAt(mask, x, y) == 0; }), 0.0);
        QVERIFY(changeWhere(after, before, [&](int x, int y) { return weightAt(mask, x, y) == 255; }) > 1e-3);
        QCOMPARE(maxDifference(*m_set->candidate(1).pixels, other), 0.0);

        QCOMPARE(m_set->candidate(0).edits.size(), size_t(1));
        const imaging::RegionEdit edit = m_set->candidate(0).edits[0];
        QCOMPARE(int(edit.kind), int(imaging::RegionEdit::Kind::Repaired));
        QVERIFY(edit.brushMask);
        QCOMPARE(QRect(edit.x, edit.y, edit.width, edit.height), area.boundingRect().toAlignedRect());
        QCOMPARE(edit.seed, request->seed);
        QCOMPARE(edit.alternative, 1);
        QCOMPARE(int(edit.inpaint), int(imaging::InpaintMethod::Telea));

        // Another fill replaces the first in the same undo step; -1 restores.
        m_session->chooseFill(2);
        QCOMPARE(m_undo->count(), 1);
        QCOMPARE(m_set->candidate(0).edits.size(), size_t(1));
        m_session->chooseFill(-1);
        QCOMPARE(maxDifference(*m_set->candidate(0).pixels, before), 0.0);
        QVERIFY(m_set->candidate(0).edits.empty());

        // Undo gives the pixels back bit for bit, redo the fill bit for bit.
        m_session->chooseFill(1);
        m_undo->undo();
        QCOMPARE(maxDifference(*m_set->candidate(0).pixels, before), 0.0);
        QVERIFY(m_set->candidate(0).edits.empty());
        m_undo->redo();
        QCOMPARE(maxDifference(*m_set->candidate(0).pixels, after), 0.0);
        QCOMPARE(m_set->candidate(0).edits.size(), size_t(1));
    }

    void moreFillsContinueTheSession()
    {
        const QPainterPath area = strokeOverTheScratch();
        QVERIFY(fill(area));
        m_session->chooseFill(0);
        QVERIFY(fill(area, /*continuing=*/true));
        m_session->chooseFill(1);
        QCOMPARE(m_set->candidate(0).edits.size(), size_t(1));
        QCOMPARE(m_undo->count(), 1);
        QVERIFY(fill(area, /*continuing=*/false));  // a new session starts from the repaired pixels
        m_session->chooseFill(2);
        QCOMPARE(m_set->candidate(0).edits.size(), size_t(2));
        QCOMPARE(m_undo->count(), 2);
    }

    void repairAndExploreNeverShareAnUndoStep()
    {
        ExploreSession explore(m_set.get(), m_undo.get());
        const auto region = explore.regionRequest(0, QRect(8, 8, 16, 12), {}, false);
        QVERIFY(region);
        explore.takeRegionOutcome(test::fakeOutcome(region->input, 3, kScale, region->seed));
        explore.chooseAlternative(0);
        QVERIFY(fill(strokeOverTheScratch()));
        m_session->chooseFill(0);
        QCOMPARE(m_undo->count(), 2);
        QCOMPARE(m_set->candidate(0).edits.size(), size_t(2));
        QVERIFY(ReplacePixelsCommand::newSession() != ReplacePixelsCommand::newSession());
    }

    void repairMendsTheCleanResultTheDetailBlendsOver()
    {
        openPhoto(/*withClean=*/true);
        QVERIFY(m_set->hasClean());
        const ImageF clean = *m_set->clean().pixels;
        const ImageF before = *m_set->candidate(0).pixels;
        const QPainterPath area = strokeOverTheScratch();
        QVERIFY(fill(area, false, /*withClean=*/true));
        m_session->chooseFill(0);

        const Candidate& repaired = m_set->candidate(0);
        QVERIFY(repaired.repairedClean);
        QCOMPARE(maxDifference(*m_set->clean().pixels, clean), 0.0);  // the photo's clean result stays
        const FeatheredMask mask = maskOf(area);
        const auto outside = [&](int x, int y) { return weightAt(mask, x, y) == 0; };
        QCOMPARE(changeWhere(*repaired.repairedClean, clean, outside), 0.0);
        QVERIFY(changeWhere(*repaired.repairedClean, clean, [&](int x, int y) { return weightAt(mask, x, y) == 255; })
                > 1e-3);
        // At any Detail the painted area is the fill over the mended clean result; elsewhere as before.
        m_set->setDetail(0, 0.5);
        const ImageF shown = m_set->outputPixels(0);
        QCOMPARE(maxDifference(shown, applyDetail(*repaired.repairedClean, *repaired.pixels, 0.5)), 0.0);
        QCOMPARE(changeWhere(shown, applyDetail(clean, before, 0.5), outside), 0.0);
        QCOMPARE(m_set->detailBase(m_set->candidate(1)), m_set->clean().pixels.get());  // others keep the photo's

        m_set->setDetail(0, 1.0);
        m_undo->undo();
        QVERIFY(!m_set->candidate(0).repairedClean);
        QCOMPARE(maxDifference(*m_set->candidate(0).pixels, before), 0.0);
        m_undo->redo();
        QVERIFY(m_set->candidate(0).repairedClean);
    }

    void nothingToRepairSaysWhy()
    {
        QSignalSpy status(m_session.get(), &RepairSession::statusMessage);
        QVERIFY(!m_session->fillRequest(0, QPainterPath(), false));
        QVERIFY(!m_session->fillRequest(CandidateSet::kClean, strokeOverTheScratch(), false));
        QVERIFY(!m_session->fillRequest(7, strokeOverTheScratch(), false));
        QPainterPath everything;
        everything.addRect(QRectF(0, 0, kWidth * kScale, kHeight * kScale));
        QVERIFY(!m_session->fillRequest(0, everything, false));
        QCOMPARE(status.size(), 4);
        QVERIFY(status.last().at(0).toString().contains(QStringLiteral("nothing around it")));
        m_session->chooseFill(0);  // no session: nothing happens
        QCOMPARE(m_undo->count(), 0);
    }

    void newPhotoEndsTheSession()
    {
        QVERIFY(fill(strokeOverTheScratch()));
        openPhoto(false);
        QCOMPARE(m_session->fillCount(), 0);
        m_session->chooseFill(0);
        QCOMPARE(m_undo->count(), 0);
    }
};

QTEST_MAIN(TestUiRepairSession)
#include "tst_ui_repair_session.moc"
