#include "plan/planformat.h"

#include <QJsonArray>
#include <QLocale>

#include <cmath>

namespace plansight {

namespace {

QJsonValue orNull(double v)
{
    return v >= 0 && std::isfinite(v) ? QJsonValue(v) : QJsonValue();
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

double round3(double v)
{
    return std::abs(v) < 1e15 ? std::round(v * 1000.0) / 1000.0 : v;
}

QJsonObject buffersJson(const PlanBuffers &b)
{
    QJsonObject o;
    o.insert(QStringLiteral("shared_hit"), b.sharedHit);
    o.insert(QStringLiteral("shared_read"), b.sharedRead);
    o.insert(QStringLiteral("shared_dirtied"), b.sharedDirtied);
    o.insert(QStringLiteral("shared_written"), b.sharedWritten);
    o.insert(QStringLiteral("local_hit"), b.localHit);
    o.insert(QStringLiteral("local_read"), b.localRead);
    o.insert(QStringLiteral("local_dirtied"), b.localDirtied);
    o.insert(QStringLiteral("local_written"), b.localWritten);
    o.insert(QStringLiteral("temp_read"), b.tempRead);
    o.insert(QStringLiteral("temp_written"), b.tempWritten);
    return o;
}

QString directionName(EstimateDirection d)
{
    switch (d) {
    case EstimateDirection::Under:
        return QStringLiteral("under");
    case EstimateDirection::Over:
        return QStringLiteral("over");
    case EstimateDirection::Accurate:
        return QStringLiteral("accurate");
    case EstimateDirection::None:
        break;
    }
    return {};
}

QString severityName(HintSeverity s)
{
    switch (s) {
    case HintSeverity::Info:
        return QStringLiteral("info");
    case HintSeverity::Warning:
        return QStringLiteral("warning");
    case HintSeverity::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

QJsonObject nodeJson(const Plan &plan, const PlanNode &n)
{
    const NodeMetrics &m = n.metrics;
    QJsonObject o;
    o.insert(QStringLiteral("id"), n.id);
    o.insert(QStringLiteral("node_type"), n.nodeType);
    o.insert(QStringLiteral("display_type"), n.displayType());
    o.insert(QStringLiteral("label"), n.label());
    o.insert(QStringLiteral("parent_relationship"), orNull(n.parentRelationship));
    o.insert(QStringLiteral("subplan_name"), orNull(n.subplanName));
    o.insert(QStringLiteral("relation"), orNull(n.relationName));
    o.insert(QStringLiteral("schema"), orNull(n.schema));
    o.insert(QStringLiteral("alias"), orNull(n.alias));
    o.insert(QStringLiteral("index"), orNull(n.indexName));
    o.insert(QStringLiteral("cte"), orNull(n.cteName));
    o.insert(QStringLiteral("function"), orNull(n.functionName));
    const bool timed = n.hasTiming || n.neverExecuted;
    o.insert(QStringLiteral("exclusive_ms"), timed ? QJsonValue(round3(m.exclusiveMs)) : QJsonValue());
    o.insert(QStringLiteral("inclusive_ms"), timed ? QJsonValue(round3(m.inclusiveMs)) : QJsonValue());
    o.insert(QStringLiteral("exclusive_percent"), timed ? QJsonValue(round3(m.exclusivePercent)) : QJsonValue());
    o.insert(QStringLiteral("inclusive_percent"), timed ? QJsonValue(round3(m.inclusivePercent)) : QJsonValue());
    o.insert(QStringLiteral("rows_total"), n.hasActuals ? QJsonValue(m.rowsTotal) : QJsonValue());
    o.insert(QStringLiteral("actual_rows"), n.hasActuals ? QJsonValue(n.actualRows) : QJsonValue());
    o.insert(QStringLiteral("plan_rows"), orNull(n.planRows));
    o.insert(QStringLiteral("startup_cost"), orNull(n.startupCost));
    o.insert(QStringLiteral("total_cost"), orNull(n.totalCost));
    o.insert(QStringLiteral("loops"), n.hasActuals ? QJsonValue(n.actualLoops) : QJsonValue());
    o.insert(QStringLiteral("never_executed"), n.neverExecuted);
    o.insert(
        QStringLiteral("estimate_factor"), m.estimateFactor > 0 ? QJsonValue(round3(m.estimateFactor)) : QJsonValue());
    o.insert(QStringLiteral("estimate_direction"), orNull(directionName(m.direction)));
    o.insert(QStringLiteral("rows_removed"), n.hasActuals ? QJsonValue(m.rowsRemovedTotal) : QJsonValue());
    o.insert(QStringLiteral("processes"), m.processes);
    o.insert(QStringLiteral("concurrent"), m.concurrent);
    o.insert(QStringLiteral("stopped_by_limit"), m.stoppedByLimit);
    o.insert(QStringLiteral("clamped"), m.clamped);
    o.insert(QStringLiteral("buffers"), n.buffers.present ? QJsonValue(buffersJson(m.exclusiveBuffers)) : QJsonValue());
    o.insert(
        QStringLiteral("buffers_inclusive"), n.buffers.present ? QJsonValue(buffersJson(n.buffers)) : QJsonValue());
    o.insert(QStringLiteral("io_ms"), n.io.present ? QJsonValue(round3(m.exclusiveIo.totalMs())) : QJsonValue());
    QJsonArray hints;
    for (const PlanHint &h : m.hints)
        hints.append(QJsonObject { { QStringLiteral("kind"), toString(h.kind) },
            { QStringLiteral("severity"), severityName(h.severity) }, { QStringLiteral("text"), h.text } });
    o.insert(QStringLiteral("hints"), hints);
    o.insert(QStringLiteral("fields"), n.fields());
    o.insert(QStringLiteral("unknown_keys"), QJsonArray::fromStringList(n.unknownKeys));
    QJsonArray children;
    for (int c : n.children)
        children.append(nodeJson(plan, plan.node(c)));
    o.insert(QStringLiteral("children"), children);
    return o;
}

// ANSI colours, only when asked for.
struct Paint {
    bool on = false;
    QString operator()(const QString &text, const char *code) const
    {
        return on ? QStringLiteral("\x1b[") + QLatin1String(code) + QLatin1Char('m') + text + QStringLiteral("\x1b[0m")
                  : text;
    }
};

QString heatCode(double percent)
{
    if (percent >= 50)
        return QStringLiteral("1;31");
    if (percent >= 20)
        return QStringLiteral("31");
    if (percent >= 5)
        return QStringLiteral("33");
    return QStringLiteral("0");
}

QString rowsText(const PlanNode &n)
{
    const NodeMetrics &m = n.metrics;
    if (n.neverExecuted)
        return QStringLiteral("never executed");
    QString s;
    if (n.hasActuals) {
        s = QStringLiteral("rows %1").arg(formatCount(m.rowsTotal));
        if (n.planRows >= 0)
            s += QStringLiteral(" of %1 planned").arg(formatCount(n.planRows * std::max(1.0, n.actualLoops)));
        if (m.direction == EstimateDirection::Under || m.direction == EstimateDirection::Over)
            s += QStringLiteral(" (%1x %2)")
                     .arg(formatFactor(m.estimateFactor),
                         m.direction == EstimateDirection::Under ? QStringLiteral("under") : QStringLiteral("over"));
        else if (m.stoppedByLimit)
            s += QStringLiteral(" (stopped early by a Limit)");
        if (n.actualLoops != 1)
            s += QStringLiteral(", loops %1").arg(formatCount(n.actualLoops));
    } else if (n.planRows >= 0) {
        s = QStringLiteral("rows %1 planned").arg(formatCount(n.planRows));
    }
    return s;
}

QString buffersText(const PlanBuffers &b)
{
    QStringList parts;
    if (b.sharedHit + b.localHit > 0)
        parts << QStringLiteral("hit %1").arg(formatCount(double(b.sharedHit + b.localHit)));
    if (b.sharedRead + b.localRead > 0)
        parts << QStringLiteral("read %1").arg(formatCount(double(b.sharedRead + b.localRead)));
    if (b.sharedDirtied + b.localDirtied > 0)
        parts << QStringLiteral("dirtied %1").arg(formatCount(double(b.sharedDirtied + b.localDirtied)));
    if (b.sharedWritten + b.localWritten > 0)
        parts << QStringLiteral("written %1").arg(formatCount(double(b.sharedWritten + b.localWritten)));
    if (b.tempRead + b.tempWritten > 0)
        parts << QStringLiteral("temp %1/%2").arg(formatCount(double(b.tempRead)), formatCount(double(b.tempWritten)));
    return parts.join(QStringLiteral(", "));
}

void appendConditions(QStringList &out, const PlanNode &n)
{
    auto cond = [&out](const char *name, const QString &v) {
        if (!v.isEmpty())
            out << QLatin1String(name) + QStringLiteral(": ") + v;
    };
    cond("Index Cond", n.indexCond);
    cond("Recheck Cond", n.recheckCond);
    cond("Hash Cond", n.hashCond);
    cond("Merge Cond", n.mergeCond);
    cond("Join Filter", n.joinFilter);
    cond("Filter", n.filter);
    cond("One-Time Filter", n.oneTimeFilter);
    cond("TID Cond", n.tidCond);
    if (!n.sortKey.isEmpty())
        out << QStringLiteral("Sort Key: ") + n.sortKey.join(QStringLiteral(", "));
    if (!n.groupKey.isEmpty())
        out << QStringLiteral("Group Key: ") + n.groupKey.join(QStringLiteral(", "));
    if (!n.sortMethod.isEmpty())
        out << QStringLiteral("Sort Method: %1%2")
                   .arg(n.sortMethod,
                       n.sortSpaceUsedKb >= 0
                           ? QStringLiteral("  %1: %2 kB").arg(n.sortSpaceType).arg(n.sortSpaceUsedKb)
                           : QString());
    if (n.hashBuckets >= 0)
        out << QStringLiteral("Buckets: %1  Batches: %2%3")
                   .arg(n.hashBuckets)
                   .arg(n.hashBatches)
                   .arg(n.peakMemoryUsageKb >= 0 ? QStringLiteral("  Memory: %1 kB").arg(n.peakMemoryUsageKb)
                                                 : QString());
    if (n.cacheHits >= 0)
        out << QStringLiteral("Cache hits %1, misses %2, evictions %3")
                   .arg(n.cacheHits)
                   .arg(n.cacheMisses)
                   .arg(n.cacheEvictions);
    if (n.heapFetches >= 0)
        out << QStringLiteral("Heap Fetches: %1").arg(formatCount(n.heapFetches));
    if (n.workersPlanned >= 0)
        out << QStringLiteral("Workers: %1 planned, %2 launched")
                   .arg(n.workersPlanned)
                   .arg(n.workersLaunched >= 0 ? QString::number(n.workersLaunched) : QStringLiteral("?"));
}

} // namespace

QString formatFactor(double factor)
{
    if (!std::isfinite(factor))
        return QStringLiteral("-");
    if (factor > planFactorDisplayMax)
        return QStringLiteral("> 1e9");
    if (factor < 100)
        return QString::number(factor, 'f', 1);
    return formatCount(std::round(factor));
}

QJsonObject toJson(const Plan &plan)
{
    QJsonObject o;
    o.insert(
        QStringLiteral("format"), plan.format == PlanFormat::Json ? QStringLiteral("json") : QStringLiteral("text"));
    o.insert(QStringLiteral("planning_ms"), orNull(plan.planningMs));
    o.insert(QStringLiteral("execution_ms"), orNull(plan.executionMs));
    o.insert(QStringLiteral("total_ms"), round3(plan.totalMs()));
    o.insert(QStringLiteral("analyzed"), plan.analyzed);
    o.insert(QStringLiteral("timed"), plan.timed);
    o.insert(QStringLiteral("node_count"), plan.size());
    const PlanSelfCheck &sc = plan.selfCheck;
    o.insert(QStringLiteral("self_check"),
        QJsonObject { { QStringLiteral("applicable"), sc.applicable }, { QStringLiteral("ok"), sc.ok },
            { QStringLiteral("nodes_ms"), round3(sc.nodesMs) },
            { QStringLiteral("concurrent_nodes"), sc.concurrentNodes }, { QStringLiteral("jit_ms"), round3(sc.jitMs) },
            { QStringLiteral("triggers_ms"), round3(sc.triggersMs) },
            { QStringLiteral("execution_ms"), round3(sc.executionMs) }, { QStringLiteral("gap_ms"), round3(sc.gapMs) },
            { QStringLiteral("tolerance_ms"), round3(sc.toleranceMs) }, { QStringLiteral("message"), sc.message } });
    o.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(plan.warnings));
    QJsonArray triggers;
    for (const PlanTrigger &t : plan.triggers)
        triggers.append(QJsonObject { { QStringLiteral("name"), t.name.isEmpty() ? t.constraintName : t.name },
            { QStringLiteral("relation"), orNull(t.relation) }, { QStringLiteral("time_ms"), orNull(t.timeMs) },
            { QStringLiteral("calls"), orNull(t.calls) } });
    o.insert(QStringLiteral("triggers"), triggers);
    o.insert(QStringLiteral("jit"),
        plan.jit.present ? QJsonValue(QJsonObject { { QStringLiteral("functions"), plan.jit.functions },
            { QStringLiteral("generation_ms"), plan.jit.generationMs },
            { QStringLiteral("deform_ms"), plan.jit.deformMs }, { QStringLiteral("inlining_ms"), plan.jit.inliningMs },
            { QStringLiteral("optimization_ms"), plan.jit.optimizationMs },
            { QStringLiteral("emission_ms"), plan.jit.emissionMs }, { QStringLiteral("total_ms"), plan.jit.totalMs },
            { QStringLiteral("options"), plan.jit.options } })
                         : QJsonValue());
    o.insert(QStringLiteral("settings"), plan.settings);
    o.insert(QStringLiteral("query_text"), orNull(plan.queryText));
    o.insert(QStringLiteral("planning_buffers"),
        plan.planningBuffers.present ? QJsonValue(buffersJson(plan.planningBuffers)) : QJsonValue());
    o.insert(QStringLiteral("top_fields"), plan.topFields);
    o.insert(QStringLiteral("unknown_top_keys"), QJsonArray::fromStringList(plan.unknownTopKeys));
    o.insert(QStringLiteral("plan"), plan.isEmpty() ? QJsonValue() : QJsonValue(nodeJson(plan, plan.root())));
    return o;
}

QString formatPlanText(const Plan &plan, const PlanTextOptions &options)
{
    Paint paint { options.color };
    QString out;
    QStringList header;
    if (plan.planningMs >= 0)
        header << QStringLiteral("planning %1").arg(formatMs(plan.planningMs));
    if (plan.executionMs >= 0)
        header << QStringLiteral("execution %1").arg(formatMs(plan.executionMs));
    header << QStringLiteral("%1 nodes").arg(plan.size());
    if (plan.jit.present)
        header << QStringLiteral("JIT %1").arg(formatMs(plan.jit.totalMs));
    if (!plan.triggers.isEmpty())
        header << QStringLiteral("triggers %1").arg(formatMs(plan.triggersMs()));
    out += paint(header.join(QStringLiteral(", ")), "1") + QLatin1Char('\n');
    if (plan.selfCheck.applicable)
        out += (plan.selfCheck.ok ? paint(QStringLiteral("self-check ok: "), "32")
                                  : paint(QStringLiteral("self-check FAILED: "), "1;31"))
            + plan.selfCheck.message + QLatin1Char('\n');
    else if (!plan.analyzed)
        out += QStringLiteral("estimates only (EXPLAIN without ANALYZE)\n");
    if (const QString pruning = partitionScansText(plan, options.partitions); !pruning.isEmpty())
        out += pruning + QLatin1Char('\n');
    out += QLatin1Char('\n');
    if (plan.timed)
        out += paint(QStringLiteral("  exclusive      %      inclusive  node"), "2") + QLatin1Char('\n');

    if (plan.isEmpty())
        return out;
    // Iterative pre-order walk with the tree prefix of each depth.
    struct Item {
        int node;
        QString prefix; // for the node line
        QString childPrefix; // for its details and children
    };
    std::vector<Item> stack;
    stack.push_back({ 0, QString(), QString() });
    while (!stack.empty()) {
        const Item item = stack.back();
        stack.pop_back();
        const PlanNode &n = plan.node(item.node);
        const NodeMetrics &m = n.metrics;
        QString line;
        if (plan.timed) {
            const QString excl = n.neverExecuted ? QStringLiteral("-") : formatMs(m.exclusiveMs);
            const QString pct = n.neverExecuted ? QString() : formatPercent(m.exclusivePercent);
            const QString incl = n.neverExecuted ? QStringLiteral("-") : formatMs(m.inclusiveMs);
            line = paint(excl.rightJustified(11) + pct.rightJustified(7), qPrintable(heatCode(m.exclusivePercent)))
                + incl.rightJustified(15) + QStringLiteral("  ");
        }
        const QString gutter = plan.timed ? QString(35, QLatin1Char(' ')) : QString();
        QString title = n.label();
        if (!n.subplanName.isEmpty())
            title = paint(n.subplanName + QStringLiteral(": "), "36") + title;
        line += item.prefix + (n.neverExecuted ? paint(title, "2") : paint(title, "1"));
        const QString rows = rowsText(n);
        if (!rows.isEmpty())
            line += QStringLiteral("  ")
                + paint(QLatin1Char('[') + rows + QLatin1Char(']'), n.metrics.estimateFactor > 10 ? "33" : "0");
        out += line + QLatin1Char('\n');

        QStringList details;
        if (n.buffers.present) {
            const QString b = buffersText(m.exclusiveBuffers);
            if (!b.isEmpty())
                details << QStringLiteral("buffers: ") + b;
        }
        if (n.io.present && n.io.totalMs() > 0)
            details << QStringLiteral("I/O: %1 (%2 of total)")
                           .arg(formatMs(m.exclusiveIo.totalMs()), formatPercent(m.exclusiveIoPercent));
        if (m.rowsRemovedTotal > 0)
            details << QStringLiteral("rows removed: %1 (%2)")
                           .arg(formatCount(m.rowsRemovedTotal), formatPercent(m.rowsRemovedShare * 100));
        if (m.processes > 1)
            details << QStringLiteral("parallel: %1 processes (times are wall clock)").arg(m.processes);
        if (m.concurrent)
            details << QStringLiteral("concurrent: ran beside the slowest process, not on the critical path");
        appendConditions(details, n);
        if (options.showFields)
            for (const QString &k : n.unknownKeys)
                details << k + QStringLiteral(": ") + n.field(k).toVariant().toString();
        for (const QString &d : std::as_const(details))
            out += gutter + item.childPrefix + QStringLiteral("   ") + paint(d, "2") + QLatin1Char('\n');
        for (const PlanHint &h : m.hints)
            out += gutter + item.childPrefix + QStringLiteral("   ")
                + paint(QStringLiteral("! ") + h.text,
                    h.severity == HintSeverity::Critical      ? "1;31"
                        : h.severity == HintSeverity::Warning ? "33"
                                                              : "36")
                + QLatin1Char('\n');

        for (qsizetype k = n.children.size() - 1; k >= 0; --k) {
            const bool last = k == n.children.size() - 1;
            stack.push_back(
                { n.children.at(k), item.childPrefix + (last ? QStringLiteral(" └─ ") : QStringLiteral(" ├─ ")),
                    item.childPrefix + (last ? QStringLiteral("    ") : QStringLiteral(" │  ")) });
        }
    }
    if (!plan.warnings.isEmpty()) {
        out += QLatin1Char('\n');
        for (const QString &w : plan.warnings)
            out += paint(QStringLiteral("warning: "), "33") + w + QLatin1Char('\n');
    }
    return out;
}

QString formatDiffText(const PlanDiff &diff, const Plan &a, const Plan &b, const PlanTextOptions &options)
{
    Paint paint { options.color };
    QString out = paint(diff.summary, "1") + QStringLiteral("\n");
    out += QStringLiteral("%1 same, %2 changed, %3 added, %4 removed\n\n")
               .arg(diff.same)
               .arg(diff.changed)
               .arg(diff.added)
               .arg(diff.removed);
    for (const PlanDiffEntry &e : diff.entries) {
        const PlanNode *na = e.nodeA >= 0 ? &a.node(e.nodeA) : nullptr;
        const PlanNode *nb = e.nodeB >= 0 ? &b.node(e.nodeB) : nullptr;
        const PlanNode *shown = nb ? nb : na;
        QString mark;
        const char *colour = "0";
        switch (e.status) {
        case DiffStatus::Same:
            mark = QStringLiteral("  ");
            break;
        case DiffStatus::Changed:
            mark = QStringLiteral("~ ");
            colour = "33";
            break;
        case DiffStatus::Added:
            mark = QStringLiteral("+ ");
            colour = "32";
            break;
        case DiffStatus::Removed:
            mark = QStringLiteral("- ");
            colour = "31";
            break;
        }
        QString line = mark + QString(shown->depth * 2, QLatin1Char(' ')) + shown->label();
        if (e.status == DiffStatus::Changed && na && nb)
            line = mark + QString(shown->depth * 2, QLatin1Char(' ')) + na->label() + QStringLiteral(" -> ")
                + nb->label();
        QStringList numbers;
        if ((a.timed || b.timed) && (std::abs(e.exclusiveMsDelta) >= 0.0005))
            numbers << QStringLiteral("time %1").arg(formatMsDelta(e.exclusiveMsDelta));
        if (e.rowsDelta != 0)
            numbers << QStringLiteral("rows %1%2")
                           .arg(e.rowsDelta > 0 ? QStringLiteral("+") : QString(), formatCount(e.rowsDelta));
        if (e.buffersDelta != 0)
            numbers << QStringLiteral("buffers %1%2")
                           .arg(e.buffersDelta > 0 ? QStringLiteral("+") : QString(),
                               formatCount(double(e.buffersDelta)));
        if (!numbers.isEmpty())
            line += QStringLiteral("  [") + numbers.join(QStringLiteral(", ")) + QLatin1Char(']');
        out += paint(line, colour) + QLatin1Char('\n');
        for (const QString &c : e.changes)
            out += QString(shown->depth * 2 + 6, QLatin1Char(' ')) + paint(c, "2") + QLatin1Char('\n');
    }
    return out;
}

} // namespace plansight
