#pragma once

// The common machinery of strategies that build database objects (p3, p4, x-topn): apply() runs the
// strategy's SQL files in one transaction (plus the steps PostgreSQL forbids in a transaction, such as
// VACUUM, after it), revert() runs its revert script in a transaction, and status() compares the catalog
// with the list of objects apply() makes, found by the strategy's name prefix (objectPrefix()).
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

    QStringList plannedObjects() const override;
    Status apply(PgSession &session, CancelToken *cancel, const ProgressFn &progress) override;
    Status revert(PgSession &session, CancelToken *cancel) override;
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
