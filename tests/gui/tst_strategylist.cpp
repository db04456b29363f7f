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

    // The window's editor of settings variants (docs/settings.md): a variant is a checked row right after its
    // strategy, with that strategy's status, kept through a refresh; bad overrides are refused with a sentence.
    void settingsVariantsAreRowsOfTheirOwn()
    {
        StrategyListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<StrategyRow> rows;
        for (const auto &s : allStrategies()) {
            StrategyRow r;
            r.info = s->info();
            r.statusKnown = true;
            r.status.state
                = s->id() == QLatin1String("p4-indexes") ? StrategyState::Applied : StrategyState::NotApplied;
            rows << r;
        }
        model.setRows(rows);
        model.setCheckedIds({ QStringLiteral("baseline") });
        QSignalSpy checks(&model, &StrategyListModel::checksChanged);

        auto added = model.addVariant(QStringLiteral("p4-indexes"), QStringLiteral("random_page_cost=1.1"));
        QVERIFY2(added.ok(), qPrintable(added.ok() ? QString() : added.error().message));
        QCOMPARE(added.value(), QStringLiteral("p4-indexes [random_page_cost=1.1]"));
        QCOMPARE(rowOf(model, added.value()), rowOf(model, QStringLiteral("p4-indexes")) + 1);
        QCOMPARE(model.checkedIds(), QStringList({ QStringLiteral("baseline"), added.value() }));
        QVERIFY(checks.count() >= 1);
        QVERIFY(model.isVariant(added.value()));
        QCOMPARE(toString(model.row(added.value())->status.state),
            toString(StrategyState::Applied)); // its strategy's objects
        // A preset's name, and a second variant after the first.
        auto preset = model.addVariant(QStringLiteral("p4-indexes"), QStringLiteral("jit off"));
        QVERIFY(preset.ok());
        QCOMPARE(rowOf(model, preset.value()), rowOf(model, added.value()) + 1);

        // Refused, with the reason: a bad override, a variant already there, a variant of a variant.
        auto bad = model.addVariant(QStringLiteral("baseline"), QStringLiteral("port=1"));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.contains(QStringLiteral("port does not change plans")),
            qPrintable(bad.error().message));
        QVERIFY(!model.addVariant(QStringLiteral("p4-indexes"), QStringLiteral("random_page_cost = 1.1")).ok());
        QVERIFY(!model.addVariant(added.value(), QStringLiteral("work_mem=64MB")).ok());
        QCOMPARE(model.rowCount(), int(rows.size()) + 2);

        // A status refresh keeps the variants, with the new status of their strategy.
        for (StrategyRow &r : rows)
            if (r.info.id == QLatin1String("p4-indexes"))
                r.status.state = StrategyState::NotApplied;
        model.setRows(rows);
        QCOMPARE(model.rowCount(), int(rows.size()) + 2);
        QCOMPARE(toString(model.row(added.value())->status.state), toString(StrategyState::NotApplied));
        QCOMPARE(model.variantIds(), QStringList({ added.value(), preset.value() }));

        QVERIFY(model.removeVariant(preset.value()));
        QVERIFY(!model.removeVariant(QStringLiteral("p4-indexes")));
        QCOMPARE(model.rowCount(), int(rows.size()) + 1);
        QVERIFY(!model.checkedIds().contains(preset.value()));
        // Restored from the saved settings; an id that no longer parses is dropped.
        StrategyListModel restored;
        restored.setRows(rows);
        restored.setVariantIds({ added.value(), QStringLiteral("baseline [port=1]") });
        QCOMPARE(restored.variantIds(), QStringList { added.value() });
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
