#pragma once

#include "strategies/querystrategy.h"

namespace plansight {

// p5-prejoin: filter content_tags first (the matching (content_id, content_source) pairs, once), then join
// the content tables to that set. any: tag_id = ANY(tags) (PostgreSQL's form of IN (...)); all: GROUP BY
// the item HAVING count(DISTINCT tag_id) = number of tags. Builds no objects.
class PrejoinStrategy : public QueryStrategy {
public:
    StrategyInfo info() const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
};

} // namespace plansight
