// The window's first start and later starts, on a 1600x1000 screen (the offscreen platform
// configured so): the first start opens at a sensible share of the screen, centred, with the
// whole settings panel in view (no scroll bar); later starts restore what the user chose.
#include <QtTest>

#include <QDir>
#include <QFile>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>

#include "ui_test_helpers.h"
#include "window_placement.h"

using namespace refine;
using namespace refine::ui;

class TestUiWindow : public QObject {
    Q_OBJECT

    std::unique_ptr<test::UiTestEnvironment> m_env;

private Q_SLOTS:
    void init() { m_env = std::make_unique<test::UiTestEnvironment>(); }  // no saved geometry
    void cleanup() { m_env.reset(); }

    void firstStartTakesAShareOfTheScreen()
    {
        const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
        QCOMPARE(available.size(), QSize(1600, 1000));
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), QSize(1280, 800));
        QVERIFY2(std::abs(window.geometry().center().x() - available.center().x()) <= 2, "centred");
        QVERIFY2(std::abs(window.geometry().center().y() - available.center().y()) <= 2, "centred");
        auto* scroll = window.findChild<QScrollArea*>(QStringLiteral("SettingsScroll"));
        QVERIFY(scroll);
        QVERIFY2(!scroll->verticalScrollBar()->isVisible(), "the whole settings panel is in view");
        QVERIFY(scroll->viewport()->height() >= window.settingsPanel()->sizeHint().height());
    }

    void laterStartsRestoreWhatTheUserChose()
    {
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.setGeometry(QRect(120, 90, 1000, 760));
            QTRY_COMPARE(window.size(), QSize(1000, 760));
            window.close();  // saves where it is
        }
        MainWindow again;
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.size(), QSize(1000, 760));
    }

    void firstStartGeometryFitsTheScreen()
    {
        const QRect screen(0, 0, 1600, 1000);
        QCOMPARE(firstStartGeometry(screen, QSize(800, 600)), QRect(160, 100, 1280, 800));
        // The contents need more than the share: they get it, centred.
        QCOMPARE(firstStartGeometry(screen, QSize(1400, 900)), QRect(100, 50, 1400, 900));
        // A small screen: never more than it has.
        QCOMPARE(firstStartGeometry(QRect(0, 0, 1024, 600), QSize(1100, 700)), QRect(0, 0, 1024, 600));
        // A second screen to the right, below a panel.
        QCOMPARE(firstStartGeometry(QRect(1600, 30, 1920, 1050), QSize(0, 0)), QRect(1792, 135, 1536, 840));
    }
};

int main(int argc, char* argv[])
{
    // A 1600x1000 screen, before the application exists (the platform reads it at start).
    const QString config = QDir::temp().filePath(QStringLiteral("refine-tst-ui-window-screen.json"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly))
        return 2;
    file.write(R"({"screens": [{"name": "Test", "x": 0, "y": 0, "width": 1600, "height": 1000,
                   "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
    file.close();
    qputenv("QT_QPA_PLATFORM", QByteArray("offscreen:configfile=") + config.toLocal8Bit());
    QApplication app(argc, argv);
    TestUiWindow test;
    const int result = QTest::qExec(&test, argc, argv);
    QFile::remove(config);
    return result;
}

#include "tst_ui_window.moc"
