#include "report/reportplan.h"

#include "plan/plandiff.h"
#include "plan/planformat.h"
#include "plan/planparser.h"
#include "strategies/strategy.h"

#include <QLocale>
#include <QSet>

#include <algorithm>

namespace plansight {

namespace {

QString percent(double p)
{
    return QLocale::c().toString(p, 'f', p >= 10 ? 0 : 1) + QLatin1Char('%');
}

QString nodeDetail(const PlanNode &n)
{
    if (n.neverExecuted)
        return QStringLiteral("never executed");
    QStringList parts;
    if (n.hasActuals)
        parts << QStringLiteral("rows %1").arg(formatCount(n.actualRows));
    if (n.planRows >= 0)
        parts << QStringLiteral("est. %1").arg(formatCount(n.planRows));
    if (n.actualLoops > 1)
        parts << QStringLiteral("loops %1").arg(formatCount(n.actualLoops));
    if (n.metrics.rowsRemovedTotal > 0)
        parts << QStringLiteral("removed %1").arg(formatCount(n.metrics.rowsRemovedTotal));
    if (n.buffers.present && !n.metrics.exclusiveBuffers.isZero())
        parts << QStringLiteral("buffers %1 hit, %2 read")
                     .arg(formatCount(double(n.metrics.exclusiveBuffers.hit())),
                         formatCount(double(n.metrics.exclusiveBuffers.read())));
    // Parallel plans (planmetrics.h R2a, R12): a subplan beside the critical path, and uneven workers, in words.
    if (n.metrics.concurrent)
        parts << QStringLiteral("concurrent: ran beside the slowest process, not on the critical path");
    for (const PlanHint &h : n.metrics.hints)
        if (h.kind == HintKind::WorkersUneven)
            parts << h.text.section(QLatin1Char(';'), 0, 0).toLower();
    return parts.join(QStringLiteral(" · "));
}

QString nodeLabel(const PlanNode &n)
{
    QString label = n.label();
    if (!n.subplanName.isEmpty())
        label = n.subplanName + QStringLiteral(": ") + label;
    return label;
}

// The nodes worth a line: every node when the plan is small; otherwise the ones that take at least
// reportPlanNodeShare of the time, most expensive first until the budget is spent, each with its ancestors so
// the tree keeps its shape.
QList<int> nodesThatMatter(const Plan &plan)
{
    const int n = plan.size();
    QList<int> all;
    for (int i = 0; i < n; ++i)
        all.append(i);
    if (n <= reportPlanMaxNodes / 2 || !plan.timed)
        return all.mid(0, reportPlanMaxNodes);

    QList<int> byTime = all;
    std::stable_sort(byTime.begin(), byTime.end(),
        [&](int a, int b) { return plan.node(a).metrics.inclusiveMs > plan.node(b).metrics.inclusiveMs; });
    QSet<int> keep { 0 };
    for (int id : byTime) {
        const NodeMetrics &m = plan.node(id).metrics;
        if (m.inclusivePercent < reportPlanNodeShare && m.exclusivePercent < reportPlanNodeShare)
            continue;
        QList<int> chain;
        for (int p = id; p >= 0 && !keep.contains(p); p = plan.node(p).parent)
            chain.append(p);
        if (keep.size() + chain.size() > reportPlanMaxNodes)
            continue;
        for (int p : chain)
            keep.insert(p);
    }
    QList<int> shown(keep.begin(), keep.end());
    std::sort(shown.begin(), shown.end()); // pre-order = tree order
    return shown;
}

} // namespace

ReportPlan reportPlan(const QByteArray &planJson, const QByteArray &baselinePlanJson, bool isReference)
{
    ReportPlan out;
    if (planJson.trimmed().isEmpty())
        return out;
    auto parsed = parseJsonPlan(planJson);
    if (!parsed) {
        out.note = QStringLiteral("The recorded plan could not be read: %1").arg(parsed.error().message);
        return out;
    }
    const Plan &plan = parsed.value();
    if (plan.isEmpty()) {
        out.note = QStringLiteral("The recorded plan has no nodes.");
        return out;
    }
    out.available = true;
    out.executionMs = plan.executionMs;
    out.planningMs = plan.planningMs;
    out.totalNodes = plan.size();
    out.pruning = partitionScansText(plan, strategyPartitionTree);
    if (!plan.timed)
        out.note = QStringLiteral("The plan was recorded without timing, so there are no exclusive times.");
    else if (plan.selfCheck.applicable && !plan.selfCheck.ok)
        out.note = plan.selfCheck.message;

    // The hottest nodes by exclusive time, for the tree's emphasis and the top-ten table.
    QList<int> byExclusive;
    for (int i = 0; i < plan.size(); ++i)
        if (!plan.node(i).neverExecuted)
            byExclusive.append(i);
    std::stable_sort(byExclusive.begin(), byExclusive.end(),
        [&](int a, int b) { return plan.node(a).metrics.exclusiveMs > plan.node(b).metrics.exclusiveMs; });
    // Nodes that ran beside the critical path (R2a) did not make the plan slower: they are never hot.
    QSet<int> hot;
    for (int i = 0, candidates = 0; i < int(byExclusive.size()) && candidates < 3; ++i) {
        const NodeMetrics &m = plan.node(byExclusive[i]).metrics;
        if (m.concurrent)
            continue;
        ++candidates;
        if (plan.timed && m.exclusivePercent >= 10)
            hot.insert(byExclusive[i]);
    }

    const QList<int> shown = nodesThatMatter(plan);
    for (int id : shown) {
        const PlanNode &n = plan.node(id);
        ReportPlanNode r;
        r.depth = n.depth;
        r.label = nodeLabel(n);
        r.detail = nodeDetail(n);
        r.exclusiveMs = n.metrics.exclusiveMs;
        r.inclusiveMs = n.metrics.inclusiveMs;
        r.neverExecuted = n.neverExecuted;
        r.hot = hot.contains(id);
        out.tree.append(r);
    }
    out.hiddenNodes = plan.size() - int(shown.size());

    out.topNodes.columns = { QStringLiteral("#"), QStringLiteral("Node"), QStringLiteral("Exclusive"),
        QStringLiteral("Share"), QStringLiteral("Rows"), QStringLiteral("Loops") };
    out.topNodes.numeric = { true, false, true, true, true, true };
    if (plan.timed) {
        for (int i = 0; i < std::min<int>(10, int(byExclusive.size())); ++i) {
            const PlanNode &n = plan.node(byExclusive[i]);
            ReportTable::Row row;
            row.cells = { QString::number(i + 1),
                nodeLabel(n) + (n.metrics.concurrent ? QStringLiteral(" (concurrent)") : QString()),
                formatMs(n.metrics.exclusiveMs), percent(n.metrics.exclusivePercent), formatCount(n.metrics.rowsTotal),
                n.actualLoops >= 0 ? formatCount(n.actualLoops) : QStringLiteral("—") };
            out.topNodes.rows.append(row);
        }
    }

    if (isReference)
        return out;
    if (baselinePlanJson.trimmed().isEmpty()) {
        out.diffSummary = QStringLiteral("There is no baseline plan to compare with.");
        return out;
    }
    auto base = parseJsonPlan(baselinePlanJson);
    if (!base || base->isEmpty()) {
        out.diffSummary = QStringLiteral("The baseline's plan could not be read, so there is no comparison.");
        return out;
    }
    PlanDiffOptions diffOptions;
    diffOptions.describeObject = describeStrategyObject;
    const PlanDiff diff = diffPlans(base.value(), plan, diffOptions);
    out.diffSummary = diff.summary;
    out.diffDetails = diff.details.mid(0, 12);
    if (diff.details.size() > 12)
        out.diffDetails << QStringLiteral("… and %1 more changes.").arg(diff.details.size() - 12);
    if (diff.added + diff.removed + diff.changed == 0 && out.diffSummary.isEmpty())
        out.diffSummary = QStringLiteral("The plan has the same shape as the baseline's.");
    return out;
}

} // namespace plansight
