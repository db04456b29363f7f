#include "plan/planmetrics.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

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

QString ms(double v)
{
    return QString::number(v, 'f', v < 10 ? 3 : 1) + QStringLiteral(" ms");
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
                .arg(under ? QStringLiteral("under") : QStringLiteral("over"))
                .arg(m.estimateFactor >= 100 ? QString::number(qRound64(m.estimateFactor)) : QString::number(m.estimateFactor, 'f', 1))
                .arg(QString::number(n.planRows, 'f', 0), QString::number(n.actualRows, 'g', 12)) });
    }
    if (executed && m.rowsRemovedShare > planrules::rowsRemovedHintShare && m.rowsRemovedTotal >= planrules::rowsRemovedHintMinimum) {
        QString what = QStringLiteral("a filter");
        if (n.rowsRemovedByJoinFilter > n.rowsRemovedByFilter && n.rowsRemovedByJoinFilter > n.rowsRemovedByIndexRecheck)
            what = QStringLiteral("the join filter");
        else if (n.rowsRemovedByIndexRecheck > n.rowsRemovedByFilter)
            what = QStringLiteral("the index recheck (a lossy bitmap)");
        m.hints.append({ HintKind::RowsRemoved, HintSeverity::Warning,
            QStringLiteral("%1% of the rows read were removed by %2 (%3 rows): an index or a more selective condition would avoid reading them.")
                .arg(QString::number(m.rowsRemovedShare * 100, 'f', 1), what, QString::number(m.rowsRemovedTotal, 'f', 0)) });
    }
    if (executed
        && (n.sortSpaceType == QLatin1String("Disk") || n.sortMethod.startsWith(QLatin1String("external")))) {
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
            QStringLiteral("The index-only scan visited the heap %1 times (%2% of its rows): VACUUM the table to update its visibility map.")
                .arg(QString::number(n.heapFetches, 'f', 0), QString::number(std::min(share, 1.0) * 100, 'f', 0)) });
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
                QStringLiteral("A sequential scan of %1 reads %2 rows per loop%3 under a nested loop: an index on the join key would avoid it.")
                    .arg(n.relationName.isEmpty() ? QStringLiteral("a table") : n.relationName, QString::number(perLoop, 'f', 0),
                        executed ? QStringLiteral(", %1 loops").arg(QString::number(n.actualLoops, 'f', 0)) : QString()) });
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
                int section = launched + 1;
                const double gatherLoops = std::max(1.0, loopsOf(p));
                if (n.hasActuals && n.actualLoops > 0)
                    section = int(std::lround(n.actualLoops / gatherLoops));
                processes = p.singleCopy ? 1 : std::clamp(section, 1, launched + 1);
                leaderOnly[i] = false;
            } else if (isParallelBitmapHeapScan(p) && processes > 1 && !n.isInitPlan() && !n.isSubPlan()) {
                processes = 1; // the shared bitmap is built by one process while the others wait
                leaderOnly[i] = true;
            }
        }
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
        bool perWorker = m.processes > 1 && !n.workers.isEmpty();
        double workersCpu = 0, slowestWorker = 0;
        for (const PlanWorker &w : n.workers) {
            if (w.actualTotalMs < 0 || w.actualLoops < 0) {
                perWorker = false;
                break;
            }
            workersCpu += w.actualTotalMs * w.actualLoops;
            slowestWorker = std::max(slowestWorker, w.actualTotalMs * w.actualLoops);
        }
        if (perWorker) {
            m.inclusiveMs = std::max(std::max(0.0, cpu - workersCpu), slowestWorker);
        } else {
            double childExcess = 0;
            for (int c : n.children)
                if (!plan.nodes[size_t(c)].isInitPlan())
                    childExcess += excess[size_t(c)];
            m.inclusiveMs = cpu / m.processes + childExcess;
        }
        if (n.parent >= 0 && !isGather(plan.nodes[size_t(n.parent)]))
            excess[i] = std::max(0.0, m.inclusiveMs - cpu / plan.nodes[size_t(n.parent)].metrics.processes);
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
                shares.append(rowsSum > 0 ? plan.nodes[size_t(c)].metrics.rowsTotal / rowsSum : 1.0 / double(consumers.size()));
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
            childMs += child.metrics.inclusiveMs;
            childLoops += loopsOf(child);
            buffers -= child.buffers;
            io -= child.io;
        }
        const Attribution &a = attributed[i];
        childMs += a.ms;
        buffers -= a.buffers;
        io -= a.io;
        for (int s : m.attributedSubplans)
            childLoops += loopsOf(plan.nodes[size_t(s)]);
        double exclusive = m.inclusiveMs - childMs;
        if (n.hasTiming && exclusive < 0) {
            const double rounding = planrules::roundingPerLoopMs * (loopsOf(n) + childLoops) + planrules::clampWarningMs;
            if (exclusive < -rounding) {
                m.clamped = true;
                const QString text = QStringLiteral("The children of %1 took %2 more than the node itself; its exclusive time is shown as 0.")
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
        if (n.hasActuals && !n.neverExecuted && n.planRows >= 0) {
            const double actual = std::max(1.0, n.actualRows);
            const double planned = std::max(1.0, n.planRows);
            m.estimateFactor = std::max(actual, planned) / std::min(actual, planned);
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

    // R11: self-check.
    PlanSelfCheck &sc = plan.selfCheck;
    if (plan.timed && plan.executionMs >= 0) {
        sc.applicable = true;
        for (const PlanNode &n : plan.nodes)
            sc.nodesMs += n.metrics.exclusiveMs;
        sc.jitMs = plan.jit.present ? std::max(0.0, plan.jit.totalMs) : 0;
        sc.triggersMs = plan.triggersMs();
        sc.executionMs = plan.executionMs;
        sc.gapMs = sc.executionMs - (sc.nodesMs + sc.jitMs + sc.triggersMs);
        // Nodes adding up to more than the execution time means time counted twice: tight bound (JIT may overlap).
        // Less means time outside the nodes (executor start-up and shutdown, catalog loading in a fresh backend).
        if (sc.gapMs < 0)
            sc.toleranceMs = std::max(planrules::selfCheckMinToleranceMs, planrules::selfCheckToleranceShare * sc.executionMs) + sc.jitMs;
        else
            sc.toleranceMs = std::max(planrules::selfCheckMinOutsideMs, planrules::selfCheckOutsideShare * sc.executionMs);
        sc.ok = std::abs(sc.gapMs) <= sc.toleranceMs;
        if (sc.ok) {
            sc.message = QStringLiteral("Node times add up: %1 in nodes%2%3 against %4 of execution time.")
                             .arg(ms(sc.nodesMs),
                                 sc.jitMs > 0 ? QStringLiteral(" + %1 JIT").arg(ms(sc.jitMs)) : QString(),
                                 sc.triggersMs > 0 ? QStringLiteral(" + %1 in triggers").arg(ms(sc.triggersMs)) : QString(),
                                 ms(sc.executionMs));
        } else {
            sc.message = QStringLiteral("Node times do not add up: %1 in nodes%2%3 is %4 %5 than the execution time of %6.")
                             .arg(ms(sc.nodesMs),
                                 sc.jitMs > 0 ? QStringLiteral(" + %1 JIT").arg(ms(sc.jitMs)) : QString(),
                                 sc.triggersMs > 0 ? QStringLiteral(" + %1 in triggers").arg(ms(sc.triggersMs)) : QString(),
                                 ms(std::abs(sc.gapMs)), sc.gapMs > 0 ? QStringLiteral("less") : QStringLiteral("more"),
                                 ms(sc.executionMs));
            plan.warnings.append(sc.message);
        }
    } else {
        sc.message = plan.timed ? QStringLiteral("No execution time in the input: the self-check cannot run.")
                                : QStringLiteral("The plan has no actual times (EXPLAIN without ANALYZE, or TIMING OFF): the self-check cannot run.");
    }
}

} // namespace plansight
