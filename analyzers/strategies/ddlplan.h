#pragma once

// The DDL PlanSight runs to change a database, as one plan (docs/production.md): what `--dry-run` prints and what
// SchemaStrategy::apply() and revert() execute are the same DdlPlan, so the printed text is the text that runs.
//
// Contracts:
// - A plan is a list of steps in order. Consecutive steps marked inTransaction run together inside one
//   BEGIN ... COMMIT; the others run one statement at a time outside any transaction (CREATE INDEX CONCURRENTLY,
//   VACUUM).
// - Every plan starts with SET lock_timeout (ApplyContext::lockTimeoutMs): a statement that waits longer than that
//   for a lock fails (SQLSTATE 55P03) instead of queueing the application's own queries behind it. runDdlPlan()
//   turns that failure into one sentence naming the statement, the table, the lock it asked for and who holds a
//   lock on that table (pg_locks, pg_stat_activity), and restores the session's lock_timeout afterwards.
// - A CREATE INDEX CONCURRENTLY that fails (a lock timeout, a cancel, a unique violation) leaves an INVALID index;
//   runDdlPlan() drops it again (DROP INDEX CONCURRENTLY IF EXISTS) before it returns the error.
// - Which locks a statement takes is read from its kind by locksTaken(), one small table kept in step with the
//   one in docs/production.md; the report prints it for each strategy.

#include "pg/pgsession.h"
#include "util/cancel.h"
#include "util/result.h"

#include <QStringList>

#include <functional>

namespace plansight {

inline constexpr int DefaultLockTimeoutMs = 5000;

// Where and how a strategy is applied or reverted.
struct ApplyContext {
    // A server that is not PlanSight's embedded demo: index steps declared eligible
    // (SchemaStrategy::Step::concurrentlyOnProduction) are built with CREATE INDEX CONCURRENTLY, outside the
    // transaction, so the application's writes continue during the build. On the demo the build stays
    // transactional (faster, and all or nothing).
    bool production = false;
    // lock_timeout of every DDL statement, in ms; 0: wait without limit (PostgreSQL's default).
    int lockTimeoutMs = DefaultLockTimeoutMs;
    // Extensions a revert keeps although it would drop them (another applied strategy needs them); filled by
    // SchemaStrategy::revert().
    QStringList keepExtensions;

    static ApplyContext forTarget(bool isDemo, int lockTimeoutMs = DefaultLockTimeoutMs)
    {
        return ApplyContext { !isDemo, lockTimeoutMs, {} };
    }
};

struct DdlStep {
    QString label; // for progress and errors: "Building the composite and partial indexes on content_tags"
    QStringList statements; // each one statement, without its final ';'
    bool inTransaction = true;
};

struct DdlPlan {
    int lockTimeoutMs = DefaultLockTimeoutMs;
    QList<DdlStep> steps;

    bool isEmpty() const { return steps.isEmpty(); }
    // "SET lock_timeout = '5s'": the first statement runDdlPlan() runs.
    QString lockTimeoutStatement() const;
    // The whole plan as a psql script, in order: the SET, a comment with each step's label, BEGIN and COMMIT
    // around each run of transactional steps, every statement ending with ';'.
    QString script() const;
    // Every statement in order (without SET, BEGIN and COMMIT).
    QStringList statements() const;
};

// A script split into its statements: ';' ends a statement except inside quotes ('...', "..."), dollar quotes
// ($$...$$, $fn$...$fn$) and comments. Comments and blank lines before a statement are dropped; those inside one
// are kept. Empty statements are dropped.
QStringList splitSqlStatements(const QString &script);

// `statement` (CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table ...) as CREATE [UNIQUE] INDEX CONCURRENTLY ...;
// an errc::Internal error for any other statement, or for an index ON ONLY a partitioned table (PostgreSQL cannot
// build those concurrently).
Result<QString> concurrentIndexStatement(const QString &statement);
// The name of the index a CREATE INDEX statement creates, schema-qualified as written ("public.ps_p4_indexes_auto");
// empty for any other statement.
QString createdIndexName(const QString &statement);

// A lock a statement takes on a table (docs/production.md, "Locks").
struct TableLock {
    QString statementKind; // "CREATE INDEX CONCURRENTLY", "ALTER TABLE ADD COLUMN", "CREATE TRIGGER", ...
    QString table; // as written in the statement ("public.content_tags"); for DROP INDEX, the index
    QString mode; // "SHARE UPDATE EXCLUSIVE", "ACCESS EXCLUSIVE", ...
    QString effect; // "writes continue", "blocks writes for the build", ...
};
// The table locks `statement` takes, from its kind: empty for statements that lock no existing table (CREATE
// FUNCTION, CREATE TABLE, SET) and for DO blocks, whose locks are those of the statements they build at run time.
QList<TableLock> locksTaken(const QString &statement);
// What a lock mode lets other sessions do while it is held: "reads and writes continue", "blocks writes",
// "blocks reads and writes".
QString lockEffect(const QString &mode);

// Runs `plan` on `session` (see the contracts above), checking `cancel` between statements and cancelling the
// running one through the session. `afterStep` receives the number of steps done. On failure a transaction in
// progress is rolled back, and the error names the step; `committed` (when given) says whether some statement
// took effect before the failure (a committed transaction or a statement outside one), which the caller undoes.
// The session is left usable and outside any transaction; its cancel flag is reset when the cancel was ours.
Status runDdlPlan(PgSession &session, const DdlPlan &plan, CancelToken *cancel,
    const std::function<void(int stepsDone)> &afterStep = {}, bool *committed = nullptr);

} // namespace plansight
