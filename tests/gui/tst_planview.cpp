// The plan view shows the nodes of a known plan, and the diff against the baseline marks a changed node.

#include "plan/plantreemodel.h"
#include "planview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QPlainTextEdit>
#include <QTest>
#include <QTextBrowser>
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
        // The plan opens at its root, as EXPLAIN prints it.
        QCOMPARE(view.tree()->currentIndex().data(PlanTreeModel::NodeIdRole).toInt(), 0);
        QVERIFY(view.details()->toPlainText().startsWith(QStringLiteral("Limit")));
        // The hottest node (the Seq Scan, 8 of 9.7 ms) is hot, with its estimate badge and hint; so is the Sort
        // (1.5 ms); the Limit is not. Next hot selects the Sort, then the Seq Scan, and details it.
        const QModelIndex seq = view.model()->index(0, 0, view.model()->index(0, 0, view.model()->index(0, 0)));
        QVERIFY(seq.data(PlanTreeModel::HeatRole).toDouble() > 0.7);
        QVERIFY(seq.data(PlanTreeModel::HotRole).toBool());
        QVERIFY(!view.model()->index(0, 0).data(PlanTreeModel::HotRole).toBool());
        QVERIFY(seq.data(PlanTreeModel::EstimateFactorRole).toDouble() >= 10);
        QVERIFY(seq.data(PlanTreeModel::HintCountRole).toInt() >= 1);
        QVERIFY(view.selectNextHotNode());
        QCOMPARE(view.tree()->currentIndex().data(PlanTreeModel::NodeIdRole).toInt(), 1);
        QVERIFY(view.selectNextHotNode());
        QCOMPARE(view.tree()->currentIndex().data(PlanTreeModel::NodeIdRole).toInt(),
            seq.data(PlanTreeModel::NodeIdRole).toInt());
        const QString details = view.details()->toPlainText();
        QVERIFY2(details.contains(QStringLiteral("Seq Scan")), qPrintable(details));
        QVERIFY(details.contains(QStringLiteral("Rows Removed by Filter")));
        QVERIFY(!view.diff().has_value());
    }

    void hotNodesAreSteppedThroughInTreeOrder()
    {
        // Two hot nodes: the Sort (4 of 10 ms exclusive) and the Seq Scan under it (5 ms); the Limit (0.5 ms) is not.
        const QByteArray twoHot = R"json([{"Plan": {"Node Type": "Limit", "Startup Cost": 1, "Total Cost": 2,
          "Plan Rows": 25, "Plan Width": 8, "Actual Startup Time": 9.4, "Actual Total Time": 9.5, "Actual Rows": 25,
          "Actual Loops": 1, "Plans": [{"Node Type": "Sort", "Parent Relationship": "Outer", "Startup Cost": 1,
          "Total Cost": 2, "Plan Rows": 25, "Plan Width": 8, "Actual Startup Time": 9.0, "Actual Total Time": 9.0,
          "Actual Rows": 25, "Actual Loops": 1, "Plans": [{"Node Type": "Seq Scan", "Parent Relationship": "Outer",
          "Relation Name": "t", "Alias": "t", "Startup Cost": 0, "Total Cost": 1, "Plan Rows": 100, "Plan Width": 8,
          "Actual Startup Time": 0.1, "Actual Total Time": 5.0, "Actual Rows": 100, "Actual Loops": 1}]}]},
          "Planning Time": 0.1, "Execution Time": 10.0}])json";
        PlanView view;
        SessionResult s;
        s.runs << run(QStringLiteral("baseline"), twoHot);
        view.setSession(s);
        QCOMPARE(hotNodeIds(view.model()->plan()), (QList<int> { 1, 2 }));
        const auto current = [&view] { return view.tree()->currentIndex().data(PlanTreeModel::NodeIdRole).toInt(); };
        QCOMPARE(current(), 0);
        QVERIFY(view.selectNextHotNode(true));
        QCOMPARE(current(), 1);
        QVERIFY(view.selectNextHotNode(true));
        QCOMPARE(current(), 2);
        QVERIFY(view.selectNextHotNode(true)); // wraps around
        QCOMPARE(current(), 1);
        QVERIFY(view.selectNextHotNode(false)); // and back
        QCOMPARE(current(), 2);
    }

    void copiesThePlanAndTheSqlWithItsParameters()
    {
        PlanView view;
        SessionResult s;
        StrategyRun r = run(QStringLiteral("baseline"), BaselinePlan);
        r.sql = QStringLiteral("SELECT id FROM content_items WHERE title = $1 LIMIT $2");
        r.params = { QStringLiteral("it's"), QStringLiteral("25") };
        s.runs << r;
        view.setSession(s);
        // The raw plan tab shows the EXPLAIN JSON as PostgreSQL printed it; Copy gives the same.
        QVERIFY(view.rawText()->toPlainText().contains(QStringLiteral("\"Rows Removed by Filter\": 20000")));
        QCOMPARE(view.copyText(PlanView::CopyKind::Json), view.rawText()->toPlainText());
        QVERIFY(view.copyText(PlanView::CopyKind::Text).contains(QStringLiteral("Seq Scan")));
        QCOMPARE(view.copyText(PlanView::CopyKind::Sql),
            QStringLiteral("PREPARE plansight_query AS\nSELECT id FROM content_items WHERE title = $1 LIMIT $2;\n"
                           "EXECUTE plansight_query('it''s', '25');\nDEALLOCATE plansight_query;\n"));
        // An imported plan keeps the text it was read from.
        view.addImportedPlan(
            QStringLiteral("prod.txt"), parsePlanForTest(IndexPlan), QByteArrayLiteral("raw text of the import"));
        QCOMPARE(view.rawText()->toPlainText(), QStringLiteral("raw text of the import"));
        QVERIFY(view.copyText(PlanView::CopyKind::Sql).isEmpty());
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
