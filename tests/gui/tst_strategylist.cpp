// The strategy list reflects apply and revert, on a real server, through the window's worker.

#include "strategylistmodel.h"
#include "testcluster.h"
#include "workers/dbtasks.h"
#include "workers/taskworker.h"

#include "gallery/demogenerator.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>

using namespace plansight;
using namespace plansight::gui;

namespace {
const QString Db = QStringLiteral("gui_strategies");

int rowOf(const StrategyListModel &m, const QString &id)
{
    for (int r = 0; r < m.rowCount(); ++r)
        if (m.index(r, 0).data(StrategyListModel::StrategyIdRole).toString() == id)
            return r;
    return -1;
}
} // namespace

class TestStrategyList : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        // The demo is built off the GUI thread: PgSession refuses to run on it.
        QString error;
        std::thread([&] {
            auto s = test::TestCluster::get()->connect(Db);
            DemoOptions o;
            o.scale = 0.002;
            o.connections = 1;
            auto r = buildDemo(*s, o);
            if (!r)
                error = r.error().toString();
        }).join();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_conninfo = test::TestCluster::get()->conninfo(Db);
    }

    void reflectsApplyAndRevert()
    {
        StrategyListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        TaskWorker worker(QStringLiteral("test"));
        QSignalSpy results(&worker, &TaskWorker::resultReady);
        QSignalSpy failures(&worker, &TaskWorker::failed);
        QSignalSpy finished(&worker, &TaskWorker::finished);
        connect(&worker, &TaskWorker::resultReady, &model, [&model](const QVariant &v) {
            if (v.canConvert<StrategyChange>())
                model.setRows(v.value<StrategyChange>().rows);
            else
                model.setRows(v.value<QList<StrategyRow>>());
        });
        const QString conninfo = m_conninfo;

        worker.start(QStringLiteral("status"), [conninfo](CancelToken *c, const ProgressFn &p) -> Result<QVariant> {
            auto r = readStrategyStatus(conninfo, c, p);
            if (!r)
                return r.error();
            return QVariant::fromValue(r.value());
        });
        QVERIFY(finished.wait(60000) || finished.count() == 1);
        QVERIFY2(failures.isEmpty(), failures.isEmpty() ? "" : qPrintable(failures.first().first().toString()));
        QVERIFY(model.rowCount() >= 2);
        const int p4 = rowOf(model, QStringLiteral("p4-indexes"));
        QVERIFY(p4 >= 0);
        QCOMPARE(model.index(p4, StrategyListModel::StatusColumn).data().toString(), QStringLiteral("not applied"));
        QCOMPARE(model.index(rowOf(model, QStringLiteral("baseline")), StrategyListModel::StatusColumn).data().toString(),
            QStringLiteral("query only"));
        model.setCheckedIds({ QStringLiteral("p4-indexes") });

        const auto change = [&](bool apply) {
            finished.clear();
            worker.start(QStringLiteral("change"), [conninfo, apply](CancelToken *c, const ProgressFn &p) -> Result<QVariant> {
                auto r = changeStrategy(conninfo, QStringLiteral("p4-indexes"), apply, c, p);
                if (!r)
                    return r.error();
                return QVariant::fromValue(r.value());
            });
            QVERIFY(finished.wait(120000) || finished.count() == 1);
            QVERIFY2(failures.isEmpty(), failures.isEmpty() ? "" : qPrintable(failures.first().first().toString()));
        };
        change(true);
        QCOMPARE(model.index(rowOf(model, QStringLiteral("p4-indexes")), StrategyListModel::StatusColumn).data().toString(),
            QStringLiteral("applied"));
        QVERIFY(model.row(QStringLiteral("p4-indexes"))->bytes > 0);
        QVERIFY(model.index(rowOf(model, QStringLiteral("p4-indexes")), StrategyListModel::FootprintColumn).data().toString() != QStringLiteral("-"));
        // Checks survive a refresh of the rows.
        QCOMPARE(model.checkedIds(), QStringList { QStringLiteral("p4-indexes") });

        change(false);
        QCOMPARE(model.index(rowOf(model, QStringLiteral("p4-indexes")), StrategyListModel::StatusColumn).data().toString(),
            QStringLiteral("not applied"));
    }

    void aSupersededRequestIsDropped()
    {
        TaskWorker worker(QStringLiteral("test"));
        QSignalSpy results(&worker, &TaskWorker::resultReady);
        QSignalSpy finished(&worker, &TaskWorker::finished);
        const QString conninfo = m_conninfo;
        // The first task blocks until it is cancelled (by the second start), then answers anyway: that answer
        // must be dropped.
        worker.start(QStringLiteral("slow"), [](CancelToken *c, const ProgressFn &) -> Result<QVariant> {
            QSemaphore cancelled;
            const int id = c->add([&cancelled] { cancelled.release(); });
            cancelled.acquire();
            c->remove(id);
            return QVariant(QStringLiteral("old"));
        });
        worker.start(QStringLiteral("fast"), [](CancelToken *, const ProgressFn &) -> Result<QVariant> { return QVariant(QStringLiteral("new")); });
        QVERIFY(finished.wait(60000));
        // Both tasks run on the worker's one thread, in order, and post their signals in order: whatever the
        // first one sent was queued before the second's finished, so it has been delivered (or dropped) by now.
        QCoreApplication::processEvents();
        QCOMPARE(results.count(), 1);
        QCOMPARE(results.first().first().toString(), QStringLiteral("new"));
        QCOMPARE(finished.count(), 1);
    }

private:
    QString m_conninfo;
};

QTEST_MAIN(TestStrategyList)
#include "tst_strategylist.moc"
