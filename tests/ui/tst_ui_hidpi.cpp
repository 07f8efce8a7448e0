// HiDPI: on a screen with devicePixelRatio 2 (the offscreen platform scaled by 2), "1" (actual
// pixels) shows one photo pixel per device pixel, crisp, and the grid still lays its cells out.
#include <QtTest>

#include "model/candidate_set.h"
#include "views/candidate_grid.h"
#include "views/image_view.h"
#include "views/view_sync.h"

using namespace refine;
using namespace refine::ui;

class TestUiHiDpi : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void actualPixelsAreDevicePixels()
    {
        ViewSync sync;
        ImageView view(&sync);
        view.resize(200, 200);
        QImage checker(16, 16, QImage::Format_RGB32);
        for (int y = 0; y < 16; ++y)
            for (int x = 0; x < 16; ++x)
                checker.setPixel(x, y, (x + y) % 2 ? qRgb(255, 255, 255) : qRgb(0, 0, 0));
        view.setImage(checker);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.devicePixelRatioF(), 2.0);

        QTest::keyClick(&view, Qt::Key_1);
        QCOMPARE(view.effectiveZoom(), 0.5);  // half a logical pixel = one device pixel
        const QImage shot = view.grab().toImage();
        QCOMPARE(shot.size(), QSize(400, 400));
        // The 16x16 checker sits in the middle, 16 device pixels wide, every pixel exact.
        const QPoint origin = (view.contentRectInWidget().topLeft() * 2).toPoint();
        QCOMPARE(origin, QPoint(192, 192));
        for (int y = 0; y < 16; ++y)
            for (int x = 0; x < 16; ++x)
                QCOMPARE(shot.pixel(origin.x() + x, origin.y() + y) & 0xffffff, checker.pixel(x, y) & 0xffffff);
    }
};

int main(int argc, char* argv[])
{
    qputenv("QT_SCALE_FACTOR", "2");  // before the application exists: every screen is 2x
    QApplication app(argc, argv);
    TestUiHiDpi test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_ui_hidpi.moc"
