#include "bench/service.h"

#include "strategies/safety.h"
#include "strategies/searchstrategy.h"
#include "strategies/settingsvariantstrategy.h"

#include <algorithm>

namespace plansight {

BenchServerView serverView(PgSession &session)
{
    BenchServerView v;
    v.state = [&session](const Strategy &s) -> Result<StrategyState> {
        auto st = s.status(session);
        if (!st)
            return st.error();
        return st->state;
    };
    v.resolvePreset = [&session](const QString &preset) { return resolvePreset(preset, session); };
    return v;
}

QStringList BenchPlan::objectsToConfirm() const
{
    return plansight::objectsToConfirm(toCreate, true);
}

Result<QList<std::shared_ptr<Strategy>>> strategiesFromIds(const QStringList &ids)
{
    QStringList wanted;
    for (const QString &id : ids) {
        if (!id.trimmed().isEmpty())
            wanted.append(id.trimmed());
    }
    if (wanted.isEmpty() || wanted == QStringList { QStringLiteral("all") })
        return allStrategies();
    QList<std::shared_ptr<Strategy>> out;
    for (const QString &id : std::as_const(wanted)) {
        auto s = strategyFromId(id); // a settings variant too: "baseline [jit=off]"
        if (!s)
            return s.error();
        out.append(s.value());
    }
    return out;
}

Result<QList<std::shared_ptr<Strategy>>> withSettingsVariants(
    const QList<std::shared_ptr<Strategy>> &strategies, const QList<QList<SettingOverride>> &variants)
{
    QList<std::shared_ptr<Strategy>> out = strategies;
    for (const QList<SettingOverride> &settings : variants) {
        for (const auto &s : strategies) {
            if (std::dynamic_pointer_cast<SettingsVariantStrategy>(s))
                continue; // a variant asked for by its id is measured as asked
            auto v = makeSettingsVariant(s, settings);
            if (!v)
                return v.error();
            out.append(v.value());
        }
    }
    return out;
}

Result<BenchPlan> prepareBench(const BenchRequest &request, const BenchServerView &server)
{
    BenchPlan plan;
    plan.target = request.target;
    if (plan.target.isDemo && plan.target.label.isEmpty())
        plan.target.label = QStringLiteral("embedded demo");
    plan.options = request.options;
    auto strategies = strategiesFromIds(request.strategyIds);
    if (!strategies)
        return strategies.error();
    auto withVariants = withSettingsVariants(strategies.value(), request.settingsVariants);
    if (!withVariants)
        return withVariants.error();
    plan.options.strategies = withVariants.value();
    if (server.resolvePreset) {
        // Resolved now (not by the run) so that a wrong name fails before anything runs.
        for (const QString &preset : std::as_const(request.options.presets)) {
            auto ws = server.resolvePreset(preset);
            if (!ws)
                return ws.error();
            plan.options.workloads += ws.value();
        }
        plan.options.presets.clear();
    }
    if (auto st = BenchRunner::validate(plan.options, plan.target); !st)
        return st.error();
    // Against a server that is not the demo, nothing is created unasked.
    if (!plan.target.isDemo) {
        for (const auto &measured : std::as_const(plan.options.strategies)) {
            // A settings variant uses its inner strategy's objects: they are confirmed once, as that strategy's.
            const auto s = objectOwner(measured);
            if (!s->info().needsObjects
                || std::any_of(
                    plan.toCreate.cbegin(), plan.toCreate.cend(), [&](const auto &c) { return c->id() == s->id(); }))
                continue;
            auto state = server.state(*s);
            if (!state)
                return state.error();
            if (state.value() != StrategyState::Applied)
                plan.toCreate.append(s);
        }
    }
    plan.confirm(request.options.applyMissing);
    return plan;
}

BenchOutcome runBench(const BenchPlan &plan, CancelToken *cancel, const QList<SessionObserver *> &observers,
    std::unique_ptr<PgSession> session)
{
    // p10-search's server (strategies/searchstrategy.h): the one the front end gave (--search), else on the demo
    // PlanSight's own under the demo's directory, else none.
    SearchConfig search = searchConfig();
    if (!search.endpoint.isValid()) {
        search.serverRoot = plan.target.isDemo && !plan.target.demoRoot.isEmpty()
            ? plan.target.demoRoot + QStringLiteral("/search")
            : QString();
        setSearchConfig(search);
    }
    if (session)
        return BenchRunner(plan.target, std::move(session)).run(plan.options, cancel, observers);
    return BenchRunner(plan.target).run(plan.options, cancel, observers);
}

} // namespace plansight
