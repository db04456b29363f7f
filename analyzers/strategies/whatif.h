#pragma once

// What-if indexes (docs/architecture.md, "What-if before building"): the plan the planner would choose, and the size
// an index would take, before anything is built. HypoPG's hypothetical indexes (hypopg_create_index, present in
// Debian 12's 1.3.1) exist only in the planner of the session that creates them: nothing is written to the catalog,
// and predictIndexes() removes them again (hypopg_reset) whatever happens. Only indexes can be hypothetical: a
// strategy's tables, columns, views, functions and triggers are listed as such and not simulated, and an index on a
// table or column that does not exist yet cannot be.
//
// A definition the user types is validated first (validateIndexDefinition): one CREATE [UNIQUE] INDEX statement on a
// table or materialized view that exists (to_regclass, bound). CONCURRENTLY is removed (it says how a real build
// locks the table; a hypothetical index is not built) and the result says so. The statement then goes to
// hypopg_create_index as a bound parameter; HypoPG parses it with the server's parser and refuses anything that is not
// CREATE INDEX.
//
// HypoPG must be installed in the database. When it is not, predictIndexes() creates it only when the caller allows it
// (the demo, or a confirmation naming hypopgWhatIfConfirmLine()), with PlanSight's mark (strategies/extensions.h), and
// drops it again at the end when `dropCreatedExtension` is set (a bench session keeps it and drops it at its end).
//
// Threading: runs on the caller's worker thread with its session; the cancel token cancels the running statement.

#include "plan/plannode.h"
#include "session/workload.h"
#include "strategies/strategy.h"

namespace plansight {

// A typed definition, checked.
struct IndexDefinition {
    QString statement; // what goes to hypopg_create_index: one statement, CONCURRENTLY removed, no final ';'
    QString table; // the table as written after ON ("public.content_tags", "\"My Table\"")
    QString tableResolved; // the table as the server names it (to_regclass(...)::text)
    bool concurrentlyRemoved = false;
};

// Checks `text` without a server: one statement, CREATE [UNIQUE] INDEX ... ON <table> ...; an errc::Input error
// otherwise, in one sentence. `table` is filled, `tableResolved` is not.
Result<IndexDefinition> parseIndexDefinition(const QString &text);
// parseIndexDefinition() plus the server's check that the table exists and is a table or a materialized view.
Result<IndexDefinition> validateIndexDefinition(PgSession &session, const QString &text);

// One index of a prediction.
struct WhatIfIndex {
    QString definition; // the CREATE INDEX statement
    QString name; // the name HypoPG gave it ("<16391>btree_content_tags_tag_id"): the plan shows this name
    QString intendedName; // the name the definition gives ("public.ps_p4_indexes_auto"), empty when it names none
    qint64 estimatedBytes = -1; // hypopg_relation_size
    bool used = false; // the predicted plan reads it
    QString refused; // why it could not be made hypothetical (HypoPG's error, a table that does not exist yet)
};

struct WhatIfRequest {
    // A strategy's indexes (the CREATE INDEX statements of its plannedDdl()), or, when null, `definition`.
    std::shared_ptr<Strategy> strategy;
    QString definition;
    // The strategy whose query is explained for a typed definition (null: the baseline).
    std::shared_ptr<Strategy> queryStrategy;
    Workload workload;
    bool mayCreateExtension = false; // may run CREATE EXTENSION hypopg when it is missing
    bool dropCreatedExtension = true; // drop it again at the end when this call created it
};

struct WhatIfResult {
    QString strategyId; // whose indexes: empty for a typed definition
    QString queryStrategyId; // whose query was explained
    Workload workload;
    QList<WhatIfIndex> indexes;
    // What the strategy creates besides indexes, which HypoPG cannot simulate ("table public.ps_x_topn_pages").
    QStringList notSimulated;
    QStringList notes; // one sentence each: CONCURRENTLY removed, the strategy is applied already, ...
    // The plan without and with the hypothetical indexes: EXPLAIN (FORMAT JSON), no ANALYZE.
    QByteArray currentPlanJson;
    Plan currentPlan;
    QByteArray predictedPlanJson;
    Plan predictedPlan;
    QString planError; // why there is no plan (the query reads an object that does not exist yet)
    QStringList indexesInPlan; // every index the predicted plan reads, hypothetical ones by their intended name
    bool createdExtension = false; // this call ran CREATE EXTENSION hypopg (and, unless kept, dropped it)

    bool hasPlan() const { return !predictedPlan.isEmpty(); }
    double currentCost() const { return currentPlan.isEmpty() ? -1 : currentPlan.root().totalCost; }
    double predictedCost() const { return predictedPlan.isEmpty() ? -1 : predictedPlan.root().totalCost; }
    qint64 estimatedBytes() const; // sum over the indexes HypoPG accepted; -1 when none
    bool anyUsed() const;
    // One sentence: "The planner would use ps_p4_indexes_auto: estimated cost 12.3 against 4,567 now." or "The planner
    // would not use the hypothetical index: ..." (what it would do instead).
    QString verdict() const;
};

// The line a confirmation lists for the extension a what-if may create on a server that is not the demo.
QString hypopgWhatIfConfirmLine();

// The CREATE INDEX statements of `strategy`'s plannedDdl() (the demo's context: no CONCURRENTLY), and what else it
// creates, which cannot be hypothetical. Non-index objects come from plannedObjects().
struct StrategyIndexes {
    QStringList statements;
    QStringList notSimulated;
};
Result<StrategyIndexes> strategyIndexStatements(const Strategy &strategy);
// Whether `strategy` creates at least one index HypoPG could simulate (a CREATE INDEX in its plan).
bool hasIndexStatements(const Strategy &strategy);

// Creates the hypothetical indexes, explains the query with and without them, and resets HypoPG. A typed definition
// that fails validation, or that HypoPG refuses, is an errc::Input error and nothing is left behind; a strategy's index
// that HypoPG refuses is listed with the reason, and the others are still predicted. A query that cannot be explained
// (it reads objects the strategy has not built) gives a result with planError set.
Result<WhatIfResult> predictIndexes(PgSession &session, const WhatIfRequest &request, CancelToken *cancel = nullptr);

// The real size of each of `indexNames` (schema-qualified) that exists: pg_relation_size, summed; -1 when none does.
Result<qint64> realIndexBytes(PgSession &session, const QStringList &indexNames);

// The predicted plan as an indented tree for a terminal: one line per node ("-> Index Scan using ... on content_tags"),
// its estimated cost and rows on the same line when it fits in `width` (0: no limit), else on the next; hypothetical
// indexes by the name their definition gives, marked "(hypothetical)". Empty without a plan.
QString formatPredictedPlan(const WhatIfResult &result, int width);

// The result for scripts (`plansight whatif --json`): { "strategy", "query_strategy", "workload", "indexes": [{
// "definition", "name", "hypopg_name", "estimated_bytes", "used", "refused" }], "not_simulated", "notes",
// "current_cost", "predicted_cost", "indexes_in_plan", "uses_hypothetical", "verdict", "plan_error",
// "predicted_plan" (EXPLAIN's JSON), "current_plan" }. Absent figures are null.
QJsonObject toJson(const WhatIfResult &result);

// Every index a plan reads ("Index Name" of its nodes), in plan order, without duplicates.
QStringList indexesInPlan(const Plan &plan);

} // namespace plansight
