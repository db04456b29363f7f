#include "plan/planmetrics.h"

#include "plan/planformat.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <limits>

namespace plansight {

namespace {

bool isGather(const PlanNode &n)
{
    return n.nodeType == QLatin1String("Gather") || n.nodeType == QLatin1String("Gather Merge");
}

bool isParallelBitmapHeapScan(const PlanNode &n)
{
    return n.nodeType == QLatin1String("Bitmap Heap Scan") && n.parallelAware;
}

bool isParallelAppend(const PlanNode &n)
{
    return n.nodeType == QLatin1String("Append") && n.parallelAware;
}

// R8: nodes that read their whole input before returning a row, so a Limit above them cannot cut their input.
bool consumesAllInput(const PlanNode &n)
{
    if (n.nodeType == QLatin1String("Sort") || n.nodeType == QLatin1String("Hash")
        || n.nodeType == QLatin1String("ModifyTable"))
        return true;
    if (n.nodeType == QLatin1String("Aggregate") || n.nodeType == QLatin1String("SetOp"))
        return n.strategy != QLatin1String("Sorted");
    return false;
}

// One process's share of a node (R2): process -1 is the leader, others are worker numbers.
struct ProcessTime {
    int process = -1;
    double ms = 0; // time x loops in that process
    double loops = 0;
};

double loopsOf(const PlanNode &n)
{
    return n.hasActuals ? std::max(0.0, n.actualLoops) : 0;
}

// Every piece of expression text a node carries, for finding InitPlan references.
bool referencesAny(const PlanNode &n, const QList<QRegularExpression> &patterns)
{
    auto matches = [&patterns](const QString &s) {
        for (const QRegularExpression &re : patterns)
            if (s.contains(re))
                return true;
        return false;
    };
    return n.anyText(matches);
}

// The patterns that reference an InitPlan's output: "$0".."$n" (PG <= 16, from "(returns $0,$1)") and
// "(InitPlan 3)" (PG 17+).
QList<QRegularExpression> initPlanReferences(const QString &subplanName)
{
    QList<QRegularExpression> out;
    static const QRegularExpression returns(QStringLiteral("\\(returns ([^)]*)\\)"));
    if (const auto m = returns.match(subplanName); m.hasMatch()) {
        static const QRegularExpression param(QStringLiteral("\\$(\\d+)"));
        auto it = param.globalMatch(m.captured(1));
        while (it.hasNext())
            out.append(QRegularExpression(QStringLiteral("\\$") + it.next().captured(1) + QStringLiteral("(?!\\d)")));
    }
    static const QRegularExpression number(QStringLiteral("^InitPlan (\\d+)"));
    if (const auto m = number.match(subplanName); m.hasMatch())
        out.append(QRegularExpression(QStringLiteral("\\(InitPlan ") + m.captured(1) + QStringLiteral("\\)")));
    return out;
}

QString nodeName(const PlanNode &n)
{
    return QStringLiteral("node %1 (%2)").arg(n.id + 1).arg(n.label());
}

// A duration that may be negative in inconsistent input: the shared rule with the sign kept.
QString ms(double v)
{
    return v < 0 ? QStringLiteral("-") + formatMs(-v) : formatMs(v);
}

// R8: whether a Limit above `n` stopped it early: the Limit returned as many rows as it was planned to (so it
// did not run out of input), and every node between them passes rows on as they come.
bool stoppedByLimit(const Plan &plan, const PlanNode &n)
{
    for (const PlanNode *c = &n; c->parent >= 0; c = &plan.nodes[size_t(c->parent)]) {
        const PlanNode &p = plan.nodes[size_t(c->parent)];
        if (c->isInitPlan() || c->isSubPlan())
            return false; // runs to completion whatever its consumer does
        if (p.nodeType == QLatin1String("Limit"))
            return p.hasActuals && !p.neverExecuted && p.planRows >= 0 && p.actualRows >= std::max(1.0, p.planRows);
        if (consumesAllInput(p))
            return false;
        if (p.nodeType == QLatin1String("Nested Loop") && c->parentRelationship == QLatin1String("Inner"))
            return false; // the inner side runs to completion in every loop but the last
    }
    return false;
}

struct Attribution {
    double ms = 0;
    PlanBuffers buffers;
    PlanIoTimings io;
};

void addHints(Plan &plan, PlanNode &n)
{
    NodeMetrics &m = n.metrics;
    m.hints.clear();
    const bool executed = n.hasActuals && !n.neverExecuted;
    if (executed && m.estimateFactor > planrules::estimateHintFactor) {
        const bool under = m.direction == EstimateDirection::Under;
        m.hints.append({ HintKind::EstimateOff,
            m.estimateFactor > planrules::estimateCriticalFactor ? HintSeverity::Critical : HintSeverity::Warning,
            QStringLiteral("Rows %1-estimated %2x: %3 per loop planned, %4 actual.")
                .arg(under ? QStringLiteral("under") : QStringLiteral("over"), formatFactor(m.estimateFactor),
                    formatCount(std::round(n.planRows)), formatCount(n.actualRows)) });
    }
    if (executed && m.rowsRemovedShare > planrules::rowsRemovedHintShare
        && m.rowsRemovedTotal >= planrules::rowsRemovedHintMinimum) {
        QString what = QStringLiteral("a filter");
        if (n.rowsRemovedByJoinFilter > n.rowsRemovedByFilter
            && n.rowsRemovedByJoinFilter > n.rowsRemovedByIndexRecheck)
            what = QStringLiteral("the join filter");
        else if (n.rowsRemovedByIndexRecheck > n.rowsRemovedByFilter)
            what = QStringLiteral("the index recheck (a lossy bitmap)");
        m.hints.append({ HintKind::RowsRemoved, HintSeverity::Warning,
            QStringLiteral("%1% of the rows read were removed by %2 (%3 rows): an index or a more selective condition "
                           "would avoid reading them.")
                .arg(QString::number(m.rowsRemovedShare * 100, 'f', 1), what,
                    formatCount(std::round(m.rowsRemovedTotal))) });
    }
    if (executed && (n.sortSpaceType == QLatin1String("Disk") || n.sortMethod.startsWith(QLatin1String("external")))) {
        m.hints.append({ HintKind::SortSpill, HintSeverity::Warning,
            QStringLiteral("The sort spilled to disk (%1%2): raise work_mem or sort fewer rows.")
                .arg(n.sortMethod.isEmpty() ? QStringLiteral("external") : n.sortMethod,
                    n.sortSpaceUsedKb >= 0 ? QStringLiteral(", %1 kB").arg(n.sortSpaceUsedKb) : QString()) });
    }
    if (executed && (n.hashBatches > 1 || n.hashAggBatches > 1 || n.diskUsageKb > 0)) {
        const qint64 batches = std::max(n.hashBatches, n.hashAggBatches);
        m.hints.append({ HintKind::HashSpill, HintSeverity::Warning,
            QStringLiteral("The hash spilled to disk in %1 batches%2: raise work_mem (or hash_mem_multiplier).")
                .arg(std::max<qint64>(batches, 1))
                .arg(n.diskUsageKb > 0 ? QStringLiteral(", %1 kB on disk").arg(n.diskUsageKb) : QString()) });
    }
    if (executed && n.nodeType == QLatin1String("Index Only Scan") && n.heapFetches > 0) {
        const double share = m.rowsTotal > 0 ? n.heapFetches / m.rowsTotal : 1;
        m.hints.append({ HintKind::HeapFetches, share > 0.1 ? HintSeverity::Warning : HintSeverity::Info,
            QStringLiteral("The index-only scan visited the heap %1 times (%2% of its rows): VACUUM the table to "
                           "update its visibility map.")
                .arg(formatCount(std::round(n.heapFetches)), QString::number(std::min(share, 1.0) * 100, 'f', 0)) });
    }
    if (n.nodeType == QLatin1String("Seq Scan")) {
        bool underNestedLoop = false;
        for (int p = n.parent; p >= 0; p = plan.nodes[size_t(p)].parent)
            if (plan.nodes[size_t(p)].nodeType == QLatin1String("Nested Loop")) {
                underNestedLoop = true;
                break;
            }
        const double perLoop = executed ? n.actualRows + std::max(0.0, n.rowsRemovedByFilter) : n.planRows;
        const bool repeated = executed ? n.actualLoops > 1 : n.parentRelationship == QLatin1String("Inner");
        if (underNestedLoop && repeated && perLoop >= planrules::seqScanLargeRows)
            m.hints.append({ HintKind::SeqScanInLoop, HintSeverity::Critical,
                QStringLiteral("A sequential scan of %1 reads %2 rows per loop%3 under a nested loop: an index on the "
                               "join key would avoid it.")
                    .arg(n.relationName.isEmpty() ? QStringLiteral("a table") : n.relationName,
                        formatCount(std::round(perLoop)),
                        executed ? QStringLiteral(", %1 loops").arg(formatCount(std::round(n.actualLoops)))
                                 : QString()) });
    }
}

} // namespace

void deriveMetrics(Plan &plan)
{
    plan.warnings = plan.parseWarnings;
    plan.selfCheck = PlanSelfCheck();
    const size_t count = plan.nodes.size();
    if (count == 0)
        return;

    // R2: the Gather above each node, and whether its section lists per-worker figures (VERBOSE).
    std::vector<int> gatherOf(count, -1);
    std::vector<bool> sectionListsWorkers(count, false); // indexed by the Gather
    for (size_t i = 0; i < count; ++i) {
        const PlanNode &n = plan.nodes[i];
        if (n.parent >= 0) {
            const PlanNode &p = plan.nodes[size_t(n.parent)];
            gatherOf[i] = isGather(p) ? n.parent : gatherOf[size_t(n.parent)];
        }
        if (gatherOf[i] >= 0)
            for (const PlanWorker &w : n.workers)
                if (w.actualTotalMs >= 0)
                    sectionListsWorkers[size_t(gatherOf[i])] = true;
    }
    // R2: per-process figures, where the section lists its workers: each worker's entry, and the leader's
    // remainder. A worker that did not run the node has no entry; all of them missing means the leader alone.
    std::vector<std::vector<ProcessTime>> perProcess(count);
    std::vector<bool> processesKnown(count, false);
    for (size_t i = 0; i < count; ++i) {
        const PlanNode &n = plan.nodes[i];
        if (gatherOf[i] < 0 || !sectionListsWorkers[size_t(gatherOf[i])] || !n.hasTiming || n.neverExecuted
            || n.actualLoops <= 0)
            continue;
        const PlanNode &g = plan.nodes[size_t(gatherOf[i])];
        if (g.singleCopy || g.workersLaunched == 0)
            continue;
        bool complete = true;
        double workerLoops = 0, workerMs = 0;
        std::vector<ProcessTime> procs;
        for (const PlanWorker &w : n.workers) {
            if (w.actualTotalMs < 0 || w.actualLoops < 0) {
                complete = false;
                break;
            }
            if (w.actualLoops <= 0)
                continue;
            procs.push_back({ w.number, w.actualTotalMs * w.actualLoops, w.actualLoops });
            workerLoops += w.actualLoops;
            workerMs += w.actualTotalMs * w.actualLoops;
        }
        if (!complete)
            continue;
        const double leaderLoops = n.actualLoops - workerLoops;
        if (leaderLoops >= 0.5)
            procs.push_back({ -1, std::max(0.0, n.actualTotalMs * n.actualLoops - workerMs), leaderLoops });
        if (procs.empty())
            continue;
        perProcess[i] = std::move(procs);
        processesKnown[i] = true;
    }

    // R2, R3: processes per node. Nodes are in pre-order, so parents come first.
    std::vector<bool> leaderOnly(count, false);
    for (size_t i = 0; i < count; ++i) {
        PlanNode &n = plan.nodes[i];
        int processes = 1;
        if (n.parent >= 0) {
            const PlanNode &p = plan.nodes[size_t(n.parent)];
            processes = p.metrics.processes;
            leaderOnly[i] = leaderOnly[size_t(n.parent)];
            if (isGather(p)) {
                const int launched = p.workersLaunched >= 0 ? p.workersLaunched : std::max(0, p.workersPlanned);
                double section = launched + 1;
                const double gatherLoops = std::max(1.0, loopsOf(p));
                if (n.hasActuals && n.actualLoops > 0)
                    section = n.actualLoops / gatherLoops;
                processes = p.singleCopy ? 1 : int(std::lround(std::clamp(section, 1.0, double(launched + 1))));
                leaderOnly[i] = false;
            } else if (isParallelBitmapHeapScan(p) && processes > 1 && !n.isInitPlan() && !n.isSubPlan()) {
                processes = 1; // the shared bitmap is built by one process while the others wait
                leaderOnly[i] = true;
            }
        }
        // A node runs in no more processes than it has loops: a non-partial subplan of a Parallel Append runs in
        // one process (loops = 1) however many the Gather has.
        if (processesKnown[i])
            processes = int(perProcess[i].size());
        else if (n.hasActuals && n.actualLoops > 0 && n.actualLoops < processes)
            processes = int(std::lround(std::max(1.0, n.actualLoops)));
        n.metrics = NodeMetrics();
        n.metrics.processes = std::max(1, processes);
    }

    // R1, R2, R4: inclusive wall time, children before parents (reverse pre-order).
    std::vector<double> excess(count, 0); // wall time beyond CPU / P of the parent's section (R3)
    for (size_t i = count; i-- > 0;) {
        PlanNode &n = plan.nodes[i];
        NodeMetrics &m = n.metrics;
        if (n.hasActuals && !n.neverExecuted)
            m.rowsTotal = n.actualRows * n.actualLoops;
        if (!n.hasTiming || n.neverExecuted)
            continue;
        const double cpu = n.actualTotalMs * n.actualLoops;
        if (processesKnown[i]) {
            double slowest = 0;
            for (const ProcessTime &pt : perProcess[i])
                slowest = std::max(slowest, pt.ms);
            m.inclusiveMs = slowest;
        } else {
            double childExcess = 0;
            for (int c : n.children)
                if (!plan.nodes[size_t(c)].isInitPlan())
                    childExcess += excess[size_t(c)];
            m.inclusiveMs = cpu / m.processes + childExcess;
            // A child that ran in fewer processes than this node ran inside one of them, in full.
            if (m.processes > 1)
                for (int c : n.children) {
                    const PlanNode &child = plan.nodes[size_t(c)];
                    if (!child.isInitPlan() && child.metrics.processes < m.processes)
                        m.inclusiveMs = std::max(m.inclusiveMs, child.metrics.inclusiveMs);
                }
        }
        if (n.parent >= 0 && !isGather(plan.nodes[size_t(n.parent)])) {
            const int parentProcesses = plan.nodes[size_t(n.parent)].metrics.processes;
            // Every process of the parent waits for a leader-only subtree (R3); a node in as many processes as
            // its parent carries its children's excess up. A node in fewer processes (a Parallel Append's
            // subplan) is not waited for: its parent takes its wall time as a lower bound instead.
            if (leaderOnly[i] || m.processes >= parentProcesses)
                excess[i] = std::max(0.0, m.inclusiveMs - cpu / parentProcesses);
        }
    }

    // R2a: concurrent subplans. Under a Parallel Append, subplans that ran in other processes than the slowest
    // one ran beside it; they are marked, with their subtrees, and left out of the Append's exclusive time and
    // of the self-check. Pre-order: a node's mark is set before its children are visited.
    for (size_t i = 0; i < count; ++i) {
        PlanNode &n = plan.nodes[i];
        if (n.parent >= 0 && plan.nodes[size_t(n.parent)].metrics.concurrent)
            n.metrics.concurrent = true;
        if (!isParallelAppend(n) || n.metrics.processes < 2 || !n.hasTiming || n.neverExecuted)
            continue;
        QList<int> kids;
        for (int c : n.children) {
            const PlanNode &child = plan.nodes[size_t(c)];
            if (!child.isInitPlan() && child.hasTiming && !child.neverExecuted)
                kids.append(c);
        }
        if (kids.size() < 2)
            continue;
        if (processesKnown[i]) {
            const auto slowest = std::max_element(perProcess[i].cbegin(), perProcess[i].cend(),
                [](const ProcessTime &a, const ProcessTime &b) { return a.ms < b.ms; });
            for (int c : std::as_const(kids)) {
                if (!processesKnown[size_t(c)])
                    continue;
                const auto &procs = perProcess[size_t(c)];
                if (std::none_of(procs.cbegin(), procs.cend(),
                        [&](const ProcessTime &pt) { return pt.process == slowest->process; }))
                    plan.nodes[size_t(c)].metrics.concurrent = true;
            }
        } else {
            double sum = 0, loops = loopsOf(n);
            int critical = kids.first();
            for (int c : std::as_const(kids)) {
                const PlanNode &child = plan.nodes[size_t(c)];
                sum += child.metrics.inclusiveMs;
                loops += loopsOf(child);
                if (child.metrics.inclusiveMs > plan.nodes[size_t(critical)].metrics.inclusiveMs)
                    critical = c;
            }
            // Only when the subplans cannot have run one after the other does the Append hold concurrent ones.
            if (sum > n.metrics.inclusiveMs + planrules::roundingPerLoopMs * loops + planrules::clampWarningMs)
                for (int c : std::as_const(kids))
                    if (c != critical)
                        plan.nodes[size_t(c)].metrics.concurrent = true;
        }
    }

    // R5: InitPlans and CTEs are taken out of their consumers.
    std::vector<Attribution> attributed(count);
    std::vector<int> subtreeEnd(count); // pre-order: the subtree of i is [i, subtreeEnd[i])
    for (size_t i = count; i-- > 0;) {
        const PlanNode &n = plan.nodes[i];
        int end = int(i) + 1;
        for (int c : n.children)
            end = std::max(end, subtreeEnd[size_t(c)]);
        subtreeEnd[i] = end;
    }
    for (size_t i = 0; i < count; ++i) {
        const PlanNode &sub = plan.nodes[i];
        if (!sub.isInitPlan() || sub.parent < 0)
            continue;
        const int attachment = sub.parent;
        QList<int> consumers;
        if (sub.isCte()) {
            const QString cte = sub.subplanName.mid(4).trimmed();
            for (int j = attachment; j < subtreeEnd[size_t(attachment)]; ++j) {
                if (j >= int(i) && j < subtreeEnd[i])
                    continue;
                const PlanNode &c = plan.nodes[size_t(j)];
                if (c.nodeType == QLatin1String("CTE Scan") && c.cteName == cte)
                    consumers.append(j);
            }
        } else {
            const QList<QRegularExpression> refs = initPlanReferences(sub.subplanName);
            int best = -1;
            if (!refs.isEmpty()) {
                for (int j = attachment; j < subtreeEnd[size_t(attachment)]; ++j) {
                    if (j >= int(i) && j < subtreeEnd[i])
                        continue;
                    const PlanNode &c = plan.nodes[size_t(j)];
                    if ((best < 0 || c.depth > plan.nodes[size_t(best)].depth) && referencesAny(c, refs))
                        best = j;
                }
            }
            if (best >= 0)
                consumers.append(best);
        }
        if (consumers.isEmpty())
            consumers.append(attachment);
        // Shares: one consumer takes all. Several CTE Scans share the CTE's time in plan order, each taking at
        // most its own time (the first reader runs the CTE; later readers mostly read the stored rows); the
        // last one takes what remains. Without timing, in proportion to the rows each read.
        QList<double> shares;
        if (consumers.size() == 1) {
            shares.append(1.0);
        } else if (plan.timed && sub.metrics.inclusiveMs > 0) {
            double remaining = sub.metrics.inclusiveMs;
            for (qsizetype k = 0; k < consumers.size(); ++k) {
                const PlanNode &c = plan.nodes[size_t(consumers.at(k))];
                double capacity = c.metrics.inclusiveMs;
                for (int cc : c.children)
                    if (!plan.nodes[size_t(cc)].isInitPlan())
                        capacity -= plan.nodes[size_t(cc)].metrics.inclusiveMs;
                const double take = k + 1 == consumers.size() ? remaining : std::clamp(capacity, 0.0, remaining);
                shares.append(take / sub.metrics.inclusiveMs);
                remaining -= take;
            }
        } else {
            double rowsSum = 0;
            for (int c : consumers)
                rowsSum += plan.nodes[size_t(c)].metrics.rowsTotal;
            for (int c : consumers)
                shares.append(
                    rowsSum > 0 ? plan.nodes[size_t(c)].metrics.rowsTotal / rowsSum : 1.0 / double(consumers.size()));
        }
        PlanBuffers remainingBuffers = sub.buffers;
        for (qsizetype k = 0; k < consumers.size(); ++k) {
            const int c = consumers.at(k);
            const double share = shares.at(k);
            Attribution &a = attributed[size_t(c)];
            a.ms += sub.metrics.inclusiveMs * share;
            PlanBuffers part;
            if (k + 1 == consumers.size()) {
                part = remainingBuffers;
            } else {
                auto scale = [share](qint64 v) { return qint64(std::llround(double(v) * share)); };
                part.sharedHit = scale(sub.buffers.sharedHit);
                part.sharedRead = scale(sub.buffers.sharedRead);
                part.sharedDirtied = scale(sub.buffers.sharedDirtied);
                part.sharedWritten = scale(sub.buffers.sharedWritten);
                part.localHit = scale(sub.buffers.localHit);
                part.localRead = scale(sub.buffers.localRead);
                part.localDirtied = scale(sub.buffers.localDirtied);
                part.localWritten = scale(sub.buffers.localWritten);
                part.tempRead = scale(sub.buffers.tempRead);
                part.tempWritten = scale(sub.buffers.tempWritten);
                remainingBuffers -= part;
            }
            a.buffers += part;
            PlanIoTimings io = sub.io;
            io.sharedReadMs *= share;
            io.sharedWriteMs *= share;
            io.localReadMs *= share;
            io.localWriteMs *= share;
            io.tempReadMs *= share;
            io.tempWriteMs *= share;
            a.io.sharedReadMs += io.sharedReadMs;
            a.io.sharedWriteMs += io.sharedWriteMs;
            a.io.localReadMs += io.localReadMs;
            a.io.localWriteMs += io.localWriteMs;
            a.io.tempReadMs += io.tempReadMs;
            a.io.tempWriteMs += io.tempWriteMs;
            plan.nodes[size_t(c)].metrics.attributedSubplans.append(int(i));
        }
    }

    // R4, R6, R10: exclusive figures.
    const double total = plan.totalMs();
    for (size_t i = 0; i < count; ++i) {
        PlanNode &n = plan.nodes[i];
        NodeMetrics &m = n.metrics;
        double childMs = 0;
        double childLoops = 0;
        PlanBuffers buffers = n.buffers;
        PlanIoTimings io = n.io;
        for (int c : n.children) {
            const PlanNode &child = plan.nodes[size_t(c)];
            if (child.isInitPlan())
                continue;
            buffers -= child.buffers;
            io -= child.io;
            if (child.metrics.concurrent && !m.concurrent)
                continue; // ran beside the critical path (R2a): not inside this node's wall time
            childMs += child.metrics.inclusiveMs;
            childLoops += loopsOf(child);
        }
        const Attribution &a = attributed[i];
        childMs += a.ms;
        buffers -= a.buffers;
        io -= a.io;
        for (int s : m.attributedSubplans)
            childLoops += loopsOf(plan.nodes[size_t(s)]);
        double exclusive = m.inclusiveMs - childMs;
        if (n.hasTiming && exclusive < 0) {
            const double rounding
                = planrules::roundingPerLoopMs * (loopsOf(n) + childLoops) + planrules::clampWarningMs;
            if (exclusive < -rounding) {
                m.clamped = true;
                const QString text = QStringLiteral(
                    "The children of %1 took %2 more than the node itself; its exclusive time is shown as 0.")
                                         .arg(nodeName(n), ms(-exclusive));
                plan.warnings.append(text);
                m.hints.append({ HintKind::Inconsistent, HintSeverity::Info, text });
            }
            exclusive = 0;
        }
        m.exclusiveMs = n.hasTiming ? exclusive : 0;
        if (n.buffers.present) {
            m.exclusiveBuffers = buffers.clampedAtZero();
            m.exclusiveBuffers.present = true;
        }
        if (n.io.present) {
            m.exclusiveIo = io.clampedAtZero();
            m.exclusiveIo.present = true;
        }
        if (total > 0) {
            m.exclusivePercent = 100.0 * m.exclusiveMs / total;
            m.inclusivePercent = 100.0 * m.inclusiveMs / total;
            m.exclusiveIoPercent = 100.0 * (m.exclusiveIo.totalMs() / m.processes) / total;
        }

        // R8, R9.
        if (n.hasActuals && !n.neverExecuted && n.planRows >= 0 && n.actualRows < n.planRows
            && stoppedByLimit(plan, n)) {
            m.stoppedByLimit = true;
        } else if (n.hasActuals && !n.neverExecuted && n.planRows >= 0) {
            const double actual = std::max(1.0, n.actualRows);
            const double planned = std::max(1.0, n.planRows);
            m.estimateFactor = std::max(actual, planned) / std::min(actual, planned);
            if (!std::isfinite(m.estimateFactor))
                m.estimateFactor = std::numeric_limits<double>::max();
            if (m.estimateFactor < planrules::accurateFactor)
                m.direction = EstimateDirection::Accurate;
            else
                m.direction = actual > planned ? EstimateDirection::Under : EstimateDirection::Over;
        }
        if (n.hasActuals && !n.neverExecuted) {
            const double perLoop = std::max(0.0, n.rowsRemovedByFilter) + std::max(0.0, n.rowsRemovedByJoinFilter)
                + std::max(0.0, n.rowsRemovedByIndexRecheck);
            m.rowsRemovedTotal = perLoop * n.actualLoops;
            const double read = m.rowsRemovedTotal + m.rowsTotal;
            m.rowsRemovedShare = read > 0 ? m.rowsRemovedTotal / read : 0;
        }
    }
    for (PlanNode &n : plan.nodes) {
        QList<PlanHint> inconsistent = n.metrics.hints;
        addHints(plan, n);
        n.metrics.hints.append(inconsistent);
    }

    // R12 workers-uneven: on a Gather whose processes ran for very different times. The wait for the slowest is
    // in the slowest process's nodes, not in the Gather's exclusive time.
    for (PlanNode &g : plan.nodes) {
        if (!isGather(g) || g.neverExecuted || !g.hasTiming)
            continue;
        int c = -1;
        for (int k : g.children)
            if (!plan.nodes[size_t(k)].isInitPlan()) {
                c = k;
                break;
            }
        if (c < 0)
            continue;
        const PlanNode &child = plan.nodes[size_t(c)];
        if (!child.hasTiming || child.neverExecuted || child.metrics.processes < 2)
            continue;
        QString text;
        if (processesKnown[size_t(c)]) {
            // Workers only: the leader also gathers the workers' rows, so it runs the child less by design.
            double slowest = 0, fastest = std::numeric_limits<double>::max();
            int workers = 0;
            for (const ProcessTime &pt : perProcess[size_t(c)]) {
                if (pt.process < 0)
                    continue;
                ++workers;
                slowest = std::max(slowest, pt.ms);
                fastest = std::min(fastest, pt.ms);
            }
            if (workers >= 2 && slowest >= planrules::unevenWorkersFactor * fastest
                && slowest - fastest >= planrules::unevenWorkersMinMs)
                text = QStringLiteral("Workers uneven: %1 vs %2 (the slowest and the fastest of %3 workers); the "
                                      "Gather waited for the slowest, and that time is in its nodes, not here.")
                           .arg(formatMs(slowest), formatMs(fastest))
                           .arg(workers);
        } else {
            const double average = child.actualTotalMs * child.actualLoops / child.metrics.processes;
            const double slowest = child.metrics.inclusiveMs;
            if (slowest >= planrules::unevenWorkersFactor * average
                && slowest - average >= planrules::unevenWorkersMinMs)
                text = QStringLiteral(
                    "Workers uneven: about %1 in the slowest process vs %2 on average over %3 processes; the Gather "
                    "waited for the slowest, and that time is in its nodes, not here.")
                           .arg(formatMs(slowest), formatMs(average))
                           .arg(child.metrics.processes);
        }
        if (!text.isEmpty())
            g.metrics.hints.append({ HintKind::WorkersUneven, HintSeverity::Info, text });
    }

    // R11: self-check.
    PlanSelfCheck &sc = plan.selfCheck;
    if (plan.timed && plan.executionMs >= 0) {
        sc.applicable = true;
        for (const PlanNode &n : plan.nodes) {
            if (n.metrics.concurrent)
                ++sc.concurrentNodes;
            else
                sc.nodesMs += n.metrics.exclusiveMs;
        }
        sc.jitMs = plan.jit.present ? std::max(0.0, plan.jit.totalMs) : 0;
        sc.triggersMs = plan.triggersMs();
        sc.executionMs = plan.executionMs;
        sc.gapMs = sc.executionMs - (sc.nodesMs + sc.jitMs + sc.triggersMs);
        // Nodes adding up to more than the execution time means time counted twice: tight bound (JIT may overlap).
        // Less means time outside the nodes (executor start-up and shutdown, catalog loading in a fresh backend).
        if (sc.gapMs < 0)
            sc.toleranceMs
                = std::max(planrules::selfCheckMinToleranceMs, planrules::selfCheckToleranceShare * sc.executionMs)
                + sc.jitMs;
        else
            sc.toleranceMs
                = std::max(planrules::selfCheckMinOutsideMs, planrules::selfCheckOutsideShare * sc.executionMs);
        sc.ok = std::abs(sc.gapMs) <= sc.toleranceMs;
        const QString criticalPath = sc.concurrentNodes == 0
            ? QString()
            : QStringLiteral(" along the critical path (%1 node%2 that ran beside it left out)")
                  .arg(sc.concurrentNodes)
                  .arg(sc.concurrentNodes == 1 ? QString() : QStringLiteral("s"));
        if (sc.ok) {
            sc.message
                = QStringLiteral("Node times add up: %1 in nodes%2%3 against %4 of execution time.")
                      .arg(ms(sc.nodesMs),
                          criticalPath + (sc.jitMs > 0 ? QStringLiteral(" + %1 JIT").arg(ms(sc.jitMs)) : QString()),
                          sc.triggersMs > 0 ? QStringLiteral(" + %1 in triggers").arg(ms(sc.triggersMs)) : QString(),
                          ms(sc.executionMs));
        } else {
            sc.message
                = QStringLiteral("Node times do not add up: %1 in nodes%2%3 is %4 %5 than the execution time of %6.")
                      .arg(ms(sc.nodesMs),
                          criticalPath + (sc.jitMs > 0 ? QStringLiteral(" + %1 JIT").arg(ms(sc.jitMs)) : QString()),
                          sc.triggersMs > 0 ? QStringLiteral(" + %1 in triggers").arg(ms(sc.triggersMs)) : QString(),
                          ms(std::abs(sc.gapMs)), sc.gapMs > 0 ? QStringLiteral("less") : QStringLiteral("more"),
                          ms(sc.executionMs));
            plan.warnings.append(sc.message);
        }
    } else {
        sc.message = plan.timed
            ? QStringLiteral("No execution time in the input: the self-check cannot run.")
            : QStringLiteral(
                "The plan has no actual times (EXPLAIN without ANALYZE, or TIMING OFF): the self-check cannot run.");
    }
}

QString AppendPruning::summary() const
{
    QStringList extra;
    if (removedAtStart > 0)
        extra << QStringLiteral("%1 removed at executor start").arg(removedAtStart);
    const int scanned = executed >= 0 ? executed : subplans;
    if (executed >= 0 && executed < subplans)
        extra << QStringLiteral("%1 never executed").arg(subplans - executed);
    QString s = QStringLiteral("%1 of %2 partitions %3")
                    .arg(scanned)
                    .arg(total())
                    .arg(executed >= 0 ? QStringLiteral("scanned") : QStringLiteral("in the plan"));
    if (!extra.isEmpty())
        s += QStringLiteral(" (") + extra.join(QStringLiteral(", ")) + QLatin1Char(')');
    return s;
}

QList<AppendPruning> appendPruning(const Plan &plan)
{
    QList<AppendPruning> out;
    for (const PlanNode &n : plan.nodes) {
        if (n.nodeType != QLatin1String("Append") && n.nodeType != QLatin1String("Merge Append"))
            continue;
        AppendPruning p;
        p.node = n.id;
        const QJsonValue removed = n.field(u"Subplans Removed");
        p.removedAtStart = removed.isDouble() ? removed.toInt() : removed.toString().toInt();
        int executed = 0;
        for (int c : n.children) {
            const PlanNode &child = plan.node(c);
            if (child.isInitPlan() || child.isSubPlan())
                continue;
            ++p.subplans;
            if (child.hasActuals && !child.neverExecuted && child.actualLoops > 0)
                ++executed;
        }
        p.executed = n.hasActuals ? executed : -1;
        out << p;
    }
    return out;
}

} // namespace plansight

namespace plansight {

namespace {

bool isAppendNode(const PlanNode &n)
{
    return n.nodeType == QLatin1String("Append") || n.nodeType == QLatin1String("Merge Append");
}

bool ranAtLeastOnce(const PlanNode &n)
{
    return n.hasActuals && !n.neverExecuted && n.actualLoops > 0;
}

int subplansRemoved(const PlanNode &n)
{
    const QJsonValue removed = n.field(u"Subplans Removed");
    return removed.isDouble() ? removed.toInt() : removed.toString().toInt();
}

// R14: the alias every member of an Append shares before "_<n>", or empty when the members are not all relation
// scans named that way.
QString sharedMemberAlias(const Plan &plan, const QList<int> &members)
{
    static const QRegularExpression numbered(QStringLiteral("^(.+)_\\d+$"));
    QString base;
    for (int c : members) {
        const PlanNode &m = plan.node(c);
        const QRegularExpressionMatch match = numbered.match(m.alias);
        if (m.relationName.isEmpty() || !match.hasMatch())
            return {};
        if (base.isEmpty())
            base = match.captured(1);
        else if (base != match.captured(1))
            return {};
    }
    return base;
}

} // namespace

QString PartitionScan::summary() const
{
    QString s = QStringLiteral("Partitions of %1: %2 of %3 %4")
                    .arg(table)
                    .arg(scanned >= 0 ? scanned : inPlan)
                    .arg(total)
                    .arg(scanned >= 0 ? QStringLiteral("scanned") : QStringLiteral("in the plan"));
    if (removedAtStart > 0)
        s += QStringLiteral(", %1 %2 removed at executor start")
                 .arg(removedAtStart)
                 .arg(removedAtStart == 1 ? QStringLiteral("subplan") : QStringLiteral("subplans"));
    if (scanned >= 0 && scanned < inPlan)
        s += QStringLiteral(", %1 never executed").arg(inPlan - scanned);
    return s;
}

QList<PartitionScan> partitionScans(const Plan &plan, const PartitionLookup &lookup)
{
    struct Group {
        PartitionScan scan;
        QSet<QString> inPlan, scanned;
    };
    QList<Group> groups;
    auto groupFor = [&](const QString &table, bool fromCatalog) -> Group & {
        for (Group &g : groups)
            if (g.scan.table == table && g.scan.fromCatalog == fromCatalog)
                return g;
        Group g;
        g.scan.table = table;
        g.scan.fromCatalog = fromCatalog;
        groups.append(g);
        return groups.last();
    };
    auto treeOf = [&](const PlanNode &n) -> std::optional<PartitionTree> {
        if (!lookup || n.relationName.isEmpty())
            return std::nullopt;
        return lookup(n.relationName);
    };

    // Pre-order: an Append comes before its members, so entries are in the order of their first scan.
    for (const PlanNode &n : plan.nodes) {
        if (const auto tree = treeOf(n)) {
            Group &g = groupFor(tree->table, true);
            g.scan.total = int(tree->leaves.size());
            g.inPlan.insert(n.relationName);
            if (ranAtLeastOnce(n))
                g.scanned.insert(n.relationName);
            continue;
        }
        if (!isAppendNode(n))
            continue;
        QList<int> members;
        for (int c : n.children)
            if (!plan.node(c).isInitPlan() && !plan.node(c).isSubPlan())
                members.append(c);
        const int removed = subplansRemoved(n);
        // Members the lookup knows: the Append is a scan of that table, whose partitions are counted as scans.
        std::optional<QString> known;
        bool allKnown = !members.isEmpty();
        for (int c : members) {
            const auto tree = treeOf(plan.node(c));
            if (!tree || (known && *known != tree->table)) {
                allKnown = false;
                break;
            }
            known = tree->table;
        }
        if (allKnown && known) {
            groupFor(*known, true).scan.removedAtStart += removed;
            continue;
        }
        const QString alias = sharedMemberAlias(plan, members);
        if (alias.isEmpty() && removed == 0)
            continue; // a UNION ALL, or an Append the plan cannot tell apart from one
        Group &g = groupFor(alias.isEmpty() ? QStringLiteral("%1 (node %2)").arg(n.nodeType).arg(n.id) : alias, false);
        g.scan.removedAtStart += removed;
        g.scan.total = std::max(g.scan.total, int(members.size()) + removed);
        for (int c : members) {
            const PlanNode &m = plan.node(c);
            // Members that are not relation scans (partitionwise joins) are counted by node.
            const QString name = m.relationName.isEmpty() ? QStringLiteral("#%1").arg(c) : m.relationName;
            g.inPlan.insert(name);
            if (ranAtLeastOnce(m))
                g.scanned.insert(name);
        }
    }

    QList<PartitionScan> out;
    for (Group &g : groups) {
        g.scan.inPlan = int(g.inPlan.size());
        g.scan.scanned = plan.analyzed ? int(g.scanned.size()) : -1;
        if (!g.scan.fromCatalog)
            g.scan.total = std::max(g.scan.total, g.scan.inPlan);
        out.append(g.scan);
    }
    return out;
}

QString partitionScansText(const Plan &plan, const PartitionLookup &lookup)
{
    QStringList parts;
    for (const PartitionScan &p : partitionScans(plan, lookup))
        parts << p.summary();
    return parts.join(QStringLiteral("; "));
}

} // namespace plansight
