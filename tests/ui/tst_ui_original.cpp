// The bicubic "Original" is never made whole: a view asks for the part it shows at the
// resolution it shows it, rendered off the GUI thread. The parts are exactly the full
// enlargement's pixels at 1:1 and its area average when shown smaller, and an x16 Original of a
// large photo costs a screenful of pixels, not gigabytes.
#include <QtTest>

#include "model/candidate_set.h"
#include "model/image_convert.h"
#include "model/lazy_original.h"
#include "refine/imaging/engine_image.h"
#include "refine/imaging/resample.h"
#include "views/image_view.h"
#include "views/split_view.h"
#include "views/view_sync.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;

using test::maxLevelDifference;

namespace {

/// The whole enlargement, as the app made it before it was lazy.
QImage fullEnlargement(const ImageF& input, int scale)
{
    return toQImage(imaging::resizeBicubic(imaging::fromImageF(input), cv::Size(input.width * scale, input.height * scale)));
}

qint64 bytesOf(const QImage& image)
{
    return image.sizeInBytes();
}

}  // namespace

class TestUiOriginal : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void partsAtOneToOneAreTheFullEnlargementsPixels()
    {
        const ImageF input = test::gradient(24, 16, 0.2f);
        for (const int scale : {2, 4, 16}) {
            const QImage full = fullEnlargement(input, scale);
            // Inside, at an edge and in a corner: every sample reaches the same neighbours.
            for (const QRect inputPart : {QRect(5, 3, 10, 7), QRect(0, 0, 6, 5), QRect(18, 10, 6, 6)}) {
                const QRect content(inputPart.topLeft() * scale, inputPart.size() * scale);
                const QImage part = LazyOriginal::render(input, scale, {}, content, content.size());
                QVERIFY2(maxLevelDifference(part, full.copy(content)) <= 1,
                         qPrintable(QStringLiteral("x%1 at %2,%3").arg(scale).arg(content.x()).arg(content.y())));
            }
        }
    }

    void partsShownSmallerAreThePhotosAverage()
    {
        const ImageF input = test::gradient(40, 30, 0.f);  // smooth: no wrap-around edges
        const QRect inputPart(8, 6, 24, 18);
        const QImage part = LazyOriginal::render(input, 8, {}, QRect(inputPart.topLeft() * 8, inputPart.size() * 8),
                                                 QSize(12, 9));
        const cv::Mat crop = imaging::fromImageF(input)(cv::Rect(8, 6, 24, 18));
        QVERIFY(maxLevelDifference(part, toQImage(imaging::resizeArea(crop, cv::Size(12, 9)))) <= 1);
        // Between the photo's size and 1:1: bicubic at a smaller whole factor, averaged down.
        const QImage between = LazyOriginal::render(input, 8, {}, QRect(inputPart.topLeft() * 8, inputPart.size() * 8),
                                                    QSize(60, 45));
        QCOMPARE(between.size(), QSize(60, 45));
        const cv::Mat full = imaging::resizeBicubic(imaging::fromImageF(input), cv::Size(320, 240));
        const cv::Mat fullPart = full(cv::Rect(inputPart.x() * 8, inputPart.y() * 8, inputPart.width() * 8,
                                               inputPart.height() * 8));
        QVERIFY(maxLevelDifference(between, toQImage(imaging::resizeArea(fullPart, cv::Size(60, 45)))) <= 2);
        QVERIFY(LazyOriginal::render(input, 8, {}, QRect(0, 0, 400, 8), QSize(10, 1)).isNull());  // outside the photo
    }

    void planCoversTheViewWithRoomToPan()
    {
        LazyOriginal original;
        auto input = std::make_shared<const ImageF>(test::gradient(100, 80, 0.f));
        original.setSource(input, 4, {}, toQImage(*input));
        QCOMPARE(original.contentSize(), QSize(400, 320));
        const QRectF visible(100.5, 50.25, 120, 90);
        const OriginalTile plan = original.plan(visible, 1.0);
        QVERIFY(QRectF(plan.content).contains(visible));
        QCOMPARE(plan.content.x() % 4, 0);  // whole input pixels
        QCOMPARE(plan.content.width() % 4, 0);
        QVERIFY(plan.content.width() < 200);
        QCOMPARE(plan.size, plan.content.size());
        const OriginalTile half = original.plan(visible, 0.5);
        QCOMPARE(half.content, plan.content);
        QCOMPARE(half.size, QSize((plan.content.width() + 1) / 2, (plan.content.height() + 1) / 2));
        QCOMPARE(original.plan(QRectF(1000, 1000, 10, 10), 1.0).content, QRect());  // off the photo
    }

    void anX16OriginalOfALargePhotoCostsAScreenful()
    {
        // 1200x900 at x16 is 19200x14400: 1.1 GB as an image, 3.3 GB as float, if it were made.
        CandidateSet set;
        set.setPhoto(QStringLiteral("/tmp/large.png"), test::photoOf(test::gradient(1200, 900, 0.1f)));
        set.setScale(16);
        LazyOriginal* original = set.original();
        QCOMPARE(original->contentSize(), QSize(19200, 14400));

        ViewSync sync;
        ImageView view(&sync);
        view.resize(400, 300);
        view.setOriginalSource(original);
        QCOMPARE(view.contentSize(), QSize(19200, 14400));
        QSignalSpy ready(original, &LazyOriginal::tileReady);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 30000);  // fitted: the whole photo, at the view's resolution
        const QRectF whole(QPointF(0, 0), QSizeF(original->contentSize()));
        const OriginalTile fitted = original->tile(whole, view.effectiveZoom());
        QVERIFY(!fitted.isNull());
        QVERIFY2(fitted.image.width() <= 400 && fitted.image.height() <= 300,
                 qPrintable(QStringLiteral("%1x%2").arg(fitted.image.width()).arg(fitted.image.height())));

        // 1:1 in the middle: only the part on screen (and a margin) at full resolution.
        const int renders = int(ready.size());
        sync.setZoom(1.0);
        view.repaint();
        QTRY_VERIFY_WITH_TIMEOUT(ready.size() > renders, 30000);
        const QRectF shown(view.mapToContent(QPointF(0, 0)), view.mapToContent(QPointF(400, 300)));
        const OriginalTile sharp = original->tile(shown, 1.0);
        QVERIFY(!sharp.isNull());
        QCOMPARE(sharp.resolution(), 1.0);
        QVERIFY(QRectF(sharp.content).contains(shown));
        QVERIFY2(bytesOf(sharp.image) < 2 * 4 * 400 * 300 * 2, qPrintable(QString::number(bytesOf(sharp.image))));
        // It is the enlargement's pixels: the same as rendering that part directly.
        const QRect probe(sharp.content.topLeft() + QPoint(64, 48), QSize(16, 16));
        QVERIFY(maxLevelDifference(sharp.image.copy(QRect(probe.topLeft() - sharp.content.topLeft(), probe.size())),
                                   LazyOriginal::render(set.input(), 16, {}, probe, probe.size()))
                <= 1);
        // And it is what the view paints (a smooth photo: neighbours differ by less than a level).
        const QImage shot = view.grab().toImage();
        const QPoint at(200, 150);
        const QPoint content = view.mapToContent(QPointF(at) + QPointF(0.5, 0.5)).toPoint() - sharp.content.topLeft();
        QVERIFY(maxLevelDifference(shot.copy(QRect(at, QSize(1, 1))), sharp.image.copy(QRect(content, QSize(1, 1)))) <= 3);
    }

    void aNewPhotoDropsTheOldTiles()
    {
        LazyOriginal original;
        auto first = std::make_shared<const ImageF>(test::gradient(40, 30, 0.f));
        original.setSource(first, 4, {}, toQImage(*first));
        QSignalSpy ready(&original, &LazyOriginal::tileReady);
        const QRectF all(0, 0, 160, 120);
        QVERIFY(original.tile(all, 1.0).isNull());  // scheduled
        QVERIFY(original.isRendering());
        auto second = std::make_shared<const ImageF>(test::gradient(20, 10, 0.5f));
        original.setSource(second, 2, {}, toQImage(*second));
        QVERIFY(!original.isRendering());
        QTest::qWait(200);  // the first photo's render ends and is dropped
        QVERIFY(ready.isEmpty());
        QVERIFY(original.tile(QRectF(0, 0, 40, 20), 1.0).isNull());
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 10000);
        const OriginalTile tile = original.tile(QRectF(0, 0, 40, 20), 1.0);
        QCOMPARE(tile.content, QRect(0, 0, 40, 20));
        QVERIFY(maxLevelDifference(tile.image, fullEnlargement(*second, 2)) <= 1);
    }

    void theSplitViewShowsTheOriginalLeftOfTheDivider()
    {
        CandidateSet set;
        set.setPhoto(QStringLiteral("/tmp/split.png"), test::photoOf(test::gradient(32, 24, 0.f)));
        set.setScale(4);
        ViewSync sync;
        SplitView split(&sync);
        split.resize(256, 192);
        QImage after(128, 96, QImage::Format_RGB32);
        after.fill(Qt::black);
        split.setImage(after);
        split.setOriginal(set.original());
        QSignalSpy ready(set.original(), &LazyOriginal::tileReady);
        split.show();
        QVERIFY(QTest::qWaitForWindowExposed(&split));
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 10000);
        const QImage shot = split.grab().toImage();
        QVERIFY2(qGray(shot.pixel(40, 96)) > 20, "the Original, left of the divider");
        QCOMPARE(shot.pixel(220, 60) & 0xffffff, 0u);  // the candidate, right of it
    }
};

QTEST_MAIN(TestUiOriginal)
#include "tst_ui_original.moc"
