#pragma once

#include "strategies/schemastrategy.h"

namespace plansight {

// p4-indexes: the review's indexes on content_tags (composite (tag_id, content_source, content_id) and one
// partial (tag_id, content_id) index per source), then VACUUM ANALYZE; the baseline query unchanged.
class CompositeIndexStrategy : public SchemaStrategy {
public:
    StrategyInfo info() const override;
    QList<SchemaObject> objects() const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;

protected:
    QList<Step> applySteps() const override;
};

} // namespace plansight
