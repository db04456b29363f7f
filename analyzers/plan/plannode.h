#pragma once

// The parsed EXPLAIN plan as plain values: a Plan owns its nodes in a flat vector in pre-order (node 0 is
// the root), each node knowing its parent and children by index. Values copy cheaply enough to travel through
// queued signals and are swapped into models whole. Nothing here talks to a server or includes a widget.
//
// Every key PostgreSQL wrote for a node is kept (PlanNode::fields(), under PostgreSQL's JSON key names; text
// plans are translated to the same names), so nothing is dropped; the typed members below are the ones the
// metrics, hints, views and diff use. Keys PlanSight does not know are listed in PlanNode::unknownKeys so
// the views can show them.
//
// Units: times in milliseconds, sizes in kB as PostgreSQL reports them, row counts as doubles (PostgreSQL 18
// prints fractional per-loop rows). A value PostgreSQL did not report is -1 unless stated otherwise.

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace plansight {

namespace planinternal {
class PlanSource;
}

// Buffer counters (blocks). In EXPLAIN they are totals over all loops and all processes of a node,
// including its children.
struct PlanBuffers {
    bool present = false;
    qint64 sharedHit = 0, sharedRead = 0, sharedDirtied = 0, sharedWritten = 0;
    qint64 localHit = 0, localRead = 0, localDirtied = 0, localWritten = 0;
    qint64 tempRead = 0, tempWritten = 0;

    qint64 hit() const { return sharedHit + localHit; }
    qint64 read() const { return sharedRead + localRead + tempRead; }
    qint64 total() const
    {
        return hit() + read() + sharedDirtied + sharedWritten + localDirtied + localWritten + tempWritten;
    }
    bool isZero() const { return total() == 0; }
    PlanBuffers &operator-=(const PlanBuffers &o);
    PlanBuffers &operator+=(const PlanBuffers &o);
    PlanBuffers clampedAtZero() const;
};

// I/O timings (track_io_timing), normalized over the three shapes PostgreSQL has used:
// PG 13-14 "I/O Read Time"/"I/O Write Time" (shared + local), PG 15-16 adds "Temp I/O Read/Write Time",
// PG 17+ splits "Shared I/O ..."/"Local I/O ...". PG 13-16's combined time is stored as shared.
struct PlanIoTimings {
    bool present = false;
    double sharedReadMs = 0, sharedWriteMs = 0, localReadMs = 0, localWriteMs = 0, tempReadMs = 0, tempWriteMs = 0;

    double totalMs() const
    {
        return sharedReadMs + sharedWriteMs + localReadMs + localWriteMs + tempReadMs + tempWriteMs;
    }
    PlanIoTimings &operator-=(const PlanIoTimings &o);
    PlanIoTimings clampedAtZero() const;
};

// WAL usage (EXPLAIN (WAL)).
struct PlanWal {
    bool present = false;
    qint64 records = 0, fullPageImages = 0, bytes = 0, buffersFull = 0;
};

// One parallel worker's figures for a node (EXPLAIN VERBOSE, or sort/hash details per worker).
struct PlanWorker {
    int number = -1;
    double actualStartupMs = -1, actualTotalMs = -1, actualRows = -1, actualLoops = -1;
    PlanBuffers buffers;
    QJsonObject fields; // everything the worker entry carried
};

enum class HintKind {
    EstimateOff, // actual rows per loop differ from the estimate by more than 10x
    RowsRemoved, // a filter (or join filter, or index recheck) threw away more than 90% of the rows it read
    SortSpill, // a sort went to disk
    HashSpill, // a hash (join or aggregate) used more than one batch, or disk
    HeapFetches, // an index-only scan had to visit the heap
    SeqScanInLoop, // a sequential scan of a large table repeated under a nested loop
    Inconsistent, // the input's numbers contradict each other at this node (exclusive time clamped, ...)
    WorkersUneven, // a Gather's processes ran for very different times: the Gather waited for the slowest
};
enum class HintSeverity { Info, Warning, Critical };

struct PlanHint {
    HintKind kind = HintKind::EstimateOff;
    HintSeverity severity = HintSeverity::Warning;
    QString text; // one sentence for a tooltip or a terminal
};
QString toString(HintKind kind); // "estimate-off", "rows-removed", "sort-spill", ...

enum class EstimateDirection { None, Accurate, Under, Over }; // Under: more rows than planned

// Figures derived by deriveMetrics() (planmetrics.h states every rule). Filled for every node of a parsed plan.
struct NodeMetrics {
    // Wall-clock time in this node and its children (inclusive) and in this node alone (exclusive), over all
    // loops; 0 when the plan has no timing.
    double inclusiveMs = 0;
    double exclusiveMs = 0;
    double exclusivePercent = 0; // of the plan's total time (execution time, else the root's inclusive time)
    double inclusivePercent = 0;
    int processes = 1; // processes that ran the node (parallel workers + leader), at most its loops
    bool clamped = false; // the input gave a negative exclusive time, shown as 0
    // The node ran beside the critical path (another process than the slowest, under a Parallel Append): its
    // times are its own processes' wall time, but they do not add up with the critical path's (planmetrics.h R2a).
    bool concurrent = false;

    double rowsTotal = 0; // actual rows x loops (all processes)
    double estimateFactor = 0; // >= 1: how far the per-loop estimate was off; 0 when not comparable
    bool stoppedByLimit = false; // fewer rows than planned because a Limit above stopped it early (R8): no factor
    EstimateDirection direction = EstimateDirection::None;
    double rowsRemovedTotal = 0; // by filter, join filter and index recheck, over all loops
    double rowsRemovedShare = 0; // rows removed / rows read, 0..1

    PlanBuffers exclusiveBuffers;
    PlanIoTimings exclusiveIo;
    double exclusiveIoPercent = 0; // exclusive I/O time in percent of the plan's total time

    QList<int> attributedSubplans; // InitPlan/CTE nodes whose time was taken out of this node's exclusive time
    QList<PlanHint> hints;
};

struct PlanNode {
    // Tree structure (indices into Plan::nodes).
    int id = 0; // position in Plan::nodes, pre-order
    int parent = -1;
    QList<int> children;
    int depth = 0;

    // Identity, as PostgreSQL names it.
    QString nodeType; // "Seq Scan", "Hash Join", "Aggregate", "ModifyTable", ...
    QString parentRelationship; // "Outer", "Inner", "InitPlan", "SubPlan", "Member", "Subquery", ...
    QString subplanName; // "InitPlan 1 (returns $0)", "SubPlan 2", "CTE recent"
    QString strategy; // Aggregate/SetOp: "Plain", "Sorted", "Hashed", "Mixed"
    QString partialMode; // "Partial", "Finalize", "Simple"
    QString joinType; // "Inner", "Left", "Full", "Right", "Semi", "Anti", "Right Semi", "Right Anti"
    QString operation; // ModifyTable: "Insert", "Update", "Delete", "Merge"
    QString command; // SetOp: "Intersect", "Except", ...
    QString scanDirection; // "Forward", "Backward", "NoMovement"
    bool parallelAware = false;
    bool asyncCapable = false;
    QString relationName, schema, alias, indexName, cteName, functionName, tuplestoreName, customPlanProvider;

    // Estimates.
    double startupCost = -1, totalCost = -1, planRows = -1;
    int planWidth = -1;

    // Actuals (EXPLAIN ANALYZE). Per loop, averaged over all loops of all processes, as PostgreSQL prints them.
    bool hasActuals = false; // actual rows/loops present (or never executed)
    bool hasTiming = false; // actual times present (not TIMING OFF)
    bool neverExecuted = false; // "(never executed)": loops = 0
    double actualStartupMs = -1, actualTotalMs = -1, actualRows = -1, actualLoops = -1;

    // Conditions and their effect. Rows-removed counters are per loop, as PostgreSQL prints them.
    QString filter, joinFilter, indexCond, recheckCond, hashCond, mergeCond, oneTimeFilter, tidCond;
    double rowsRemovedByFilter = -1, rowsRemovedByJoinFilter = -1, rowsRemovedByIndexRecheck = -1;
    double heapFetches = -1; // index-only scans: total over all loops
    qint64 exactHeapBlocks = -1, lossyHeapBlocks = -1;

    // Sorts.
    QStringList sortKey, presortedKey, groupKey;
    QString sortMethod, sortSpaceType; // sortSpaceType: "Memory" or "Disk"
    qint64 sortSpaceUsedKb = -1;

    // Hashes (Hash node and hashed aggregates).
    qint64 hashBuckets = -1, originalHashBuckets = -1, hashBatches = -1, originalHashBatches = -1;
    qint64 peakMemoryUsageKb = -1; // Hash "Peak Memory Usage", Memoize "Peak Memory Usage", HashAgg "Peak Memory Usage"
    qint64 diskUsageKb = -1; // HashAgg "Disk Usage"
    qint64 hashAggBatches = -1; // HashAgg "HashAgg Batches"

    // Memoize.
    QString cacheKey, cacheMode;
    qint64 cacheHits = -1, cacheMisses = -1, cacheEvictions = -1, cacheOverflows = -1;

    // Parallelism.
    int workersPlanned = -1, workersLaunched = -1;
    bool singleCopy = false;
    QList<PlanWorker> workers;

    PlanBuffers buffers; // inclusive, as reported
    PlanIoTimings io; // inclusive, as reported
    PlanWal wal;
    QStringList output; // VERBOSE target list

    // Every key as PostgreSQL wrote it, except "Plans" (the children are nodes). Built on each call from the
    // parsed input the plan keeps: a view or `explain --json` asks for it, the parser does not pay for 10,000
    // QJsonObjects. Empty for a node that was not parsed.
    QJsonObject fields() const;
    // One key's value; undefined when absent.
    QJsonValue field(QStringView key) const;
    // Calls `visit` with every piece of text among the node's values (strings, and strings inside lists),
    // except under the keys "Plans", "Workers" and "Subplan Name"; stops when it returns true. Returns
    // whether one did.
    bool anyText(const std::function<bool(const QString &)> &visit) const;
    QStringList unknownKeys; // keys PlanSight does not interpret, in input order

    // Where the node's keys are kept (shared by every node of a plan: the JSON input's tape, or the text parser's
    // records, written as a tape when first asked) and this node's reference in it.
    std::shared_ptr<const planinternal::PlanSource> source;
    quint32 sourceObject = 0;

    NodeMetrics metrics;

    // "Hash Left Join", "Parallel Seq Scan", "HashAggregate", "Insert", ...: the node as EXPLAIN text names it.
    QString displayType() const;
    // The object it works on, as EXPLAIN text shows it: "using idx on public.t t1", "on t", "(Foo)", "".
    QString objectText() const;
    // displayType() + objectText().
    QString label() const;
    bool isScan() const;
    bool isJoin() const;
    bool isInitPlan() const { return parentRelationship == QLatin1String("InitPlan"); }
    bool isSubPlan() const { return parentRelationship == QLatin1String("SubPlan"); }
    bool isCte() const { return isInitPlan() && subplanName.startsWith(QLatin1String("CTE ")); }
};

struct PlanTrigger {
    QString name, constraintName, relation;
    double timeMs = -1;
    double calls = -1;
};

// JIT figures (absent unless JIT ran). PostgreSQL 17 turned "Generation" into an object with "Deform" and
// "Total"; both shapes are read.
struct PlanJit {
    bool present = false;
    int functions = -1;
    QJsonObject options;
    double generationMs = 0, deformMs = 0, inliningMs = 0, optimizationMs = 0, emissionMs = 0, totalMs = 0;
    QJsonObject fields; // everything the JIT entry carried
};

// Whether the nodes' exclusive times, plus JIT and triggers, add up to the execution time (planmetrics.h).
struct PlanSelfCheck {
    bool applicable = false; // needs ANALYZE with timing and an execution time
    bool ok = true;
    double nodesMs = 0; // sum of exclusive times along the critical path (nodes not marked concurrent)
    int concurrentNodes = 0; // nodes left out of nodesMs because they ran beside the critical path
    double jitMs = 0;
    double triggersMs = 0;
    double executionMs = 0;
    double gapMs = 0; // executionMs - (nodesMs + jitMs + triggersMs)
    double toleranceMs = 0;
    QString message; // one sentence, always set when applicable
};

enum class PlanFormat { Json, Text };

struct Plan {
    std::vector<PlanNode> nodes; // pre-order; nodes[0] is the root
    PlanFormat format = PlanFormat::Json;

    double planningMs = -1;
    double executionMs = -1;
    PlanBuffers planningBuffers;
    double planningMemoryUsedKb = -1, planningMemoryAllocatedKb = -1; // EXPLAIN (MEMORY), PG 17
    QList<PlanTrigger> triggers;
    PlanJit jit;
    QJsonObject settings; // EXPLAIN (SETTINGS): name -> value as text
    QString queryText; // auto_explain and some tools include it
    QString queryIdentifier;
    QJsonObject topFields; // every top-level key except "Plan"
    QStringList unknownTopKeys;

    bool analyzed = false; // any node has actuals
    bool timed = false; // any node has actual times

    QStringList parseWarnings; // what the parser noted (ignored lines, extra plans), one sentence each
    QStringList warnings; // parseWarnings + what deriveMetrics found inconsistent, one sentence each
    PlanSelfCheck selfCheck;

    bool isEmpty() const { return nodes.empty(); }
    const PlanNode &root() const { return nodes.front(); }
    const PlanNode &node(int id) const { return nodes[size_t(id)]; }
    int size() const { return int(nodes.size()); }
    // The time shares are computed against: execution time when known, else the root's inclusive time.
    double totalMs() const;
    double triggersMs() const;
};

} // namespace plansight
