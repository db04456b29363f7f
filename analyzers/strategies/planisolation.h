#pragma once

// Isolation proved from the plan (docs/architecture.md, "The strategy contract"): a run of strategy S is isolated
// when its EXPLAIN plan read nothing but base objects (the gallery's tables and indexes, as they were before any
// strategy) and S's own objects (those named with objectPrefix(S), or in S's own schema). A plan that read an
// object of another strategy, or an object that is neither, did not measure S alone: the run is flagged
// not-isolated, its error names what it read ("read index public.ps_p4_indexes_tag_source of p4-indexes"), and
// it is never ranked (present/ranking.h ranks only outcome ok).
//
// This is a check on what happened, independent of the runner's bookkeeping of what is applied: it catches an
// index that could not be hidden or reverted, an object left by another process, and a strategy whose query reads
// another strategy's table. It needs a plan: a run without one (BenchOptions::explain off, a strategy that does not
// answer in SQL) is not judged by it.

#include "session/results.h"
#include "util/result.h"

#include <QSet>
#include <QString>
#include <QStringList>

namespace plansight {

class PgSession;
struct Plan;

// A relation or index a plan node names: "Relation Name" (with its "Schema"), "Index Name" (an index has the schema
// of its table; a Bitmap Index Scan names no table, so its index is unqualified).
struct PlanObject {
    enum class Kind { Relation, Index };
    Kind kind = Kind::Relation;
    QString schema; // empty when the plan does not say
    QString name;
    QString qualified() const { return schema.isEmpty() ? name : schema + QLatin1Char('.') + name; }
    bool operator==(const PlanObject &o) const { return kind == o.kind && schema == o.schema && name == o.name; }
};

// Every relation and index the plan's nodes name, each once, in plan order.
QList<PlanObject> objectsRead(const Plan &plan);

// The base schema: names (lower case, without schema) of the tables, views and indexes that belong to no strategy.
// Empty (unknown): every object without a strategy's prefix counts as base.
using BaseObjects = QSet<QString>;

// An object a run of one strategy read that is neither a base object nor the strategy's own.
struct ForeignObject {
    PlanObject object;
    QString owner; // the strategy (among the ids given) whose prefix it carries; empty: no strategy's
    // "index public.ps_p4_indexes_tag_source of p4-indexes", "table public.scratch, which is not in the base schema"
    QString describe() const;
};

// The objects of `read` that a run of `strategyId` may not read: those carrying the prefix of another strategy among
// `strategyIds` (the longest prefix wins: p9-partition-hash is not p9-partition's), or, when `base` is known, those
// carrying no strategy's prefix that are not in it. Objects in a schema named with a strategy's prefix belong to
// that strategy. Case-insensitive.
QList<ForeignObject> foreignObjects(
    const QList<PlanObject> &read, const QString &strategyId, const QStringList &strategyIds, const BaseObjects &base);

// The run's sentence: "The plan read index public.ps_p4_indexes_tag_source of p4-indexes, so the timings are not
// x-topn's alone; not ranked."
QString notIsolatedByPlanMessage(const QString &strategyId, const QList<ForeignObject> &foreign);

// Judges `run` (a measured run with its planJson) by its plan. When the plan read foreign objects: an ok run becomes
// not-isolated with notIsolatedByPlanMessage() as its error (a run already not-isolated gets the sentence added in
// front of the reason it had), and the sentence is returned, prefixed with the strategy and workload, for the
// session's warnings. Otherwise (isolated, no plan, or a plan that cannot be read) nothing changes and the text is
// empty. `ownerId`: the strategy whose objects are the run's own when that is not run.strategyId (a settings
// variant's inner strategy, strategies/settingsvariantstrategy.h); empty: run.strategyId.
QString flagIfPlanNotIsolated(
    StrategyRun &run, const QStringList &strategyIds, const BaseObjects &base, const QString &ownerId = {});

// The base objects of the connected database: the tables, partitioned tables, views, materialized views and
// indexes of every user schema whose name (and schema) carries no strategy's prefix ("ps_"). Read at the start of a
// session, before any strategy is applied in its turn; the objects of strategies kept applied carry the prefix, so
// they are never base.
Result<BaseObjects> readBaseObjects(PgSession &session);

} // namespace plansight
