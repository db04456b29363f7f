#pragma once

// The bench service: the one use case both front ends (the CLI's bench verb and the window's Run) go through
// (docs/architecture.md, "The flow of one run").
//   1. prepareBench(): the target, the strategies (ids parsed here, once), the workloads (presets resolved when
//      a connection is at hand, so that a wrong name fails before anything runs) and the objects the user must
//      confirm: a BenchPlan, which the front end shows and confirms (BenchPlan::confirm).
//   2. runBench(): runs the plan (bench/runner.h) and tells the observers (session/sessionobserver.h) as it
//      goes: the history recorder (history/historyrecorder.h), the CLI printer, the window. Nothing is recorded
//      unless a recorder is attached.
//
// Threading: prepareBench() runs wherever its BenchServerView may be asked (a view over a live PgSession: that
// session's thread; the window's view over its cached strategy states: the GUI thread). runBench() blocks for
// the whole session and must run on a worker thread, like BenchRunner::run.

#include "bench/runner.h"

#include <functional>

namespace plansight {

class SessionObserver;

// What a front end asks for.
struct BenchRequest {
    BenchTarget target; // label empty: "embedded demo" for the demo, else the connection's user@host:port/db
    // Empty, or the one id "all": every strategy of the catalog. A settings variant's id ("baseline [jit=off]",
    // strategies/settingsvariantstrategy.h) names that variant.
    QStringList strategyIds;
    // Settings variants of every strategy of strategyIds (docs/settings.md): each list of overrides adds one row per
    // strategy, "<id> [<overrides>]", measured in the strategy's turn (bench --settings, the window's editor).
    QList<QList<SettingOverride>> settingsVariants;
    // The run's settings and its workloads and presets; `strategies` is filled by prepareBench from strategyIds.
    BenchOptions options;
};

// How prepareBench() learns what the server holds.
struct BenchServerView {
    // Whether a strategy's objects are there (required).
    std::function<Result<StrategyState>(const Strategy &)> state;
    // Resolves a preset to its workloads; empty: the presets are resolved when the session runs.
    std::function<Result<QList<Workload>>(const QString &preset)> resolvePreset;
};
// The view over a live connection: states read and presets resolved on it (its thread).
BenchServerView serverView(PgSession &session);

// A session ready to run: what the front ends show and confirm.
struct BenchPlan {
    BenchTarget target;
    BenchOptions options; // strategies parsed; workloads with the presets resolved when the view could
    // Strategies that need objects they do not have, on a server that is not the demo: applying them creates
    // objects, which the user confirms first (on the demo they are applied without asking).
    QList<std::shared_ptr<Strategy>> toCreate;

    bool needsConfirmation() const { return !toCreate.isEmpty(); }
    // What confirming creates, one line per object ("p4-indexes: index public.ps_p4_..."), with the HypoPG
    // extension the session may create; empty when nothing needs confirming.
    QStringList objectsToConfirm() const;
    // The user's answer: yes applies toCreate before measuring; no measures only the strategies that are ready
    // (the others are reported as skipped, with the command that applies them).
    void confirm(bool yes) { options.applyMissing = yes || target.isDemo; }
};

// The strategies of `ids` (empty or "all": every strategy; a settings variant's id makes that variant), or an
// errc::Input error naming the unknown id and the known ones, or the override it refuses.
Result<QList<std::shared_ptr<Strategy>>> strategiesFromIds(const QStringList &ids);
// `strategies`, then for each list of `variants` a settings variant of each strategy that is not one already.
Result<QList<std::shared_ptr<Strategy>>> withSettingsVariants(
    const QList<std::shared_ptr<Strategy>> &strategies, const QList<QList<SettingOverride>> &variants);

// Prepares a session: strategies parsed, presets resolved (when `server` can), the options validated
// (BenchRunner::validate), the strategies to confirm listed. An error in one sentence when the request cannot run.
Result<BenchPlan> prepareBench(const BenchRequest &request, const BenchServerView &server);

// Runs a prepared (and, where needed, confirmed) plan; `session`, when given, is an open connection to the
// target that the run takes over (the CLI already has one).
BenchOutcome runBench(const BenchPlan &plan, CancelToken *cancel, const QList<SessionObserver *> &observers,
    std::unique_ptr<PgSession> session = {});

} // namespace plansight
