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
    }
};

QTEST_GUILESS_MAIN(TestPlanPruning)
#include "tst_planpruning.moc"
