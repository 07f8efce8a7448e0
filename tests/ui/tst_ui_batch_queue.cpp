// The queue batch on its own, without a window or the engine: photos are opened and "enhanced"
// (a made-up result) as the window would, when the batch asks, one event-loop turn later. Every
// photo's results are written, a photo that cannot be read is skipped, a broken model or a
// folder that cannot be written stops the batch once, a cancel stops it. Every slot starts a
// fresh batch.
#include <QtTest>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "files/photo_loader.h"
#include "jobs/batch_queue.h"
#include "model/candidate_set.h"
#include "ui_test_helpers.h"
#include "ui_test_model.h"

using namespace refine;
using namespace refine::ui;

class TestUiBatchQueue : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<CandidateSet> m_set;
    std::unique_ptr<BatchQueue> m_queue;
    /// What the made-up job does when the batch asks for one: finish (default), fail or cancel.
    std::function<void()> m_job;

    QString photo(const QString& name, int w = 12, int h = 8)
    {
        const QString path = m_dir->filePath(name);
        test::writeTestPhoto(path.toStdString(), w, h);
        return path;
    }

    QString folder(const QString& name)
    {
        QDir(m_dir->path()).mkpath(name);
        return m_dir->filePath(name);
    }

    /// Plays the window's part: decodes the photo the batch asks for, runs m_job when asked.
    void actAsTheWindow()
    {
        connect(m_queue.get(), &BatchQueue::openRequested, this, [this](const QString& path) {
            QTimer::singleShot(0, this, [this, path] {
                const LoadedPhoto loaded = PhotoLoader::decode(path, 4);
                if (loaded.ok())
                    m_set->setPhoto(path, loaded.photo, loaded.views);
                m_queue->photoOpened(path, loaded.ok());
            });
        });
        connect(m_queue.get(), &BatchQueue::enhanceRequested, this, [this] { QTimer::singleShot(0, this, m_job); });
    }

    /// Runs the batch over `photos` into `directory` to its end: the finished signal's (done, failed).
    QPair<int, int> run(const QStringList& photos, const QString& directory)
    {
        QSignalSpy finished(m_queue.get(), &BatchQueue::finished);
        m_queue->start(photos, directory);
        if (finished.isEmpty() && !finished.wait(30000))  // a batch answered at once ends inside start()
            return {-1, -1};
        return {finished.first().at(0).toInt(), finished.first().at(1).toInt()};
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_set = std::make_unique<CandidateSet>();
        m_queue = std::make_unique<BatchQueue>(m_set.get());
        m_job = [this] {
            m_set->setOutcome(test::fakeOutcome(m_set->input(), 2));
            m_queue->jobFinished();
        };
        actAsTheWindow();
    }

    void cleanup()
    {
        m_queue.reset();
        m_set.reset();
        m_dir.reset();
    }

    void everyPhotoIsEnhancedAndWritten()
    {
        QFile broken(m_dir->filePath(QStringLiteral("broken.png")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("not a PNG at all");
        broken.close();
        const QString a = photo(QStringLiteral("a.png")), b = photo(QStringLiteral("b.jpg"), 8, 8);
        const QString out = folder(QStringLiteral("out"));
        QSignalSpy status(m_queue.get(), &BatchQueue::photoStatusChanged);
        QSignalSpy stopped(m_queue.get(), &BatchQueue::stoppedByError);

        QCOMPARE(run({a, broken.fileName(), b}, out), qMakePair(2, 1));
        QVERIFY(!m_queue->isRunning());
        QVERIFY(!m_queue->wasCancelled());
        QVERIFY(stopped.isEmpty());  // one unreadable photo does not stop the others
        QCOMPARE(QDir(out).entryList(QDir::Files),
                 QStringList({QStringLiteral("a_x4_c1.png"), QStringLiteral("a_x4_c2.png"), QStringLiteral("b_x4_c1.jpg"),
                              QStringLiteral("b_x4_c2.jpg")}));
        QStringList lines;
        for (const QList<QVariant>& s : status)
            lines << QFileInfo(s.at(0).toString()).fileName() + QLatin1Char(' ') + s.at(1).toString();
        QVERIFY2(lines.contains(QStringLiteral("broken.png cannot be read")), qPrintable(lines.join(QLatin1Char('|'))));
        QVERIFY2(lines.contains(QStringLiteral("a.png ✓ saved 2 file(s)")), qPrintable(lines.join(QLatin1Char('|'))));
    }

    void aFailedPhotoIsMarkedAndTheBatchGoesOn()
    {
        int jobs = 0;
        m_job = [&] {
            if (++jobs == 1)
                m_queue->jobFailed(JobError{JobError::Kind::BadImage, QStringLiteral("odd pixels")});
            else {
                m_set->setOutcome(test::fakeOutcome(m_set->input(), 1));
                m_queue->jobFinished();
            }
        };
        QSignalSpy status(m_queue.get(), &BatchQueue::photoStatusChanged);
        QCOMPARE(run({photo(QStringLiteral("first.png")), photo(QStringLiteral("second.png"))}, folder(QStringLiteral("o"))),
                 qMakePair(1, 1));
        QCOMPARE(status.at(1).at(1).toString(), QStringLiteral("failed"));
    }

    void aBrokenModelStopsTheBatchOnce()
    {
        m_job = [this] { m_queue->jobFailed(JobError{JobError::Kind::BadModel, QStringLiteral("bad weights")}); };
        QSignalSpy opened(m_queue.get(), &BatchQueue::openRequested);
        QSignalSpy stopped(m_queue.get(), &BatchQueue::stoppedByError);
        QCOMPARE(run({photo(QStringLiteral("x.png")), photo(QStringLiteral("y.png")), photo(QStringLiteral("z.png"))},
                     folder(QStringLiteral("model"))),
                 qMakePair(0, 1));
        QCOMPARE(opened.size(), 1);  // every photo would fail the same way: not tried
        QCOMPARE(stopped.size(), 1);
        QVERIFY(stopped.first().at(0).value<ErrorText>().text.contains(QStringLiteral("model")));
    }

    void aFolderThatCannotBeWrittenStopsTheBatch()
    {
        QSignalSpy opened(m_queue.get(), &BatchQueue::openRequested);
        QSignalSpy stopped(m_queue.get(), &BatchQueue::stoppedByError);
        QCOMPARE(run({photo(QStringLiteral("p.png")), photo(QStringLiteral("q.png"))},
                     m_dir->filePath(QStringLiteral("no/such/folder"))),
                 qMakePair(0, 1));
        QCOMPARE(opened.size(), 1);
        QCOMPARE(stopped.size(), 1);
        QVERIFY(!stopped.first().at(0).value<ErrorText>().details.isEmpty());
    }

    void aCancelStopsTheBatch()
    {
        m_job = [this] { m_queue->jobCancelled(); };
        QSignalSpy opened(m_queue.get(), &BatchQueue::openRequested);
        QSignalSpy status(m_queue.get(), &BatchQueue::photoStatusChanged);
        QCOMPARE(run({photo(QStringLiteral("c1.png")), photo(QStringLiteral("c2.png"))}, folder(QStringLiteral("c"))),
                 qMakePair(0, 0));
        QVERIFY(m_queue->wasCancelled());
        QCOMPARE(opened.size(), 1);
        QCOMPARE(status.last().at(1).toString(), QStringLiteral("cancelled"));
        QVERIFY(QDir(folder(QStringLiteral("c"))).entryList(QDir::Files).isEmpty());
    }

    void answersAtOnceWorkToo()
    {
        // The window answers at once when the photo asked for is open already, from inside the
        // request: the batch must not lose track of which photo it is on.
        disconnect(m_queue.get(), nullptr, this, nullptr);
        connect(m_queue.get(), &BatchQueue::openRequested, this, [this](const QString& path) {
            const LoadedPhoto loaded = PhotoLoader::decode(path, 4);
            m_set->setPhoto(path, loaded.photo, loaded.views);
            m_queue->photoOpened(path, loaded.ok());
        });
        connect(m_queue.get(), &BatchQueue::enhanceRequested, this, [this] { m_job(); });
        const QString out = folder(QStringLiteral("sync"));
        QCOMPARE(run({photo(QStringLiteral("s1.png")), photo(QStringLiteral("s2.png"))}, out), qMakePair(2, 0));
        QCOMPARE(QDir(out).entryList(QDir::Files).size(), 4);
    }

    void onlyTheBatchsOwnPhotosAndJobsCount()
    {
        disconnect(m_queue.get(), &BatchQueue::openRequested, this, nullptr);  // the photo stays "opening"
        QSignalSpy enhance(m_queue.get(), &BatchQueue::enhanceRequested);
        const QString mine = photo(QStringLiteral("mine.png"));
        m_queue->start({mine}, folder(QStringLiteral("own")));
        QCOMPARE(m_queue->opening(), mine);
        m_queue->photoOpened(photo(QStringLiteral("other.png")), true);  // the user opened another photo
        m_queue->jobFinished();                                        // a job that is not the batch's
        QVERIFY(enhance.isEmpty());
        QVERIFY(m_queue->isRunning());
        QCOMPARE(m_queue->done(), 0);
        m_queue->jobCancelled();
        QVERIFY(!m_queue->isRunning());
    }
};

QTEST_MAIN(TestUiBatchQueue)
#include "tst_ui_batch_queue.moc"
