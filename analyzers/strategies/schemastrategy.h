#pragma once

// The common machinery of strategies that build database objects (p3, p4, x-topn): apply() runs the
// strategy's SQL files in one transaction (plus the steps PostgreSQL forbids in a transaction, such as
// VACUUM, after it), revert() runs its revert script in a transaction, and status() compares the catalog
// with the list of objects apply() makes, found by the strategy's name prefix (objectPrefix()).
//
// Both run the DdlPlan of plannedDdl() / plannedRevertDdl() (strategies/ddlplan.h, docs/production.md): the steps
// in the order applySteps() gives, each SQL file split into its statements, consecutive transactional steps in one
// transaction, every statement under the context's lock_timeout. On a server that is not the demo
// (ApplyContext::production) a step declared Step::concurrentlyOnProduction runs each of its statements as
// CREATE INDEX CONCURRENTLY, outside any transaction; on the demo it stays in the transaction. A failure after
// something was committed is undone with revertAfterCancel().
//
// Every object lives in schema public, next to the gallery tables it serves, and carries the prefix.

#include "strategies/strategy.h"

#include <atomic>

namespace plansight {

struct SchemaObject {
    enum class Kind { Table, Index, Trigger, Function, Column };
    Kind kind;
    QString name; // without schema
    QString table; // index, trigger, column: the table it belongs to (schema public); else empty
    // A table: whether it holds the junction's rows or a share of them (a copy, its partitions, per-tag pages), which
    // the disk estimate counts (strategies/diskspace.h); false for small tables (settings, refresh times, counts per
    // tag) and for a partitioned parent whose partitions are the base tables.
    bool junctionRows = true;
    // When >= 0, the disk estimate counts this many bytes per junction row for this table or index instead of the
    // default (the junction's heap for a table, IndexEntryBytes for an index on such a table): for a copy whose
    // rows are much narrower than the junction's (x-rum's per-item tag arrays, 16 bytes per tag).
    qint64 bytesPerJunctionRow = -1;

    // "index public.ps_p4_indexes_regular on public.content_tags"
    QString describe() const;
    bool operator==(const SchemaObject &o) const { return kind == o.kind && name == o.name && table == o.table; }
};
QString toString(SchemaObject::Kind kind); // "table", "index", "trigger", "function", "column"

// Objects in schema public whose name starts with `prefix` + '_' (relations, indexes, triggers, functions,
// columns), as the catalog lists them, with whether each is usable (an invalid index or a disabled trigger
// is not).
struct CatalogObject {
    SchemaObject object;
    bool usable = true;
};
Result<QList<CatalogObject>> catalogObjectsWithPrefix(PgSession &session, const QString &prefix);

// Runs `steps` (SQL texts) inside BEGIN ... COMMIT, checking the token between steps and cancelling the
// running statement through the session. On failure or cancel the transaction is rolled back; the session
// is left usable (its cancel flag is reset), the returned error says what happened.
struct SqlStep {
    QString label;
    QString sql;
};
Status runInTransaction(PgSession &session, const QList<SqlStep> &steps, CancelToken *cancel,
    const std::function<void(int stepDone)> &afterStep = {});

class SchemaStrategy : public Strategy {
public:
    // What apply() creates; status() and plannedObjects() derive from it.
    virtual QList<SchemaObject> objects() const = 0;

    // Extensions apply() creates when they are not installed (strategies/extensions.h: marked as PlanSight's, listed
    // by plannedObjects() for the confirmation) and revert() drops again when PlanSight created them and no other
    // applied strategy of the catalog declares them. Lower-case names ("pg_cron"); none by default.
    virtual QStringList extensions() const { return {}; }

    QStringList plannedObjects() const override;
    Status apply(
        PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context = {}) override;
    Status revert(PgSession &session, CancelToken *cancel, const ApplyContext &context = {}) override;
    Result<DdlPlan> plannedDdl(const ApplyContext &context) const override;
    Result<DdlPlan> plannedRevertDdl(const ApplyContext &context) const override;
    Result<StrategyStatus> status(PgSession &session) const override;
    QStringList indexNames() const override;
    double lastBuildMs() const override { return m_lastBuildMs.load(); }

    // The revert script: only transactional DDL (DROP ... IF EXISTS), so it can also run inside a
    // transaction that is rolled back (the write-cost measurement does that to take the strategy away).
    QString revertSql() const;

protected:
    struct Step {
        QString sqlName; // below resources/sql/strategies/<id>/, without extension
        QString label; // for progress
        bool inTransaction = true; // false: VACUUM and friends, run after the transaction commits
        // Only for steps whose every statement is a CREATE INDEX on a table that exists before apply() (a base
        // table, not one the strategy creates or rewrites in the same apply): on a server that is not the demo
        // they are built with CREATE INDEX CONCURRENTLY, one at a time outside any transaction, so the application
        // keeps writing during the build; plannedDdl() fails for any other statement in such a step.
        bool concurrentlyOnProduction = false;
    };
    virtual QList<Step> applySteps() const = 0;
    // The SQL text of one step, or of "revert": resources/sql/strategies/<id>/<sqlName>.sql. Strategies that share
    // their SQL with a variant (p9-partition and p9-partition-hash, x-unified and x-unified-fixed) load it from
    // elsewhere and put their own name prefix in.
    virtual QString stepSql(const QString &sqlName) const;

private:
    std::atomic<double> m_lastBuildMs { -1.0 };
};

} // namespace plansight
