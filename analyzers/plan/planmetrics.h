#pragma once

// Derived plan metrics. Every rule PlanSight applies to EXPLAIN numbers is stated here, in one place; the
// implementation (planmetrics.cpp) follows these rules and the tests (tst_planmetrics, tst_plangolden) check
// them against hand-computed figures.
//
// What PostgreSQL reports. For each node, "Actual Total Time" and "Actual Rows" are averages per loop;
// "Actual Loops" counts executions over all processes. "Rows Removed by ..." are per loop. Buffers, I/O
// timings and "Heap Fetches" are totals over all loops and processes, and include the node's children.
//
// R1  Loops. A node's CPU time is actual total time x loops; its rows are actual rows x loops (rows_total).
// R2  Parallel wall time. Nodes below a Gather or Gather Merge run in up to P processes at once. P = the loops
//     of the Gather's direct child divided by the Gather's loops, rounded and clamped to 1 .. (Workers Launched +
//     1): workers planned but not launched do not count, and a leader that did not participate
//     (parallel_leader_participation = off) is not counted either. With no workers launched P = 1.
//     A node keeps the time of the processes that actually ran it. Its processes are at most its parent's and
//     at most its loops: a non-partial subplan of a Parallel Append runs in one process (Actual Loops = 1)
//     however many processes the Gather has, so its wall time is its whole time x loops, never divided by P.
//     When the section lists its workers (VERBOSE: a "Workers" entry with times on any node below the Gather),
//     the per-process figures are exact: each worker's entry (time x loops), and the leader's remainder (the
//     node's time x loops minus the workers', its loops minus theirs); a node with no worker entry ran in the
//     leader alone. Its processes are those with loops > 0 and its wall time is that of the slowest of them.
//     Otherwise its wall time is CPU time / processes plus the excess of its children (R3), and at least the
//     wall time of any child that ran in fewer processes than itself (that child ran, whole, inside one of them).
// R2a Concurrent subplans. The subplans of a Parallel Append run in different processes at the same time, so
//     their times cannot add up on one wall clock. The critical path is the slowest process: with per-process
//     figures, the Append's slowest process, and a subplan with no loops in it ran beside it; without, the
//     subplans are concurrent only when their wall times add up to more than the Append's (beyond rounding),
//     and then all but the slowest ran beside it. Such subplans and their subtrees are marked concurrent. Their
//     own times are kept (R4 within their subtree), but they are not subtracted from the Append (R4) and not
//     summed in the self-check (R11).
// R3  Leader-only nodes. The bitmap subtree (Bitmap Index Scan, BitmapAnd, BitmapOr) under a Parallel Bitmap
//     Heap Scan is run by one process while the others wait for the shared bitmap: P = 1 for that subtree,
//     and its wall time beyond CPU / P of the parallel section ("excess") is added to the wall time of every
//     ancestor up to the Gather, because every process waited for it. A node in as many processes as its
//     parent carries its children's excess up the same way; a node in fewer processes (a Parallel Append's
//     subplan) is not waited for, and gives no excess (R2's lower bound applies instead).
// R4  Inclusive time = wall time of the node (R1-R3). Exclusive time = inclusive time minus the inclusive time
//     of the children whose execution happens inside this node, which is every child except the
//     InitPlans and CTEs handled by R5 and the concurrent subplans of R2a. Imbalance between processes is
//     therefore not the Gather's exclusive time: the Gather's child has the slowest process's wall time.
// R5  InitPlans and CTEs are executed once, lazily, by the node that first needs their value; their time is
//     therefore already inside that consumer's time, and inside every ancestor of it. Their time is taken out
//     once, from the consumer(s): for a CTE, the CTE Scan nodes naming it, in plan order, each taking at most its
//     own time and the last what remains (the first reader runs the CTE, later ones read stored rows; without
//     timing, in proportion to the rows each read); for an InitPlan, the deepest node of the attachment's subtree whose
//     expressions reference its output ($N up to PostgreSQL 16, "(InitPlan N)" from 17). When no consumer is found, the
//     node the InitPlan is attached to is the consumer. SubPlans run inside the expression of the node they hang under,
//     so they are ordinary children. CTE time is thus counted once, never twice.
// R6  Clamping. An exclusive time below zero means the input is inconsistent (or rounded: PostgreSQL prints
//     3 decimals per loop, so a node with L loops is uncertain by 0.0005 ms x L). It is shown as 0; when it is
//     below -(rounding uncertainty + 0.01 ms) a warning names the node and the amount.
// R7  Shares. % of total = exclusive (or inclusive) time / total, where total = "Execution Time" when present,
//     else the root's inclusive time.
// R8  Estimates. The estimate factor compares rows per loop: max(actual, planned) / min(actual, planned),
//     each taken as at least 1 (PostgreSQL never plans fewer than 1 row). Direction: under-estimated when
//     actual > planned, over-estimated when actual < planned, accurate when the factor is below 1.5.
//     Never-executed nodes (loops = 0) have no factor and are excluded from every ratio.
//     Limits: a node with fewer rows than planned is "stopped by a Limit", with no factor and no direction, when
//     a Limit above it returned as many rows as it was planned to (it did not run out of input) and every node
//     between them passes rows on as they come: not a Sort, Hash, ModifyTable, non-sorted Aggregate or SetOp,
//     not the inner side of a Nested Loop, not an InitPlan or SubPlan. PostgreSQL plans such a node's rows for a
//     full run; the Limit stopping it early is by design, not a misestimate. The factor is finite (clamped to
//     the largest double); views print it clamped above 1e9 ("> 1e9x", planformat.h).
// R9  Rows removed: (by filter + by join filter + by index recheck) x loops; the share is removed / (removed +
//     rows_total).
// R10 Exclusive buffers and I/O time = the node's figures minus its children's, with the child set of R4/R5
//     (InitPlan and CTE buffers are taken out of their consumers). Buffers are not divided by P (they are
//     counts, summed over processes). Negative results are clamped to 0.
// R11 Self-check. The exclusive times summed over the nodes of the critical path (every node not marked
//     concurrent by R2a), plus JIT total time, plus trigger time, should equal "Execution Time". gap = execution -
//     (nodes + JIT + triggers). When the nodes add up to more (gap < 0), time was counted twice or the input is
//     inconsistent: the check passes only when -gap <= max(0.1 ms, 5% of the execution time) + JIT total (JIT
//     generation and emission partly overlap node time). When they add up to less (gap > 0), the rest was spent outside
//     the nodes (executor start-up and shutdown, catalog loading in a fresh backend): the check passes when gap <=
//     max(1 ms, 20% of the execution time). Otherwise a warning says by how much and in which direction. Not applicable
//     without ANALYZE timing or execution time.
// R12 Hints (on executed nodes only):
//     - estimate-off: factor > 10 (critical above 1000);
//     - rows-removed: share > 90% and at least 1000 rows removed in total;
//     - sort-spill: Sort Space Type "Disk" or an external sort method;
//     - hash-spill: Hash Batches > 1, HashAgg Batches > 1 or HashAgg Disk Usage > 0;
//     - heap-fetches: an Index Only Scan with Heap Fetches > 0 (warning when over 10% of rows_total);
//     - seq-scan-in-loop: a Seq Scan executed more than once whose rows read per loop (rows + removed, or the
//       estimate without ANALYZE) reach 10,000, below a Nested Loop;
//     - inconsistent: the node was clamped (R6);
//     - workers-uneven (on a Gather, info): the processes of its child ran unevenly: with per-process figures the
//       slowest of at least two workers took at least twice the fastest (the leader is left out: it also gathers
//       the workers' rows, so it runs the child less by design); without them the child's wall time (R2) is at
//       least twice its CPU time / processes; and the difference is at least 1 ms. The text names both times.

#include "plan/plannode.h"

#include <functional>
#include <optional>

namespace plansight {

// R13 Partition pruning, per Append and Merge Append node (a partitioned table read through its partitions, or a
//     UNION ALL). PostgreSQL prunes partitions at three moments: while planning (the pruned ones leave no trace in
//     the plan; a single partition left replaces the Append altogether, so only the catalog knows the total), when
//     the executor starts ("Subplans Removed": N, conditions on parameters), and per rescan (children that never
//     ran, "(never executed)"). What the plan shows: subplans kept by planning, of which removed at start, of
//     which executed.
struct AppendPruning {
    int node = -1; // the Append or Merge Append
    int subplans = 0; // its children in the plan (InitPlans and SubPlans not counted)
    int removedAtStart = 0; // "Subplans Removed"
    int executed = -1; // children that ran at least once; -1 without ANALYZE
    // The subplans the executor had to choose from: those in the plan plus those removed at its start.
    int total() const { return subplans + removedAtStart; }
    // "3 of 8 partitions scanned (5 removed at executor start, 1 never executed)" or, without ANALYZE,
    // "3 of 8 partitions in the plan (5 removed at executor start)".
    QString summary() const;
};
// Every Append and Merge Append of the plan, in plan order.
QList<AppendPruning> appendPruning(const Plan &plan);

// R14 Partitioned scans, for the views (the plan view, the report, `plansight explain`): how many partitions of a
//     partitioned table the plan read, against the table's total. A scan belongs to a partitioned table when the
//     lookup names its relation as a leaf of a tree (the catalog's knowledge: the planner may have kept a single
//     partition and dropped the Append, R13, so only the catalog knows the table is partitioned at all). Without
//     the lookup's answer, an Append or Merge Append is a partitioned scan when the executor removed subplans at
//     its start (PostgreSQL prunes only partitions) or when each of its members scans a relation under an alias
//     "<name>_<n>" with one common <name> (EXPLAIN names a partitioned table's members after the table's alias;
//     the branches of a UNION ALL keep their own aliases); its total is then what the plan knows (R13's total()).
//     Several Appends of one table (one per UNION ALL branch) make one entry: partitions counted once by name,
//     subplans removed at executor start summed over the Appends.
struct PartitionTree {
    QString table; // the partitioned table, as it is to be shown: "ps_p9_partition_content_tags"
    QStringList leaves; // its leaf partitions, unqualified relation names
};
// Answers the tree a relation (unqualified, as "Relation Name" gives it) is a leaf of; nullopt when it is none.
using PartitionLookup = std::function<std::optional<PartitionTree>(const QString &relation)>;

struct PartitionScan {
    QString table; // the partitioned table; for an Append found without the lookup, the alias its members share
    bool fromCatalog = false; // the lookup named the table, so `total` is every leaf it has
    int total = 0; // leaf partitions of the table (fromCatalog), else R13's total() of its Appends
    int inPlan = 0; // distinct partitions the plan reads
    int scanned = -1; // distinct partitions read at least once; -1 without ANALYZE
    int removedAtStart = 0; // "Subplans Removed", summed over the table's Appends
    // "Partitions of ps_p9_partition_content_tags: 2 of 3 scanned" with, when they happened,
    // ", 14 subplans removed at executor start, 1 never executed"; without ANALYZE "2 of 3 in the plan".
    QString summary() const;
};
// One entry per partitioned table the plan reads, in plan order of the first scan; empty when it reads none.
QList<PartitionScan> partitionScans(const Plan &plan, const PartitionLookup &lookup = {});
// The entries' summaries, one sentence each joined by "; ", or empty: what the views print.
QString partitionScansText(const Plan &plan, const PartitionLookup &lookup = {});

// Fills NodeMetrics for every node, Plan::selfCheck, and appends to Plan::warnings. Idempotent: calling it
// again recomputes everything from the parsed fields.
void deriveMetrics(Plan &plan);

// Thresholds of R6, R8, R11 and R12, for the views' legends.
namespace planrules {
inline constexpr double estimateHintFactor = 10.0;
inline constexpr double estimateCriticalFactor = 1000.0;
inline constexpr double accurateFactor = 1.5;
inline constexpr double rowsRemovedHintShare = 0.9;
inline constexpr double rowsRemovedHintMinimum = 1000;
inline constexpr double seqScanLargeRows = 10000;
inline constexpr double selfCheckMinToleranceMs = 0.1;
inline constexpr double selfCheckToleranceShare = 0.05;
inline constexpr double selfCheckMinOutsideMs = 1.0;
inline constexpr double selfCheckOutsideShare = 0.2;
inline constexpr double clampWarningMs = 0.01;
inline constexpr double roundingPerLoopMs = 0.0005;
inline constexpr double unevenWorkersFactor = 2.0;
inline constexpr double unevenWorkersMinMs = 1.0;
}

} // namespace plansight
