#include "plan/jsonwriter_p.h"
#include "plan/planfields_p.h"
#include "plan/planmetrics.h"

#include <QJsonValue>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>
#include <string_view>

namespace plansight::planinternal {

namespace {

// Actual figures beyond this are not something PostgreSQL can have produced (a quadrillion rows or 30,000
// years): the input is corrupt.
constexpr double absurdActual = 1e15;
// Estimates can be astronomically large (cartesian products, disable_cost), but not infinite.
constexpr double absurdEstimate = 1e300;

// Every key PlanSight knows, once: its id, PostgreSQL's name, and where it is known (a node's key or a
// top-level key; other records are read but not checked for unknown keys). Keys of a node that PlanSight
// shows but does not interpret ("Inner Unique", "Order By", ...) are here too, so they are not "unknown".
enum Known : quint8 { Elsewhere = 0, InNode = 1, AtTop = 2 };
// The keys as a table, left as written (the formatter would pack and split them).
// clang-format off
#define PLANSIGHT_KEYS(X) \
    X(NodeType, "Node Type", InNode) X(ParentRelationship, "Parent Relationship", InNode) \
    X(SubplanName, "Subplan Name", InNode) X(CustomPlanProvider, "Custom Plan Provider", InNode) \
    X(ParallelAware, "Parallel Aware", InNode) X(AsyncCapable, "Async Capable", InNode) \
    X(JoinType, "Join Type", InNode) X(Strategy, "Strategy", InNode) X(PartialMode, "Partial Mode", InNode) \
    X(Operation, "Operation", InNode) X(Command, "Command", InNode) X(ScanDirection, "Scan Direction", InNode) \
    X(IndexName, "Index Name", InNode) X(RelationName, "Relation Name", InNode) X(Schema, "Schema", InNode) \
    X(Alias, "Alias", InNode) X(FunctionName, "Function Name", InNode) \
    X(TableFunctionName, "Table Function Name", InNode) X(CteName, "CTE Name", InNode) \
    X(TuplestoreName, "Tuplestore Name", InNode) X(StartupCost, "Startup Cost", InNode) \
    X(TotalCost, "Total Cost", InNode) X(PlanRows, "Plan Rows", InNode) X(PlanWidth, "Plan Width", InNode) \
    X(ActualStartupTime, "Actual Startup Time", InNode) X(ActualTotalTime, "Actual Total Time", InNode) \
    X(ActualRows, "Actual Rows", InNode) X(ActualLoops, "Actual Loops", InNode) X(Output, "Output", InNode) \
    X(InnerUnique, "Inner Unique", InNode) X(MergeCond, "Merge Cond", InNode) X(HashCond, "Hash Cond", InNode) \
    X(JoinFilter, "Join Filter", InNode) X(RowsRemovedByJoinFilter, "Rows Removed by Join Filter", InNode) \
    X(Filter, "Filter", InNode) X(RowsRemovedByFilter, "Rows Removed by Filter", InNode) \
    X(IndexCond, "Index Cond", InNode) X(RecheckCond, "Recheck Cond", InNode) \
    X(RowsRemovedByIndexRecheck, "Rows Removed by Index Recheck", InNode) X(OrderBy, "Order By", InNode) \
    X(TidCond, "TID Cond", InNode) X(OneTimeFilter, "One-Time Filter", InNode) \
    X(HeapFetches, "Heap Fetches", InNode) X(ExactHeapBlocks, "Exact Heap Blocks", InNode) \
    X(LossyHeapBlocks, "Lossy Heap Blocks", InNode) X(SortKey, "Sort Key", InNode) \
    X(PresortedKey, "Presorted Key", InNode) X(SortMethod, "Sort Method", InNode) \
    X(SortSpaceUsed, "Sort Space Used", InNode) X(SortSpaceType, "Sort Space Type", InNode) \
    X(GroupKey, "Group Key", InNode) X(GroupingSets, "Grouping Sets", InNode) \
    X(HashBuckets, "Hash Buckets", InNode) X(OriginalHashBuckets, "Original Hash Buckets", InNode) \
    X(HashBatches, "Hash Batches", InNode) X(OriginalHashBatches, "Original Hash Batches", InNode) \
    X(PeakMemoryUsage, "Peak Memory Usage", InNode) X(DiskUsage, "Disk Usage", InNode) \
    X(HashAggBatches, "HashAgg Batches", InNode) X(PlannedPartitions, "Planned Partitions", InNode) \
    X(CacheKey, "Cache Key", InNode) X(CacheMode, "Cache Mode", InNode) X(CacheHits, "Cache Hits", InNode) \
    X(CacheMisses, "Cache Misses", InNode) X(CacheEvictions, "Cache Evictions", InNode) \
    X(CacheOverflows, "Cache Overflows", InNode) X(WorkersPlanned, "Workers Planned", InNode) \
    X(WorkersLaunched, "Workers Launched", InNode) X(SingleCopy, "Single Copy", InNode) \
    X(Workers, "Workers", InNode) X(SharedHitBlocks, "Shared Hit Blocks", InNode) \
    X(SharedReadBlocks, "Shared Read Blocks", InNode) X(SharedDirtiedBlocks, "Shared Dirtied Blocks", InNode) \
    X(SharedWrittenBlocks, "Shared Written Blocks", InNode) X(LocalHitBlocks, "Local Hit Blocks", InNode) \
    X(LocalReadBlocks, "Local Read Blocks", InNode) X(LocalDirtiedBlocks, "Local Dirtied Blocks", InNode) \
    X(LocalWrittenBlocks, "Local Written Blocks", InNode) X(TempReadBlocks, "Temp Read Blocks", InNode) \
    X(TempWrittenBlocks, "Temp Written Blocks", InNode) X(IoReadTime, "I/O Read Time", InNode) \
    X(IoWriteTime, "I/O Write Time", InNode) X(TempIoReadTime, "Temp I/O Read Time", InNode) \
    X(TempIoWriteTime, "Temp I/O Write Time", InNode) X(SharedIoReadTime, "Shared I/O Read Time", InNode) \
    X(SharedIoWriteTime, "Shared I/O Write Time", InNode) X(LocalIoReadTime, "Local I/O Read Time", InNode) \
    X(LocalIoWriteTime, "Local I/O Write Time", InNode) X(WalRecords, "WAL Records", InNode) \
    X(WalFpi, "WAL FPI", InNode) X(WalBytes, "WAL Bytes", InNode) X(WalBuffersFull, "WAL Buffers Full", InNode) \
    X(Plans, "Plans", InNode) X(SubplansRemoved, "Subplans Removed", InNode) \
    X(SamplingMethod, "Sampling Method", InNode) X(SamplingParameters, "Sampling Parameters", InNode) \
    X(RepeatableSeed, "Repeatable Seed", InNode) X(FunctionCall, "Function Call", InNode) \
    X(TableFunctionCall, "Table Function Call", InNode) X(Relations, "Relations", InNode) \
    X(RemoteSql, "Remote SQL", InNode) X(ConflictResolution, "Conflict Resolution", InNode) \
    X(ConflictArbiterIndexes, "Conflict Arbiter Indexes", InNode) X(ConflictFilter, "Conflict Filter", InNode) \
    X(RowsRemovedByConflictFilter, "Rows Removed by Conflict Filter", InNode) \
    X(TuplesInserted, "Tuples Inserted", InNode) X(ConflictingTuples, "Conflicting Tuples", InNode) \
    X(TargetTables, "Target Tables", InNode) X(FullSortGroups, "Full-sort Groups", InNode) \
    X(PreSortedGroups, "Pre-sorted Groups", InNode) X(Storage, "Storage", InNode) \
    X(MaximumStorage, "Maximum Storage", InNode) X(RunCondition, "Run Condition", InNode) \
    X(IndexSearches, "Index Searches", InNode) X(Disabled, "Disabled", InNode) X(Window, "Window", InNode) \
    X(HashKey, "Hash Key", InNode) X(PartitionsRemoved, "Partitions Removed", InNode) \
    X(WorkerNumber, "Worker Number", Elsewhere) \
    X(Plan, "Plan", AtTop) X(PlanningTime, "Planning Time", AtTop) X(ExecutionTime, "Execution Time", AtTop) \
    X(TotalRuntime, "Total Runtime", AtTop) X(Planning, "Planning", AtTop) X(Triggers, "Triggers", AtTop) \
    X(Jit, "JIT", AtTop) X(Settings, "Settings", AtTop) X(QueryText, "Query Text", AtTop) \
    X(QueryIdentifier, "Query Identifier", AtTop) X(Serialization, "Serialization", AtTop) \
    X(MemoryUsed, "Memory Used", Elsewhere) X(MemoryAllocated, "Memory Allocated", Elsewhere) \
    X(TriggerName, "Trigger Name", Elsewhere) X(ConstraintName, "Constraint Name", Elsewhere) \
    X(Relation, "Relation", Elsewhere) X(Time, "Time", Elsewhere) X(Calls, "Calls", Elsewhere) \
    X(Functions, "Functions", Elsewhere) X(Options, "Options", Elsewhere) X(Timing, "Timing", Elsewhere) \
    X(Generation, "Generation", Elsewhere) X(Deform, "Deform", Elsewhere) X(Inlining, "Inlining", Elsewhere) \
    X(Optimization, "Optimization", Elsewhere) X(Emission, "Emission", Elsewhere) X(Total, "Total", Elsewhere)
// clang-format on

enum class K : quint8 {
#define PLANSIGHT_KEY_ID(id, name, known) id,
    PLANSIGHT_KEYS(PLANSIGHT_KEY_ID)
#undef PLANSIGHT_KEY_ID
        Count
};
constexpr int keyCount = int(K::Count);

struct KeyInfo {
    std::string_view name;
    Known known;
};
constexpr KeyInfo keyInfo[keyCount] = {
#define PLANSIGHT_KEY_INFO(id, name, known) { name, known },
    PLANSIGHT_KEYS(PLANSIGHT_KEY_INFO)
#undef PLANSIGHT_KEY_INFO
};
#undef PLANSIGHT_KEYS

// Name -> key: an open-addressing table built once (thread-safe static); every member of every record is
// looked up here once, so this is on the parse's hot path (std::unordered_map's hashing cost twice as much).
class KeyTable {
public:
    KeyTable()
    {
        m_slots.fill(-1);
        for (int i = 0; i < keyCount; ++i) {
            quint32 h = hash(keyInfo[i].name) & (slotCount - 1);
            while (m_slots[h] >= 0)
                h = (h + 1) & (slotCount - 1);
            m_slots[h] = qint16(i);
        }
    }
    // The key, or -1 when PlanSight does not know the name.
    int find(std::string_view name) const
    {
        for (quint32 h = hash(name) & (slotCount - 1);; h = (h + 1) & (slotCount - 1)) {
            const int k = m_slots[h];
            if (k < 0 || keyInfo[k].name == name)
                return k;
        }
    }

    // The same for a name in UTF-16 (the text parser's keys). Names are ASCII (PostgreSQL's, or what the text's
    // "Key:" pattern admits); anything else is unknown.
    int find(QStringView name) const
    {
        char bytes[64];
        const qsizetype n = name.size();
        if (n > qsizetype(sizeof bytes))
            return -1;
        for (qsizetype i = 0; i < n; ++i) {
            const char16_t c = name.at(i).unicode();
            if (c >= 0x80)
                return -1;
            bytes[i] = char(c);
        }
        return find(std::string_view(bytes, size_t(n)));
    }

private:
    static constexpr quint32 slotCount = 512; // a power of two, over three times the number of keys
    static_assert(slotCount > 3 * keyCount);
    // The first and the last eight bytes and the length: no loop over the characters, and distinct
    // enough for PostgreSQL's key names (a collision only costs a probe).
    static quint32 hash(std::string_view s)
    {
        quint64 head = 0, tail = 0;
        const size_t n = s.size();
        std::memcpy(&head, s.data(), std::min<size_t>(n, 8));
        if (n > 8)
            std::memcpy(&tail, s.data() + n - 8, 8);
        return mix(head, tail, n);
    }
    static quint32 mix(quint64 head, quint64 tail, size_t n)
    {
        const quint64 h = (head * 0x9E3779B97F4A7C15ULL) ^ (tail * 0xC2B2AE3D27D4EB4FULL) ^ n;
        return quint32(h >> 32) ^ quint32(h >> 47);
    }
    std::array<qint16, slotCount> m_slots;
};

const KeyTable &keyTable()
{
    static const KeyTable table;
    return table;
}

QLatin1String nameOf(K k)
{
    const std::string_view n = keyInfo[int(k)].name;
    return QLatin1String(n.data(), qsizetype(n.size()));
}

// Names a record in messages; the sentence is only built when there is an error to report.
struct Where {
    const PlanNode *node = nullptr; // "Plan node 3 (Hash Join)" + what
    const char *what = "";

    QString text() const
    {
        const QString w = QString::fromUtf8(what);
        if (!node)
            return w;
        return QStringLiteral("Plan node %1 (%2)").arg(node->id + 1).arg(node->nodeType) + w;
    }
};

// What both readers share: the first error, and the reads built on `num` (Self's). A reader files each member of
// its record under its key once, so every read after that is an array lookup.
template<typename Self>
class ReaderBase {
public:
    bool failed() const { return m_error.has_value(); }
    Error error() const { return *m_error; }

    qint64 count(K key, qint64 missing = -1)
    {
        const double d = self().num(key, -1);
        return d < 0 ? missing : qint64(std::llround(d));
    }
    PlanBuffers buffers()
    {
        PlanBuffers b;
        static constexpr K keys[] = { K::SharedHitBlocks, K::SharedReadBlocks, K::SharedDirtiedBlocks,
            K::SharedWrittenBlocks, K::LocalHitBlocks, K::LocalReadBlocks, K::LocalDirtiedBlocks, K::LocalWrittenBlocks,
            K::TempReadBlocks, K::TempWrittenBlocks };
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
        auto take = [&](K key, double &target) {
            const double v = self().num(key);
            if (v >= 0) {
                target += v;
                t.present = true;
            }
        };
        take(K::IoReadTime, t.sharedReadMs); // PG 13-16: shared and local together
        take(K::IoWriteTime, t.sharedWriteMs);
        take(K::SharedIoReadTime, t.sharedReadMs); // PG 17+
        take(K::SharedIoWriteTime, t.sharedWriteMs);
        take(K::LocalIoReadTime, t.localReadMs);
        take(K::LocalIoWriteTime, t.localWriteMs);
        take(K::TempIoReadTime, t.tempReadMs); // PG 15+
        take(K::TempIoWriteTime, t.tempWriteMs);
        return t;
    }

protected:
    explicit ReaderBase(Where where) : m_where(where) { }

    void fail(K key, const QString &expected, JsonTape::Type found)
    {
        if (!m_error)
            m_error = inputError(QStringLiteral("%1: \"%2\" should be %3, not %4.")
                                     .arg(m_where.text(), nameOf(key), expected, JsonTape::typeName(found)));
    }
    // A number read from the record: non-negative, finite and within `limit`, else an error and `missing`.
    double checked(K key, double d, double missing, double limit)
    {
        if (!std::isfinite(d) || d < 0 || d > limit) {
            if (!m_error)
                m_error = inputError(QStringLiteral("%1: \"%2\" has an impossible value (%3).")
                                         .arg(m_where.text(), nameOf(key), QString::number(d, 'g', 6)));
            return missing;
        }
        return d;
    }

private:
    Self &self() { return static_cast<Self &>(*this); }
    Where m_where;
    std::optional<Error> m_error;
};

// Reads typed values out of one JSON object of the tape.
class Reader : public ReaderBase<Reader> {
public:
    Reader(const JsonTape &tape, quint32 object, Where where, Known context = Elsewhere, QStringList *unknown = nullptr)
        : ReaderBase(where), m_t(tape)
    {
        std::fill(std::begin(m_slot), std::end(m_slot), 0u);
        if (!tape.isObject(object))
            return;
        const KeyTable &keys = keyTable();
        for (quint32 k = JsonTape::first(object); k < tape.skip(object); k = tape.skip(k + 1)) {
            QByteArray decoded; // only for a key with escapes, which PostgreSQL never writes
            std::string_view name = tape.raw(k);
            if (tape.escaped(k)) {
                decoded = tape.utf8(k);
                name = std::string_view(decoded.constData(), size_t(decoded.size()));
            }
            if (const int key = keys.find(name); key >= 0) {
                m_slot[key] = k + 1;
                if (context == Elsewhere || (keyInfo[key].known & context))
                    continue;
            }
            if (unknown)
                unknown->append(QString::fromUtf8(name.data(), qsizetype(name.size())));
        }
    }

    // The value's tape index, 0 when absent or null.
    quint32 value(K key) const
    {
        const quint32 v = m_slot[int(key)];
        return v != 0 && !m_t.isNull(v) ? v : 0;
    }
    bool has(K key) const { return value(key) != 0; }
    bool isText(K key) const { return has(key) && m_t.isString(value(key)); }

    QString str(K key)
    {
        const quint32 v = value(key);
        if (v == 0)
            return {};
        if (m_t.isString(v))
            return m_t.string(v);
        if (m_t.isNumber(v)) // numbers where PostgreSQL writes text (e.g. a "Query Identifier" from a tool)
            return QString::number(m_t.number(v), 'g', 17);
        fail(key, QStringLiteral("text"), m_t.type(v));
        return {};
    }
    // Non-negative finite number, or `missing` when absent.
    double num(K key, double missing = -1, double limit = absurdActual)
    {
        const quint32 v = value(key);
        if (v == 0)
            return missing;
        double d = 0;
        if (m_t.isNumber(v)) {
            d = m_t.number(v);
        } else if (m_t.isString(v)) {
            bool ok = false;
            d = m_t.string(v).trimmed().toDouble(&ok);
            if (!ok) {
                fail(key, QStringLiteral("a number"), m_t.type(v));
                return missing;
            }
        } else {
            fail(key, QStringLiteral("a number"), m_t.type(v));
            return missing;
        }
        return checked(key, d, missing, limit);
    }
    bool flag(K key)
    {
        const quint32 v = value(key);
        if (v == 0)
            return false;
        if (m_t.isBool(v))
            return m_t.type(v) == JsonTape::Type::True;
        if (m_t.isString(v))
            return m_t.string(v).compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
        fail(key, QStringLiteral("true or false"), m_t.type(v));
        return false;
    }
    QStringList list(K key)
    {
        const quint32 v = value(key);
        if (v == 0)
            return {};
        if (m_t.isString(v))
            return { m_t.string(v) };
        if (!m_t.isArray(v)) {
            fail(key, QStringLiteral("a list"), m_t.type(v));
            return {};
        }
        QStringList out;
        out.reserve(m_t.size(v));
        for (quint32 e = JsonTape::first(v); e < m_t.skip(v); e = m_t.skip(e)) {
            if (m_t.isString(e))
                out.append(m_t.string(e));
            else if (m_t.isNumber(e))
                out.append(QString::number(m_t.number(e), 'g', 17));
            else {
                fail(key, QStringLiteral("a list of text"), m_t.type(v));
                return {};
            }
        }
        return out;
    }

private:
    const JsonTape &m_t;
    quint32 m_slot[keyCount];
};

// Reads typed values out of a record of the text parser, with the tape reader's rules: what a record would read as
// after being written as JSON, without the writing.
class RecordReader : public ReaderBase<RecordReader> {
public:
    RecordReader(const TextRecord &record, const TextLists &lists, Where where, Known context = Elsewhere,
        QStringList *unknown = nullptr)
        : ReaderBase(where), m_lists(lists)
    {
        std::fill(std::begin(m_slot), std::end(m_slot), nullptr);
        const KeyTable &keys = keyTable();
        // Unknown keys are listed in the order the JSON would have them (QJsonObject's), as the tape reader would.
        QVarLengthArray<QStringView, 4> unknownKeys;
        for (const TextMember &m : record) {
            if (const int key = keys.find(m.first); key >= 0) {
                m_slot[key] = &m.second;
                if (context == Elsewhere || (keyInfo[key].known & context))
                    continue;
            }
            unknownKeys.append(m.first);
        }
        if (unknown && !unknownKeys.isEmpty()) {
            std::sort(unknownKeys.begin(), unknownKeys.end(), jsonKeyLess);
            for (const QStringView k : unknownKeys)
                unknown->append(k.toString());
        }
    }

    bool has(K key) const { return value(key) != nullptr; }
    bool isText(K key) const { return has(key) && value(key)->kind == TextValue::Kind::Text; }

    QString str(K key)
    {
        const TextValue *v = value(key);
        if (!v)
            return {};
        if (v->kind == TextValue::Kind::Text)
            return v->text.toString();
        if (v->kind == TextValue::Kind::Number)
            return QString::number(v->number, 'g', 17);
        fail(key, QStringLiteral("text"), jsonType(*v));
        return {};
    }
    double num(K key, double missing = -1, double limit = absurdActual)
    {
        const TextValue *v = value(key);
        if (!v)
            return missing;
        double d = 0;
        if (v->kind == TextValue::Kind::Number) {
            d = v->number;
        } else if (v->kind == TextValue::Kind::Text) {
            bool ok = false;
            d = v->text.trimmed().toDouble(&ok);
            if (!ok) {
                fail(key, QStringLiteral("a number"), jsonType(*v));
                return missing;
            }
        } else {
            fail(key, QStringLiteral("a number"), jsonType(*v));
            return missing;
        }
        return checked(key, d, missing, limit);
    }
    bool flag(K key)
    {
        const TextValue *v = value(key);
        if (!v)
            return false;
        if (v->kind == TextValue::Kind::Bool)
            return v->flag;
        if (v->kind == TextValue::Kind::Text)
            return v->text.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
        fail(key, QStringLiteral("true or false"), jsonType(*v));
        return false;
    }
    QStringList list(K key)
    {
        const TextValue *v = value(key);
        if (!v)
            return {};
        if (v->kind == TextValue::Kind::Text)
            return { v->text.toString() };
        if (v->kind != TextValue::Kind::Texts) {
            fail(key, QStringLiteral("a list"), jsonType(*v));
            return {};
        }
        QStringList out;
        out.reserve(v->count);
        for (qsizetype i = v->first; i < v->first + v->count; ++i)
            out.append(m_lists[size_t(i)].toString());
        return out;
    }

private:
    // The value, nullptr when absent or null.
    const TextValue *value(K key) const
    {
        const TextValue *v = m_slot[int(key)];
        return v && v->kind != TextValue::Kind::Null ? v : nullptr;
    }
    static JsonTape::Type jsonType(const TextValue &v)
    {
        switch (v.kind) {
        case TextValue::Kind::Null:
            return JsonTape::Type::Null;
        case TextValue::Kind::Number:
            return JsonTape::Type::Number;
        case TextValue::Kind::Bool:
            return v.flag ? JsonTape::Type::True : JsonTape::Type::False;
        case TextValue::Kind::Text:
            return JsonTape::Type::String;
        case TextValue::Kind::Texts:
        case TextValue::Kind::Workers:
            return JsonTape::Type::Array;
        }
        return JsonTape::Type::Null;
    }

    const TextLists &m_lists;
    const TextValue *m_slot[keyCount];
};

// The typed members of a node out of either reader (the same rules for JSON and text input); the caller has read
// the node's type.
template<typename R>
Status fillTyped(PlanNode &n, R &r)
{
    n.parentRelationship = r.str(K::ParentRelationship);
    n.subplanName = r.str(K::SubplanName);
    n.customPlanProvider = r.str(K::CustomPlanProvider);
    n.parallelAware = r.flag(K::ParallelAware);
    n.asyncCapable = r.flag(K::AsyncCapable);
    n.joinType = r.str(K::JoinType);
    n.strategy = r.str(K::Strategy);
    n.partialMode = r.str(K::PartialMode);
    n.operation = r.str(K::Operation);
    n.command = r.str(K::Command);
    n.scanDirection = r.str(K::ScanDirection);
    n.indexName = r.str(K::IndexName);
    n.relationName = r.str(K::RelationName);
    n.schema = r.str(K::Schema);
    n.alias = r.str(K::Alias);
    n.functionName = r.str(K::FunctionName);
    if (n.functionName.isEmpty())
        n.functionName = r.str(K::TableFunctionName);
    n.cteName = r.str(K::CteName);
    n.tuplestoreName = r.str(K::TuplestoreName);

    n.startupCost = r.num(K::StartupCost, -1, absurdEstimate);
    n.totalCost = r.num(K::TotalCost, -1, absurdEstimate);
    n.planRows = r.num(K::PlanRows, -1, absurdEstimate);
    n.planWidth = int(r.num(K::PlanWidth, -1, 1e9));

    n.actualStartupMs = r.num(K::ActualStartupTime);
    n.actualTotalMs = r.num(K::ActualTotalTime);
    n.actualRows = r.num(K::ActualRows);
    n.actualLoops = r.num(K::ActualLoops);
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

    n.filter = r.str(K::Filter);
    n.joinFilter = r.str(K::JoinFilter);
    n.indexCond = r.str(K::IndexCond);
    n.recheckCond = r.str(K::RecheckCond);
    n.hashCond = r.str(K::HashCond);
    n.mergeCond = r.str(K::MergeCond);
    n.oneTimeFilter = r.str(K::OneTimeFilter);
    n.tidCond = r.str(K::TidCond);
    n.rowsRemovedByFilter = r.num(K::RowsRemovedByFilter);
    n.rowsRemovedByJoinFilter = r.num(K::RowsRemovedByJoinFilter);
    n.rowsRemovedByIndexRecheck = r.num(K::RowsRemovedByIndexRecheck);
    n.heapFetches = r.num(K::HeapFetches);
    n.exactHeapBlocks = r.count(K::ExactHeapBlocks);
    n.lossyHeapBlocks = r.count(K::LossyHeapBlocks);

    n.sortKey = r.list(K::SortKey);
    n.presortedKey = r.list(K::PresortedKey);
    n.groupKey = r.list(K::GroupKey);
    n.sortMethod = r.str(K::SortMethod);
    n.sortSpaceType = r.str(K::SortSpaceType);
    n.sortSpaceUsedKb = r.count(K::SortSpaceUsed);

    n.hashBuckets = r.count(K::HashBuckets);
    n.originalHashBuckets = r.count(K::OriginalHashBuckets);
    n.hashBatches = r.count(K::HashBatches);
    n.originalHashBatches = r.count(K::OriginalHashBatches);
    n.peakMemoryUsageKb = r.count(K::PeakMemoryUsage);
    n.diskUsageKb = r.count(K::DiskUsage);
    n.hashAggBatches = r.count(K::HashAggBatches);

    n.cacheKey = r.str(K::CacheKey);
    n.cacheMode = r.str(K::CacheMode);
    n.cacheHits = r.count(K::CacheHits);
    n.cacheMisses = r.count(K::CacheMisses);
    n.cacheEvictions = r.count(K::CacheEvictions);
    n.cacheOverflows = r.count(K::CacheOverflows);

    n.workersPlanned = int(r.num(K::WorkersPlanned, -1, 1e6));
    n.workersLaunched = int(r.num(K::WorkersLaunched, -1, 1e6));
    n.singleCopy = r.flag(K::SingleCopy);

    n.buffers = r.buffers();
    n.io = r.io();
    n.wal.records = r.count(K::WalRecords, 0);
    n.wal.fullPageImages = r.count(K::WalFpi, 0);
    n.wal.bytes = r.count(K::WalBytes, 0);
    n.wal.buffersFull = r.count(K::WalBuffersFull, 0);
    n.wal.present = r.has(K::WalRecords) || r.has(K::WalBytes);
    n.output = r.list(K::Output);
    if (r.failed())
        return r.error();
    return {};
}

// A worker entry's typed figures; the caller sets its fields.
template<typename R>
Status fillWorker(PlanWorker &w, R &r)
{
    w.number = int(r.num(K::WorkerNumber, -1, 1e6));
    w.actualStartupMs = r.num(K::ActualStartupTime);
    w.actualTotalMs = r.num(K::ActualTotalTime);
    w.actualRows = r.num(K::ActualRows);
    w.actualLoops = r.num(K::ActualLoops);
    w.buffers = r.buffers();
    if (r.failed())
        return r.error();
    return {};
}

Status noNodeType(const PlanNode &n)
{
    return inputError(QStringLiteral("Plan node %1 has no \"Node Type\"; this is not EXPLAIN output.").arg(n.id + 1));
}

} // namespace

Error inputError(const QString &message)
{
    return Error::make(errc::Input, message);
}

Status fillNode(
    PlanNode &n, const std::shared_ptr<const PlanSource> &source, const JsonTape &t, quint32 object, quint32 *plans)
{
    n.source = source;
    n.sourceObject = object;
    n.unknownKeys.clear();
    Reader r(t, object, Where { &n, "" }, InNode, &n.unknownKeys);
    if (!r.isText(K::NodeType) || t.string(r.value(K::NodeType)).trimmed().isEmpty())
        return noNodeType(n);
    n.nodeType = t.string(r.value(K::NodeType));
    if (auto st = fillTyped(n, r); !st)
        return st;

    n.workers.clear();
    if (const quint32 workers = r.value(K::Workers); workers != 0) {
        if (!t.isArray(workers))
            return inputError(QStringLiteral("Plan node %1 (%2): \"Workers\" should be a list, not %3.")
                                  .arg(n.id + 1)
                                  .arg(n.nodeType, JsonTape::typeName(t.type(workers))));
        for (quint32 wv = JsonTape::first(workers); wv < t.skip(workers); wv = t.skip(wv)) {
            if (!t.isObject(wv))
                return inputError(QStringLiteral("Plan node %1 (%2): a \"Workers\" entry should be an object, not %3.")
                                      .arg(n.id + 1)
                                      .arg(n.nodeType, JsonTape::typeName(t.type(wv))));
            PlanWorker w;
            w.fields = t.toQJsonObject(wv);
            Reader wr(t, wv, Where { &n, ", worker" });
            if (auto st = fillWorker(w, wr); !st)
                return st;
            n.workers.append(w);
        }
    }
    if (plans)
        *plans = r.value(K::Plans);
    return {};
}

Status fillNode(PlanNode &n, const TextRecord &record, const QMap<int, TextRecord> &workers, const TextLists &lists)
{
    n.unknownKeys.clear();
    RecordReader r(record, lists, Where { &n, "" }, InNode, &n.unknownKeys);
    n.nodeType = r.isText(K::NodeType) ? r.str(K::NodeType) : QString();
    if (n.nodeType.trimmed().isEmpty())
        return noNodeType(n);
    if (auto st = fillTyped(n, r); !st)
        return st;
    n.workers.clear();
    for (const TextRecord &worker : workers) {
        PlanWorker w;
        w.fields = toQJsonObject(worker, lists);
        RecordReader wr(worker, lists, Where { &n, ", worker" });
        if (auto st = fillWorker(w, wr); !st)
            return st;
        n.workers.append(w);
    }
    return {};
}

QJsonValue toQJson(const TextValue &v, const TextLists &lists)
{
    switch (v.kind) {
    case TextValue::Kind::Number:
        return v.number;
    case TextValue::Kind::Bool:
        return v.flag;
    case TextValue::Kind::Text:
        return v.text.toString();
    case TextValue::Kind::Texts: {
        QJsonArray a;
        for (qsizetype i = v.first; i < v.first + v.count; ++i)
            a.append(lists[size_t(i)].toString());
        return a;
    }
    case TextValue::Kind::Null:
    case TextValue::Kind::Workers:
        break;
    }
    return QJsonValue(QJsonValue::Null);
}

QJsonObject toQJsonObject(const TextRecord &record, const TextLists &lists)
{
    QJsonObject o;
    for (const TextMember &m : record)
        o.insert(m.first.toString(), toQJson(m.second, lists));
    return o;
}

Status fillTop(Plan &plan, const std::shared_ptr<const JsonTape> &tape, std::optional<quint32> top)
{
    plan.topFields = QJsonObject();
    plan.unknownTopKeys.clear();
    if (!top)
        return {};
    const JsonTape &t = *tape;
    Reader r(t, *top, Where { nullptr, "The plan's top level" }, AtTop, &plan.unknownTopKeys);
    plan.planningMs = r.num(K::PlanningTime);
    plan.executionMs = r.num(K::ExecutionTime);
    if (plan.executionMs < 0)
        plan.executionMs = r.num(K::TotalRuntime); // PostgreSQL 9.3 and older
    plan.queryText = r.str(K::QueryText);
    plan.queryIdentifier = r.str(K::QueryIdentifier);
    if (r.failed())
        return r.error();

    if (const quint32 planning = r.value(K::Planning); planning != 0) {
        if (!t.isObject(planning))
            return inputError(QStringLiteral("The plan's \"Planning\" entry should be an object, not %1.")
                                  .arg(JsonTape::typeName(t.type(planning))));
        Reader pr(t, planning, Where { nullptr, "The plan's \"Planning\" entry" });
        plan.planningBuffers = pr.buffers();
        plan.planningMemoryUsedKb = pr.num(K::MemoryUsed);
        plan.planningMemoryAllocatedKb = pr.num(K::MemoryAllocated);
        if (pr.failed())
            return pr.error();
    }

    if (const quint32 triggers = r.value(K::Triggers); triggers != 0) {
        if (!t.isArray(triggers))
            return inputError(QStringLiteral("The plan's \"Triggers\" entry should be a list, not %1.")
                                  .arg(JsonTape::typeName(t.type(triggers))));
        for (quint32 tv = JsonTape::first(triggers); tv < t.skip(triggers); tv = t.skip(tv)) {
            if (!t.isObject(tv))
                return inputError(QStringLiteral("A \"Triggers\" entry should be an object, not %1.")
                                      .arg(JsonTape::typeName(t.type(tv))));
            Reader tr(t, tv, Where { nullptr, "A trigger" });
            PlanTrigger trigger;
            trigger.name = tr.str(K::TriggerName);
            trigger.constraintName = tr.str(K::ConstraintName);
            trigger.relation = tr.str(K::Relation);
            trigger.timeMs = tr.num(K::Time);
            trigger.calls = tr.num(K::Calls);
            if (tr.failed())
                return tr.error();
            plan.triggers.append(trigger);
        }
    }

    if (const quint32 jit = r.value(K::Jit); jit != 0) {
        if (!t.isObject(jit))
            return inputError(QStringLiteral("The plan's \"JIT\" entry should be an object, not %1.")
                                  .arg(JsonTape::typeName(t.type(jit))));
        PlanJit &j = plan.jit;
        j.present = true;
        j.fields = t.toQJsonObject(jit);
        Reader jr(t, jit, Where { nullptr, "The plan's JIT entry" });
        j.functions = int(jr.num(K::Functions, -1, 1e9));
        if (const quint32 options = jr.value(K::Options); options != 0 && t.isObject(options))
            j.options = t.toQJsonObject(options);
        if (const quint32 timing = jr.value(K::Timing); timing != 0 && t.isObject(timing)) {
            Reader tr(t, timing, Where { nullptr, "The plan's JIT timing" });
            if (const quint32 gen = tr.value(K::Generation); gen != 0 && t.isObject(gen)) {
                // PostgreSQL 17: {"Deform": n, "Total": n}
                Reader gr(t, gen, Where { nullptr, "The plan's JIT generation timing" });
                j.deformMs = std::max(0.0, gr.num(K::Deform));
                j.generationMs = std::max(0.0, gr.num(K::Total));
                if (gr.failed())
                    return gr.error();
            } else {
                j.generationMs = std::max(0.0, tr.num(K::Generation));
            }
            j.inliningMs = std::max(0.0, tr.num(K::Inlining));
            j.optimizationMs = std::max(0.0, tr.num(K::Optimization));
            j.emissionMs = std::max(0.0, tr.num(K::Emission));
            j.totalMs = tr.num(K::Total);
            if (tr.failed())
                return tr.error();
            if (j.totalMs < 0)
                j.totalMs = j.generationMs + j.inliningMs + j.optimizationMs + j.emissionMs;
        } else {
            j.totalMs = 0;
        }
        if (jr.failed())
            return jr.error();
    }

    if (const quint32 settings = r.value(K::Settings); settings != 0) {
        if (!t.isObject(settings))
            return inputError(QStringLiteral("The plan's \"Settings\" entry should be an object, not %1.")
                                  .arg(JsonTape::typeName(t.type(settings))));
        plan.settings = t.toQJsonObject(settings);
    }
    plan.topFields = t.toQJsonObject(*top, "Plan");
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

// The characters splitTopLevel() looks at (besides the separator).
constexpr std::array<bool, 128> splitSpecial = [] {
    std::array<bool, 128> t {};
    for (const char c : std::string_view("'\"()[]{}"))
        t[size_t(c)] = true;
    return t;
}();

void splitTopLevel(QStringView text, QChar separator, std::vector<QStringView> &out)
{
    const size_t before = out.size();
    const char16_t *p = text.utf16();
    const char16_t sep = separator.unicode();
    int depth = 0;
    char16_t quote = 0;
    qsizetype start = 0;
    const qsizetype n = text.size();
    auto plain = [&](char16_t c) { return (c >= 128 || !splitSpecial[c]) && c != sep; };
    for (qsizetype i = 0; i < n; ++i) {
        if (quote != 0) {
            if (p[i] == quote)
                quote = 0;
            continue;
        }
        while (i < n && plain(p[i])) // most of the text
            ++i;
        if (i == n)
            break;
        const char16_t c = p[i];
        if (c == u'\'' || c == u'"')
            quote = c;
        else if (c == u'(' || c == u'[' || c == u'{')
            ++depth;
        else if ((c == u')' || c == u']' || c == u'}') && depth > 0)
            --depth;
        else if (c == sep && depth == 0) {
            out.push_back(text.mid(start, i - start).trimmed());
            start = i + 1;
        }
    }
    const QStringView last = text.mid(start).trimmed();
    if (!last.isEmpty() || out.size() > before)
        out.push_back(last);
}

} // namespace plansight::planinternal
