// PlanTreeModel and PlanTimeFilterProxyModel: structure checked by QAbstractItemModelTester, columns, roles,
// the heat colour and the time filter.

#include "plan/planparser.h"
#include "plan/plantreemodel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace plansight;

namespace {

Plan load(const QString &name)
{
    QFile f(QStringLiteral(PLANSIGHT_TEST_DATA "/plans/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    auto p = parsePlan(f.readAll());
    if (!p.ok())
        qFatal("%s: %s", qPrintable(name), qPrintable(p.error().message));
    return std::move(p).value();
}

// Golden text dump of a (proxy) model: one line per row, indented, with the given columns.
QString dump(const QAbstractItemModel &m, const QList<int> &columns, const QModelIndex &parent = {}, int depth = 0)
{
    QString out;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        QStringList cells;
        for (int c : columns)
            cells << m.index(r, c, parent).data().toString();
        out += QString(depth * 2, QLatin1Char(' ')) + cells.join(QStringLiteral(" | ")) + QLatin1Char('\n');
        out += dump(m, columns, m.index(r, 0, parent), depth + 1);
    }
    return out;
}

} // namespace

class TestPlanTreeModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void passesTheModelTester_data()
    {
        QTest::addColumn<QString>("file");
        for (const char *f : { "pg15_parallel_agg.json", "pg15_cte.txt", "pitfall_hints.json", "pg15_subplan.json" })
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void passesTheModelTester()
    {
        QFETCH(QString, file);
        PlanTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPlan(load(file));
        PlanTimeFilterProxyModel proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setMinimumShare(0.2);
        proxy.sort(PlanTreeModel::ExclusiveColumn, Qt::DescendingOrder);
        proxy.setMinimumShare(0);
        model.setPlan(load(QStringLiteral("pitfall_loops.json")));
        model.setPlan(Plan());
        QCOMPARE(model.rowCount(), 0);
    }

    void columnsAndRolesGolden()
    {
        PlanTreeModel model;
        model.setPlan(load(QStringLiteral("pitfall_loops.json")));
        const QString expected
            = QStringLiteral("Nested Loop | 4.00 ms | 10.00 ms | 39.6% | 200 / 200 | 1 | 0 / 0 | \n"
                             "  Seq Scan on small s | 1.00 ms | 1.00 ms | 9.9% | 100 / 100 | 1 | 10 / 0 | \n"
                             "  Index Scan using tags_item on tags t | 5.00 ms | 5.00 ms | 49.5% | 200 / 100 (2.0x "
                             "under) | 100 | 300 / 20 | \n");
        QCOMPARE(dump(model,
                     { PlanTreeModel::NodeColumn, PlanTreeModel::ExclusiveColumn, PlanTreeModel::InclusiveColumn,
                         PlanTreeModel::PercentColumn, PlanTreeModel::RowsColumn, PlanTreeModel::LoopsColumn,
                         PlanTreeModel::BuffersColumn, PlanTreeModel::RowsRemovedColumn }),
            expected);
        const QModelIndex inner = model.indexForNode(2, PlanTreeModel::ExclusiveColumn);
        QCOMPARE(inner.data(PlanTreeModel::NodeIdRole).toInt(), 2);
        QCOMPARE(inner.data(PlanTreeModel::SortRole).toDouble(), 5.0);
        QVERIFY(std::abs(inner.data(PlanTreeModel::HeatRole).toDouble() - 5.0 / 10.1) < 1e-9);
        QCOMPARE(inner.data(PlanTreeModel::EstimateDirectionRole).toInt(), int(EstimateDirection::Under));
        QCOMPARE(inner.data(PlanTreeModel::DiffStatusRole).toInt(), -1);
        QCOMPARE(
            model.headerData(PlanTreeModel::PercentColumn, Qt::Horizontal).toString(), QStringLiteral("% of total"));
        QCOMPARE(model.parent(inner), model.indexForNode(0));
    }

    void hintsAndNeverExecutedRoles()
    {
        PlanTreeModel model;
        model.setPlan(load(QStringLiteral("pitfall_never_executed.json")));
        const QModelIndex inner = model.indexForNode(2);
        QVERIFY(inner.data(PlanTreeModel::NeverExecutedRole).toBool());
        QCOMPARE(
            model.indexForNode(2, PlanTreeModel::ExclusiveColumn).data().toString(), QStringLiteral("never executed"));
        QCOMPARE(model.indexForNode(2, PlanTreeModel::RowsColumn).data().toString(), QStringLiteral("-"));
        model.setPlan(load(QStringLiteral("pitfall_hints.json")));
        const QModelIndex sort = model.indexForNode(1);
        QCOMPARE(sort.data(PlanTreeModel::HintCountRole).toInt(), 1);
        QVERIFY(sort.data(PlanTreeModel::HintsRole).toStringList().first().contains(QLatin1String("spilled to disk")));
        QCOMPARE(sort.data(PlanTreeModel::MaxHintSeverityRole).toInt(), int(HintSeverity::Warning));
        QCOMPARE(model.indexForNode(0).data(PlanTreeModel::MaxHintSeverityRole).toInt(), -1);
    }

    // Issue #10: absurd but valid inputs print readably (no overflowed integer, no 300-digit numbers).
    void absurdValuesPrintReadably()
    {
        PlanTreeModel model;
        model.setPlan(load(QStringLiteral("pitfall_absurd.json")));
        for (int id = 0; id < 3; ++id)
            for (int col = 0; col < PlanTreeModel::ColumnCount; ++col) {
                const QString text = model.indexForNode(id, col).data().toString();
                QVERIFY2(!text.contains(QRegularExpression(QStringLiteral("\\d{16}")))
                        && !text.contains(QRegularExpression(QStringLiteral("-\\d"))),
                    qPrintable(text));
                QVERIFY2(text.size() <= 40 || col == PlanTreeModel::NodeColumn, qPrintable(text));
            }
        QCOMPARE(model.indexForNode(0, PlanTreeModel::RowsColumn).data().toString(),
            QStringLiteral("1 / 1.0e300 (> 1e9x over)"));
        QCOMPARE(model.indexForNode(0, PlanTreeModel::PercentColumn).data().toString(), QStringLiteral(">1e4%"));
    }

    // An estimate (EXPLAIN without ANALYZE, a what-if plan) has no times: its cost and planned rows fill the columns
    // that would otherwise be empty, and the headers say so.
    void anEstimateShowsCostsNotEmptyTimes()
    {
        auto plan = parsePlan(QByteArrayLiteral(
            R"([{"Plan": {"Node Type": "Limit", "Startup Cost": 0.5, "Total Cost": 1100.25, "Plan Rows": 25,
                "Plan Width": 8, "Plans": [{"Node Type": "Seq Scan", "Parent Relationship": "Outer",
                "Relation Name": "t", "Alias": "t", "Startup Cost": 0.0, "Total Cost": 44000.0,
                "Plan Rows": 1000, "Plan Width": 8}]}}])"));
        QVERIFY(plan.ok());
        PlanTreeModel model;
        model.setPlan(std::move(plan).value());
        QCOMPARE(model.headerData(PlanTreeModel::ExclusiveColumn, Qt::Horizontal).toString(),
            QStringLiteral("Startup cost"));
        QCOMPARE(
            model.headerData(PlanTreeModel::InclusiveColumn, Qt::Horizontal).toString(), QStringLiteral("Total cost"));
        QCOMPARE(
            model.headerData(PlanTreeModel::RowsColumn, Qt::Horizontal).toString(), QStringLiteral("Rows (planned)"));
        QCOMPARE(model.indexForNode(0, PlanTreeModel::ExclusiveColumn).data().toString(), QStringLiteral("0.50"));
        QCOMPARE(model.indexForNode(0, PlanTreeModel::InclusiveColumn).data().toString(), QStringLiteral("1,100.25"));
        QCOMPARE(model.indexForNode(1, PlanTreeModel::InclusiveColumn).data().toString(), QStringLiteral("44,000.00"));
        QCOMPARE(model.indexForNode(1, PlanTreeModel::PercentColumn).data().toString(), QStringLiteral("-"));
        QCOMPARE(model.indexForNode(1, PlanTreeModel::RowsColumn).data().toString(), QStringLiteral("1,000"));
        QCOMPARE(
            model.indexForNode(1, PlanTreeModel::InclusiveColumn).data(PlanTreeModel::SortRole).toDouble(), 44000.0);
        // An analyzed plan keeps its time headers.
        model.setPlan(load(QStringLiteral("pg15_nestloop.json")));
        QCOMPARE(
            model.headerData(PlanTreeModel::ExclusiveColumn, Qt::Horizontal).toString(), QStringLiteral("Exclusive"));
    }

    // Issue #10: subplans beside the critical path and nodes a Limit stopped are flagged for the views.
    void concurrentAndLimitedRoles()
    {
        PlanTreeModel model;
        model.setPlan(load(QStringLiteral("pg15_parallel_append_limit.json")));
        QVERIFY(!model.indexForNode(4).data(PlanTreeModel::ConcurrentRole).toBool()); // the Merge Join: critical path
        QVERIFY(model.indexForNode(10).data(PlanTreeModel::ConcurrentRole).toBool()); // the Parallel Seq Scan beside it
        QVERIFY(
            model.indexForNode(10, PlanTreeModel::ExclusiveColumn).data().toString().endsWith(QString::fromUtf8(" ∥")));
        QVERIFY(model.indexForNode(10).data(Qt::ToolTipRole).toString().contains(QLatin1String("Concurrent")));
        QVERIFY(model.indexForNode(1).data(PlanTreeModel::StoppedByLimitRole).toBool());
        QVERIFY2(
            model.indexForNode(1, PlanTreeModel::RowsColumn).data().toString().endsWith(QLatin1String("(limited)")),
            qPrintable(model.indexForNode(1, PlanTreeModel::RowsColumn).data().toString()));
    }

    void heatColourRunsFromWhiteToRed()
    {
        QCOMPARE(PlanTreeModel::heatColor(0), 0xFFFFFFFFu);
        QCOMPARE(PlanTreeModel::heatColor(1), 0xFFC81E1Eu);
        QCOMPARE(PlanTreeModel::heatColor(-3), PlanTreeModel::heatColor(0));
        QCOMPARE(PlanTreeModel::heatColor(7), PlanTreeModel::heatColor(1));
        // Monotone: more share, less green.
        int lastGreen = 256;
        for (int i = 0; i <= 10; ++i) {
            const int green = int((PlanTreeModel::heatColor(i / 10.0) >> 8) & 0xFF);
            QVERIFY(green <= lastGreen);
            lastGreen = green;
        }
    }

    void proxyHidesNodesBelowAShareButKeepsTheirAncestors()
    {
        PlanTreeModel model;
        model.setPlan(load(QStringLiteral("pitfall_hints.json")));
        PlanTimeFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QCOMPARE(dump(proxy, { PlanTreeModel::NodeColumn }),
            QStringLiteral("Limit\n  Sort\n    Hash Join\n      Seq Scan on a\n      Hash\n        Index Only Scan "
                           "using b_a_id on b\n"));
        proxy.setMinimumShare(0.25); // inclusive: Sort 99%, Hash Join 60%, Seq Scan 30%, Hash 9%
        QCOMPARE(dump(proxy, { PlanTreeModel::NodeColumn }),
            QStringLiteral("Limit\n  Sort\n    Hash Join\n      Seq Scan on a\n"));
        proxy.setMinimumShare(0.95);
        QCOMPARE(dump(proxy, { PlanTreeModel::NodeColumn }), QStringLiteral("Limit\n  Sort\n"));
        proxy.setMinimumShare(0);
        model.setPlan(load(QStringLiteral("pitfall_never_executed.json")));
        proxy.setShowNeverExecuted(false);
        QCOMPARE(dump(proxy, { PlanTreeModel::NodeColumn }), QStringLiteral("Nested Loop\n  Seq Scan on small s\n"));
    }

    void diffAnnotation()
    {
        const Plan a = load(QStringLiteral("diff_inserted_a.txt"));
        const Plan b = load(QStringLiteral("diff_inserted_b.txt"));
        PlanTreeModel model;
        model.setPlan(b);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setDiff(diffPlans(a, b));
        QVERIFY(changed.count() >= 1);
        QCOMPARE(model.indexForNode(2).data(PlanTreeModel::DiffStatusRole).toInt(), int(DiffStatus::Added));
        QCOMPARE(model.indexForNode(1).data(PlanTreeModel::DiffStatusRole).toInt(), int(DiffStatus::Same));
        QCOMPARE(model.indexForNode(3).data(PlanTreeModel::DiffStatusRole).toInt(), int(DiffStatus::Changed));
        QVERIFY(std::abs(model.indexForNode(3).data(PlanTreeModel::DiffTimeDeltaRole).toDouble() - 5.0) < 1e-9);
        model.setDiff(std::nullopt);
        QCOMPARE(model.indexForNode(2).data(PlanTreeModel::DiffStatusRole).toInt(), -1);
    }
};

QTEST_GUILESS_MAIN(TestPlanTreeModel)
#include "tst_plantreemodel.moc"
