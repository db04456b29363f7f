#include "plan/planfields_p.h"
#include "plan/planmetrics.h"

#include <QJsonValue>
#include <QSet>

#include <cmath>

namespace plansight::planinternal {

namespace {

// Actual figures beyond this are not something PostgreSQL can have produced (a quadrillion rows or 30,000
// years): the input is corrupt.
constexpr double absurdActual = 1e15;
// Estimates can be astronomically large (cartesian products, disable_cost), but not infinite.
constexpr double absurdEstimate = 1e300;

const QSet<QString> &knownNodeKeys()
{
    static const QSet<QString> keys = [] {
        QSet<QString> s;
        for (const char *k : { "Node Type", "Parent Relationship", "Subplan Name", "Custom Plan Provider",
                 "Parallel Aware", "Async Capable", "Join Type", "Strategy", "Partial Mode", "Operation", "Command",
                 "Scan Direction", "Index Name", "Relation Name", "Schema", "Alias", "Function Name",
                 "Table Function Name", "CTE Name", "Tuplestore Name", "Startup Cost", "Total Cost", "Plan Rows",
                 "Plan Width", "Actual Startup Time", "Actual Total Time", "Actual Rows", "Actual Loops", "Output",
                 "Inner Unique", "Merge Cond", "Hash Cond", "Join Filter", "Rows Removed by Join Filter", "Filter",
                 "Rows Removed by Filter", "Index Cond", "Recheck Cond", "Rows Removed by Index Recheck", "Order By",
                 "TID Cond", "One-Time Filter", "Heap Fetches", "Exact Heap Blocks", "Lossy Heap Blocks",
                 "Sort Key", "Presorted Key", "Sort Method", "Sort Space Used", "Sort Space Type", "Group Key",
                 "Grouping Sets", "Hash Buckets", "Original Hash Buckets", "Hash Batches", "Original Hash Batches",
                 "Peak Memory Usage", "Disk Usage", "HashAgg Batches", "Planned Partitions", "Cache Key",
                 "Cache Mode", "Cache Hits", "Cache Misses", "Cache Evictions", "Cache Overflows",
                 "Workers Planned", "Workers Launched", "Single Copy", "Workers", "Shared Hit Blocks",
                 "Shared Read Blocks", "Shared Dirtied Blocks", "Shared Written Blocks", "Local Hit Blocks",
                 "Local Read Blocks", "Local Dirtied Blocks", "Local Written Blocks", "Temp Read Blocks",
                 "Temp Written Blocks", "I/O Read Time", "I/O Write Time", "Temp I/O Read Time",
                 "Temp I/O Write Time", "Shared I/O Read Time", "Shared I/O Write Time", "Local I/O Read Time",
                 "Local I/O Write Time", "WAL Records", "WAL FPI", "WAL Bytes", "WAL Buffers Full", "Plans",
                 "Subplans Removed", "Sampling Method", "Sampling Parameters", "Repeatable Seed", "Function Call",
                 "Table Function Call", "Relations", "Remote SQL", "Conflict Resolution", "Conflict Arbiter Indexes",
                 "Conflict Filter", "Rows Removed by Conflict Filter", "Tuples Inserted", "Conflicting Tuples",
                 "Target Tables", "Full-sort Groups", "Pre-sorted Groups", "Storage", "Maximum Storage",
                 "Run Condition", "Index Searches", "Disabled", "Window", "Hash Key", "Partitions Removed" })
            s.insert(QString::fromLatin1(k));
        return s;
    }();
    return keys;
}

const QSet<QString> &knownTopKeys()
{
    static const QSet<QString> keys = [] {
        QSet<QString> s;
        for (const char *k : { "Plan", "Planning Time", "Execution Time", "Total Runtime", "Planning", "Triggers",
                 "JIT", "Settings", "Query Text", "Query Identifier", "Serialization" })
            s.insert(QString::fromLatin1(k));
        return s;
    }();
    return keys;
}

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

// Reads typed values out of one JSON record, remembering the first error.
class Reader {
public:
    Reader(const QJsonObject &o, QString where) : m_o(o), m_where(std::move(where)) { }

    bool failed() const { return m_error.has_value(); }
    Error error() const { return *m_error; }

    QString str(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return {};
        if (v.isString())
            return v.toString();
        if (v.isDouble()) // numbers where PostgreSQL writes text (e.g. a "Query Identifier" from a tool)
            return QString::number(v.toDouble(), 'g', 17);
        fail(key, QStringLiteral("text"), v);
        return {};
    }
    // Non-negative finite number, or `missing` when absent.
    double num(const char *key, double missing = -1, double limit = absurdActual)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return missing;
        double d = 0;
        if (v.isDouble()) {
            d = v.toDouble();
        } else if (v.isString()) {
            bool ok = false;
            d = v.toString().trimmed().toDouble(&ok);
            if (!ok) {
                fail(key, QStringLiteral("a number"), v);
                return missing;
            }
        } else {
            fail(key, QStringLiteral("a number"), v);
            return missing;
        }
        if (!std::isfinite(d) || d < 0 || d > limit) {
            if (!m_error)
                m_error = inputError(QStringLiteral("%1: \"%2\" has an impossible value (%3).")
                                         .arg(m_where, QLatin1String(key), QString::number(d, 'g', 6)));
            return missing;
        }
        return d;
    }
    qint64 count(const char *key, qint64 missing = -1)
    {
        const double d = num(key, -1);
        return d < 0 ? missing : qint64(std::llround(d));
    }
    bool flag(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return false;
        if (v.isBool())
            return v.toBool();
        if (v.isString())
            return v.toString().compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
        fail(key, QStringLiteral("true or false"), v);
        return false;
    }
    QStringList list(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return {};
        if (v.isString())
            return { v.toString() };
        if (!v.isArray()) {
            fail(key, QStringLiteral("a list"), v);
            return {};
        }
        QStringList out;
        const QJsonArray a = v.toArray();
        out.reserve(a.size());
        for (const QJsonValue &e : a) {
            if (e.isString())
                out.append(e.toString());
            else if (e.isDouble())
                out.append(QString::number(e.toDouble(), 'g', 17));
            else {
                fail(key, QStringLiteral("a list of text"), v);
                return {};
            }
        }
        return out;
    }
    PlanBuffers buffers()
    {
        PlanBuffers b;
        static const char *const keys[] = { "Shared Hit Blocks", "Shared Read Blocks", "Shared Dirtied Blocks",
            "Shared Written Blocks", "Local Hit Blocks", "Local Read Blocks", "Local Dirtied Blocks",
            "Local Written Blocks", "Temp Read Blocks", "Temp Written Blocks" };
        qint64 *targets[] = { &b.sharedHit, &b.sharedRead, &b.sharedDirtied, &b.sharedWritten, &b.localHit,
            &b.localRead, &b.localDirtied, &b.localWritten, &b.tempRead, &b.tempWritten };
        for (int i = 0; i < 10; ++i) {
            const qint64 v = count(keys[i]);
            if (v >= 0) {
                *targets[i] = v;
                b.present = true;
            }
        }
        return b;
    }
    PlanIoTimings io()
    {
        PlanIoTimings t;
        auto take = [&](const char *key, double &target) {
            const double v = num(key);
            if (v >= 0) {
                target += v;
                t.present = true;
            }
        };
        take("I/O Read Time", t.sharedReadMs); // PG 13-16: shared and local together
        take("I/O Write Time", t.sharedWriteMs);
        take("Shared I/O Read Time", t.sharedReadMs); // PG 17+
        take("Shared I/O Write Time", t.sharedWriteMs);
        take("Local I/O Read Time", t.localReadMs);
        take("Local I/O Write Time", t.localWriteMs);
        take("Temp I/O Read Time", t.tempReadMs); // PG 15+
        take("Temp I/O Write Time", t.tempWriteMs);
        return t;
    }

    void fail(const char *key, const QString &expected, const QJsonValue &v)
    {
        if (!m_error)
            m_error = inputError(QStringLiteral("%1: \"%2\" should be %3, not %4.")
                                     .arg(m_where, QLatin1String(key), expected, typeName(v)));
    }

private:
    const QJsonObject &m_o;
    QString m_where;
    std::optional<Error> m_error;
};

} // namespace

Error inputError(const QString &message)
{
    return Error::make(errc::Input, message);
}

Status fillNode(PlanNode &n)
{
    const QJsonObject &f = n.fields;
    const QJsonValue typeValue = f.value(QLatin1String("Node Type"));
    if (!typeValue.isString() || typeValue.toString().trimmed().isEmpty())
        return inputError(QStringLiteral("Plan node %1 has no \"Node Type\"; this is not EXPLAIN output.").arg(n.id + 1));
    n.nodeType = typeValue.toString();
    Reader r(f, QStringLiteral("Plan node %1 (%2)").arg(n.id + 1).arg(n.nodeType));

    n.parentRelationship = r.str("Parent Relationship");
    n.subplanName = r.str("Subplan Name");
    n.customPlanProvider = r.str("Custom Plan Provider");
    n.parallelAware = r.flag("Parallel Aware");
    n.asyncCapable = r.flag("Async Capable");
    n.joinType = r.str("Join Type");
    n.strategy = r.str("Strategy");
    n.partialMode = r.str("Partial Mode");
    n.operation = r.str("Operation");
    n.command = r.str("Command");
    n.scanDirection = r.str("Scan Direction");
    n.indexName = r.str("Index Name");
    n.relationName = r.str("Relation Name");
    n.schema = r.str("Schema");
    n.alias = r.str("Alias");
    n.functionName = r.str("Function Name");
    if (n.functionName.isEmpty())
        n.functionName = r.str("Table Function Name");
    n.cteName = r.str("CTE Name");
    n.tuplestoreName = r.str("Tuplestore Name");

    n.startupCost = r.num("Startup Cost", -1, absurdEstimate);
    n.totalCost = r.num("Total Cost", -1, absurdEstimate);
    n.planRows = r.num("Plan Rows", -1, absurdEstimate);
    n.planWidth = int(r.num("Plan Width", -1, 1e9));

    n.actualStartupMs = r.num("Actual Startup Time");
    n.actualTotalMs = r.num("Actual Total Time");
    n.actualRows = r.num("Actual Rows");
    n.actualLoops = r.num("Actual Loops");
    n.hasActuals = n.actualLoops >= 0;
    n.hasTiming = n.actualTotalMs >= 0;
    n.neverExecuted = n.hasActuals && n.actualLoops == 0;
    if (n.neverExecuted) {
        // PostgreSQL writes zeros for a never-executed node; keep them out of every ratio.
        n.actualRows = 0;
        n.actualStartupMs = n.hasTiming ? 0 : -1;
        n.actualTotalMs = n.hasTiming ? 0 : -1;
    }
    if (n.actualStartupMs > n.actualTotalMs && n.actualTotalMs >= 0)
        n.actualStartupMs = n.actualTotalMs;

    n.filter = r.str("Filter");
    n.joinFilter = r.str("Join Filter");
    n.indexCond = r.str("Index Cond");
    n.recheckCond = r.str("Recheck Cond");
    n.hashCond = r.str("Hash Cond");
    n.mergeCond = r.str("Merge Cond");
    n.oneTimeFilter = r.str("One-Time Filter");
    n.tidCond = r.str("TID Cond");
    n.rowsRemovedByFilter = r.num("Rows Removed by Filter");
    n.rowsRemovedByJoinFilter = r.num("Rows Removed by Join Filter");
    n.rowsRemovedByIndexRecheck = r.num("Rows Removed by Index Recheck");
    n.heapFetches = r.num("Heap Fetches");
    n.exactHeapBlocks = r.count("Exact Heap Blocks");
    n.lossyHeapBlocks = r.count("Lossy Heap Blocks");

    n.sortKey = r.list("Sort Key");
    n.presortedKey = r.list("Presorted Key");
    n.groupKey = r.list("Group Key");
    n.sortMethod = r.str("Sort Method");
    n.sortSpaceType = r.str("Sort Space Type");
    n.sortSpaceUsedKb = r.count("Sort Space Used");

    n.hashBuckets = r.count("Hash Buckets");
    n.originalHashBuckets = r.count("Original Hash Buckets");
    n.hashBatches = r.count("Hash Batches");
    n.originalHashBatches = r.count("Original Hash Batches");
    n.peakMemoryUsageKb = r.count("Peak Memory Usage");
    n.diskUsageKb = r.count("Disk Usage");
    n.hashAggBatches = r.count("HashAgg Batches");

    n.cacheKey = r.str("Cache Key");
    n.cacheMode = r.str("Cache Mode");
    n.cacheHits = r.count("Cache Hits");
    n.cacheMisses = r.count("Cache Misses");
    n.cacheEvictions = r.count("Cache Evictions");
    n.cacheOverflows = r.count("Cache Overflows");

    n.workersPlanned = int(r.num("Workers Planned", -1, 1e6));
    n.workersLaunched = int(r.num("Workers Launched", -1, 1e6));
    n.singleCopy = r.flag("Single Copy");

    n.buffers = r.buffers();
    n.io = r.io();
    n.wal.records = r.count("WAL Records", 0);
    n.wal.fullPageImages = r.count("WAL FPI", 0);
    n.wal.bytes = r.count("WAL Bytes", 0);
    n.wal.buffersFull = r.count("WAL Buffers Full", 0);
    n.wal.present = f.contains(QLatin1String("WAL Records")) || f.contains(QLatin1String("WAL Bytes"));
    n.output = r.list("Output");
    if (r.failed())
        return r.error();

    n.workers.clear();
    const QJsonValue workers = f.value(QLatin1String("Workers"));
    if (!workers.isUndefined() && !workers.isNull()) {
        if (!workers.isArray())
            return inputError(QStringLiteral("Plan node %1 (%2): \"Workers\" should be a list, not %3.")
                                  .arg(n.id + 1)
                                  .arg(n.nodeType, typeName(workers)));
        for (const QJsonValue &wv : workers.toArray()) {
            if (!wv.isObject())
                return inputError(QStringLiteral("Plan node %1 (%2): a \"Workers\" entry should be an object, not %3.")
                                      .arg(n.id + 1)
                                      .arg(n.nodeType, typeName(wv)));
            PlanWorker w;
            w.fields = wv.toObject();
            Reader wr(w.fields, QStringLiteral("Plan node %1 (%2), worker").arg(n.id + 1).arg(n.nodeType));
            w.number = int(wr.num("Worker Number", -1, 1e6));
            w.actualStartupMs = wr.num("Actual Startup Time");
            w.actualTotalMs = wr.num("Actual Total Time");
            w.actualRows = wr.num("Actual Rows");
            w.actualLoops = wr.num("Actual Loops");
            w.buffers = wr.buffers();
            if (wr.failed())
                return wr.error();
            n.workers.append(w);
        }
    }

    n.unknownKeys.clear();
    const QSet<QString> &known = knownNodeKeys();
    for (auto it = f.begin(); it != f.end(); ++it)
        if (!known.contains(it.key()))
            n.unknownKeys.append(it.key());
    return {};
}

Status fillTop(Plan &plan, const QJsonObject &top)
{
    Reader r(top, QStringLiteral("The plan's top level"));
    plan.planningMs = r.num("Planning Time");
    plan.executionMs = r.num("Execution Time");
    if (plan.executionMs < 0)
        plan.executionMs = r.num("Total Runtime"); // PostgreSQL 9.3 and older
    plan.queryText = r.str("Query Text");
    plan.queryIdentifier = r.str("Query Identifier");
    if (r.failed())
        return r.error();

    const QJsonValue planning = top.value(QLatin1String("Planning"));
    if (planning.isObject()) {
        const QJsonObject po = planning.toObject();
        Reader pr(po, QStringLiteral("The plan's \"Planning\" entry"));
        plan.planningBuffers = pr.buffers();
        plan.planningMemoryUsedKb = pr.num("Memory Used");
        plan.planningMemoryAllocatedKb = pr.num("Memory Allocated");
        if (pr.failed())
            return pr.error();
    } else if (!planning.isUndefined() && !planning.isNull()) {
        return inputError(QStringLiteral("The plan's \"Planning\" entry should be an object, not %1.").arg(typeName(planning)));
    }

    const QJsonValue triggers = top.value(QLatin1String("Triggers"));
    if (triggers.isArray()) {
        for (const QJsonValue &tv : triggers.toArray()) {
            if (!tv.isObject())
                return inputError(QStringLiteral("A \"Triggers\" entry should be an object, not %1.").arg(typeName(tv)));
            const QJsonObject to = tv.toObject();
            Reader tr(to, QStringLiteral("A trigger"));
            PlanTrigger t;
            t.name = tr.str("Trigger Name");
            t.constraintName = tr.str("Constraint Name");
            t.relation = tr.str("Relation");
            t.timeMs = tr.num("Time");
            t.calls = tr.num("Calls");
            if (tr.failed())
                return tr.error();
            plan.triggers.append(t);
        }
    } else if (!triggers.isUndefined() && !triggers.isNull()) {
        return inputError(QStringLiteral("The plan's \"Triggers\" entry should be a list, not %1.").arg(typeName(triggers)));
    }

    const QJsonValue jit = top.value(QLatin1String("JIT"));
    if (jit.isObject()) {
        PlanJit &j = plan.jit;
        j.present = true;
        j.fields = jit.toObject();
        Reader jr(j.fields, QStringLiteral("The plan's JIT entry"));
        j.functions = int(jr.num("Functions", -1, 1e9));
        j.options = j.fields.value(QLatin1String("Options")).toObject();
        const QJsonValue timing = j.fields.value(QLatin1String("Timing"));
        if (timing.isObject()) {
            const QJsonObject to = timing.toObject();
            Reader tr(to, QStringLiteral("The plan's JIT timing"));
            const QJsonValue gen = to.value(QLatin1String("Generation"));
            if (gen.isObject()) { // PostgreSQL 17: {"Deform": n, "Total": n}
                const QJsonObject go = gen.toObject();
                Reader gr(go, QStringLiteral("The plan's JIT generation timing"));
                j.deformMs = std::max(0.0, gr.num("Deform"));
                j.generationMs = std::max(0.0, gr.num("Total"));
                if (gr.failed())
                    return gr.error();
            } else {
                j.generationMs = std::max(0.0, tr.num("Generation"));
            }
            j.inliningMs = std::max(0.0, tr.num("Inlining"));
            j.optimizationMs = std::max(0.0, tr.num("Optimization"));
            j.emissionMs = std::max(0.0, tr.num("Emission"));
            j.totalMs = tr.num("Total");
            if (tr.failed())
                return tr.error();
            if (j.totalMs < 0)
                j.totalMs = j.generationMs + j.inliningMs + j.optimizationMs + j.emissionMs;
        } else {
            j.totalMs = 0;
        }
        if (jr.failed())
            return jr.error();
    } else if (!jit.isUndefined() && !jit.isNull()) {
        return inputError(QStringLiteral("The plan's \"JIT\" entry should be an object, not %1.").arg(typeName(jit)));
    }

    const QJsonValue settings = top.value(QLatin1String("Settings"));
    if (settings.isObject())
        plan.settings = settings.toObject();
    else if (!settings.isUndefined() && !settings.isNull())
        return inputError(QStringLiteral("The plan's \"Settings\" entry should be an object, not %1.").arg(typeName(settings)));

    plan.topFields = top;
    plan.topFields.remove(QLatin1String("Plan"));
    plan.unknownTopKeys.clear();
    for (auto it = plan.topFields.begin(); it != plan.topFields.end(); ++it)
        if (!knownTopKeys().contains(it.key()))
            plan.unknownTopKeys.append(it.key());
    return {};
}

void finishPlan(Plan &plan)
{
    plan.analyzed = false;
    plan.timed = false;
    for (const PlanNode &n : plan.nodes) {
        plan.analyzed = plan.analyzed || n.hasActuals;
        plan.timed = plan.timed || n.hasTiming;
    }
    deriveMetrics(plan);
}

QStringList splitTopLevel(const QString &text, QChar separator)
{
    QStringList parts;
    int depth = 0;
    QChar quote;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"'))
            quote = c;
        else if (c == QLatin1Char('(') || c == QLatin1Char('[') || c == QLatin1Char('{'))
            ++depth;
        else if ((c == QLatin1Char(')') || c == QLatin1Char(']') || c == QLatin1Char('}')) && depth > 0)
            --depth;
        else if (c == separator && depth == 0) {
            parts.append(text.mid(start, i - start).trimmed());
            start = i + 1;
        }
    }
    const QString last = text.mid(start).trimmed();
    if (!last.isEmpty() || !parts.isEmpty())
        parts.append(last);
    return parts;
}

} // namespace plansight::planinternal
