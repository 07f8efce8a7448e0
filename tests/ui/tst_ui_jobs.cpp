// The job plumbing: the controller and its worker thread (previews then candidates, cancel,
// stale jobs, failures), and the window driving it (progress, cancel leaves the UI usable).
#include <QtTest>

#include <QAction>
#include <QElapsedTimer>
#include <QFile>

#include "jobs/enhance_controller.h"
#include "jobs/memory_check.h"
#include "jobs/preview_outcome.h"
#include "jobs/taskbar_progress.h"
#include "panels/inline_banner.h"
#include "refine/engine/engine.h"
#include <QToolButton>
#include "jobs/time_estimator.h"
#include "model/error_text.h"
#include "model/image_convert.h"
#include "refine/imaging/engine_image.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;

class TestUiJobs : public QObject {
    Q_OBJECT

    std::unique_ptr<test::UiTestEnvironment> m_env;

    EnhanceJob job(int candidates = 2, int steps = 2, const std::string& sampler = "ddim") const
    {
        EnhanceJob j;
        j.modelId = "tiny-test";
        j.request->input = toImageF(QImage(m_env->photo(QStringLiteral("job.png"))));
        j.request->scale = 4;
        j.request->candidates = candidates;
        j.request->steps = steps;
        j.request->sampler = sampler;
        j.request->seed = 7;
        j.request->previewInterval = 1;
        j.request->uncertaintyMap = candidates > 1;
        return j;
    }

private Q_SLOTS:
    void initTestCase() { m_env = std::make_unique<test::UiTestEnvironment>(); }

    void enhanceEmitsPreviewsThenCandidates()
    {
        EnhanceController controller;
        QSignalSpy previews(&controller, &EnhanceController::previewReady);
        QSignalSpy progress(&controller, &EnhanceController::progress);
        QSignalSpy finished(&controller, &EnhanceController::finished);
        int previewsBeforeResult = -1;
        connect(&controller, &EnhanceController::finished, this, [&] { previewsBeforeResult = int(previews.size()); });

        const quint64 id = controller.start(job(3, 3));
        QVERIFY(controller.isBusy());
        QVERIFY(finished.wait(120000));
        QVERIFY2(previewsBeforeResult > 0, "previews arrive while refining, before the result");
        QVERIFY(!progress.isEmpty());
        QCOMPARE(finished.first().at(0).toULongLong(), id);
        const auto frame = previews.last().at(1).value<PreviewFrame>();
        QCOMPARE(frame.images.size(), 3);
        QVERIFY(!frame.images[0].isNull());

        const auto outcome = finished.first().at(1).value<JobOutcome>();
        QCOMPARE(int(outcome.result->candidates.size()), 3);
        QCOMPARE(outcome.candidates.size(), 3);
        QCOMPARE(outcome.candidates[0].size(), QSize(64, 64));
        QCOMPARE(outcome.result->candidates[2].index, 2);
        // Every image once: the pixels moved out of the engine's result, the input released.
        QCOMPARE(outcome.candidatePixels.size(), 3);
        QCOMPARE(outcome.candidatePixels[0]->width, 64);
        QVERIFY(outcome.result->candidates[0].image.empty());
        QVERIFY(outcome.result->uncertainty.empty());
        QVERIFY(outcome.request->input.empty());
        QCOMPARE(outcome.inputSize, QSize(16, 16));
        QVERIFY(!outcome.uncertaintyHeat.isNull());
        QCOMPARE(outcome.model.id, std::string("tiny-test"));
        QVERIFY(!controller.isBusy());
    }

    void cancelReturnsPromptlyAndNextJobRuns()
    {
        EnhanceController controller;
        QSignalSpy cancelled(&controller, &EnhanceController::cancelled);
        QSignalSpy finished(&controller, &EnhanceController::finished);
        QElapsedTimer sinceCancel;
        // Cancel from the GUI thread at the first progress report of a long job.
        connect(&controller, &EnhanceController::progress, this, [&] {
            if (!sinceCancel.isValid()) {
                sinceCancel.start();
                controller.cancel();
                QVERIFY(controller.isCancelling());
            }
        });
        controller.start(job(2, 400, "ddpm"));
        QVERIFY(cancelled.wait(120000));
        QVERIFY2(sinceCancel.elapsed() < 10000, "a cancel stops within a step or so");
        QVERIFY(finished.isEmpty());
        QVERIFY(!controller.isBusy());

        controller.disconnect(this);
        controller.start(job(1, 2));
        QVERIFY(finished.wait(120000));
        QCOMPARE(cancelled.size(), 1);
    }

    void staleJobsNeverReport()
    {
        EnhanceController controller;
        QSignalSpy finished(&controller, &EnhanceController::finished);
        QSignalSpy cancelled(&controller, &EnhanceController::cancelled);
        controller.start(job(2, 200, "ddpm"));
        const quint64 second = controller.start(job(1, 2));  // supersedes the first
        QVERIFY(finished.wait(120000));
        QTest::qWait(100);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(0).toULongLong(), second);
        QVERIFY(cancelled.isEmpty());
    }

    void brokenModelFailsWithAMessage()
    {
        const QString dir = m_env->path(QStringLiteral("broken"));
        QDir().mkpath(dir);
        QFile weights(dir + QStringLiteral("/model.safetensors"));
        QVERIFY(weights.open(QIODevice::WriteOnly));
        weights.write("garbage, not safetensors");
        weights.close();
        EnhanceController controller;
        QSignalSpy failed(&controller, &EnhanceController::failed);
        EnhanceJob j = job();
        j.modelId = weights.fileName().toStdString();
        controller.start(j);
        QVERIFY(failed.wait(60000));
        const auto error = failed.first().at(1).value<JobError>();
        QCOMPARE(int(error.kind), int(JobError::Kind::BadModel));
        QVERIFY(!error.detail.isEmpty());
        QVERIFY(enhanceErrorText(error).text.contains(QStringLiteral("model")));
        QVERIFY(enhanceErrorText(JobError{JobError::Kind::NoModel, {}}).text.contains(QStringLiteral("REFINE_MODELS_DIR")));
    }

    void windowShowsProgressAndResults()
    {
        auto window = test::makeWindow(2);
        QVERIFY(test::openAndWait(*window, {m_env->photo(QStringLiteral("w.png"))}));
        QSignalSpy previews(window->candidates(), &CandidateSet::previewChanged);
        QVERIFY(test::runAndWait(*window, [&] { window->enhance(); }));
        QVERIFY(!previews.isEmpty());
        QCOMPARE(window->candidates()->count(), 2);
        QCOMPARE(window->candidates()->selected(), 0);
        QVERIFY(window->lastError().isEmpty());
        QVERIFY(!window->windowTitle().startsWith(QLatin1Char('[')));  // the progress prefix is gone
    }

    void openingAPhotoLoadsTheModelBeforeEnhance()
    {
        auto window = test::makeWindow(2);
        QSignalSpy loaded(window->controller(), &EnhanceController::modelLoaded);
        QVERIFY(test::openAndWait(*window, {m_env->photo(QStringLiteral("preload.png"))}));
        QVERIFY(loaded.wait(30000));  // no Enhance yet
        QCOMPARE(loaded.last().at(0).toString(), QStringLiteral("tiny-test"));
        QVERIFY(!window->controller()->isBusy());
        QVERIFY(test::runAndWait(*window, [&] { window->enhance(); }));
        QCOMPARE(loaded.size(), 1);  // the job found it loaded
        QCOMPARE(window->candidates()->count(), 2);
        // A broken model is not reported on opening; the job that needs it says what is wrong.
        auto broken = test::makeWindow(1);
        auto settings = test::fastSettings(1);
        settings.modelId = m_env->path(QStringLiteral("no-such-model"));
        broken->settingsPanel()->setSettings(settings);
        QVERIFY(test::openAndWait(*broken, {m_env->photo(QStringLiteral("preload2.png"))}));
        QTest::qWait(200);
        QVERIFY(broken->lastError().isEmpty());
    }

    void cascadeShowsEveryPassInTitleAndTaskbar()
    {
        auto window = test::makeWindow(1);
        EnhanceSettings x8 = test::fastSettings(1);
        x8.scale = 8;  // two passes with the x4 model: x4 then /2, x4
        window->settingsPanel()->setSettings(x8);
        QVERIFY(test::openAndWait(*window, {m_env->photo(QStringLiteral("x8.png"), 8, 8)}));
        QStringList lines, titles;
        QList<int> taskbar;
        connect(window->controller(), &EnhanceController::progress, window.get(), [&] {
            lines << window->progressText();
            titles << window->windowTitle();
            taskbar << window->taskbarProgress()->percent();
        });
        QVERIFY(test::runAndWait(*window, [&] { window->enhance(); }));
        QVERIFY2(lines.filter(QStringLiteral("pass 1 of 2")).size() > 0, qPrintable(lines.join(QLatin1Char('|'))));
        QVERIFY2(lines.filter(QStringLiteral("pass 2 of 2")).size() > 0, qPrintable(lines.join(QLatin1Char('|'))));
        QVERIFY(titles.first().startsWith(QLatin1Char('[')));
        QVERIFY(taskbar.first() >= 0 && taskbar.last() >= taskbar.first());
        QCOMPARE(window->taskbarProgress()->percent(), -1);  // hidden once the job is done
        QCOMPARE(window->candidates()->candidate(0).pixels->width, 64);
        QCOMPARE(TaskbarProgress::launcherProperties(40).value(QStringLiteral("progress")).toDouble(), 0.4);
        QVERIFY(!TaskbarProgress::launcherProperties(-1).value(QStringLiteral("progress-visible")).toBool());
    }

    void windowCancelLeavesTheUiUsable()
    {
        auto window = test::makeWindow(2);
        EnhanceSettings slow = test::fastSettings(2);
        slow.preset = QStringLiteral("Best");
        slow.steps = 400;
        window->settingsPanel()->setSettings(slow);
        QVERIFY(test::openAndWait(*window, {m_env->photo(QStringLiteral("c.png"))}));
        QSignalSpy progress(window->controller(), &EnhanceController::progress);
        QSignalSpy cancelled(window->controller(), &EnhanceController::cancelled);
        window->enhance();
        QVERIFY(progress.wait(60000));
        QVERIFY(window->windowTitle().startsWith(QLatin1Char('[')));
        QElapsedTimer timer;
        timer.start();
        window->cancel();
        QVERIFY(cancelled.wait(30000));
        QVERIFY(timer.elapsed() < 10000);
        QCOMPARE(window->candidates()->count(), 0);
        QVERIFY(!window->candidates()->isRefining());
        QVERIFY(window->lastError().isEmpty());

        window->settingsPanel()->setSettings(test::fastSettings(1));
        QVERIFY(test::runAndWait(*window, [&] { window->enhance(); }));
        QCOMPARE(window->candidates()->count(), 1);
    }

    void cancelledPreviewsCanBeKept()
    {
        auto window = test::makeWindow(2);
        EnhanceSettings slow = test::fastSettings(2);
        slow.steps = 400;
        window->settingsPanel()->setSettings(slow);
        QVERIFY(test::openAndWait(*window, {m_env->photo(QStringLiteral("keep.png"))}));
        QSignalSpy previews(window->candidates(), &CandidateSet::previewChanged);
        QSignalSpy cancelled(window->controller(), &EnhanceController::cancelled);
        window->enhance();
        QVERIFY(previews.wait(60000));
        window->cancel();
        QVERIFY(cancelled.wait(30000));
        QCOMPARE(window->candidates()->count(), 0);  // nothing changes unless asked
        QVERIFY(window->canKeepPreviews());
        QVERIFY(window->banner()->isVisibleTo(window.get()));
        QVERIFY(window->banner()->actionButton()->isVisibleTo(window.get()));

        window->banner()->actionButton()->click();
        QCOMPARE(window->candidates()->count(), 2);
        const Candidate& kept = window->candidates()->candidate(0);
        QVERIFY(kept.previewStep > 0 && kept.previewStep < 400);
        QCOMPARE(kept.result->steps, kept.previewStep);  // the provenance tells the steps actually run
        QCOMPARE(kept.pixels->width, 64);
        QCOMPARE(kept.image.size(), QSize(64, 64));
        QCOMPARE(kept.seed, candidateSeed(42, 0));
        QVERIFY(!window->canKeepPreviews());
        QVERIFY(!window->banner()->isVisibleTo(window.get()));
    }

    void keptPreviewsOfLargePhotosAreEnlarged()
    {
        EnhanceRequest request;
        request.scale = 4;
        request.seed = 5;
        request.firstCandidateIndex = 3;
        QImage small(120, 80, QImage::Format_RGB32);
        small.fill(Qt::gray);
        const JobOutcome outcome = outcomeFromPreviews({QImage(), small}, 7, request, QSize(300, 200), ModelInfo{});
        QCOMPARE(outcome.result->candidates.size(), size_t(1));  // the unstarted one is skipped
        QCOMPARE(outcome.result->candidates[0].index, 4);
        QCOMPARE(outcome.candidatePixels[0]->width, 1200);
        QCOMPARE(outcome.candidates[0].size(), QSize(1200, 800));
        QVERIFY(!outcomeFromPreviews({QImage()}, 7, request, QSize(300, 200), ModelInfo{}).result);
    }

    void firstEstimateComesFromTheModelsArithmetic()
    {
        const std::vector<ModelInfo> models = Engine::installedModels();
        const auto tiny = std::find_if(models.begin(), models.end(), [](const ModelInfo& m) { return m.id == "tiny-test"; });
        QVERIFY(tiny != models.end());
        const double one = Engine::estimateJobFlops(*tiny, 32, 32, 4, 1, 10);
        QVERIFY(one > 0);
        QCOMPARE(Engine::estimateJobFlops(*tiny, 32, 32, 4, 3, 10), 3 * one);
        QVERIFY(Engine::estimateJobFlops(*tiny, 32, 32, 16, 1, 10) > 16 * one);  // the second pass is 16x larger
        QCOMPARE(Engine::estimateJobFlops(ModelInfo{}, 32, 32, 4, 1, 10), 0.0);  // no card: unknown

        TimeEstimator estimator;
        const JobSize size{32, 32, 4, 4, 1, 10};
        const double fromFlops = estimator.estimateSeconds(size, false, one);
        QVERIFY(fromFlops > 0);
        QCOMPARE(estimator.estimateSeconds(size, false, 2 * one), 2 * fromFlops);
        estimator.calibrate(size, 8.0);
        QCOMPARE(estimator.estimateSeconds(size, false, one), 8.0);  // measured beats counted

        QSettings().remove(QStringLiteral("calibration"));
        auto window = test::makeWindow(1);
        QVERIFY(test::openAndWait(*window, {m_env->photo(QStringLiteral("estimate.png"))}));
        QVERIFY2(window->settingsPanel()->estimate().contains(QStringLiteral("model's size")),
                 qPrintable(window->settingsPanel()->estimate()));
    }

    void memoryIsCheckedFromTheEnginesEstimate()
    {
        const std::vector<ModelInfo> models = Engine::installedModels();
        const auto tiny = std::find_if(models.begin(), models.end(), [](const ModelInfo& m) { return m.id == "tiny-test"; });
        QVERIFY(tiny != models.end());
        EnhanceRequest request;
        request.scale = 4;
        request.candidates = 4;
        const JobShape shape = Engine::jobShape(*tiny, request, 400, 300, true);
        const MemoryCheck plenty = checkJobMemory(*tiny, shape, false, Precision::Float32, true, 64ull << 30);
        QVERIFY(plenty.known);
        QVERIFY(plenty.fits);
        QVERIFY2(plenty.line.startsWith(QStringLiteral("Memory: about")), qPrintable(plenty.line));
        QVERIFY(plenty.problem.isEmpty());
        // The same job on a computer with less free than it needs, room for one candidate:
        // refused, with what would fit.
        JobShape one = shape;
        one.candidates = 1;
        const std::uint64_t oneNeeds = checkJobMemory(*tiny, one, false, Precision::Float32, true, 0).needBytes;
        QVERIFY(oneNeeds < plenty.needBytes);
        const MemoryCheck tight = checkJobMemory(*tiny, shape, false, Precision::Float32, true,
                                                 (oneNeeds + plenty.needBytes) / 2);
        QVERIFY(!tight.fits);
        QVERIFY2(tight.problem.contains(QStringLiteral("only")) && tight.problem.contains(QStringLiteral("would fit")),
                 qPrintable(tight.problem));
        QVERIFY2(tight.problem.contains(QStringLiteral("candidate")), qPrintable(tight.problem));  // fewer candidates first
        // Free memory unknown: nothing is refused on a guess.
        QVERIFY(checkJobMemory(*tiny, shape, false, Precision::Float32, true, 0).fits);
        // Without LibTorch and the model loaded yet, they count too.
        QVERIFY(checkJobMemory(*tiny, shape, false, Precision::Float32, false, 64ull << 30).needBytes > plenty.needBytes);
    }

    void aJobThatCannotFitIsRefusedBeforeItStarts()
    {
        // 1200x800 at x16 with 9 candidates: 245 megapixels each, about 190 GB in all; one
        // candidate at x2 (4 megapixels, about 2 GB) fits on any machine that runs the tests.
        auto window = test::makeWindow(9);
        EnhanceSettings huge = test::fastSettings(9);
        huge.scale = 16;
        window->settingsPanel()->setSettings(huge);
        QVERIFY(test::openAndWait(*window, {m_env->photo(QStringLiteral("huge.png"), 1200, 800)}));
        QVERIFY2(window->settingsPanel()->estimate().contains(QStringLiteral("would fit")),
                 qPrintable(window->settingsPanel()->estimate()));  // said before Enhance is pressed
        QSignalSpy started(window->controller(), &EnhanceController::started);
        window->enhance();
        QVERIFY(started.isEmpty());
        QVERIFY(!window->controller()->isBusy());
        QVERIFY(!window->candidates()->isRefining());
        QVERIFY2(window->lastError().startsWith(QStringLiteral("Not enough memory: This job needs about")),
                 qPrintable(window->lastError()));
        QVERIFY2(window->lastError().contains(QStringLiteral("would fit")), qPrintable(window->lastError()));
    }

    void estimatorLearnsFromJobs()
    {
        TimeEstimator estimator;
        const JobSize size{100, 100, 4, 4, 2, 10};
        QVERIFY(estimator.estimateSeconds(size, false) > estimator.estimateSeconds(size, true));
        estimator.calibrate(size, 8.0);
        QVERIFY(estimator.isCalibrated());
        QCOMPARE(estimator.estimateSeconds(size, false), 8.0);
        JobSize twice = size;
        twice.candidates = 4;
        QCOMPARE(estimator.estimateSeconds(twice, false), 16.0);
        JobSize cascade = size;
        cascade.scale = 16;  // two x4 passes: the second at 16x the pixels
        QCOMPARE(TimeEstimator::units(cascade), TimeEstimator::units(size) * 17);
    }
};

QTEST_MAIN(TestUiJobs)
#include "tst_ui_jobs.moc"
