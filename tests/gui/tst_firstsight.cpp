// The window at first sight: sized to the screen it opens on, and the Run controls visible without scrolling on a
// 1366x768 laptop screen (and on the offscreen platform's smaller one).

#include "mainwindow.h"
#include "planview.h"

#include <QApplication>
#include <QHeaderView>
#include <QPushButton>
#include <QScreen>
#include <QTableView>
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

// How many rows of `view` show without scrolling: its viewport, clipped by every scroll area around it and by the
// window.
int visibleRows(QTableView *view)
{
    QRect r(view->viewport()->mapTo(view->window(), QPoint(0, 0)), view->viewport()->size());
    for (QWidget *w = view->parentWidget(); w; w = w->parentWidget())
        if (auto *area = qobject_cast<QAbstractScrollArea *>(w))
            r &= QRect(area->viewport()->mapTo(view->window(), QPoint(0, 0)), area->viewport()->size());
    r &= view->window()->rect();
    return std::max(0, r.height()) / std::max(1, view->verticalHeader()->defaultSectionSize());
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
        // The Strategies list shows most of the catalog at 1600x1000 (the window's log sits below the views only,
        // and the tag list starts at its smallest), not two rows below a tall workload editor.
        auto *strategies = window.findChild<QTableView *>(QStringLiteral("strategyView"));
        QVERIFY(strategies);
        window.resize(1600, 1000);
        QTRY_COMPARE(window.size(), QSize(1600, 1000));
        const int rows = strategies->model()->rowCount();
        QVERIFY(rows >= 10);
        QTRY_VERIFY2(visibleRows(strategies) >= std::min(rows, 9),
            qPrintable(QStringLiteral("%1 of %2 strategies in view").arg(visibleRows(strategies)).arg(rows)));

        // A 1366x768 laptop: the window takes what the desktop leaves (panels, title bar), and Run is in view.
        window.resize(1366, 768 - 70);
        QTRY_VERIFY(wholeInWindow(run));
        QVERIFY(wholeInWindow(cancel));
    }
};

QTEST_MAIN(TestFirstSight)
#include "tst_firstsight.moc"
