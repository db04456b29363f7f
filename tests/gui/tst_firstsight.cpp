// The window at first sight: sized to the screen it opens on, and the Run controls visible without scrolling on a
// 1366x768 laptop screen (and on the offscreen platform's smaller one).

#include "mainwindow.h"
#include "planview.h"

#include <QApplication>
#include <QPushButton>
#include <QScreen>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace plansight;
using namespace plansight::gui;

namespace {
// Whether `w` is shown and lies wholly inside its window's client area.
bool wholeInWindow(QWidget *w)
{
    if (!w || !w->isVisible())
        return false;
    QWidget *top = w->window();
    const QRect r(w->mapTo(top, QPoint(0, 0)), w->size());
    return top->rect().contains(r);
}
} // namespace

class TestFirstSight : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("PlanSightTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_firstsight"));
    }

    void firstStartFitsTheScreenAndShowsRun()
    {
        QTemporaryDir dir;
        MainWindowOptions options;
        options.demoRoot = dir.filePath(QStringLiteral("demo"));
        options.historyPath = dir.filePath(QStringLiteral("history.sqlite"));
        options.restoreSettings = false;
        options.connectAtStart = false;
        MainWindow window(options);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // It fits a 1366x768 laptop screen (less the desktop's panels and the title bar) ...
        const QSize least = window.minimumSizeHint();
        QVERIFY2(least.width() <= 1366 && least.height() <= 768 - 70,
            qPrintable(QStringLiteral("minimum %1x%2").arg(least.width()).arg(least.height())));
        // ... and the first start takes the screen it opens on, up to 1600x1000, when the screen has room.
        const QRect avail = window.screen()->availableGeometry();
        QVERIFY(window.width() <= std::max(std::min(1600, avail.width()), least.width()));
        QVERIFY(window.height() <= std::max(std::min(1000, avail.height()), least.height()));
        auto *run = window.findChild<QPushButton *>(QStringLiteral("runButton"));
        auto *cancel = window.findChild<QPushButton *>(QStringLiteral("cancelButton"));
        QVERIFY(run && cancel);
        QTRY_VERIFY(wholeInWindow(run));

        // A 1366x768 laptop: the window takes what the desktop leaves (panels, title bar), and Run is in view.
        window.resize(1366, 768 - 70);
        QTRY_VERIFY(wholeInWindow(run));
        QVERIFY(wholeInWindow(cancel));
    }
};

QTEST_MAIN(TestFirstSight)
#include "tst_firstsight.moc"
