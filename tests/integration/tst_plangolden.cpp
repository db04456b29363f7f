// Golden tests on plans a real PostgreSQL produces: forced parallel plans, a CTE read twice, an InitPlan,
// a SubPlan and a nested loop with many loops. Each derived figure is checked against a computation by hand
// from the raw numbers the server printed for that very run (timings vary between runs; the rules do not).

#include "plan/planformat.h"
#include "plan/planmetrics.h"
#include "plan/planparser.h"
#include "testcluster.h"

#include <QJsonArray>
#include <QTest>

using namespace plansight;

namespace {

constexpr double eps = 1e-6;

const PlanNode *find(const Plan &p, const QString &nodeType, const QString &relation = {}, int skip = 0)
{
    for (const PlanNode &n : p.nodes)
        if (n.nodeType == nodeType && (relation.isEmpty() || n.relationName == relation || n.cteName == relation)
            && skip-- == 0)
            return &n;
    return nullptr;
}

double childrenInclusive(const Plan &p, const PlanNode &n)
{
    double sum = 0;
    for (int c : n.children)
        if (!p.node(c).isInitPlan())
            sum += p.node(c).metrics.inclusiveMs;
    return sum;
}

} // namespace

class TestPlanGolden : public QObject {
    Q_OBJECT

    std::unique_ptr<PgSession> m_s;

    // Runs EXPLAIN twice (the first warms the backend's caches) and parses the second, JSON or text.
    Plan explain(const QString &query,
        const QString &options = QStringLiteral("ANALYZE, BUFFERS, VERBOSE, SETTINGS, FORMAT JSON"))
    {
        const QString sql = QStringLiteral("EXPLAIN (%1) %2").arg(options, query);
        auto warm = m_s->exec(sql);
        if (!warm.ok())
            qFatal("%s", qPrintable(warm.error().toString()));
        auto r = m_s->exec(sql);
        if (!r.ok())
            qFatal("%s", qPrintable(r.error().toString()));
        QByteArray out;
        for (int i = 0; i < r->rows(); ++i)
            out += r->bytes(i, 0) + '\n';
        auto p = parsePlan(out);
        if (!p.ok())
            qFatal("%s", qPrintable(p.error().message));
        return std::move(p).value();
    }

    static void checkInvariants(const Plan &p)
    {
        QVERIFY(p.analyzed);
        QVERIFY(p.timed);
        QVERIFY(p.selfCheck.applicable);
        bool clamped = false;
        double sum = 0;
        // PostgreSQL prints per-loop times with 3 decimals, so a child can appear a little slower than its parent;
        // such a node's exclusive time is shown as 0 without a warning (R6), and the sum may exceed the root by
        // that rounding: at most planrules::roundingPerLoopMs per loop of the node and its children, and
        // planrules::clampWarningMs per node.
        double rounding = 1e-6;
        for (const PlanNode &n : p.nodes) {
            QVERIFY(n.metrics.exclusiveMs >= 0);
            QVERIFY(n.metrics.inclusiveMs >= n.metrics.exclusiveMs - eps);
            clamped = clamped || n.metrics.clamped;
            if (!n.metrics.concurrent)
                sum += n.metrics.exclusiveMs;
            if (n.hasTiming && n.metrics.exclusiveMs == 0) {
                double loops = std::max(1.0, n.actualLoops);
                for (int c : n.children)
                    loops += std::max(1.0, p.node(c).actualLoops);
                rounding += planrules::clampWarningMs + planrules::roundingPerLoopMs * loops;
            }
        }
        // Nothing is counted twice: along the critical path (nodes not marked concurrent) the exclusive times add
        // up to the root's inclusive time exactly (InitPlans and CTEs are inside the root), and never exceed the
        // execution time beyond the self-check's tolerance.
        if (!clamped)
            QVERIFY2(sum >= p.root().metrics.inclusiveMs - 1e-6 && sum - p.root().metrics.inclusiveMs < rounding,
                qPrintable(QStringLiteral("%1 vs %2").arg(sum).arg(p.root().metrics.inclusiveMs)));
        QVERIFY2(p.selfCheck.gapMs >= -p.selfCheck.toleranceMs, qPrintable(p.selfCheck.message));
        QVERIFY(!p.selfCheck.message.isEmpty());
    }

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        m_s = test::TestCluster::get()->connect(QStringLiteral("plangolden"));
        QVERIFY(m_s);
        const Status st = m_s->execScript(QStringLiteral(R"(
            DROP TABLE IF EXISTS g_items, g_tags, g_small;
            CREATE TABLE g_items (id int PRIMARY KEY, grp int NOT NULL, val double precision NOT NULL);
            INSERT INTO g_items SELECT g, g % 50, (g * 7 % 1000) / 10.0 FROM generate_series(1, 60000) g;
            CREATE TABLE g_tags (item_id int NOT NULL, tag int NOT NULL);
            INSERT INTO g_tags SELECT g, t FROM generate_series(1, 3000) g, generate_series(1, 3) t;
            CREATE INDEX g_tags_item ON g_tags (item_id);
            CREATE TABLE g_small (id int PRIMARY KEY, label text);
            INSERT INTO g_small SELECT g, 'l' || g FROM generate_series(1, 400) g;
            SET jit = off;
        )"));
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().toString()));
        // VACUUM cannot run inside the implicit transaction of a multi-statement script.
        auto vacuum = m_s->exec(QStringLiteral("VACUUM ANALYZE g_items, g_tags, g_small"));
        QVERIFY2(vacuum.ok(), qPrintable(vacuum.ok() ? QString() : vacuum.error().toString()));
    }

    void forcedParallelPlan()
    {
        QVERIFY(m_s->execScript(QStringLiteral("SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; "
                                               "SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; "
                                               "SET parallel_leader_participation = on"))
                    .ok());
        const Plan p = explain(QStringLiteral("SELECT grp, count(*) FROM g_items WHERE val > 10 GROUP BY grp"));
        // The same query as text, under the same settings, gives the same tree.
        const Plan text = explain(QStringLiteral("SELECT grp, count(*) FROM g_items WHERE val > 10 GROUP BY grp"),
            QStringLiteral("ANALYZE, BUFFERS, VERBOSE"));
        QVERIFY(m_s->execScript(QStringLiteral("RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; "
                                               "RESET parallel_tuple_cost; RESET min_parallel_table_scan_size"))
                    .ok());
        checkInvariants(p);
        const PlanNode *gather = find(p, QStringLiteral("Gather Merge"));
        if (!gather)
            gather = find(p, QStringLiteral("Gather"));
        QVERIFY(gather);
        const PlanNode *scan = find(p, QStringLiteral("Seq Scan"), QStringLiteral("g_items"));
        QVERIFY(scan && scan->parallelAware);
        const int launched = gather->workersLaunched;
        QVERIFY(launched >= 0 && launched <= gather->workersPlanned);
        QCOMPARE(scan->metrics.processes, launched + 1);
        QCOMPARE(scan->actualLoops, double(launched + 1));
        // By hand: with the workers listed (VERBOSE), the wall time is the slowest process; the leader's time is
        // the total minus the workers'.
        const double cpu = scan->actualTotalMs * scan->actualLoops;
        double workers = 0, slowest = 0;
        for (const PlanWorker &w : scan->workers) {
            workers += w.actualTotalMs * w.actualLoops;
            slowest = std::max(slowest, w.actualTotalMs * w.actualLoops);
        }
        const double expected = launched == 0 ? cpu
            : scan->workers.isEmpty()         ? cpu / (launched + 1)
                                              : std::max(cpu - workers, slowest);
        QVERIFY2(std::abs(scan->metrics.inclusiveMs - expected) < eps,
            qPrintable(QStringLiteral("%1 vs %2").arg(scan->metrics.inclusiveMs).arg(expected)));
        QCOMPARE(scan->metrics.rowsTotal, scan->actualRows * scan->actualLoops);
        QCOMPARE(scan->metrics.rowsRemovedTotal, scan->rowsRemovedByFilter * scan->actualLoops);
        QVERIFY(std::abs(gather->metrics.exclusiveMs
                    - std::max(0.0, gather->metrics.inclusiveMs - childrenInclusive(p, *gather)))
            < eps);
        QCOMPARE(text.format, PlanFormat::Text);
        QCOMPARE(text.size(), p.size());
    }

    // Issue #10: a Parallel Append over UNION ALL branches of very different cost. The non-partial Merge Join of
    // small tables runs once, in one process, while the Gather has 3; the other branches run beside it.
    void parallelAppendWithUnevenSubplans_data()
    {
        QTest::addColumn<QString>("options");
        QTest::addColumn<QString>("tail");
        QTest::newRow("VERBOSE, Gather") << QStringLiteral("ANALYZE, VERBOSE, BUFFERS, SETTINGS, FORMAT JSON")
                                         << QString();
        QTest::newRow("VERBOSE, Limit over Gather Merge")
            << QStringLiteral("ANALYZE, VERBOSE, BUFFERS, SETTINGS, FORMAT JSON")
            << QStringLiteral(" ORDER BY n DESC LIMIT 25");
        QTest::newRow("no VERBOSE, Limit over Gather Merge")
            << QStringLiteral("ANALYZE, BUFFERS, SETTINGS, FORMAT JSON") << QStringLiteral(" ORDER BY n DESC LIMIT 25");
    }
    void parallelAppendWithUnevenSubplans()
    {
        QFETCH(QString, options);
        QFETCH(QString, tail);
        // g_tags and g_small are below min_parallel_table_scan_size: their branch has no partial path and runs
        // whole in one process; g_items is above it and is scanned in parallel.
        QVERIFY(m_s->execScript(QStringLiteral(
                                    "SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; "
                                    "SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = '1MB'; "
                                    "SET min_parallel_index_scan_size = '1MB'; SET parallel_leader_participation = on"))
                    .ok());
        const Plan p = explain(
            QStringLiteral(
                "SELECT * FROM ("
                "SELECT a.tag AS k, b.tag AS n FROM g_tags a JOIN g_tags b ON a.item_id % 50 = b.item_id % 50 "
                "WHERE a.tag + b.tag = 7 AND a.item_id + b.item_id < 100 "
                "UNION ALL SELECT id % 10, id FROM g_small WHERE id > 300 "
                "UNION ALL SELECT grp, id FROM g_items WHERE val > 90) u")
                + tail,
            options);
        QVERIFY(m_s->execScript(QStringLiteral("RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; "
                                               "RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET "
                                               "min_parallel_index_scan_size"))
                    .ok());
        checkInvariants(p);
        const PlanNode *append = find(p, QStringLiteral("Append"));
        QVERIFY(append && append->parallelAware);
        const PlanNode *gather = find(p, QStringLiteral("Gather Merge"));
        if (!gather)
            gather = find(p, QStringLiteral("Gather"));
        QVERIFY(gather);
        if (gather->workersLaunched < 1)
            QSKIP("The server launched no parallel worker (max_worker_processes is exhausted).");
        // The slow branch keeps its full time: it ran once, in one process.
        const PlanNode *slow = nullptr;
        for (int c : append->children)
            if (!slow || p.node(c).metrics.inclusiveMs > slow->metrics.inclusiveMs)
                slow = &p.node(c);
        QCOMPARE(slow->nodeType, QStringLiteral("Merge Join"));
        QCOMPARE(slow->actualLoops, 1.0);
        QCOMPARE(slow->metrics.processes, 1);
        QVERIFY2(std::abs(slow->metrics.inclusiveMs - slow->actualTotalMs) < eps,
            qPrintable(QStringLiteral("%1 vs %2").arg(slow->metrics.inclusiveMs).arg(slow->actualTotalMs)));
        QVERIFY(!slow->metrics.concurrent);
        // The Gather's exclusive time is what lies above its child's slowest process, not the imbalance.
        const PlanNode &child = p.node(gather->children.first());
        QVERIFY(child.metrics.inclusiveMs >= slow->metrics.inclusiveMs - eps);
        QVERIFY(std::abs(gather->metrics.exclusiveMs
                    - std::max(0.0, gather->metrics.inclusiveMs - child.metrics.inclusiveMs))
            < eps);
        QVERIFY2(gather->metrics.exclusiveMs < gather->metrics.inclusiveMs - slow->metrics.inclusiveMs + eps,
            qPrintable(QStringLiteral("%1 of %2").arg(gather->metrics.exclusiveMs).arg(gather->metrics.inclusiveMs)));
        // The other branches ran beside it; the self-check sums along the critical path.
        int concurrent = 0;
        double critical = 0;
        for (const PlanNode &n : p.nodes) {
            concurrent += n.metrics.concurrent ? 1 : 0;
            if (!n.metrics.concurrent)
                critical += n.metrics.exclusiveMs;
        }
        // Which process takes which branch is up to the server: when one process ran them all, one after the
        // other, nothing is concurrent and the branches' times fit in the Append's.
        if (concurrent == 0) {
            double branches = 0;
            for (int c : append->children)
                branches += p.node(c).metrics.inclusiveMs;
            QVERIFY2(branches <= append->metrics.inclusiveMs + 0.1, qPrintable(formatPlanText(p)));
        }
        QCOMPARE(p.selfCheck.concurrentNodes, concurrent);
        QVERIFY(std::abs(p.selfCheck.nodesMs - critical) < eps);
        QVERIFY2(p.selfCheck.ok, qPrintable(p.selfCheck.message));
        QVERIFY2(!append->metrics.clamped, qPrintable(p.warnings.join(QLatin1Char(' '))));
        // Under the Limit, the Gather Merge stopped early by design: no over-estimate.
        if (!tail.isEmpty()) {
            QVERIFY(gather->metrics.stoppedByLimit);
            for (const PlanHint &h : gather->metrics.hints)
                QVERIFY(h.kind != HintKind::EstimateOff);
        }
    }

    void cteReadTwiceIsCountedOnce()
    {
        const Plan p
            = explain(QStringLiteral("WITH x AS MATERIALIZED (SELECT id, grp FROM g_items WHERE grp < 5) "
                                     "SELECT a.grp, count(*) FROM x a JOIN x b ON a.id = b.id + 50 GROUP BY a.grp"));
        checkInvariants(p);
        const PlanNode *cte = nullptr;
        for (const PlanNode &n : p.nodes)
            if (n.isCte())
                cte = &n;
        QVERIFY(cte);
        QCOMPARE(cte->subplanName, QStringLiteral("CTE x"));
        const PlanNode *a = find(p, QStringLiteral("CTE Scan"), QStringLiteral("x"), 0);
        const PlanNode *b = find(p, QStringLiteral("CTE Scan"), QStringLiteral("x"), 1);
        QVERIFY(a && b);
        // By hand: the CTE's time is taken out of the scans in plan order, each giving at most its own time.
        const double fromA = std::min(a->metrics.inclusiveMs, cte->metrics.inclusiveMs);
        const double fromB = cte->metrics.inclusiveMs - fromA;
        QVERIFY(std::abs(a->metrics.exclusiveMs - (a->metrics.inclusiveMs - fromA)) < eps);
        QVERIFY(std::abs(b->metrics.exclusiveMs - std::max(0.0, b->metrics.inclusiveMs - fromB)) < eps);
        // The node the CTE hangs under does not subtract it again.
        const PlanNode &attachment = p.node(cte->parent);
        QVERIFY(std::abs(attachment.metrics.exclusiveMs
                    - std::max(0.0, attachment.metrics.inclusiveMs - childrenInclusive(p, attachment)))
            < eps);
        QVERIFY(
            std::abs(cte->metrics.exclusiveMs - std::max(0.0, cte->metrics.inclusiveMs - childrenInclusive(p, *cte)))
            < eps);
    }

    void initPlanGoesToItsConsumer()
    {
        const Plan p = explain(
            QStringLiteral("SELECT count(*) FROM g_items WHERE val > (SELECT avg(val) FROM g_items WHERE grp = 3)"));
        checkInvariants(p);
        const PlanNode *init = nullptr;
        for (const PlanNode &n : p.nodes)
            if (n.isInitPlan())
                init = &n;
        QVERIFY(init);
        const PlanNode *consumer = nullptr;
        for (const PlanNode &n : p.nodes)
            if (n.metrics.attributedSubplans.contains(init->id))
                consumer = &n;
        QVERIFY(consumer);
        QVERIFY2(consumer->filter.contains(QLatin1Char('$')) || consumer->filter.contains(QLatin1String("InitPlan")),
            qPrintable(consumer->filter));
        QVERIFY(std::abs(consumer->metrics.exclusiveMs
                    - std::max(0.0,
                        consumer->metrics.inclusiveMs - childrenInclusive(p, *consumer) - init->metrics.inclusiveMs))
            < eps);
        const PlanNode &top = p.node(init->parent);
        QVERIFY(top.id != consumer->id);
        QVERIFY(std::abs(top.metrics.exclusiveMs - std::max(0.0, top.metrics.inclusiveMs - childrenInclusive(p, top)))
            < eps);
    }

    void subPlanRunsPerRow()
    {
        const Plan p
            = explain(QStringLiteral("SELECT i.id, (SELECT count(*) FROM g_tags t WHERE t.item_id = i.id) AS n "
                                     "FROM g_items i WHERE i.id <= 500"));
        checkInvariants(p);
        const PlanNode *sub = nullptr;
        for (const PlanNode &n : p.nodes)
            if (n.isSubPlan())
                sub = &n;
        QVERIFY(sub);
        QCOMPARE(sub->actualLoops, 500.0);
        QVERIFY(std::abs(sub->metrics.inclusiveMs - sub->actualTotalMs * 500) < eps);
        const PlanNode &owner = p.node(sub->parent);
        QVERIFY(
            std::abs(owner.metrics.exclusiveMs - std::max(0.0, owner.metrics.inclusiveMs - childrenInclusive(p, owner)))
            < eps);
        QCOMPARE(owner.metrics.rowsTotal, 500.0);
    }

    void nestedLoopWithManyLoops()
    {
        QVERIFY(m_s->execScript(QStringLiteral("SET enable_hashjoin = off; SET enable_mergejoin = off")).ok());
        const Plan p
            = explain(QStringLiteral("SELECT s.label, t.tag FROM g_small s JOIN g_tags t ON t.item_id = s.id"));
        QVERIFY(m_s->execScript(QStringLiteral("RESET enable_hashjoin; RESET enable_mergejoin")).ok());
        checkInvariants(p);
        const PlanNode *nl = find(p, QStringLiteral("Nested Loop"));
        QVERIFY(nl);
        const PlanNode &inner = p.node(nl->children.at(1));
        const PlanNode &outer = p.node(nl->children.at(0));
        QCOMPARE(inner.actualLoops, 400.0);
        QVERIFY(std::abs(inner.metrics.inclusiveMs - inner.actualTotalMs * 400) < eps);
        QCOMPARE(inner.metrics.rowsTotal, inner.actualRows * 400);
        QCOMPARE(inner.metrics.rowsTotal, 1200.0);
        QVERIFY(std::abs(nl->metrics.exclusiveMs
                    - std::max(0.0, nl->metrics.inclusiveMs - outer.metrics.inclusiveMs - inner.metrics.inclusiveMs))
            < eps);
        // Estimate per loop: 3 rows per loop planned as about 3.
        QVERIFY(inner.metrics.estimateFactor >= 1 && inner.metrics.estimateFactor < 3);
        QVERIFY(inner.metrics.exclusiveBuffers.present);
        // The --json shape carries these numbers.
        const QJsonObject j = toJson(p);
        QVERIFY(j.value(QLatin1String("self_check")).toObject().value(QLatin1String("applicable")).toBool());
        QCOMPARE(j.value(QLatin1String("execution_ms")).toDouble(), p.executionMs);
    }
};

QTEST_GUILESS_MAIN(TestPlanGolden)
#include "tst_plangolden.moc"
