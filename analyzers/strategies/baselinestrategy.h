#pragma once

#include "strategies/querystrategy.h"

namespace plansight {

// baseline: the review's current query (docs/gallery.md), the yardstick every other strategy's
// page and time are compared with. p4-indexes runs the same statement.
class BaselineStrategy : public QueryStrategy {
public:
    StrategyInfo info() const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
};

} // namespace plansight
