#include "session/runfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <type_traits>
#include <utility>

namespace plansight {

namespace {

// A field of a plain member: `ref` is a generic lambda returning a reference to it ([](auto &r) -> auto & {
// return r.stats.p50Ms; }), so that one expression serves reading a const run and writing a run.
template<typename Ref>
RunField plain(RunFieldType type, const char *member, const char *column, const char *jsonKey, Ref ref)
{
    using T = std::remove_reference_t<decltype(ref(std::declval<StrategyRun &>()))>;
    constexpr bool whole = std::is_integral_v<T>;
    RunField f;
    f.member = QLatin1String(member);
    f.column = column;
    f.jsonKey = jsonKey;
    f.type = type;
    f.get = [ref](const StrategyRun &r) -> RunFieldValue {
        if constexpr (whole)
            return qint64(ref(r));
        else
            return ref(r);
    };
    f.set = [ref](StrategyRun &r, const RunFieldValue &v) {
        if constexpr (whole)
            ref(r) = T(std::get<qint64>(v));
        else
            ref(r) = std::get<T>(v);
    };
    return f;
}

// A field of an enum member, stored as its text.
template<typename E, typename Ref, typename ToText, typename FromText>
RunField enumeration(const char *member, const char *column, const char *jsonKey, Ref ref, ToText toText,
    FromText fromText, std::initializer_list<E> all, E def)
{
    RunField f;
    f.member = QLatin1String(member);
    f.column = column;
    f.jsonKey = jsonKey;
    f.type = RunFieldType::Enum;
    for (E e : all)
        f.values << toText(e);
    f.defaultText = toText(def);
    f.get = [ref, toText](const StrategyRun &r) -> RunFieldValue { return toText(ref(r)); };
    f.set = [ref, fromText](StrategyRun &r, const RunFieldValue &v) { ref(r) = fromText(std::get<QString>(v)); };
    return f;
}

RunField required(RunField f)
{
    f.required = true;
    return f;
}

RunField mayHoldPassword(RunField f)
{
    f.mayHoldPassword = true;
    return f;
}

RunField fromExplain(RunField f, const char *key, std::optional<double> absentValue = std::nullopt)
{
    f.explainKey = QLatin1String(key);
    f.explainAbsentValue = absentValue;
    return f;
}

using T = RunFieldType;

QList<RunField> declare()
{
    return {
        required(plain(
            T::Text, "strategyId", "strategy_id", "strategy", [](auto &r) -> auto & { return r.strategyId; })),
        plain(
            T::Text, "strategyTitle", "strategy_title", "strategy_title",
            [](auto &r) -> auto & { return r.strategyTitle; }),
        enumeration(
            "outcome", "outcome", "outcome", [](auto &r) -> auto & { return r.outcome; },
            [](RunOutcome v) { return toString(v); }, runOutcomeFromString,
            { RunOutcome::Ok, RunOutcome::Failed, RunOutcome::Cancelled, RunOutcome::Skipped, RunOutcome::NotIsolated },
            RunOutcome::Ok),
        mayHoldPassword(plain(
            T::Text, "error", "error", "error", [](auto &r) -> auto & { return r.error; })),
        enumeration(
            "cache", "cache_state", "cache", [](auto &r) -> auto & { return r.cache; },
            [](CacheState v) { return toString(v); }, cacheStateFromString, { CacheState::Warm, CacheState::Cold },
            CacheState::Warm),
        plain(
            T::Integer, "warmupRuns", "warmup_runs", "warmup_runs", [](auto &r) -> auto & { return r.warmupRuns; }),
        plain(
            T::Integer, "stats.count", "stat_count", "runs", [](auto &r) -> auto & { return r.stats.count; }),
        plain(
            T::Real, "stats.minMs", "stat_min_ms", "min_ms", [](auto &r) -> auto & { return r.stats.minMs; }),
        plain(
            T::Real, "stats.p50Ms", "stat_p50_ms", "p50_ms", [](auto &r) -> auto & { return r.stats.p50Ms; }),
        plain(
            T::Real, "stats.p95Ms", "stat_p95_ms", "p95_ms", [](auto &r) -> auto & { return r.stats.p95Ms; }),
        plain(
            T::Real, "stats.p99Ms", "stat_p99_ms", "p99_ms", [](auto &r) -> auto & { return r.stats.p99Ms; }),
        plain(
            T::Real, "stats.maxMs", "stat_max_ms", "max_ms", [](auto &r) -> auto & { return r.stats.maxMs; }),
        plain(
            T::Real, "stats.meanMs", "stat_mean_ms", "mean_ms", [](auto &r) -> auto & { return r.stats.meanMs; }),
        plain(
            T::Integer, "rowsReturned", "rows_returned", "rows", [](auto &r) -> auto & { return r.rowsReturned; }),
        plain(
            T::TextList, "pageKeys", "page_keys_json", "page_keys", [](auto &r) -> auto & { return r.pageKeys; }),
        enumeration(
            "check", "result_check", "result_check", [](auto &r) -> auto & { return r.check; },
            [](ResultCheck v) { return toString(v); }, resultCheckFromString,
            { ResultCheck::Same, ResultCheck::Different, ResultCheck::Stale, ResultCheck::NotChecked,
                ResultCheck::Failed, ResultCheck::BothEmpty },
            ResultCheck::NotChecked),
        mayHoldPassword(plain(
            T::Text, "checkDetail", "check_detail", "check_detail", [](auto &r) -> auto & { return r.checkDetail; })),
        mayHoldPassword(plain(
            T::Text, "note", "note", "note", [](auto &r) -> auto & { return r.note; })),
        plain(
            T::Text, "sql", "sql", "sql", [](auto &r) -> auto & { return r.sql; }),
        plain(
            T::TextList, "params", "params_json", "params", [](auto &r) -> auto & { return r.params; }),
        fromExplain(plain(
                        T::Measured, "executionMs", "execution_ms", "execution_ms",
                        [](auto &r) -> auto & { return r.executionMs; }),
            "Execution Time"),
        fromExplain(plain(
                        T::Measured, "planningMs", "planning_ms", "planning_ms",
                        [](auto &r) -> auto & { return r.planningMs; }),
            "Planning Time"),
        fromExplain(plain(
                        T::Count, "sharedHitBlocks", "shared_hit_blocks", "shared_hit_blocks",
                        [](auto &r) -> auto & { return r.sharedHitBlocks; }),
            "Plan/Shared Hit Blocks"),
        fromExplain(plain(
                        T::Count, "sharedReadBlocks", "shared_read_blocks", "shared_read_blocks",
                        [](auto &r) -> auto & { return r.sharedReadBlocks; }),
            "Plan/Shared Read Blocks"),
        // JIT compilation (docs/settings.md, "JIT time"): PostgreSQL 17 made "Generation" an object, "Total" stays a
        // number; no "JIT" entry: nothing was compiled.
        fromExplain(plain(
                        T::Measured, "jitMs", "jit_ms", "jit_ms", [](auto &r) -> auto & { return r.jitMs; }),
            "JIT/Timing/Total", 0.0),
        plain(
            T::TextList, "settings", "settings_json", "settings", [](auto &r) -> auto & { return r.settings; }),
        plain(
            T::Time, "finishedAt", "finished_at", "finished_at", [](auto &r) -> auto & { return r.finishedAt; }),
        // The prepared form's client times (docs/architecture.md, "Prepared statements").
        plain(
            T::Integer, "preparedStats.count", "prepared_count", "prepared_runs",
            [](auto &r) -> auto & { return r.preparedStats.count; }),
        plain(
            T::Measured, "preparedStats.minMs", "prepared_min_ms", "prepared_min_ms",
            [](auto &r) -> auto & { return r.preparedStats.minMs; }),
        plain(
            T::Measured, "preparedStats.p50Ms", "prepared_p50_ms", "prepared_p50_ms",
            [](auto &r) -> auto & { return r.preparedStats.p50Ms; }),
        plain(
            T::Measured, "preparedStats.p95Ms", "prepared_p95_ms", "prepared_p95_ms",
            [](auto &r) -> auto & { return r.preparedStats.p95Ms; }),
        plain(
            T::Measured, "preparedStats.p99Ms", "prepared_p99_ms", "prepared_p99_ms",
            [](auto &r) -> auto & { return r.preparedStats.p99Ms; }),
        plain(
            T::Measured, "preparedStats.maxMs", "prepared_max_ms", "prepared_max_ms",
            [](auto &r) -> auto & { return r.preparedStats.maxMs; }),
        plain(
            T::Measured, "preparedStats.meanMs", "prepared_mean_ms", "prepared_mean_ms",
            [](auto &r) -> auto & { return r.preparedStats.meanMs; }),
        mayHoldPassword(plain(
            T::Text, "preparedNote", "prepared_note", "prepared_note",
            [](auto &r) -> auto & { return r.preparedNote; })),
    };
}

} // namespace

const QList<RunField> &runFields()
{
    static const QList<RunField> fields = declare();
    return fields;
}

const RunField *runFieldByColumn(const QString &column)
{
    for (const RunField &f : runFields())
        if (column == QLatin1String(f.column))
            return &f;
    return nullptr;
}

Status setFieldsFromExplain(StrategyRun &run)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(run.planJson, &err);
    if (err.error != QJsonParseError::NoError)
        return Error::make(errc::Input, QStringLiteral("The EXPLAIN output is not valid JSON."), err.errorString());
    QJsonObject top;
    if (doc.isArray() && !doc.array().isEmpty() && doc.array().first().isObject())
        top = doc.array().first().toObject();
    else if (doc.isObject())
        top = doc.object();
    else
        return Error::make(errc::Input, QStringLiteral("The EXPLAIN output is not a JSON plan."));
    if (!top.value(QLatin1String("Plan")).isObject())
        return Error::make(errc::Input, QStringLiteral("The EXPLAIN output has no \"Plan\"."));
    for (const RunField &f : runFields()) {
        if (f.explainKey.isEmpty())
            continue;
        const QStringList path = f.explainKey.split(QLatin1Char('/'));
        if (f.explainAbsentValue && !top.contains(path.first())) {
            f.set(run, *f.explainAbsentValue);
            continue;
        }
        QJsonValue v = top;
        for (const QString &key : path)
            v = v.toObject().value(key);
        if (!v.isDouble())
            continue;
        switch (f.type) {
        case RunFieldType::Real:
        case RunFieldType::Measured:
            f.set(run, v.toDouble());
            break;
        case RunFieldType::Integer:
        case RunFieldType::Count:
            f.set(run, qint64(v.toDouble()));
            break;
        default:
            Q_ASSERT_X(false, "setFieldsFromExplain", "an EXPLAIN value is a number");
        }
    }
    return {};
}

} // namespace plansight
