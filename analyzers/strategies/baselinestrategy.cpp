#include "strategies/baselinestrategy.h"

#include "strategies/galleryquery.h"

namespace plansight {

StrategyInfo BaselineStrategy::info() const
{
    StrategyInfo i;
    i.id = QStringLiteral("baseline");
    i.title = QStringLiteral("Current query (baseline)");
    i.proposal = QStringLiteral("current");
    i.operations = QStringLiteral("Nothing new: the query as the application runs it today.");
    i.description = QStringLiteral(
        "The review's current implementation: one UNION ALL branch per content-source kind, each joined to users "
        "and filtered by a correlated EXISTS on content_tags, ordered by created_at and id, cut with LIMIT/OFFSET. "
        "Every other strategy's page is checked against it.");
    i.needsObjects = false;
    return i;
}

Result<StrategyQuery> BaselineStrategy::query(PgSession &, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    return baselineQuery(workload);
}

} // namespace plansight
