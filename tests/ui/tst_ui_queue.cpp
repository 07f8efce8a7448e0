// Getting photos into the app: drag and drop (with the overlay), unsupported files refused with
// a non-modal message, folders, command-line paths, corrupt photos and recent files.
#include <QtTest>

#include <QBuffer>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QMimeData>

#include "files/photo_files.h"
#include "files/photo_loader.h"
#include "files/recent_files.h"
#include "files/thumbnail_reader.h"
#include "panels/inline_banner.h"
#include "model/image_convert.h"
#include "panels/queue_panel.h"
#include "refine/imaging/image_io.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;

namespace {

/// PNG's chunk checksum (CRC-32, ISO 3309), bit by bit: fine for one small chunk.
quint32 crc32(const QByteArray& bytes)
{
    quint32 crc = 0xffffffffu;
    for (const char byte : bytes) {
        crc ^= quint8(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/// An 8x8 PNG made an animated one (APNG) by an animation-control chunk after its header.
QByteArray animatedPng()
{
    QImage frame(8, 8, QImage::Format_RGB32);
    frame.fill(Qt::red);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    frame.save(&buffer, "PNG");
    const QByteArray body = QByteArray("acTL") + QByteArray::fromHex("0000000300000000");  // 3 frames, looping
    QByteArray chunk = QByteArray::fromHex("00000008") + body;
    const quint32 crc = crc32(body);
    for (int shift = 24; shift >= 0; shift -= 8)
        chunk.append(char((crc >> shift) & 0xff));
    png.insert(33, chunk);  // the 8-byte signature and the 25-byte IHDR chunk come first
    return png;
}

}  // namespace

class TestUiQueue : public QObject {
    Q_OBJECT

    std::unique_ptr<test::UiTestEnvironment> m_env;

    static QMimeData* urlsMime(const QStringList& paths)
    {
        auto* mime = new QMimeData;
        QList<QUrl> urls;
        for (const QString& p : paths)
            urls << QUrl::fromLocalFile(p);
        mime->setUrls(urls);
        return mime;
    }

    QString writeText(const QString& name) const
    {
        QFile file(m_env->path(name));
        file.open(QIODevice::WriteOnly);
        file.write("not a photo");
        return file.fileName();
    }

private Q_SLOTS:
    void initTestCase() { m_env = std::make_unique<test::UiTestEnvironment>(); }

    void dropQueuesPhotosAndRejectsOthers()
    {
        auto window = test::makeWindow();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QDir(m_env->path({})).mkpath(QStringLiteral("folder"));
        const QString a = m_env->photo(QStringLiteral("a.png"));
        const QString b = m_env->photo(QStringLiteral("b.jpg"), 16, 16, 2);
        const QString c = m_env->photo(QStringLiteral("folder/c.png"), 16, 16, 3);
        const QString notes = writeText(QStringLiteral("notes.txt"));
        std::unique_ptr<QMimeData> mime(urlsMime({a, b, notes, m_env->path(QStringLiteral("folder"))}));

        const QPoint where = window->rect().center();
        QDragEnterEvent enter(where, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QVERIFY2(window->isDropOverlayVisible(), "the drop overlay shows while dragging");

        QSignalSpy opened(window.get(), &MainWindow::photoOpenFinished);
        QDropEvent drop(where, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window.get(), &drop);
        QVERIFY(!window->isDropOverlayVisible());
        QVERIFY(opened.wait(30000));  // the first photo is decoded off the GUI thread
        QCOMPARE(window->queuePanel()->files(), QStringList({a, b, c}));
        QVERIFY2(window->banner()->isVisible(), "unsupported files are named in the inline banner");
        QVERIFY(window->banner()->text().contains(QStringLiteral("notes.txt")));
        QVERIFY(window->lastError().isEmpty());  // no dialog for a refused drop
        QCOMPARE(window->candidates()->path(), a);  // the first photo is opened
        QCOMPARE(window->candidates()->input().width, 16);
    }

    void dropOfOnlyUnsupportedFilesQueuesNothing()
    {
        auto window = test::makeWindow();
        window->show();  // drops are delivered to visible windows only
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        std::unique_ptr<QMimeData> mime(urlsMime({writeText(QStringLiteral("readme.md"))}));
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window.get(), &enter);  // a real drag always enters first
        QDropEvent drop(QPoint(10, 10), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window.get(), &drop);
        QCOMPARE(window->queuePanel()->count(), 0);
        QVERIFY2(window->banner()->text().contains(QStringLiteral("readme.md")), qPrintable(window->banner()->text()));
        QVERIFY(!window->candidates()->hasPhoto());
    }

    void sortPathsExplainsRefusals()
    {
        const QString photo = m_env->photo(QStringLiteral("x.png"));
        const PathSorting sorting = sortPaths({photo, m_env->path(QStringLiteral("missing.jpg")),
                                               writeText(QStringLiteral("data.csv")), photo});
        QCOMPARE(sorting.accepted, QStringList({photo}));
        QCOMPARE(sorting.rejected.size(), 2);
        QVERIFY(sorting.rejected[0].contains(QStringLiteral("not found")));
        QVERIFY(sorting.rejected[1].contains(QStringLiteral("data.csv")));
        const PathSorting remote = sortUrls({QUrl(QStringLiteral("https://example.invalid/a.jpg"))});
        QVERIFY(remote.accepted.isEmpty());
        QCOMPARE(remote.rejected.size(), 1);
    }

    void commandLinePathsAndRecentFiles()
    {
        auto window = test::makeWindow();
        const QString p = m_env->photo(QStringLiteral("cmd.png"));
        QVERIFY(test::openAndWait(*window, {p, m_env->path(QStringLiteral("nope.png"))}));
        QCOMPARE(window->queuePanel()->files(), QStringList({p}));
        QCOMPARE(window->candidates()->path(), p);
        QVERIFY(window->banner()->text().contains(QStringLiteral("nope.png")));
        QCOMPARE(RecentFiles().files().value(0), p);
    }

    void photoViewsAreMadeWhileDecoding()
    {
        // The conversions come with the decode (on the thread pool): opening a huge photo never
        // stalls the window. The pixels are held once: moved out of the decoded photo.
        const QString p = m_env->photo(QStringLiteral("views.png"), 16, 12);
        const LoadedPhoto loaded = PhotoLoader::decode(p, 2);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded.views.scale, 2);
        QCOMPARE(loaded.views.input->width, 16);
        QCOMPARE(loaded.views.inputImage.size(), QSize(16, 12));
        QVERIFY2(loaded.photo->rgb.empty(), "the decoded pixels are not kept twice");
        QVERIFY(!loaded.photo->sourceBytes.empty());  // what export needs stays
        QVERIFY(!PhotoLoader::decode(m_env->path(QStringLiteral("missing.png")), 2).ok());

        auto window = test::makeWindow();
        EnhanceSettings x2 = test::fastSettings();
        x2.scale = 2;
        window->settingsPanel()->setSettings(x2);
        QVERIFY(test::openAndWait(*window, {p}));
        QCOMPARE(window->candidates()->scale(), 2);
        QCOMPARE(window->candidates()->outputSize(), QSize(32, 24));
        QCOMPARE(window->candidates()->original()->contentSize(), QSize(32, 24));
        QCOMPARE(window->candidates()->inputImage().size(), QSize(16, 12));
    }

    void thumbnailsComeFromAReducedDecode()
    {
        // The imaging library's reduced decode (its own tests measure it), in the queue's form.
        const QString jpeg = m_env->photo(QStringLiteral("wide.jpg"), 400, 200);
        const QImage small = readThumbnail(jpeg, 56);
        QCOMPARE(small.size(), QSize(56, 28));
        QCOMPARE(readThumbnail(m_env->photo(QStringLiteral("tall.png"), 30, 60), 56).size(), QSize(28, 56));
        QCOMPARE(readThumbnail(m_env->photo(QStringLiteral("tiny.png"), 20, 10), 56).size(), QSize(20, 10));  // never enlarged
        // Like the photo itself (and what it looks like: the decode of the app, shrunk).
        const QImage reference = toQImage(imaging::readPhoto(jpeg.toStdString()).rgb)
                                     .scaled(56, 28, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        const QRgb a = small.pixel(28, 14), b = reference.pixel(28, 14);
        QVERIFY2(std::abs(qGreen(a) - qGreen(b)) < 12, qPrintable(QStringLiteral("%1 vs %2").arg(qGreen(a)).arg(qGreen(b))));
        QVERIFY(readThumbnail(writeText(QStringLiteral("thumb.txt")), 56).isNull());
        QVERIFY(readThumbnail(m_env->path(QStringLiteral("absent.png")), 56).isNull());
    }

    void howAPhotoWasReadIsSaid()
    {
        QFile file(m_env->path(QStringLiteral("animated.png")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(animatedPng());
        file.close();
        auto window = test::makeWindow();
        QVERIFY(test::openAndWait(*window, {file.fileName()}));
        QVERIFY(window->banner()->isVisibleTo(window.get()));
        QVERIFY2(window->banner()->text().contains(QStringLiteral("only the first frame is enhanced")),
                 qPrintable(window->banner()->text()));
        QVERIFY(window->banner()->text().startsWith(QStringLiteral("animated.png")));
    }

    void corruptPhotoIsReportedNotCrashed()
    {
        auto window = test::makeWindow();
        const QString good = m_env->photo(QStringLiteral("good.png"));
        QVERIFY(test::openAndWait(*window, {good}));
        QFile bad(m_env->path(QStringLiteral("broken.jpg")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(QByteArray("\xff\xd8\xff\xe0 this is not really a JPEG", 30));
        bad.close();
        window->openPaths({bad.fileName()});
        QSignalSpy opened(window.get(), &MainWindow::photoOpenFinished);
        window->queuePanel()->setCurrentFile(bad.fileName());
        QVERIFY(opened.wait(30000));
        QCOMPARE(opened.last().at(1).toBool(), false);
        QVERIFY2(window->lastError().contains(QStringLiteral("cannot be read")), qPrintable(window->lastError()));
        QCOMPARE(window->candidates()->path(), good);  // the open photo stays
    }
};

QTEST_MAIN(TestUiQueue)
#include "tst_ui_queue.moc"
