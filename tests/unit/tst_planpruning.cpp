// Partition pruning as the plan shows it (planmetrics.h, R13): subplans kept by planning, removed when the
// executor started ("Subplans Removed"), never executed; JSON and text input, with and without ANALYZE.

#include "plan/planmetrics.h"
#include "plan/planparser.h"

#include <QTest>

using namespace plansight;

namespace {

// An Append over 3 of 8 partitions: 5 removed at executor start, one of the 3 never executed.
const char *AnalyzedJson = R"([{"Plan": {"Node Type": "Append", "Parallel Aware": false, "Startup Cost": 0.0,
 "Total Cost": 30.0, "Plan Rows": 30, "Plan Width": 20, "Actual Startup Time": 0.01, "Actual Total Time": 0.5,
 "Actual Rows": 12, "Actual Loops": 1, "Subplans Removed": 5, "Plans": [
  {"Node Type": "Seq Scan", "Parent Relationship": "Member", "Relation Name": "t_1", "Alias": "t_1",
   "Startup Cost": 0.0, "Total Cost": 10.0, "Plan Rows": 10, "Plan Width": 20, "Actual Startup Time": 0.01,
   "Actual Total Time": 0.2, "Actual Rows": 6, "Actual Loops": 1},
  {"Node Type": "Seq Scan", "Parent Relationship": "Member", "Relation Name": "t_2", "Alias": "t_2",
   "Startup Cost": 0.0, "Total Cost": 10.0, "Plan Rows": 10, "Plan Width": 20, "Actual Startup Time": 0.01,
   "Actual Total Time": 0.2, "Actual Rows": 6, "Actual Loops": 1},
  {"Node Type": "Seq Scan", "Parent Relationship": "Member", "Relation Name": "t_3", "Alias": "t_3",
   "Startup Cost": 0.0, "Total Cost": 10.0, "Plan Rows": 10, "Plan Width": 20, "Actual Startup Time": 0.0,
   "Actual Total Time": 0.0, "Actual Rows": 0, "Actual Loops": 0}]}, "Planning Time": 0.1, "Execution Time": 0.6}])";

const char *PlannedText = R"(Merge Append  (cost=0.57..10.00 rows=25 width=20)
  Sort Key: t.created_at DESC
  Subplans Removed: 1
  ->  Index Scan using t_a_idx on t_a t_1  (cost=0.28..4.00 rows=10 width=20)
  ->  Index Scan using t_b_idx on t_b t_2  (cost=0.28..4.00 rows=10 width=20)
)";

// The gallery's shape over a partitioned copy: a UNION ALL whose branches each read one partition the planner kept
// (no Append over partitions: only the catalog knows the copy is partitioned), and one branch whose members are
// two hash partitions under the numbered aliases EXPLAIN gives them.
const char *UnionOverPartitionsJson = R"([{"Plan": {"Node Type": "Append", "Startup Cost": 0.0, "Total Cost": 30.0,
 "Plan Rows": 30, "Plan Width": 20, "Actual Startup Time": 0.01, "Actual Total Time": 0.5, "Actual Rows": 3,
 "Actual Loops": 1, "Subplans Removed": 0, "Plans": [
  {"Node Type": "Index Scan", "Parent Relationship": "Member", "Relation Name": "copy_regular", "Alias": "ct_1",
   "Index Name": "copy_regular_tag", "Startup Cost": 0.0, "Total Cost": 10.0, "Plan Rows": 10, "Plan Width": 20,
   "Actual Startup Time": 0.01, "Actual Total Time": 0.2, "Actual Rows": 1, "Actual Loops": 1},
  {"Node Type": "Append", "Parent Relationship": "Member", "Startup Cost": 0.0, "Total Cost": 10.0, "Plan Rows": 10,
   "Plan Width": 20, "Actual Startup Time": 0.01, "Actual Total Time": 0.2, "Actual Rows": 2, "Actual Loops": 1,
   "Subplans Removed": 0, "Plans": [
    {"Node Type": "Seq Scan", "Parent Relationship": "Member", "Relation Name": "copy_auto_1", "Alias": "ct_3",
     "Startup Cost": 0.0, "Total Cost": 5.0, "Plan Rows": 5, "Plan Width": 20, "Actual Startup Time": 0.01,
     "Actual Total Time": 0.1, "Actual Rows": 2, "Actual Loops": 1},
    {"Node Type": "Seq Scan", "Parent Relationship": "Member", "Relation Name": "copy_auto_2", "Alias": "ct_4",
     "Startup Cost": 0.0, "Total Cost": 5.0, "Plan Rows": 5, "Plan Width": 20, "Actual Startup Time": 0.0,
     "Actual Total Time": 0.0, "Actual Rows": 0, "Actual Loops": 0}]},
  {"Node Type": "Seq Scan", "Parent Relationship": "Member", "Relation Name": "users", "Alias": "users",
   "Startup Cost": 0.0, "Total Cost": 10.0, "Plan Rows": 10, "Plan Width": 20, "Actual Startup Time": 0.01,
   "Actual Total Time": 0.1, "Actual Rows": 0, "Actual Loops": 1}]}, "Execution Time": 0.6}])";

// The catalog's answer for the copy of UnionOverPartitionsJson: five leaves.
std::optional<PartitionTree> copyTree(const QString &relation)
{
    const PartitionTree tree { QStringLiteral("copy"),
        { QStringLiteral("copy_regular"), QStringLiteral("copy_auto_1"), QStringLiteral("copy_auto_2"),
            QStringLiteral("copy_auto_3"), QStringLiteral("copy_other") } };
    if (tree.leaves.contains(relation))
        return tree;
    return std::nullopt;
}

} // namespace

class TestPlanPruning : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void analyzedAppendCountsEveryMoment()
    {
        auto plan = parsePlan(QByteArray(AnalyzedJson));
        QVERIFY2(plan.ok(), plan.ok() ? "" : qPrintable(plan.error().toString()));
        const QList<AppendPruning> p = appendPruning(*plan);
        QCOMPARE(p.size(), 1);
        QCOMPARE(p[0].node, 0);
        QCOMPARE(p[0].subplans, 3);
        QCOMPARE(p[0].removedAtStart, 5);
        QCOMPARE(p[0].executed, 2);
        QCOMPARE(p[0].total(), 8);
        QCOMPARE(p[0].summary(),
            QStringLiteral("2 of 8 partitions scanned (5 removed at executor start, 1 never executed)"));
    }

    void plannedTextPlanHasNoExecutedCount()
    {
        auto plan = parsePlan(QByteArray(PlannedText));
        QVERIFY2(plan.ok(), plan.ok() ? "" : qPrintable(plan.error().toString()));
        const QList<AppendPruning> p = appendPruning(*plan);
        QCOMPARE(p.size(), 1);
        QCOMPARE(p[0].subplans, 2);
        QCOMPARE(p[0].removedAtStart, 1);
        QCOMPARE(p[0].executed, -1);
        QCOMPARE(p[0].summary(), QStringLiteral("2 of 3 partitions in the plan (1 removed at executor start)"));
    }

    void planWithoutAppendHasNone()
    {
        auto plan = parsePlan(QByteArray("Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n"));
        QVERIFY(plan.ok());
        QVERIFY(appendPruning(*plan).isEmpty());
        QVERIFY(partitionScans(*plan).isEmpty());
        QVERIFY(partitionScansText(*plan, copyTree).isEmpty());
    }

    // R14: an Append whose executor removed subplans is a partitioned scan even without the catalog.
    void appendWithRemovedSubplansIsAPartitionedScan()
    {
        auto plan = parsePlan(QByteArray(AnalyzedJson));
        QVERIFY(plan.ok());
        const QList<PartitionScan> p = partitionScans(*plan);
        QCOMPARE(p.size(), 1);
        QCOMPARE(p[0].table, QStringLiteral("t"));
        QVERIFY(!p[0].fromCatalog);
        QCOMPARE(p[0].total, 8);
        QCOMPARE(p[0].inPlan, 3);
        QCOMPARE(p[0].scanned, 2);
        QCOMPARE(p[0].removedAtStart, 5);
        QCOMPARE(partitionScansText(*plan),
            QStringLiteral("Partitions of t: 2 of 8 scanned, 5 subplans removed at executor start, 1 never executed"));
    }

    void plannedTextSaysInThePlan()
    {
        auto plan = parsePlan(QByteArray(PlannedText));
        QVERIFY(plan.ok());
        QCOMPARE(partitionScansText(*plan),
            QStringLiteral("Partitions of t: 2 of 3 in the plan, 1 subplan removed at executor start"));
    }

    // With the catalog's trees, partitions kept alone by the planner count too, once by name, against every leaf;
    // the UNION ALL itself (members under their own aliases) is no partitioned scan.
    void catalogCountsEveryLeafOnce()
    {
        auto plan = parsePlan(QByteArray(UnionOverPartitionsJson));
        QVERIFY2(plan.ok(), plan.ok() ? "" : qPrintable(plan.error().toString()));
        const QList<PartitionScan> p = partitionScans(*plan, copyTree);
        QCOMPARE(p.size(), 1);
        QCOMPARE(p[0].table, QStringLiteral("copy"));
        QVERIFY(p[0].fromCatalog);
        QCOMPARE(p[0].total, 5);
        QCOMPARE(p[0].inPlan, 3);
        QCOMPARE(p[0].scanned, 2);
        QCOMPARE(p[0].summary(), QStringLiteral("Partitions of copy: 2 of 5 scanned, 1 never executed"));
    }

    void withoutTheCatalogOnlyTheNumberedAppendCounts()
    {
        auto plan = parsePlan(QByteArray(UnionOverPartitionsJson));
        QVERIFY(plan.ok());
        const QList<PartitionScan> p = partitionScans(*plan);
        QCOMPARE(p.size(), 1);
        QCOMPARE(p[0].table, QStringLiteral("ct"));
        QCOMPARE(p[0].total, 2);
        QCOMPARE(p[0].scanned, 1);
    }
};

QTEST_GUILESS_MAIN(TestPlanPruning)
#include "tst_planpruning.moc"
