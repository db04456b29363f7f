#pragma once

// A strategy: one way to answer the gallery query (docs/gallery.md), with the database objects it
// needs. One subclass per file in this directory; its SQL in resources/sql/strategies/<id>/.
//
// Contracts every strategy keeps (docs/architecture.md, "The strategy contract"):
// - everything it creates is named after it: ps_<id with '-' as '_'>_... (or lives in its own schema
//   ps_<id>), so revert() removes exactly what apply() made and nothing of the user's;
// - apply() is idempotent, runs its DDL in transactions where PostgreSQL allows it, reports progress,
//   honours the CancelToken, and leaves nothing half-built when it fails or is cancelled;
// - apply() and revert() run the DDL that plannedDdl() and plannedRevertDdl() return for the same ApplyContext
//   (strategies/ddlplan.h: under a lock_timeout, CREATE INDEX CONCURRENTLY on a server that is not the demo), so
//   that `--dry-run` prints exactly what would run;
// - revert() leaves the base schema exactly as it was (tests compare the catalog before and after);
// - query() never splices workload values into SQL: they are bound parameters.
//
// Threading: a strategy object holds no connection; its methods run on a worker thread with that
// thread's PgSession. Objects are cheap and stateless between calls except for caches documented by
// the subclass.

#include "pg/pgsession.h"
#include "pg/sessionsettings.h"
#include "plan/planmetrics.h"
#include "session/workload.h"
#include "strategies/ddlplan.h"
#include "util/cancel.h"
#include "util/result.h"

#include <QStringList>
#include <QVariantList>

#include <functional>
#include <memory>
#include <optional>

namespace plansight {

struct StrategyInfo {
    QString id; // stable: "baseline", "p4-indexes", "x-topn", ...
    QString title; // "Composite and partial indexes"
    QString proposal; // which review proposal it implements: "P4", or "PlanSight" for x-*, "current" for baseline
    QString description; // two or three sentences for the GUI and the report
    QStringList requirements; // extensions or servers it needs beyond the base schema ("hypopg", "redis-server")
    bool mayBeStale = false; // views, caches, replicas, search: a differing page is "stale", not "wrong"
    // What running it in production takes, one or two sentences for the report's trade-offs: what has to be
    // built, kept in sync, scheduled or monitored ("Nothing: a query change in the application.").
    QString operations;
    bool needsObjects = true; // false for strategies that only change the query (baseline, p5, p6)
    // Base tables whose every row apply() rewrites (p3 adds a column and fills it). revert() drops what
    // it added, but the tables and their indexes keep the dead row versions (4x their size at scale 1) until
    // a VACUUM FULL, which would slow every strategy measured after it. The runner measures such strategies
    // last and, on the embedded demo, compacts these tables after reverting (compactTables()).
    QStringList rewritesTables; // schema-qualified: "public.content_items"
    // A cache's hit row names the strategy that measures its misses ("p2-redis-miss"): a winner that answers from a
    // cache is only as fast as the hit ratio the application gets, and the report says what a miss costs.
    QString missStrategy;
    // Reverted after its runs whatever the session keeps (an experiment's variant: its teardown is part of what is
    // tested, and its objects are not named with the strategy's prefix, so they could not be told apart later).
    bool revertAfterRuns = false;
    // Strategies whose objects this one's queries read when they are applied (x-adaptive reads x-topn's): the
    // runner applies them before this one's runs when it may (and reverts or keeps them afterwards by their own
    // rule), never hides their indexes from this one's runs, and the plan check counts their objects as this one's
    // own (strategies/planisolation.h). The footprint lists them with their bytes.
    QStringList uses;
};

// An object an apply() created that carries no strategy prefix (an experiment's variant names its objects freely; the
// catalog before and after the setup tells which): "index", "public.orders_cover", its bytes (0 for objects without
// storage).
struct CreatedObject {
    QString kind;
    QString name;
    qint64 bytes = 0;
    QString describe() const { return kind + QLatin1Char(' ') + name; } // "index public.orders_cover"
};

enum class StrategyState { NotApplied, Applied, Broken };
QString toString(StrategyState s); // "not applied", "applied", "broken"

struct StrategyStatus {
    StrategyState state = StrategyState::NotApplied;
    QStringList present; // "index public.ps_p4_indexes_tag_source_content", "trigger ...", "column ..."
    QStringList missing; // objects apply() makes that are absent (Broken when some are present)
    QString detail;
};

// How a strategy answers one workload. Either SQL with bound parameters, whose rows carry the columns of
// the baseline (at least "source" and "id", in page order), or, for strategies that do not answer in
// SQL (a cache), a function that returns the page's keys ("regular:123").
struct StrategyQuery {
    QString sql;
    QVariantList params;
    std::function<Result<QStringList>(PgSession &)> execute; // set instead of sql for non-SQL answers
    QString note; // e.g. "page 100 reached by following 99 cursors"
    // For answers whose story is only known once they ran (a cache's hits, misses and fallbacks): called after the
    // runs, its text is appended to the run's note. May be empty.
    std::function<QString()> noteAfterRuns;
    // How the page is identified, for SQL whose rows carry no "source" and "id" (an experiment's query, compared by
    // the experiment's check rules): the keys comparePages() compares, or an error that fails the run. Called outside
    // the timed section.
    std::function<Result<QStringList>(const PgResult &)> pageKeys;
    bool explainable() const { return !sql.isEmpty(); }
};

// Storage a strategy holds outside this database's relations: a standby's copy of the data, a search server's index.
struct OutsideStorage {
    QString what; // "a standby's copy of this database", "the Xapian index on disk"
    qint64 bytes = -1; // -1: not known (a server that is not PlanSight's)
};

class Strategy {
public:
    virtual ~Strategy() = default;
    virtual StrategyInfo info() const = 0;
    QString id() const { return info().id; }

    // What apply() would create, one line per object, for the confirmation on servers that are not the demo.
    virtual QStringList plannedObjects() const = 0;
    // `context`: the demo or another server, and the lock_timeout (strategies/ddlplan.h). The default is the demo's
    // (transactional index builds); callers that may work on another server pass ApplyContext::forTarget().
    virtual Status apply(
        PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context = {})
        = 0;
    virtual Status revert(PgSession &session, CancelToken *cancel, const ApplyContext &context = {}) = 0;
    // The DDL apply() and revert() run for `context`, in order (empty for strategies without objects). An error
    // only when the strategy's SQL does not fit its declaration (a step declared concurrent that is not CREATE INDEX).
    virtual Result<DdlPlan> plannedDdl(const ApplyContext &context) const
    {
        return DdlPlan { context.lockTimeoutMs, {} };
    }
    virtual Result<DdlPlan> plannedRevertDdl(const ApplyContext &context) const
    {
        return DdlPlan { context.lockTimeoutMs, {} };
    }
    virtual Result<StrategyStatus> status(PgSession &session) const = 0;
    // May run preparatory statements (p6 follows cursors to reach a deep page); what it returns is what
    // the runner times.
    virtual Result<StrategyQuery> query(PgSession &session, const Workload &workload) = 0;
    // Names of the indexes this strategy creates (schema-qualified), for hiding them from other
    // strategies' runs with HypoPG.
    virtual QStringList indexNames() const { return {}; }
    // The partitioned tables this strategy creates, with their leaf partitions (plan/planmetrics.h, R14), so that
    // views can say how many partitions a plan read of how many. Only the strategy's own tables: a name listed
    // here is taken as a partition wherever a plan reads it.
    virtual QList<PartitionTree> partitionTrees() const { return {}; }
    // Wall time of the last apply() in this process that built the objects, in ms; -1 when none did (not
    // applied here, already applied, or a strategy without objects). Strategy objects from allStrategies()
    // are shared, so this survives between calls; see strategies/footprint.h for sizes and write cost.
    virtual double lastBuildMs() const { return -1; }
    // What the applied strategy stores outside this database (strategies/footprint.h adds it to the footprint's
    // bytes and lists it with the objects); nullopt for strategies that keep everything in the database.
    virtual std::optional<OutsideStorage> outsideStorage(PgSession &) const { return std::nullopt; }
    // Before it is built: the most bytes apply() will have written on the embedded demo's disk outside the database
    // at once (PlanSight's own standby, its own search index), for the disk check (strategies/diskspace.h), which
    // adds it once; 0 for strategies that write nothing there, or that use the user's own server.
    virtual Result<qint64> outsideBytesToBuild(PgSession &) const { return qint64(0); }
    // The objects the last apply() in this process created that carry no strategy prefix, with their sizes (an
    // experiment's variant, experiment/experimentstrategy.h); empty for the catalog's strategies, whose objects carry
    // their prefix. The footprint lists them, and the plan check counts them as this strategy's own.
    virtual QList<CreatedObject> createdObjects() const { return {}; }
    // The setting overrides its runs are made under (docs/settings.md): an experiment's variant's, a settings variant's
    // (strategies/settingsvariantstrategy.h); empty for the others. The measurement (bench/measure.h) sets them before
    // query() and puts them back after the strategy's runs of a workload, so no other strategy runs under them; the
    // run records them (StrategyRun::settings) and its note says them.
    virtual QList<SettingOverride> settingOverrides() const { return {}; }
};

// VACUUM (FULL, ANALYZE) of the tables a reverted strategy rewrote (StrategyInfo::rewritesTables), giving
// back the space and the physical layout the base schema had. It takes an ACCESS EXCLUSIVE lock on each
// table for the time of a rewrite, so callers run it only on the embedded demo. Cancellable.
Status compactTables(PgSession &session, const StrategyInfo &info, CancelToken *cancel);
// The warning for a revert whose compaction did not happen (`why`: "cancelled", or the error): the tables stay
// about four times their size, and how to finish it (the revert command, which compacts on the demo, or the
// VACUUM FULL statement).
QString notCompactedMessage(const StrategyInfo &info, const QString &why);

// The command that removes a strategy's objects: "plansight strategies revert <id>".
QString revertCommand(const QString &id);

// Reverts `strategy` after a cancelled or failed step, reliably: it first waits until every callback of
// `cancel` has run (none of them can then cancel the revert), clears the session's cancel flag, and reverts
// with no token under a statement timeout of its own (`timeoutMs`; the session's own timeout comes back
// afterwards), trying again when a later cancel still interrupts it. On failure the error says what is left
// and names revertCommand(). Leaves the session's cancel flag clear.
// `context` is the apply's (its lock_timeout holds for the revert too).
inline constexpr int RevertTimeoutMs = 5 * 60 * 1000;
Status revertAfterCancel(Strategy &strategy, PgSession &session, CancelToken *cancel, const ApplyContext &context = {},
    int timeoutMs = RevertTimeoutMs);

// Blocks until no callback of an earlier cancel() of `token` is still running (nullptr: returns at once).
void waitForCancelCallbacks(CancelToken *token);

// The catalog, in display order (baseline first). strategyById() also makes a settings variant of a strategy of the
// catalog from its id ("baseline [jit=off]", strategies/settingsvariantstrategy.h). Unknown id: nullptr.
QList<std::shared_ptr<Strategy>> allStrategies();
std::shared_ptr<Strategy> strategyById(const QString &id);
// The prefix every object of strategy `id` carries: "ps_" + id with '-' replaced by '_'.
QString objectPrefix(const QString &id);
// For plan diffs (PlanDiffOptions::describeObject): "an object of strategy x-topn" for an object of a strategy of
// the catalog, empty for any other name.
QString describeStrategyObject(const QString &objectName);
// For the views' pruning line (PartitionLookup, plan/planmetrics.h R14): the partitioned table of the catalog's
// strategies whose leaf `relation` is, or nullopt.
std::optional<PartitionTree> strategyPartitionTree(const QString &relation);

} // namespace plansight
