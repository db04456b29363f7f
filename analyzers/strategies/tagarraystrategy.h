#pragma once

#include "strategies/schemastrategy.h"

namespace plansight {

// p3-tag-array: a denormalized uuid[] of each item's tags on both content tables (column
// ps_p3_tag_array_tag_ids), GIN-indexed, kept equal to content_tags by triggers; the query filters with &&
// (any) or @> (all) instead of the EXISTS on the junction.
class TagArrayStrategy : public SchemaStrategy {
public:
    StrategyInfo info() const override;
    QList<SchemaObject> objects() const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;

protected:
    QList<Step> applySteps() const override;
};

} // namespace plansight
