// The plan view shows the nodes of a known plan, and the diff against the baseline marks a changed node.

#include "plan/plantreemodel.h"
#include "planview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QTextBrowser>
#include <QTest>
#include <QTreeView>

using namespace plansight;
using namespace plansight::gui;

namespace {
// Limit -> Sort -> Seq Scan: what the baseline does without an index.
const QByteArray BaselinePlan = R"json([{"Plan": {"Node Type": "Limit", "Parallel Aware": false, "Async Capable": false,
  "Startup Cost": 100.0, "Total Cost": 100.1, "Plan Rows": 25, "Plan Width": 40,
  "Actual Startup Time": 9.5, "Actual Total Time": 9.6, "Actual Rows": 25, "Actual Loops": 1,
  "Plans": [{"Node Type": "Sort", "Parent Relationship": "Outer", "Parallel Aware": false, "Async Capable": false,
    "Startup Cost": 100.0, "Total Cost": 102.0, "Plan Rows": 1000, "Plan Width": 40,
    "Actual Startup Time": 9.4, "Actual Total Time": 9.5, "Actual Rows": 25, "Actual Loops": 1,
    "Sort Key": ["created_at DESC"], "Sort Method": "top-N heapsort", "Sort Space Used": 30, "Sort Space Type": "Memory",
    "Plans": [{"Node Type": "Seq Scan", "Parent Relationship": "Outer", "Parallel Aware": false, "Async Capable": false,
      "Relation Name": "content_items", "Alias": "ci", "Startup Cost": 0.0, "Total Cost": 80.0, "Plan Rows": 10,
      "Plan Width": 40, "Actual Startup Time": 0.01, "Actual Total Time": 8.0, "Actual Rows": 5000, "Actual Loops": 1,
      "Filter": "(creator_id <> 'x'::uuid)", "Rows Removed by Filter": 20000}]}]},
  "Planning Time": 0.2, "Triggers": [], "Execution Time": 9.7}])json";

// Limit -> Index Scan: the strategy's plan.
const QByteArray IndexPlan = R"json([{"Plan": {"Node Type": "Limit", "Parallel Aware": false, "Async Capable": false,
  "Startup Cost": 0.3, "Total Cost": 3.0, "Plan Rows": 25, "Plan Width": 40,
  "Actual Startup Time": 0.02, "Actual Total Time": 0.3, "Actual Rows": 25, "Actual Loops": 1,
  "Plans": [{"Node Type": "Index Scan", "Parent Relationship": "Outer", "Parallel Aware": false, "Async Capable": false,
    "Scan Direction": "Forward", "Index Name": "ps_p4_indexes_created", "Relation Name": "content_items", "Alias": "ci",
    "Startup Cost": 0.3, "Total Cost": 300.0, "Plan Rows": 2500, "Plan Width": 40,
    "Actual Startup Time": 0.02, "Actual Total Time": 0.28, "Actual Rows": 25, "Actual Loops": 1},
   {"Node Type": "Result", "Parent Relationship": "InitPlan", "Subplan Name": "InitPlan 1", "Parallel Aware": false,
    "Async Capable": false, "Startup Cost": 0.0, "Total Cost": 0.01, "Plan Rows": 1, "Plan Width": 4,
    "Actual Loops": 0}]},
  "Planning Time": 0.1, "Triggers": [], "Execution Time": 0.35}])json";

StrategyRun run(const QString &id, const QByteArray &plan)
{
    StrategyRun r;
    r.strategyId = id;
    r.workload.tagIds = { demo::AnimeTagId };
    r.planJson = plan;
    r.stats.count = 1;
    return r;
}

QStringList labels(const QAbstractItemModel *m, const QModelIndex &parent = {})
{
    QStringList out;
    for (int r = 0; r < m->rowCount(parent); ++r) {
        const QModelIndex idx = m->index(r, 0, parent);
        out << idx.data().toString();
        out << labels(m, idx);
    }
    return out;
}
} // namespace

class TestPlanView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsTheNodesOfAKnownPlan()
    {
        PlanView view;
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        SessionResult s;
        s.runs << run(QStringLiteral("baseline"), BaselinePlan);
        view.setSession(s);
        QCOMPARE(view.currentLabel(), QStringLiteral("baseline"));
        const QStringList nodes = labels(view.model());
        QCOMPARE(nodes.size(), 3);
        QVERIFY2(nodes[0].startsWith(QStringLiteral("Limit")), qPrintable(nodes.join(QLatin1Char('|'))));
        QVERIFY(nodes[1].startsWith(QStringLiteral("Sort")));
        QVERIFY(nodes[2].contains(QStringLiteral("Seq Scan")));
        QVERIFY(nodes[2].contains(QStringLiteral("content_items")));
        // The hottest node (the Seq Scan, 8 of 9.7 ms) is selected and detailed, with its estimate badge and hint.
        const QModelIndex seq = view.model()->index(0, 0, view.model()->index(0, 0, view.model()->index(0, 0)));
        QVERIFY(seq.data(PlanTreeModel::HeatRole).toDouble() > 0.7);
        QVERIFY(seq.data(PlanTreeModel::EstimateFactorRole).toDouble() >= 10);
        QVERIFY(seq.data(PlanTreeModel::HintCountRole).toInt() >= 1);
        const QString details = view.details()->toPlainText();
        QVERIFY2(details.contains(QStringLiteral("Seq Scan")), qPrintable(details));
        QVERIFY(details.contains(QStringLiteral("Rows Removed by Filter")));
        QVERIFY(!view.diff().has_value());
    }

    void diffMarksTheChangedNode()
    {
        PlanView view;
        view.resize(1400, 900);
        SessionResult s;
        s.runs << run(QStringLiteral("baseline"), BaselinePlan) << run(QStringLiteral("p4-indexes"), IndexPlan);
        view.setSession(s);
        QVERIFY(view.showRun(QStringLiteral("p4-indexes")));
        // The baseline is the default comparison for another strategy's plan.
        QVERIFY(view.diff().has_value());
        const PlanDiff &d = *view.diff();
        QVERIFY(d.changed + d.added + d.removed > 0);
        // Side B (the strategy) marks the index scan as changed or added; the never-executed InitPlan is greyed.
        bool marked = false, never = false;
        const QAbstractItemModel *m = view.model();
        const QModelIndex root = m->index(0, 0);
        for (int r = 0; r < m->rowCount(root); ++r) {
            const QModelIndex c = m->index(r, 0, root);
            const int status = c.data(PlanTreeModel::DiffStatusRole).toInt();
            if (c.data().toString().contains(QStringLiteral("Index Scan")))
                marked = status == int(DiffStatus::Changed) || status == int(DiffStatus::Added);
            never = never || c.data(PlanTreeModel::NeverExecutedRole).toBool();
        }
        QVERIFY(marked);
        QVERIFY(never);
        // Side A shows the baseline's tree next to it.
        QVERIFY(view.diffTree()->isVisibleTo(&view));
        QCOMPARE(labels(view.diffModel()).size(), 3);
        // No comparison hides side A.
        view.compareWith({});
        QVERIFY(!view.diff().has_value());
        QVERIFY(!view.diffTree()->isVisibleTo(&view));
    }

    void importedPlanIsComparedWithWhatWasShown()
    {
        PlanView view;
        SessionResult s;
        s.runs << run(QStringLiteral("p4-indexes"), IndexPlan);
        view.setSession(s);
        auto parsed = parsePlanForTest(BaselinePlan);
        view.addImportedPlan(QStringLiteral("prod.json"), parsed);
        QCOMPARE(view.currentLabel(), QStringLiteral("imported: prod.json"));
        QVERIFY(view.diff().has_value());
        QVERIFY(view.sourceLabels().contains(QStringLiteral("p4-indexes")));
    }

private:
    static Plan parsePlanForTest(const QByteArray &json);
};

#include "plan/planparser.h"

Plan TestPlanView::parsePlanForTest(const QByteArray &json)
{
    auto p = parsePlan(json);
    if (!p)
        qFatal("%s", qPrintable(p.error().message));
    return p.value();
}

QTEST_MAIN(TestPlanView)
#include "tst_planview.moc"
