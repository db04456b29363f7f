// The strategy list reflects apply and revert, on a real server, through the window's job lanes.

#include "strategylistmodel.h"
#include "testcluster.h"
#include "workers/dbtasks.h"
#include "workers/joblane.h"

#include "gallery/demogenerator.h"

#include <QAbstractItemModelTester>
#include <QApplication>
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
        JobLane reads(JobLane::Mode::Reads, QStringLiteral("reads"));
        JobLane changes(JobLane::Mode::Changes, QStringLiteral("changes"));
        QStringList failures;
        const QString conninfo = m_conninfo;

        QSignalSpy readsDone(&reads, &JobLane::finished);
        reads.start<QList<StrategyRow>>(
            QStringLiteral("strategy-status"), QStringLiteral("status"),
            [conninfo](CancelToken *c, const ProgressFn &p) { return readStrategyStatus(conninfo, c, p); },
            [&](const Result<QList<StrategyRow>> &r) {
                r ? model.setRows(r.value()) : void(failures << r.error().toString());
            });
        QVERIFY(readsDone.wait(60000) || readsDone.count() == 1);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        QVERIFY(model.rowCount() >= 2);
        const int p4 = rowOf(model, QStringLiteral("p4-indexes"));
        QVERIFY(p4 >= 0);
        QCOMPARE(model.index(p4, StrategyListModel::StatusColumn).data().toString(), QStringLiteral("not applied"));
        QCOMPARE(
            model.index(rowOf(model, QStringLiteral("baseline")), StrategyListModel::StatusColumn).data().toString(),
            QStringLiteral("query only"));
        model.setCheckedIds({ QStringLiteral("p4-indexes") });

        QSignalSpy changesDone(&changes, &JobLane::finished);
        const auto change = [&](bool apply) {
            changesDone.clear();
            changes.start<StrategyChange>(
                apply ? QStringLiteral("apply") : QStringLiteral("revert"), QStringLiteral("change"),
                [conninfo, apply](CancelToken *c, const ProgressFn &p) {
                    return changeStrategy(conninfo, QStringLiteral("p4-indexes"), apply, DefaultLockTimeoutMs, c, p);
                },
                [&](const Result<StrategyChange> &r) {
                    r ? model.setRows(r->rows) : void(failures << r.error().toString());
                });
            QVERIFY(changesDone.wait(120000) || changesDone.count() == 1);
            QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        };
        change(true);
        QCOMPARE(
            model.index(rowOf(model, QStringLiteral("p4-indexes")), StrategyListModel::StatusColumn).data().toString(),
            QStringLiteral("applied"));
        QVERIFY(model.row(QStringLiteral("p4-indexes"))->bytes > 0);
        QVERIFY(model.index(rowOf(model, QStringLiteral("p4-indexes")), StrategyListModel::FootprintColumn)
                    .data()
                    .toString()
            != QStringLiteral("-"));
        // Checks survive a refresh of the rows.
        QCOMPARE(model.checkedIds(), QStringList { QStringLiteral("p4-indexes") });

        change(false);
        QCOMPARE(
            model.index(rowOf(model, QStringLiteral("p4-indexes")), StrategyListModel::StatusColumn).data().toString(),
            QStringLiteral("not applied"));
    }

private:
    QString m_conninfo;
};

QTEST_MAIN(TestStrategyList)
#include "tst_strategylist.moc"
