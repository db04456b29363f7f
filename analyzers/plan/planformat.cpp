#include "plan/planformat.h"

#include "plan/jsontape_p.h"
#include "plan/jsonwriter_p.h"

#include <QJsonDocument>
#include <QLocale>

#include <cmath>

namespace plansight {

using planinternal::JsonWriter;

namespace {

double round3(double v)
{
    return std::abs(v) < 1e15 ? std::round(v * 1000.0) / 1000.0 : v;
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

// The writer of `explain --json` (planformat.h). Keys are written in QJsonObject's order (sorted), values as
// QJsonValue would hold them: an absent figure (negative, not finite, or an empty text) as null.
class PlanJsonWriter {
public:
    explicit PlanJsonWriter(JsonWriter &w) : w(w) { }

    void plan(const Plan &plan)
    {
        const PlanSelfCheck &sc = plan.selfCheck;
        w.beginObject();
        w.key(QLatin1String("analyzed"));
        w.boolean(plan.analyzed);
        w.key(QLatin1String("execution_ms"));
        orNull(plan.executionMs);
        w.key(QLatin1String("format"));
        w.string(plan.format == PlanFormat::Json ? QLatin1String("json") : QLatin1String("text"));
        w.key(QLatin1String("jit"));
        if (plan.jit.present) {
            const PlanJit &j = plan.jit;
            w.beginObject();
            w.key(QLatin1String("deform_ms"));
            w.number(j.deformMs);
            w.key(QLatin1String("emission_ms"));
            w.number(j.emissionMs);
            w.key(QLatin1String("functions"));
            w.integer(j.functions);
            w.key(QLatin1String("generation_ms"));
            w.number(j.generationMs);
            w.key(QLatin1String("inlining_ms"));
            w.number(j.inliningMs);
            w.key(QLatin1String("optimization_ms"));
            w.number(j.optimizationMs);
            w.key(QLatin1String("options"));
            w.value(j.options);
            w.key(QLatin1String("total_ms"));
            w.number(j.totalMs);
            w.endObject();
        } else {
            w.null();
        }
        w.key(QLatin1String("node_count"));
        w.integer(plan.size());
        w.key(QLatin1String("plan"));
        if (plan.isEmpty())
            w.null();
        else
            node(plan, plan.root());
        w.key(QLatin1String("planning_buffers"));
        buffersOrNull(plan.planningBuffers.present, plan.planningBuffers);
        w.key(QLatin1String("planning_ms"));
        orNull(plan.planningMs);
        w.key(QLatin1String("query_text"));
        orNull(plan.queryText);
        w.key(QLatin1String("self_check"));
        w.beginObject();
        w.key(QLatin1String("applicable"));
        w.boolean(sc.applicable);
        w.key(QLatin1String("concurrent_nodes"));
        w.integer(sc.concurrentNodes);
        w.key(QLatin1String("execution_ms"));
        w.number(round3(sc.executionMs));
        w.key(QLatin1String("gap_ms"));
        w.number(round3(sc.gapMs));
        w.key(QLatin1String("jit_ms"));
        w.number(round3(sc.jitMs));
        w.key(QLatin1String("message"));
        w.string(sc.message);
        w.key(QLatin1String("nodes_ms"));
        w.number(round3(sc.nodesMs));
        w.key(QLatin1String("ok"));
        w.boolean(sc.ok);
        w.key(QLatin1String("tolerance_ms"));
        w.number(round3(sc.toleranceMs));
        w.key(QLatin1String("triggers_ms"));
        w.number(round3(sc.triggersMs));
        w.endObject();
        w.key(QLatin1String("settings"));
        w.value(plan.settings);
        w.key(QLatin1String("timed"));
        w.boolean(plan.timed);
        w.key(QLatin1String("top_fields"));
        w.value(plan.topFields);
        w.key(QLatin1String("total_ms"));
        w.number(round3(plan.totalMs()));
        w.key(QLatin1String("triggers"));
        w.beginArray();
        for (const PlanTrigger &t : plan.triggers) {
            w.beginObject();
            w.key(QLatin1String("calls"));
            orNull(t.calls);
            w.key(QLatin1String("name"));
            w.string(t.name.isEmpty() ? t.constraintName : t.name);
            w.key(QLatin1String("relation"));
            orNull(t.relation);
            w.key(QLatin1String("time_ms"));
            orNull(t.timeMs);
            w.endObject();
        }
        w.endArray();
        w.key(QLatin1String("unknown_top_keys"));
        w.strings(plan.unknownTopKeys);
        w.key(QLatin1String("warnings"));
        w.strings(plan.warnings);
        w.endObject();
    }

private:
    void orNull(double v)
    {
        if (v >= 0 && std::isfinite(v))
            w.number(v);
        else
            w.null();
    }
    void orNull(const QString &s)
    {
        if (s.isEmpty())
            w.null();
        else
            w.string(s);
    }
    void numberIf(bool present, double v)
    {
        if (present)
            w.number(v);
        else
            w.null();
    }
    void buffersOrNull(bool present, const PlanBuffers &b)
    {
        if (!present) {
            w.null();
            return;
        }
        w.beginObject();
        w.key(QLatin1String("local_dirtied"));
        w.integer(b.localDirtied);
        w.key(QLatin1String("local_hit"));
        w.integer(b.localHit);
        w.key(QLatin1String("local_read"));
        w.integer(b.localRead);
        w.key(QLatin1String("local_written"));
        w.integer(b.localWritten);
        w.key(QLatin1String("shared_dirtied"));
        w.integer(b.sharedDirtied);
        w.key(QLatin1String("shared_hit"));
        w.integer(b.sharedHit);
        w.key(QLatin1String("shared_read"));
        w.integer(b.sharedRead);
        w.key(QLatin1String("shared_written"));
        w.integer(b.sharedWritten);
        w.key(QLatin1String("temp_read"));
        w.integer(b.tempRead);
        w.key(QLatin1String("temp_written"));
        w.integer(b.tempWritten);
        w.endObject();
    }
    void node(const Plan &plan, const PlanNode &n)
    {
        const NodeMetrics &m = n.metrics;
        const bool timed = n.hasTiming || n.neverExecuted;
        w.beginObject();
        w.key(QLatin1String("actual_rows"));
        numberIf(n.hasActuals, n.actualRows);
        w.key(QLatin1String("alias"));
        orNull(n.alias);
        w.key(QLatin1String("buffers"));
        buffersOrNull(n.buffers.present, m.exclusiveBuffers);
        w.key(QLatin1String("buffers_inclusive"));
        buffersOrNull(n.buffers.present, n.buffers);
        w.key(QLatin1String("children"));
        w.beginArray();
        for (int c : n.children)
            node(plan, plan.node(c));
        w.endArray();
        w.key(QLatin1String("clamped"));
        w.boolean(m.clamped);
        w.key(QLatin1String("concurrent"));
        w.boolean(m.concurrent);
        w.key(QLatin1String("cte"));
        orNull(n.cteName);
        w.key(QLatin1String("display_type"));
        w.string(n.displayType());
        w.key(QLatin1String("estimate_direction"));
        orNull(directionName(m.direction));
        w.key(QLatin1String("estimate_factor"));
        numberIf(m.estimateFactor > 0, round3(m.estimateFactor));
        w.key(QLatin1String("exclusive_ms"));
        numberIf(timed, round3(m.exclusiveMs));
        w.key(QLatin1String("exclusive_percent"));
        numberIf(timed, round3(m.exclusivePercent));
        w.key(
            QLatin1String("fields")); // every key of the node as PostgreSQL wrote it, except "Plans" (PlanNode::fields)
        if (const auto [tape, object] = planinternal::PlanSource::locate(n.source.get(), n.sourceObject);
            tape && tape->isObject(object)) {
            w.tapeValue(*tape, object, "Plans");
        } else {
            w.beginObject();
            w.endObject();
        }
        w.key(QLatin1String("function"));
        orNull(n.functionName);
        w.key(QLatin1String("hints"));
        w.beginArray();
        for (const PlanHint &h : m.hints) {
            w.beginObject();
            w.key(QLatin1String("kind"));
            w.string(toString(h.kind));
            w.key(QLatin1String("severity"));
            w.string(severityName(h.severity));
            w.key(QLatin1String("text"));
            w.string(h.text);
            w.endObject();
        }
        w.endArray();
        w.key(QLatin1String("id"));
        w.integer(n.id);
        w.key(QLatin1String("inclusive_ms"));
        numberIf(timed, round3(m.inclusiveMs));
        w.key(QLatin1String("inclusive_percent"));
        numberIf(timed, round3(m.inclusivePercent));
        w.key(QLatin1String("index"));
        orNull(n.indexName);
        w.key(QLatin1String("io_ms"));
        numberIf(n.io.present, round3(m.exclusiveIo.totalMs()));
        w.key(QLatin1String("label"));
        w.string(n.label());
        w.key(QLatin1String("loops"));
        numberIf(n.hasActuals, n.actualLoops);
        w.key(QLatin1String("never_executed"));
        w.boolean(n.neverExecuted);
        w.key(QLatin1String("node_type"));
        w.string(n.nodeType);
        w.key(QLatin1String("parent_relationship"));
        orNull(n.parentRelationship);
        w.key(QLatin1String("plan_rows"));
        orNull(n.planRows);
        w.key(QLatin1String("processes"));
        w.integer(m.processes);
        w.key(QLatin1String("relation"));
        orNull(n.relationName);
        w.key(QLatin1String("rows_removed"));
        numberIf(n.hasActuals, m.rowsRemovedTotal);
        w.key(QLatin1String("rows_total"));
        numberIf(n.hasActuals, m.rowsTotal);
        w.key(QLatin1String("schema"));
        orNull(n.schema);
        w.key(QLatin1String("startup_cost"));
        orNull(n.startupCost);
        w.key(QLatin1String("stopped_by_limit"));
        w.boolean(m.stoppedByLimit);
        w.key(QLatin1String("subplan_name"));
        orNull(n.subplanName);
        w.key(QLatin1String("total_cost"));
        orNull(n.totalCost);
        w.key(QLatin1String("unknown_keys"));
        w.strings(n.unknownKeys);
        w.endObject();
    }

    JsonWriter &w;
};

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

QByteArray planJsonText(const Plan &plan)
{
    // About 9 kB of indented text a node (with every field of an EXPLAIN (ANALYZE, VERBOSE, BUFFERS) node).
    JsonWriter w(JsonWriter::Format::Indented, 4096 + qsizetype(plan.size()) * 8192);
    PlanJsonWriter(w).plan(plan);
    return w.take();
}

void writePlanJson(const Plan &plan, const std::function<void(const char *data, qsizetype size)> &sink)
{
    JsonWriter w(JsonWriter::Format::Indented, sink);
    PlanJsonWriter(w).plan(plan);
    w.finish();
}

QJsonObject toJson(const Plan &plan)
{
    return QJsonDocument::fromJson(planJsonText(plan)).object();
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
