// Derived metrics, rule by rule (planmetrics.h), on hand-written plans whose figures are computed by hand.

#include "plan/planformat.h"
#include "plan/planmetrics.h"
#include "plan/planparser.h"

#include <QFile>
#include <QRegularExpression>
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

bool near(double a, double b, double eps = 1e-6)
{
    return std::abs(a - b) <= eps;
}

bool isParallelAppendNode(const PlanNode &n)
{
    return n.nodeType == QLatin1String("Append") && n.parallelAware;
}

bool hasHint(const PlanNode &n, HintKind kind)
{
    return std::any_of(
        n.metrics.hints.cbegin(), n.metrics.hints.cend(), [kind](const PlanHint &h) { return h.kind == kind; });
}

} // namespace

#define QNEAR(a, b)                                                                                                    \
    QVERIFY2(near((a), (b)), qPrintable(QStringLiteral("%1 != %2").arg(a, 0, 'g', 12).arg(b, 0, 'g', 12)))

class TestPlanMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // R1, R4, R8, R10: times and rows multiplied by loops; exclusive buffers.
    void loopsMultiplyTimesAndRows()
    {
        const Plan p = load(QStringLiteral("pitfall_loops.json"));
        const PlanNode &nl = p.node(0), &outer = p.node(1), &inner = p.node(2);
        QNEAR(inner.metrics.inclusiveMs, 5.0); // 0.05 ms x 100 loops
        QNEAR(inner.metrics.exclusiveMs, 5.0);
        QNEAR(outer.metrics.exclusiveMs, 1.0);
        QNEAR(nl.metrics.exclusiveMs, 4.0); // 10 - 1 - 5
        QNEAR(nl.metrics.exclusivePercent, 100.0 * 4.0 / 10.1);
        QNEAR(inner.metrics.rowsTotal, 200.0);
        QNEAR(inner.metrics.estimateFactor, 2.0); // per loop: 2 actual vs 1 planned
        QCOMPARE(inner.metrics.direction, EstimateDirection::Under);
        QCOMPARE(nl.metrics.exclusiveBuffers.sharedHit, qint64(0)); // 310 - 10 - 300
        QCOMPARE(nl.metrics.exclusiveBuffers.sharedRead, qint64(0));
        QCOMPARE(inner.metrics.exclusiveBuffers.sharedRead, qint64(20));
        QVERIFY(p.selfCheck.applicable);
        QVERIFY(p.selfCheck.ok);
        QNEAR(p.selfCheck.nodesMs, 10.0);
        QNEAR(p.selfCheck.gapMs, 0.1);
        QVERIFY(p.warnings.isEmpty());
    }

    // R2: parallel nodes in wall time; workers planned but not launched do not count.
    void parallelNodesCountWallTime()
    {
        const Plan p = load(QStringLiteral("pitfall_parallel.json"));
        const PlanNode &append = p.node(0), &gatherA = p.node(1), &scanA = p.node(2), &gatherB = p.node(3),
                       &scanB = p.node(4);
        QCOMPARE(scanA.metrics.processes, 3); // 2 launched + leader, not 4 planned + leader
        QNEAR(scanA.metrics.inclusiveMs, 90.0); // 90 x 3 loops / 3 processes
        QNEAR(gatherA.metrics.exclusiveMs, 10.0);
        QNEAR(scanA.metrics.rowsTotal, 3000.0);
        QNEAR(scanA.metrics.rowsRemovedTotal, 30000.0); // per loop x loops
        QVERIFY(hasHint(scanA, HintKind::RowsRemoved)); // 30000 / 33000 > 90%
        QCOMPARE(scanA.metrics.direction, EstimateDirection::Accurate); // 1000 vs 800 per process
        QCOMPARE(scanB.metrics.processes, 1); // no worker launched: the leader alone
        QNEAR(scanB.metrics.inclusiveMs, 45.0);
        QNEAR(gatherB.metrics.exclusiveMs, 5.0);
        QNEAR(append.metrics.exclusiveMs, 1.0);
        QVERIFY(p.selfCheck.ok);
        QNEAR(p.selfCheck.nodesMs, 151.0);
    }

    // R3: the bitmap under a Parallel Bitmap Heap Scan is built by one process while the others wait.
    void leaderOnlyBitmapUnderParallelHeapScan()
    {
        const Plan p = load(QStringLiteral("pitfall_parallel_bitmap.json"));
        const PlanNode &gather = p.node(0), &heap = p.node(1), &bitmap = p.node(2);
        QCOMPARE(bitmap.metrics.processes, 1);
        QCOMPARE(heap.metrics.processes, 3);
        QNEAR(bitmap.metrics.inclusiveMs, 15.0);
        QNEAR(heap.metrics.inclusiveMs, 30.0); // 20 x 3 / 3 + (15 - 15 / 3) waited by every process
        QNEAR(heap.metrics.exclusiveMs, 15.0);
        QNEAR(gather.metrics.exclusiveMs, 5.0);
        QVERIFY(!heap.metrics.clamped);
        QCOMPARE(heap.metrics.exclusiveBuffers.sharedHit, qint64(90));
        QCOMPARE(heap.metrics.exclusiveBuffers.sharedRead, qint64(0));
        QVERIFY(p.selfCheck.ok);
        QVERIFY(p.warnings.isEmpty());
    }

    // R5: CTE time counted once, in the CTE Scan that ran it; not subtracted again at the attachment.
    void cteTimeCountedOnce()
    {
        const Plan p = load(QStringLiteral("pitfall_cte.json"));
        const PlanNode &append = p.node(0), &cte = p.node(1), &a = p.node(2), &b = p.node(3);
        QVERIFY(cte.isCte());
        QNEAR(cte.metrics.exclusiveMs, 30.0);
        QNEAR(a.metrics.exclusiveMs, 5.0); // 35 - the 30 ms of the CTE it ran
        QNEAR(b.metrics.exclusiveMs, 10.0);
        QNEAR(append.metrics.exclusiveMs, 1.0); // 46 - 35 - 10, the CTE is inside the scans already
        QCOMPARE(a.metrics.attributedSubplans, QList<int> { 1 });
        QCOMPARE(a.metrics.exclusiveBuffers.sharedHit, qint64(0));
        QCOMPARE(append.metrics.exclusiveBuffers.sharedHit, qint64(0));
        QCOMPARE(cte.metrics.exclusiveBuffers.sharedHit, qint64(100));
        QNEAR(p.selfCheck.nodesMs, 46.0);
        QVERIFY(p.selfCheck.ok);
        QVERIFY(p.warnings.isEmpty());
    }

    // R5: an InitPlan's time goes to the node that uses its value ($0 up to PG 16, (InitPlan 1) from PG 17).
    void initPlanAttributedToItsConsumer_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<double>("topExclusive");
        QTest::addColumn<double>("scanExclusive");
        QTest::addColumn<double>("initPlanExclusive");
        QTest::newRow("PG 15 $0") << "pg15_initplan.json" << 0.0 << 0.0 << 0.0;
        QTest::newRow("PG 17 (InitPlan 1)") << "pitfall_initplan_pg17.json" << 15.0 << 8.0 << 1.0;
    }
    void initPlanAttributedToItsConsumer()
    {
        QFETCH(QString, file);
        QFETCH(double, topExclusive);
        QFETCH(double, scanExclusive);
        QFETCH(double, initPlanExclusive);
        const Plan p = load(file);
        QCOMPARE(p.size(), 4);
        const PlanNode &top = p.node(0), &init = p.node(1), &initScan = p.node(2), &scan = p.node(3);
        QVERIFY(init.isInitPlan());
        QCOMPARE(scan.metrics.attributedSubplans, QList<int> { 1 });
        if (topExclusive == 0) { // real numbers from the file, computed from its raw fields
            topExclusive = top.actualTotalMs - scan.actualTotalMs;
            scanExclusive = scan.actualTotalMs - init.actualTotalMs;
            initPlanExclusive = init.actualTotalMs - initScan.actualTotalMs;
        }
        QNEAR(top.metrics.exclusiveMs, topExclusive);
        QNEAR(scan.metrics.exclusiveMs, scanExclusive);
        QNEAR(init.metrics.exclusiveMs, initPlanExclusive);
        QVERIFY(p.selfCheck.ok);
    }

    // R6, R11: inconsistent input is clamped at zero with a warning, and the self-check says by how much.
    void negativeExclusiveIsClampedWithAWarning()
    {
        const Plan p = load(QStringLiteral("pitfall_negative.json"));
        const PlanNode &join = p.node(0);
        QCOMPARE(join.metrics.exclusiveMs, 0.0);
        QVERIFY(join.metrics.clamped);
        QVERIFY(hasHint(join, HintKind::Inconsistent));
        QVERIFY(p.warnings.size() >= 2);
        QVERIFY2(p.warnings.first().contains(QLatin1String("3.50 ms")), qPrintable(p.warnings.first()));
        QVERIFY(!p.selfCheck.ok);
        QNEAR(p.selfCheck.gapMs, 5.1 - 8.5);
        QVERIFY2(p.selfCheck.message.contains(QLatin1String("more than the execution time")),
            qPrintable(p.selfCheck.message));
        for (const PlanNode &n : p.nodes)
            QVERIFY(n.metrics.exclusiveMs >= 0);
    }

    void roundingIsNotInconsistency()
    {
        // 1000 loops of a node printed as 0.001 ms each: the parent's 0.9 ms is within rounding.
        auto p = parsePlan(
            R"({"Plan": {"Node Type": "Nested Loop", "Join Type": "Inner", "Actual Startup Time": 0, "Actual Total Time": 0.9,
            "Actual Rows": 1000, "Actual Loops": 1, "Plans": [
            {"Node Type": "Result", "Parent Relationship": "Outer", "Actual Startup Time": 0, "Actual Total Time": 0.001, "Actual Rows": 1, "Actual Loops": 1000}]},
            "Execution Time": 1.0})");
        QVERIFY(p.ok());
        QCOMPARE(p->root().metrics.exclusiveMs, 0.0);
        QVERIFY(!p->root().metrics.clamped);
        QVERIFY(p->selfCheck.ok);
        QVERIFY(p->warnings.isEmpty());
    }

    // R8: never-executed nodes are marked and kept out of every ratio and hint.
    void neverExecutedNodesAreExcluded()
    {
        const Plan p = load(QStringLiteral("pitfall_never_executed.json"));
        const PlanNode &nl = p.node(0), &outer = p.node(1), &inner = p.node(2);
        QVERIFY(inner.neverExecuted);
        QCOMPARE(inner.metrics.estimateFactor, 0.0);
        QCOMPARE(inner.metrics.direction, EstimateDirection::None);
        QCOMPARE(inner.metrics.inclusiveMs, 0.0);
        QVERIFY(inner.metrics.hints.isEmpty());
        QNEAR(nl.metrics.exclusiveMs, 0.005);
        QNEAR(outer.metrics.rowsRemovedShare, 1.0);
        QVERIFY(!hasHint(outer, HintKind::RowsRemoved)); // 500 rows removed: below the minimum worth a hint
        QCOMPARE(outer.metrics.direction, EstimateDirection::Accurate); // 0 actual and 1 planned both count as 1
    }

    // R12: each hint on the node it is about, and only there.
    void hintsOnTheRightNodes()
    {
        const Plan p = load(QStringLiteral("pitfall_hints.json"));
        const PlanNode &limit = p.node(0), &sort = p.node(1), &join = p.node(2), &scan = p.node(3), &hash = p.node(4),
                       &ios = p.node(5);
        QVERIFY(hasHint(sort, HintKind::SortSpill));
        QVERIFY(hasHint(hash, HintKind::HashSpill));
        QVERIFY(hasHint(ios, HintKind::HeapFetches));
        QVERIFY(hasHint(scan, HintKind::RowsRemoved));
        QVERIFY(hasHint(join, HintKind::EstimateOff));
        QNEAR(join.metrics.estimateFactor, 500.0);
        QCOMPARE(join.metrics.direction, EstimateDirection::Under);
        QVERIFY(limit.metrics.hints.isEmpty());
        QCOMPARE(sort.metrics.hints.size(), 1);
        QCOMPARE(ios.metrics.hints.first().severity, HintSeverity::Warning); // 50% of its rows
        QNEAR(sort.metrics.exclusiveMs, 39.0);
        QNEAR(join.metrics.exclusiveMs, 21.0);
        QCOMPARE(sort.metrics.exclusiveBuffers.tempWritten, qint64(512));
        QVERIFY(p.selfCheck.ok);
    }

    void seqScanRepeatedUnderNestedLoop()
    {
        const Plan p = load(QStringLiteral("pg15_seqscan_loop.json"));
        int hinted = 0;
        for (const PlanNode &n : p.nodes) {
            if (hasHint(n, HintKind::SeqScanInLoop)) {
                ++hinted;
                QCOMPARE(n.relationName, QStringLiteral("items"));
                QVERIFY(n.actualLoops > 1);
            }
        }
        QCOMPARE(hinted, 1);
        // The other real plans have none: the small outer scans run once.
        const Plan nl = load(QStringLiteral("pg15_nestloop.json"));
        for (const PlanNode &n : nl.nodes)
            QVERIFY(!hasHint(n, HintKind::SeqScanInLoop));
    }

    // R10, R11 with JIT and triggers: I/O time exclusive, the self-check counts JIT and trigger time.
    void ioJitAndTriggers()
    {
        const Plan p = load(QStringLiteral("pitfall_versions.json"));
        const PlanNode &insert = p.node(0), &fn = p.node(1);
        QNEAR(fn.metrics.inclusiveMs, 2.0);
        QNEAR(insert.metrics.exclusiveMs, 3.0);
        QNEAR(fn.metrics.rowsTotal, 10.0); // 0.5 rows per loop (PG 18) x 20 loops
        QNEAR(insert.metrics.exclusiveIo.sharedReadMs, 1.3);
        QNEAR(insert.metrics.exclusiveIo.totalMs(), 1.3 + 0.5 + 0.25);
        QNEAR(insert.metrics.exclusiveIoPercent, 100.0 * 2.05 / 9.6);
        QVERIFY(p.selfCheck.ok);
        QNEAR(p.selfCheck.jitMs, 2.0);
        QNEAR(p.selfCheck.triggersMs, 2.5);
        QNEAR(p.selfCheck.gapMs, 9.6 - 9.5);
    }

    // R2, R2a (issue #10), without per-worker figures: a real PostgreSQL 15 plan (EXPLAIN without VERBOSE) where a
    // Parallel Append's non-partial Merge Join ran once, in one process, while the Gather Merge had 3. The join
    // keeps its whole time; the Gather Merge is charged only what lies above its child's slowest process.
    void parallelAppendSubplanKeepsItsTime()
    {
        const Plan p = load(QStringLiteral("pg15_parallel_append_limit_noverbose.json"));
        const PlanNode &limit = p.node(0), &gm = p.node(1), &sort = p.node(2), &append = p.node(3), &join = p.node(4);
        QCOMPARE(gm.nodeType, QStringLiteral("Gather Merge"));
        QVERIFY(isParallelAppendNode(append));
        QCOMPARE(join.nodeType, QStringLiteral("Merge Join"));
        QCOMPARE(join.actualLoops, 1.0);
        QCOMPARE(join.metrics.processes, 1); // one loop: one process, not the Gather's 3
        QNEAR(join.metrics.inclusiveMs, join.actualTotalMs); // 185.779 ms, not 185.779 / 3
        QCOMPARE(sort.metrics.processes, 3);
        QNEAR(append.metrics.inclusiveMs, join.metrics.inclusiveMs); // at least its slowest subplan
        // By hand: the Sort's wall time is its average per process plus how far the Append's slowest process
        // exceeds the Append's average (R3's excess), so the Gather Merge keeps only what lies above it.
        const double appendAverage = append.actualTotalMs * append.actualLoops / 3;
        const double sortWall
            = sort.actualTotalMs * sort.actualLoops / 3 + (append.metrics.inclusiveMs - appendAverage);
        QNEAR(sort.metrics.inclusiveMs, sortWall);
        QNEAR(gm.metrics.exclusiveMs, gm.actualTotalMs - sortWall);
        QVERIFY(gm.metrics.exclusivePercent < 5); // was 66%: the imbalance charged to the Gather Merge
        QVERIFY(join.metrics.exclusivePercent > 50);
        // The other subplans ran beside the join: concurrent, with their subtrees, and out of the self-check.
        QVERIFY(!join.metrics.concurrent);
        int concurrent = 0;
        for (int c : append.children) {
            const PlanNode &sub = p.node(c);
            if (c != join.id) {
                QVERIFY(sub.metrics.concurrent);
                ++concurrent;
            }
        }
        QCOMPARE(concurrent, 2);
        QNEAR(append.metrics.exclusiveMs, std::max(0.0, append.metrics.inclusiveMs - join.metrics.inclusiveMs));
        QVERIFY(!append.metrics.clamped);
        QCOMPARE(p.selfCheck.concurrentNodes, 2);
        double critical = 0;
        for (const PlanNode &n : p.nodes)
            if (!n.metrics.concurrent)
                critical += n.metrics.exclusiveMs;
        QNEAR(p.selfCheck.nodesMs, critical);
        QNEAR(critical, limit.metrics.inclusiveMs); // along the critical path, times add up to the root's
        QVERIFY2(p.selfCheck.ok, qPrintable(p.selfCheck.message));
        QVERIFY2(p.selfCheck.message.contains(QLatin1String("critical path")), qPrintable(p.selfCheck.message));
        QVERIFY(p.warnings.isEmpty());
        // The imbalance is said as such, on the Gather Merge.
        QVERIFY(hasHint(gm, HintKind::WorkersUneven));
    }

    // Issue #10 as reported: the gallery's baseline (demo, scale 0.01, the bench's EXPLAIN with VERBOSE). Its auto
    // branch (Hash Join over a Bitmap Heap Scan and a HashAggregate) ran once, in worker 1.
    void galleryBaselineAutoBranchKeepsItsTime()
    {
        const Plan p = load(QStringLiteral("pg15_gallery_baseline.json"));
        const PlanNode &gm = p.node(1), &sort = p.node(2), &append = p.node(3), &autoBranch = p.node(4);
        QCOMPARE(autoBranch.nodeType, QStringLiteral("Hash Join"));
        QCOMPARE(autoBranch.metrics.processes, 1);
        QNEAR(autoBranch.metrics.inclusiveMs, 44.623); // shown as 14.874 (3 processes) before
        QNEAR(sort.metrics.inclusiveMs, 49.2); // worker 1, the slowest process
        QNEAR(gm.metrics.exclusiveMs, 68.5 - 49.2);
        QVERIFY(!hasHint(gm, HintKind::EstimateOff)); // 25 of 6,888 planned under the Limit: by design
        QVERIFY(hasHint(gm, HintKind::WorkersUneven));
        QVERIFY(!autoBranch.metrics.concurrent);
        for (int c : append.children)
            QCOMPARE(p.node(c).metrics.concurrent, c != autoBranch.id);
        QVERIFY2(p.selfCheck.ok, qPrintable(p.selfCheck.message));
        QVERIFY(p.warnings.isEmpty());
    }

    // R2 with per-worker figures (EXPLAIN VERBOSE, as the bench runs it): exact per-process times. The same query
    // as above, captured from PostgreSQL 15: the Merge Join ran in worker 0 alone.
    void parallelAppendWithWorkerFigures()
    {
        const Plan p = load(QStringLiteral("pg15_parallel_append_limit.json"));
        const PlanNode &limit = p.node(0), &gm = p.node(1), &sort = p.node(2), &append = p.node(3), &join = p.node(4);
        QCOMPARE(join.nodeType, QStringLiteral("Merge Join"));
        QCOMPARE(join.workers.size(), 1);
        QCOMPARE(join.metrics.processes, 1);
        QNEAR(join.metrics.inclusiveMs, join.workers.first().actualTotalMs);
        // The Sort's slowest process is worker 0; the leader's share is the rest of its total.
        double slowest = 0, fastest = 1e300, workersMs = 0;
        for (const PlanWorker &w : sort.workers) {
            slowest = std::max(slowest, w.actualTotalMs);
            fastest = std::min(fastest, w.actualTotalMs);
            workersMs += w.actualTotalMs;
        }
        const double leader = sort.actualTotalMs * sort.actualLoops - workersMs;
        QNEAR(sort.metrics.inclusiveMs, std::max(slowest, leader));
        QNEAR(gm.metrics.exclusiveMs, gm.actualTotalMs - std::max(slowest, leader));
        QVERIFY(gm.metrics.exclusivePercent < 10);
        // The subplans that did not run in the Append's slowest process (worker 0) are concurrent.
        const PlanNode &ios = p.node(append.children.at(1)), &seq = p.node(append.children.at(2));
        QVERIFY(!join.metrics.concurrent);
        QVERIFY(ios.metrics.concurrent);
        QVERIFY(seq.metrics.concurrent);
        QCOMPARE(seq.metrics.processes, 2); // the leader and worker 1
        QVERIFY(!append.metrics.clamped);
        QNEAR(append.metrics.exclusiveMs, std::max(0.0, append.metrics.inclusiveMs - join.metrics.inclusiveMs));
        double critical = 0;
        for (const PlanNode &n : p.nodes)
            if (!n.metrics.concurrent)
                critical += n.metrics.exclusiveMs;
        QNEAR(critical, limit.metrics.inclusiveMs);
        QNEAR(p.selfCheck.nodesMs, critical);
        QVERIFY2(p.selfCheck.ok, qPrintable(p.selfCheck.message));
        QVERIFY(p.warnings.isEmpty());
        // "Workers uneven: 192.1 ms vs 5.84 ms" (the workers; the leader also gathers rows), on the Gather Merge.
        const auto uneven = std::find_if(gm.metrics.hints.cbegin(), gm.metrics.hints.cend(),
            [](const PlanHint &h) { return h.kind == HintKind::WorkersUneven; });
        QVERIFY(uneven != gm.metrics.hints.cend());
        QCOMPARE(uneven->severity, HintSeverity::Info);
        QVERIFY2(uneven->text.contains(formatMs(slowest) + QStringLiteral(" vs ") + formatMs(fastest)),
            qPrintable(uneven->text));
        // A well-balanced parallel plan has no such hint.
        const Plan balanced = load(QStringLiteral("pitfall_parallel.json"));
        for (const PlanNode &n : balanced.nodes)
            QVERIFY(!hasHint(n, HintKind::WorkersUneven));
    }

    // R2a: a Parallel Append whose subplans could have run one after the other has no concurrent subplan.
    void sequentialSubplansAreNotConcurrent()
    {
        auto p = parsePlan(
            R"({"Plan": {"Node Type": "Gather", "Workers Planned": 2, "Workers Launched": 2, "Single Copy": false,
            "Actual Startup Time": 0, "Actual Total Time": 31, "Actual Rows": 10, "Actual Loops": 1, "Plans": [
            {"Node Type": "Append", "Parent Relationship": "Outer", "Parallel Aware": true, "Actual Startup Time": 0, "Actual Total Time": 30,
             "Actual Rows": 3, "Actual Loops": 3, "Plans": [
               {"Node Type": "Seq Scan", "Parent Relationship": "Member", "Parallel Aware": true, "Relation Name": "a", "Alias": "a",
                "Actual Startup Time": 0, "Actual Total Time": 15, "Actual Rows": 1, "Actual Loops": 3},
               {"Node Type": "Seq Scan", "Parent Relationship": "Member", "Parallel Aware": true, "Relation Name": "b", "Alias": "b",
                "Actual Startup Time": 0, "Actual Total Time": 14, "Actual Rows": 1, "Actual Loops": 3}]}]},
            "Execution Time": 31.1})");
        QVERIFY(p.ok());
        for (const PlanNode &n : p->nodes)
            QVERIFY(!n.metrics.concurrent);
        QNEAR(p->node(1).metrics.exclusiveMs, 1.0);
        QVERIFY(p->selfCheck.ok);
    }

    // R8 (issue #10): a node a Limit stopped early is not over-estimated; the nodes below a blocking node are.
    void nodesStoppedByALimitAreNotOverEstimated()
    {
        const Plan p = load(QStringLiteral("pg15_parallel_append_limit.json"));
        const PlanNode &gm = p.node(1), &sort = p.node(2), &join = p.node(4);
        QVERIFY(gm.actualRows * 100 < gm.planRows); // 25 of 5,588 planned: "over-estimated 224x" before
        QVERIFY(gm.metrics.stoppedByLimit);
        QCOMPARE(gm.metrics.estimateFactor, 0.0);
        QCOMPARE(gm.metrics.direction, EstimateDirection::None);
        QVERIFY(!hasHint(gm, HintKind::EstimateOff));
        QVERIFY(sort.metrics.stoppedByLimit); // its output is what the Limit cut
        // The Sort reads all its input: below it, rows are complete and estimates are judged as usual.
        QVERIFY(!join.metrics.stoppedByLimit);
        QVERIFY(hasHint(join, HintKind::EstimateOff));
        QCOMPARE(join.metrics.direction, EstimateDirection::Over);

        // A Limit that ran out of input (fewer rows than its count) did not stop anything: the estimate stands.
        auto exhausted = parsePlan(
            R"({"Plan": {"Node Type": "Limit", "Plan Rows": 25, "Actual Startup Time": 0, "Actual Total Time": 1,
            "Actual Rows": 3, "Actual Loops": 1, "Plans": [
            {"Node Type": "Seq Scan", "Parent Relationship": "Outer", "Relation Name": "a", "Alias": "a", "Plan Rows": 5000,
             "Actual Startup Time": 0, "Actual Total Time": 1, "Actual Rows": 3, "Actual Loops": 1}]}, "Execution Time": 1.1})");
        QVERIFY(exhausted.ok());
        QVERIFY(!exhausted->node(1).metrics.stoppedByLimit);
        QVERIFY(hasHint(exhausted->node(1), HintKind::EstimateOff));
    }

    // R8 (issue #10): absurd but valid estimates give a finite factor, and the hint prints it readably.
    void absurdEstimatesStayReadable()
    {
        const Plan p = load(QStringLiteral("pitfall_absurd.json"));
        const PlanNode &join = p.node(0);
        QVERIFY(std::isfinite(join.metrics.estimateFactor));
        QVERIFY(join.metrics.estimateFactor >= 1e299);
        QVERIFY(hasHint(join, HintKind::EstimateOff));
        for (const PlanNode &n : p.nodes)
            for (const PlanHint &h : n.metrics.hints) {
                QVERIFY2(!h.text.contains(QRegularExpression(QStringLiteral("-\\d"))),
                    qPrintable(h.text)); // no overflowed integer
                QVERIFY2(!h.text.contains(QRegularExpression(QStringLiteral("\\d{16}"))), qPrintable(h.text));
            }
        QVERIFY2(join.metrics.hints.first().text.contains(QLatin1String("> 1e9x")),
            qPrintable(join.metrics.hints.first().text));
        for (const QString &w : p.warnings)
            QVERIFY2(!w.contains(QRegularExpression(QStringLiteral("\\d{16}"))), qPrintable(w));
    }

    void estimatesOnlyPlanHasNoTimesAndNoSelfCheck()
    {
        auto p = parsePlan("Seq Scan on items  (cost=0.00..1887.00 rows=100000 width=4)\n  Filter: (val > 1)\n");
        QVERIFY(p.ok());
        QVERIFY(!p->analyzed);
        QVERIFY(!p->selfCheck.applicable);
        QCOMPARE(p->root().metrics.exclusiveMs, 0.0);
        QCOMPARE(p->root().metrics.estimateFactor, 0.0);
    }

    void deriveIsIdempotent()
    {
        Plan p = load(QStringLiteral("pitfall_negative.json"));
        const QStringList warnings = p.warnings;
        const double exclusive = p.node(1).metrics.exclusiveMs;
        deriveMetrics(p);
        deriveMetrics(p);
        QCOMPARE(p.warnings, warnings);
        QCOMPARE(p.node(1).metrics.exclusiveMs, exclusive);
        QCOMPARE(p.node(0).metrics.hints.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestPlanMetrics)
#include "tst_planmetrics.moc"
