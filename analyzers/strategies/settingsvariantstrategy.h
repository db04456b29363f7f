#pragma once

// A settings variant (docs/settings.md): another strategy of the catalog measured under setting overrides, as a row of
// its own. Its id is the inner strategy's with the overrides in brackets, "baseline [jit=off]",
// "p4-indexes [random_page_cost=1.1; work_mem=64MB]"; everything else is the inner strategy's: the same objects
// (apply, revert, status, footprint and indexes are forwarded), the same query and so the same rows, checked against
// the baseline like any other row. Only settingOverrides() differ: the measurement (bench/measure.h) sets them around
// the runs and puts them back afterwards (pg/sessionsettings.h, the one home of that).
//
// The runner measures a variant in the turn of the strategy whose objects it uses (objectOwner()): prepared,
// isolated and reverted once for the group, so that "p4-indexes [random_page_cost=1.1]" runs on p4-indexes's
// indexes without building them twice and without counting them as another strategy's.
//
// Overrides are limited to settings that change plans or speed (settingChangesPlansOrSpeed); the server's check of
// names and values happens before anything runs (bench/runner.h).
//
// Threading: like the inner strategy; the object holds no state of its own besides the inner strategy and the list.

#include "strategies/strategy.h"

#include <memory>
#include <optional>

namespace plansight {

class SettingsVariantStrategy : public Strategy {
public:
    SettingsVariantStrategy(std::shared_ptr<Strategy> inner, QList<SettingOverride> settings);

    StrategyInfo info() const override;
    QStringList plannedObjects() const override { return m_inner->plannedObjects(); }
    Status apply(
        PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context = {}) override
    {
        return m_inner->apply(session, cancel, progress, context);
    }
    Status revert(PgSession &session, CancelToken *cancel, const ApplyContext &context = {}) override
    {
        return m_inner->revert(session, cancel, context);
    }
    Result<DdlPlan> plannedDdl(const ApplyContext &context) const override { return m_inner->plannedDdl(context); }
    Result<DdlPlan> plannedRevertDdl(const ApplyContext &context) const override
    {
        return m_inner->plannedRevertDdl(context);
    }
    Result<StrategyStatus> status(PgSession &session) const override { return m_inner->status(session); }
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
    QStringList indexNames() const override { return m_inner->indexNames(); }
    QList<PartitionTree> partitionTrees() const override { return m_inner->partitionTrees(); }
    double lastBuildMs() const override { return m_inner->lastBuildMs(); }
    std::optional<OutsideStorage> outsideStorage(PgSession &session) const override
    {
        return m_inner->outsideStorage(session);
    }
    QList<CreatedObject> createdObjects() const override { return m_inner->createdObjects(); }
    // The inner strategy's own overrides (an experiment's variant), then this variant's, which win on a name both set.
    QList<SettingOverride> settingOverrides() const override;

    const std::shared_ptr<Strategy> &inner() const { return m_inner; }
    const QList<SettingOverride> &overrides() const { return m_settings; }

private:
    std::shared_ptr<Strategy> m_inner;
    QList<SettingOverride> m_settings;
};

// "baseline [jit=off; work_mem=64MB]": the id of `innerId` under `settings` (formatSettingOverrides()).
QString settingsVariantId(const QString &innerId, const QList<SettingOverride> &settings);

// Whether `id` is a settings variant's id (an id followed by overrides in brackets).
bool isSettingsVariantId(const QString &id);

// The variant of `inner` under `settings`: an errc::Input error when `inner` is itself a settings variant (give all
// overrides in one list) or `settings` is empty.
Result<std::shared_ptr<Strategy>> makeSettingsVariant(
    const std::shared_ptr<Strategy> &inner, const QList<SettingOverride> &settings);

// The strategy an id names: a strategy of the catalog (strategyById), or a settings variant of one written as
// settingsVariantId() writes it ("p4-indexes [random_page_cost=1.1]"; parseSettingOverrides() reads the brackets, so a
// preset's name works there too). An errc::Input error in one sentence for an unknown strategy or a bad override.
Result<std::shared_ptr<Strategy>> strategyFromId(const QString &id);

// The strategy whose objects `strategy` uses and whose turn it is measured in: a settings variant's inner strategy,
// else the strategy itself.
std::shared_ptr<Strategy> objectOwner(const std::shared_ptr<Strategy> &strategy);

} // namespace plansight
