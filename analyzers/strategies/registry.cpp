// The strategy catalog (docs/architecture.md, "The strategy contract"), in display order.
//
// The objects are created once per process and shared: every method is callable from any worker thread
// (strategies hold no connection; their only state is the atomic build time of SchemaStrategy).

#include "strategies/baselinestrategy.h"
#include "strategies/compositeindexstrategy.h"
#include "strategies/cursorstrategy.h"
#include "strategies/matviewstrategy.h"
#include "strategies/partitionstrategy.h"
#include "strategies/prejoinstrategy.h"
#include "strategies/rediscachestrategy.h"
#include "strategies/replicastrategy.h"
#include "strategies/rumstrategy.h"
#include "strategies/searchstrategy.h"
#include "strategies/settingsvariantstrategy.h"
#include "strategies/tagarraystrategy.h"
#include "strategies/tagcountsstrategy.h"
#include "strategies/topnstrategy.h"
#include "strategies/unifiedstrategy.h"

#include "plan/plandiff.h"

namespace plansight {

QString toString(StrategyState s)
{
    switch (s) {
    case StrategyState::NotApplied:
        return QStringLiteral("not applied");
    case StrategyState::Applied:
        return QStringLiteral("applied");
    case StrategyState::Broken:
        return QStringLiteral("broken");
    }
    return QString();
}

QList<std::shared_ptr<Strategy>> allStrategies()
{
    static const QList<std::shared_ptr<Strategy>> all {
        std::make_shared<BaselineStrategy>(),
        std::make_shared<MatviewStrategy>(),
        std::make_shared<RedisCacheStrategy>(),
        std::make_shared<RedisMissStrategy>(),
        std::make_shared<TagArrayStrategy>(),
        std::make_shared<CompositeIndexStrategy>(),
        std::make_shared<PrejoinStrategy>(),
        std::make_shared<CursorStrategy>(),
        std::make_shared<ReplicaStrategy>(),
        std::make_shared<TagCountsStrategy>(),
        std::make_shared<PartitionStrategy>(false),
        std::make_shared<PartitionStrategy>(true),
        std::make_shared<SearchStrategy>(),
        std::make_shared<TopNStrategy>(),
        std::make_shared<RumStrategy>(),
        std::make_shared<UnifiedStrategy>(false),
        std::make_shared<UnifiedStrategy>(true),
    };
    return all;
}

std::shared_ptr<Strategy> strategyById(const QString &id)
{
    // A settings variant ("baseline [jit=off]") is made on demand around the catalog's strategy.
    if (isSettingsVariantId(id)) {
        auto variant = strategyFromId(id);
        return variant ? variant.value() : nullptr;
    }
    const QString wanted = id.trimmed().toLower();
    for (const auto &s : allStrategies()) {
        if (s->id() == wanted)
            return s;
    }
    return nullptr;
}

QString objectPrefix(const QString &id)
{
    QString p = QStringLiteral("ps_") + id;
    p.replace(QLatin1Char('-'), QLatin1Char('_'));
    return p;
}

QString describeStrategyObject(const QString &objectName)
{
    static const QStringList ids = [] {
        QStringList out;
        for (const auto &s : allStrategies())
            out << s->id();
        return out;
    }();
    const QString id = strategyOwningObject(objectName, ids);
    return id.isEmpty() ? QString() : QStringLiteral("an object of strategy ") + id;
}

std::optional<PartitionTree> strategyPartitionTree(const QString &relation)
{
    static const QList<PartitionTree> trees = [] {
        QList<PartitionTree> out;
        for (const auto &s : allStrategies())
            out << s->partitionTrees();
        return out;
    }();
    for (const PartitionTree &t : trees)
        if (t.leaves.contains(relation))
            return t;
    return std::nullopt;
}

} // namespace plansight
