#pragma once

// An experiment's baseline and variants as strategies (docs/experiments.md, "Variants are strategies"), so that the
// benchmark runner (bench/runner.h), the history, the charts and the report take them as they take the gallery's.
//
// - The baseline is a strategy with id "baseline" (so the runner checks every variant's rows against it) that runs
//   the experiment's query with the workload's parameter set bound.
// - A variant's apply() runs its setup as a DdlPlan (strategies/ddlplan.h): its statements inside one transaction,
//   except those PostgreSQL refuses there (CREATE INDEX CONCURRENTLY, VACUUM, ...), which run alone, each its own
//   step; BEGIN and COMMIT of the file are left out (the plan's transaction takes their place). It reads the catalog
//   before and after (experiment/catalogdiff.h): the objects it created, with their bytes, are createdObjects() and
//   the build time is lastBuildMs().
// - revert() runs the teardown the same way, then reads the catalog again: anything the setup created that is still
//   there, or anything that was there before and is gone, is an error naming the objects. It reverts only what this
//   object applied (a variant's objects carry no prefix, so there is no other way to know them).
// - query() binds the workload's values (Workload::experiment). The variant's setting overrides are its
//   settingOverrides(): the measurement sets them for its runs and puts them back afterwards
//   (pg/sessionsettings.h, bench/measure.h), so no variant sees another's settings; the run records them, its note
//   says them, and EXPLAIN (SETTINGS) shows them.
// - The page is the rows as the experiment's check rules say (experimentPageKeys()).
//
// Threading: like every strategy, a worker thread's. Unlike the catalog's strategies the objects keep state (what
// apply() created), so a session makes its own with experimentStrategies().

#include "experiment/catalogdiff.h"
#include "experiment/experiment.h"
#include "strategies/strategy.h"

#include <memory>
#include <optional>

namespace plansight {

class ExperimentStrategy : public Strategy {
public:
    // `variantIndex` -1: the baseline.
    ExperimentStrategy(std::shared_ptr<const Experiment> experiment, int variantIndex);

    StrategyInfo info() const override;
    QStringList plannedObjects() const override;
    Status apply(
        PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context = {}) override;
    Status revert(PgSession &session, CancelToken *cancel, const ApplyContext &context = {}) override;
    Result<DdlPlan> plannedDdl(const ApplyContext &context) const override;
    Result<DdlPlan> plannedRevertDdl(const ApplyContext &context) const override;
    Result<StrategyStatus> status(PgSession &session) const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
    QStringList indexNames() const override;
    double lastBuildMs() const override { return m_buildMs; }
    QList<CreatedObject> createdObjects() const override { return m_created; }
    QList<SettingOverride> settingOverrides() const override;

    const ExperimentVariant *variant() const; // nullptr for the baseline
    bool isApplied() const { return m_before.has_value(); }
    // The last revert's error (what the teardown left, or why it failed); empty when it left the catalog as it was.
    QString lastTeardownProblem() const { return m_teardownProblem; }

private:
    std::shared_ptr<const Experiment> m_experiment;
    int m_variant;
    std::optional<CatalogState> m_before; // the catalog before the setup, while applied
    QList<CreatedObject> m_created;
    double m_buildMs = -1;
    QString m_teardownProblem;
};

// The baseline, then one strategy per variant, in the manifest's order.
QList<std::shared_ptr<ExperimentStrategy>> experimentStrategies(std::shared_ptr<const Experiment> experiment);
// The setup and teardown of every variant that has them, verbatim, as the DDL plans run them (BEGIN and COMMIT where
// PostgreSQL allows a transaction, and a note on each statement that must run alone): what `plansight run` and the
// window show before they run them on a server that is not the demo, and what --dry-run prints. Empty when no
// variant has a setup.
Result<QString> experimentSetupText(
    const QList<std::shared_ptr<ExperimentStrategy>> &strategies, const ApplyContext &context);

// One workload per parameter set, in the manifest's order (Workload::experiment set).
QList<Workload> experimentWorkloads(const Experiment &experiment);

// A setup or teardown script as a DdlPlan: one transactional step with the statements PostgreSQL allows in a
// transaction, and a step of its own for each statement it does not (`label` names the file). BEGIN, COMMIT, END
// and START TRANSACTION statements are dropped.
DdlPlan scriptPlan(const QString &script, const QString &label, int lockTimeoutMs);
// True for a statement PostgreSQL refuses inside a transaction block (anything CONCURRENTLY, VACUUM, CREATE or DROP
// DATABASE or TABLESPACE, ALTER SYSTEM).
bool runsOutsideTransaction(const QString &statement);

// The keys comparePages() compares for a result with `columns` and `rows` (each value as text; nullopt is NULL) under
// the experiment's `check`: one key per row made of the key columns (all when none are named), sorted for a multiset;
// more rows than check.rowCap give one key, a hash of all of them with the row count. An errc::Input error when a key
// column is not in the result.
struct ResultRows {
    QStringList columns;
    QList<QList<std::optional<QString>>> rows;
};
Result<QStringList> experimentPageKeys(const ResultRows &result, const ExperimentCheck &check);

} // namespace plansight
