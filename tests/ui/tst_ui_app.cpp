// The window as a whole: pasting an image (Ctrl+V) queues and opens it, "Enhance and Export
// Queue" writes every queued photo's candidates (a corrupt one is reported, the rest go on), and
// the views repaint from the palette when the system switches between dark and light.
#include <QtTest>

#include <QClipboard>
#include <QFileInfo>

#include "panels/inline_banner.h"
#include "panels/queue_panel.h"
#include "views/image_view.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;

namespace {

QImage smallPicture(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgb(x * 255 / width, y * 255 / height, 128));
    return image;
}

QPalette paletteWithWindow(QColor window)
{
    QPalette palette = QApplication::palette();
    palette.setColor(QPalette::Window, window);
    return palette;
}

}  // namespace

class TestUiApp : public QObject {
    Q_OBJECT

    std::unique_ptr<test::UiTestEnvironment> m_env;

private Q_SLOTS:
    void initTestCase() { m_env = std::make_unique<test::UiTestEnvironment>(); }

    void ctrlVPastesAnImage()
    {
        auto window = test::makeWindow();
        window->show();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QApplication::clipboard()->setImage(smallPicture(20, 12));
        QSignalSpy opened(window.get(), &MainWindow::photoOpenFinished);
        QTest::keySequence(window.get(), QKeySequence::Paste);
        QVERIFY(opened.wait(30000));
        QCOMPARE(opened.last().at(1).toBool(), true);
        QCOMPARE(window->queuePanel()->count(), 1);
        QCOMPARE(window->candidates()->input().width, 20);
        QCOMPARE(window->candidates()->input().height, 12);
        QVERIFY(QFileInfo(window->candidates()->path()).fileName().startsWith(QStringLiteral("pasted-")));

        // Nothing to paste: a quiet note, no dialog, nothing queued.
        QApplication::clipboard()->clear();
        QTest::keySequence(window.get(), QKeySequence::Paste);
        QCOMPARE(window->queuePanel()->count(), 1);
        QVERIFY(window->banner()->text().contains(QStringLiteral("no image")));
        QVERIFY(window->lastError().isEmpty());
    }

    void enhanceQueueExportsEveryPhoto()
    {
        auto window = test::makeWindow(1);
        const QString a = m_env->photo(QStringLiteral("batch-a.png"));
        const QString b = m_env->photo(QStringLiteral("batch-b.jpg"), 12, 8, 2);
        QFile broken(m_env->path(QStringLiteral("batch-broken.png")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("not a PNG at all");
        broken.close();
        QVERIFY(test::openAndWait(*window, {a, broken.fileName(), b}));
        QCOMPARE(window->queuePanel()->count(), 3);

        const QString out = m_env->path(QStringLiteral("batch-out"));
        QDir().mkpath(out);
        QSignalSpy finished(window.get(), &MainWindow::queueFinished);
        window->enhanceQueueInto(out);
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.last().at(0).toInt(), 2);  // enhanced
        QCOMPARE(finished.last().at(1).toInt(), 1);  // the broken one
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/batch-a_x4_c1.png")));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/batch-b_x4_c1.jpg")));
        QCOMPARE(QDir(out).entryList(QDir::Files).size(), 2);
        QVERIFY2(window->lastError().contains(QStringLiteral("batch-broken.png")), qPrintable(window->lastError()));
    }

    void viewsFollowDarkAndLightPalettes()
    {
        ImageView view(nullptr);
        view.resize(120, 90);
        view.setImage(smallPicture(12, 9));
        view.setContentSize(QSize(48, 9));  // a wide content: background above and below it
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QPalette original = QApplication::palette();

        QApplication::setPalette(paletteWithWindow(QColor(40, 40, 40)));
        QCoreApplication::processEvents();  // the palette reaches widgets through posted events
        const QColor dark = view.grab().toImage().pixelColor(2, 2);  // above the letterboxed image
        QApplication::setPalette(paletteWithWindow(QColor(240, 240, 240)));
        QCoreApplication::processEvents();
        const QColor light = view.grab().toImage().pixelColor(2, 2);
        QApplication::setPalette(original);

        QVERIFY2(dark.lightness() < 60, qPrintable(dark.name()));
        QVERIFY2(light.lightness() > 150, qPrintable(light.name()));
    }
};

QTEST_MAIN(TestUiApp)
#include "tst_ui_app.moc"
