#pragma once

// Strategies that only change the query (baseline, p5, p6): nothing to build, so they are always applied.

#include "strategies/strategy.h"

namespace plansight {

class QueryStrategy : public Strategy {
public:
    QStringList plannedObjects() const override { return {}; }
    Status apply(PgSession &, CancelToken *cancel, const ProgressFn &progress, const ApplyContext & = {}) override
    {
        if (cancel && cancel->isCancelled())
            return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
        if (progress)
            progress(1, 1, QStringLiteral("%1 needs no database objects").arg(id()));
        return {};
    }
    Status revert(PgSession &, CancelToken *, const ApplyContext & = {}) override { return {}; }
    Result<StrategyStatus> status(PgSession &) const override
    {
        StrategyStatus st;
        st.state = StrategyState::Applied;
        st.detail = QStringLiteral("needs no database objects");
        return st;
    }
};

} // namespace plansight
