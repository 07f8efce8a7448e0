// Faces, one by one (faces/*): the faces of a committed group photo (tests/data/images/
// group_faces.jpg, three women) are found when it opens, marked on the views and listed in the
// Faces panel; F steps through them and zooms every view; each face starts at the clean result;
// a face picked from another candidate is merged into the exported result bit for bit outside
// the face's feather, at its own Detail, undoably, and recorded in the provenance. Candidates
// come from fakeOutcome() (no engine), so only the detection is slow (a fraction of a second).
#include <QtTest>

#include <QAbstractButton>
#include <QAction>
#include <QDockWidget>
#include <QSlider>
#include <QUndoStack>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "explore/region_mask.h"
#include "faces/face_composition.h"
#include "faces/face_marks.h"
#include "faces/face_navigator.h"
#include "faces/face_session.h"
#include "model/image_convert.h"
#include "refine/imaging/engine_image.h"
#include "refine/imaging/face_detection.h"
#include "refine/imaging/metadata.h"
#include "views/candidate_grid.h"
#include "views/split_view.h"
#include "views/view_sync.h"
#include "ui_analysis_helpers.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;

namespace {

QString groupPhoto()
{
    return QStringLiteral(REFINE_TEST_DATA_DIR "/images/group_faces.jpg");
}

/// Whether pixel (x, y) lies where some face's blend can reach.
bool insideAnyReach(const QVector<QRect>& reaches, int x, int y)
{
    for (const QRect& r : reaches)
        if (r.contains(x, y))
            return true;
    return false;
}

/// Every pixel of `a` and `b` outside `reaches` is bit for bit the same; returns how many differ.
int differencesOutside(const ImageF& a, const ImageF& b, const QVector<QRect>& reaches)
{
    int differ = 0;
    for (int y = 0; y < a.height; ++y)
        for (int x = 0; x < a.width; ++x)
            if (!insideAnyReach(reaches, x, y))
                for (int c = 0; c < 3; ++c)
                    differ += a.at(x, y, c) != b.at(x, y, c) ? 1 : 0;
    return differ;
}

}  // namespace

class TestUiFaces : public QObject {
    Q_OBJECT

    std::unique_ptr<test::UiTestEnvironment> m_env;
    std::unique_ptr<MainWindow> m_window;

    FaceSession* faces() const { return m_window->faces(); }
    FaceNavigator* navigator() const { return m_window->faceNavigator(); }
    CandidateSet* set() const { return m_window->candidates(); }

    /// Two candidates and a clean result, as a residual-shift job gives them.
    void giveResults(std::uint64_t seed = 9)
    {
        test::FakeJob job;
        job.candidates = 2;
        job.clean = true;
        job.seed = seed;
        set()->setOutcome(test::fakeOutcome(set()->input(), job));
    }

    QVector<QRect> reaches() const
    {
        QVector<QRect> all;
        const QRect bounds(QPoint(0, 0), set()->outputSize());
        for (const Face& face : faces()->faces())
            all << faceReach(outputBox(face.box, set()->scale()), bounds);
        return all;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!std::filesystem::is_regular_file(imaging::defaultFaceCascadePath()))
            QSKIP(qPrintable(QStringLiteral("no face cascade at %1 (package opencv-data)")
                                 .arg(QString::fromStdString(imaging::defaultFaceCascadePath()))));
        m_env = std::make_unique<test::UiTestEnvironment>(/*withResidualShift=*/true);
        m_window = test::makeWindow();
        m_window->show();  // the views need a size to zoom to a face
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(test::openAndAnalyse(*m_window, groupPhoto()));
    }

    void init()
    {
        m_window->undoStack()->clear();
        giveResults();
        for (int face = 0; face < faces()->count(); ++face)
            faces()->setPick(face, defaultPick(*set()));
        faces()->setCurrent(0);
    }

    void facesAreFoundAndMarked()
    {
        QCOMPARE(faces()->count(), 3);
        QCOMPARE(navigator()->title(), QStringLiteral("Face 1 of 3"));
        auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("FacesDock"));
        QVERIFY(dock && !dock->isHidden());
        QTRY_VERIFY(m_window->faceMarks()->markedViews() >= 3);  // the original, the clean result, candidates
        // Left to right, inside the photo.
        for (int i = 1; i < faces()->count(); ++i)
            QVERIFY(faces()->faces()[i].box.x() > faces()->faces()[i - 1].box.x());
    }

    void stepsThroughTheFacesAndZoomsToThem()
    {
        m_window->resize(1200, 800);
        m_window->viewSync()->fit();
        navigator()->nextAction()->trigger();
        QCOMPARE(faces()->current(), 1);
        QCOMPARE(navigator()->title(), QStringLiteral("Face 2 of 3"));
        const ViewSync* sync = m_window->viewSync();
        QVERIFY(!sync->isFit());
        const QRect box = outputBox(faces()->faces()[1].box, set()->scale());
        const QSize content = set()->outputSize();
        QVERIFY(std::abs(sync->center().x() * content.width() - box.center().x()) < 2);
        QVERIFY(std::abs(sync->center().y() * content.height() - box.center().y()) < 2);
        navigator()->previousAction()->trigger();
        navigator()->previousAction()->trigger();
        QCOMPARE(faces()->current(), 2);  // round to the last
    }

    void facesStartAtTheCleanResult()
    {
        QCOMPARE(faces()->pickOf(0).source, FacePick::Source::Clean);
        QVERIFY(!faces()->pickOf(0).chosenByUser);
        QVERIFY(navigator()->versionTile(CandidateSet::kClean)->isChecked());
        QVERIFY(!navigator()->versionTile(0)->isChecked());
        QVERIFY(navigator()->pickLine().contains(QStringLiteral("(default)")));
        // Candidate 1 as exported: clean faces, its own pixels elsewhere, bit for bit.
        const ImageF exported = composeFaces(*set(), 0, faces()->faces());
        const ImageF own = set()->outputPixels(0);
        QCOMPARE(differencesOutside(exported, own, reaches()), 0);
        const QPoint centre = outputBox(faces()->faces()[0].box, set()->scale()).center();
        for (int c = 0; c < 3; ++c)
            QCOMPARE(exported.at(centre.x(), centre.y(), c), set()->clean().pixels->at(centre.x(), centre.y(), c));
        QVERIFY(!navigator()->resultPreview().isNull());
    }

    void theViewsShowTheFacesAsExported()
    {
        // What the grid and the split view show is what export writes: the clean faces by
        // default, a picked face once picked, each candidate's own pixels elsewhere.
        auto expected = [&](int position) { return toQImage(composeFaces(*set(), position, faces()->faces()), set()->colourSpace()); };
        for (int position = 0; position < set()->count(); ++position) {
            QVERIFY(set()->displayImage(position) != set()->candidate(position).image);  // the faces differ
            QCOMPARE(set()->displayImage(position), expected(position));
            QCOMPARE(m_window->grid()->candidateView(position)->image(), expected(position));
        }
        QCOMPARE(set()->cleanDisplayImage(), set()->clean().image);  // its faces are its own

        navigator()->versionTile(1)->click();  // face 1 from candidate 2: the clean result shows it too
        QCOMPARE(m_window->grid()->candidateView(0)->image(), expected(0));
        QCOMPARE(m_window->grid()->resultView(CandidateSet::kClean)->image(), expected(CandidateSet::kClean));
        set()->setSelected(0);
        m_window->setSplitViewShown(true);
        QCOMPARE(m_window->splitView()->image(), expected(0));

        m_window->undoStack()->undo();  // the view follows the undo
        QCOMPARE(m_window->splitView()->image(), expected(0));
        QCOMPARE(m_window->grid()->resultView(CandidateSet::kClean)->image(), set()->clean().image);
        m_window->setSplitViewShown(false);

        // A face at "as sampled" leaves the result's own image on screen.
        FacePick asSampled;
        asSampled.source = FacePick::Source::AsSampled;
        asSampled.chosenByUser = true;
        for (int face = 0; face < faces()->count(); ++face)
            faces()->setPick(face, asSampled);
        QCOMPARE(m_window->grid()->candidateView(1)->image(), set()->candidate(1).image);
    }

    void theDefaultFollowsTheResults()
    {
        // Faces are found as the photo opens, before any result: their default then is each
        // result's own face, and it becomes the clean result once there is one.
        FacePick beforeResults;
        beforeResults.source = FacePick::Source::AsSampled;
        faces()->setPick(0, beforeResults);
        QCOMPARE(faces()->pickOf(0).source, FacePick::Source::Clean);
        set()->setOutcome(test::fakeOutcome(set()->input(), 2));  // an SR3-like job: no clean result
        QCOMPARE(faces()->pickOf(0).source, FacePick::Source::AsSampled);
        QVERIFY(navigator()->pickLine().contains(QStringLiteral("As in each result (default)")));
    }

    void pickedFaceIsMergedBitExactlyOutsideItsFeather()
    {
        // Face 1 from candidate 2, exported with candidate 1 selected.
        navigator()->versionTile(1)->click();
        QCOMPARE(pickedPosition(*set(), faces()->pickOf(0)), 1);
        QVERIFY(faces()->pickOf(0).chosenByUser);
        QVERIFY(navigator()->versionTile(1)->isChecked());
        QVERIFY(!navigator()->versionTile(CandidateSet::kClean)->isChecked());
        set()->setSelected(0);

        const QString withFaces = m_env->path(QStringLiteral("with-faces"));
        const QString without = m_env->path(QStringLiteral("without-faces"));
        QDir().mkpath(withFaces);
        QDir().mkpath(without);
        const ExportReport report = m_window->exportAllTo(withFaces, QStringLiteral("png"));
        QVERIFY2(report.ok(), qPrintable(report.failed.join(QLatin1Char('\n'))));
        ExportOptions plain;
        plain.directory = without;
        plain.format = QStringLiteral("png");
        QVERIFY(exportCandidates(*set(), {0}, plain).ok());

        const QString name = QFileInfo(defaultExportPath(*set(), 0, withFaces, QStringLiteral("png"))).fileName();
        const ImageF merged = imaging::toImageF(imaging::readPhoto((withFaces + QLatin1Char('/') + name).toStdString()).rgb);
        const ImageF own = imaging::toImageF(imaging::readPhoto((without + QLatin1Char('/') + name).toStdString()).rgb);
        QCOMPARE(differencesOutside(merged, own, reaches()), 0);
        // Inside face 1: candidate 2's pixels; the other faces: the clean result's.
        const ImageF composed = composeFaces(*set(), 0, faces()->faces());
        const QPoint centre = outputBox(faces()->faces()[0].box, set()->scale()).center();
        for (int c = 0; c < 3; ++c)
            QCOMPARE(composed.at(centre.x(), centre.y(), c), set()->candidate(1).pixels->at(centre.x(), centre.y(), c));
        QVERIFY(merged.at(centre.x(), centre.y(), 0) != own.at(centre.x(), centre.y(), 0));

        // The provenance names every face, where it came from and who chose.
        const imaging::Provenance p = imaging::readProvenance(test::readBytes(withFaces + QLatin1Char('/') + name));
        const nlohmann::json recorded = nlohmann::json::parse(p.faces);
        QCOMPARE(int(recorded.size()), 3);
        QCOMPARE(recorded[0]["source"].get<std::string>(), std::string("candidate"));
        QCOMPARE(recorded[0]["source_candidate"].get<int>(), set()->candidate(1).index);
        QCOMPARE(recorded[0]["chosen_by"].get<std::string>(), std::string("user"));
        QCOMPARE(recorded[1]["source"].get<std::string>(), std::string("clean"));
        QCOMPARE(recorded[1]["chosen_by"].get<std::string>(), std::string("default"));
        const QRect box = outputBox(faces()->faces()[0].box, set()->scale());
        QCOMPARE(recorded[0]["box"], nlohmann::json({box.x(), box.y(), box.width(), box.height()}));
    }

    void faceDetailIsItsOwnAndUndoable()
    {
        navigator()->versionTile(0)->click();
        QVERIFY(navigator()->detailSlider()->isEnabled());
        navigator()->detailSlider()->setValue(40);  // 0.40
        navigator()->detailSlider()->setValue(50);  // one undo step for both
        QCOMPARE(faces()->pickOf(0).detail, 0.5);
        QCOMPARE(set()->candidate(0).detail, 1.0);  // the candidate's own Detail is left alone
        const ImageF composed = composeFaces(*set(), 1, faces()->faces());
        const QPoint centre = outputBox(faces()->faces()[0].box, set()->scale()).center();
        const float clean = set()->clean().pixels->at(centre.x(), centre.y(), 0);
        const float sampled = set()->candidate(0).pixels->at(centre.x(), centre.y(), 0);
        QVERIFY(std::abs(composed.at(centre.x(), centre.y(), 0) - (clean + 0.5f * (sampled - clean))) < 1e-6f);

        m_window->undoStack()->undo();
        QCOMPARE(faces()->pickOf(0).detail, 1.0);
        m_window->undoStack()->undo();
        QCOMPARE(faces()->pickOf(0).source, FacePick::Source::Clean);
        QVERIFY(!faces()->pickOf(0).chosenByUser);
        m_window->undoStack()->redo();
        QCOMPARE(pickedPosition(*set(), faces()->pickOf(0)), 0);
    }

    void picksLapseWhenANewJobReplacesTheCandidates()
    {
        navigator()->versionTile(1)->click();
        QCOMPARE(faces()->pickOf(0).source, FacePick::Source::Candidate);
        giveResults(/*seed=*/77);
        QCOMPARE(faces()->pickOf(0).source, FacePick::Source::Clean);
        QVERIFY(navigator()->pickLine().contains(QStringLiteral("(default)")));
        QVERIFY(navigator()->versionTile(CandidateSet::kClean)->isChecked());
    }

    void aQueueBatchWritesTheFacesAsTheWindowWould()
    {
        // Enhance and Export Queue: each photo's files carry its faces at their default (the
        // clean result's), as File > Export would write them.
        auto window = test::makeWindow();
        window->settingsPanel()->setSettings(test::residualShiftSettings(QStringLiteral("Balanced"), 1));
        QVERIFY(test::openAndWait(*window, {groupPhoto()}));
        const QString dir = m_env->path(QStringLiteral("batch-faces"));
        QDir().mkpath(dir);
        QSignalSpy finished(window.get(), &MainWindow::queueFinished);
        window->enhanceQueueInto(dir);
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().at(0).toInt(), 1);
        QCOMPARE(window->faces()->count(), 3);

        const QString candidateFile = defaultExportPath(*window->candidates(), 0, dir, QStringLiteral("jpg"));
        QVERIFY2(QFileInfo::exists(candidateFile), qPrintable(QDir(dir).entryList(QDir::Files).join(QLatin1Char(' '))));
        const imaging::Provenance p = imaging::readProvenance(test::readBytes(candidateFile));
        const nlohmann::json recorded = nlohmann::json::parse(p.faces);
        QCOMPARE(int(recorded.size()), 3);
        for (const auto& face : recorded) {
            QCOMPARE(face["source"].get<std::string>(), std::string("clean"));
            QCOMPARE(face["chosen_by"].get<std::string>(), std::string("default"));
        }
    }

    void photoWithoutFacesHasNoPanel()
    {
        auto window = test::makeWindow();
        QVERIFY(test::openAndAnalyse(*window, m_env->photo(QStringLiteral("landscape.png"), 96, 64)));
        QCOMPARE(window->faces()->count(), 0);
        QVERIFY(window->findChild<QDockWidget*>(QStringLiteral("FacesDock"))->isHidden());
        QCOMPARE(window->faceMarks()->markedViews(), 0);
        // Exports of a photo without faces record none.
        window->candidates()->setOutcome(test::fakeOutcome(window->candidates()->input(), 1));
        const QString dir = m_env->path(QStringLiteral("no-faces"));
        QDir().mkpath(dir);
        const ExportReport report = window->exportAllTo(dir, QStringLiteral("png"));
        QVERIFY(report.ok() && !report.written.isEmpty());
        QVERIFY(imaging::readProvenance(test::readBytes(report.written.first())).faces.empty());
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestUiFaces)
#include "tst_ui_faces.moc"
