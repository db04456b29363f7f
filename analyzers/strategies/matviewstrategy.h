#pragma once

#include "strategies/refresh.h"

namespace plansight {

// p1-matview: the review's P1 (docs/gallery.md, "Refreshed on a schedule"). The gallery rows of the K most popular tags
// (by items, chosen when it is applied) in one materialized view ps_p1_matview_gallery (tag_id, the gallery's columns,
// the creator's username, the source), with a unique (tag_id, source, id) index so that REFRESH ... CONCURRENTLY
// works, a (tag_id, created_at DESC, id DESC, source DESC) index for newest-first pages and a (tag_id, creator_id,
// created_at DESC, id DESC) index for the creator filter. Refreshed every 5 minutes (strategies/refresh.h), so it
// may be stale.
//
// The query reads the view when every tag of the workload is popular (any: one row per item of any of them; all:
// the first tag's rows whose item has a row of each other tag) and is the baseline's query otherwise or without a
// tag; StrategyQuery::note says which. query() looks the tags up in ps_p1_matview_popular first.
class MatviewStrategy : public RefreshableStrategy {
public:
    static constexpr int DefaultTopTags = 20;
    // K: PLANSIGHT_P1_TOP_TAGS when set (a whole number from 1 to MaxTopTags), else DefaultTopTags; an invalid
    // value is an Input error naming it. Read when apply() builds the view.
    static constexpr int MaxTopTags = 1000;
    static Result<int> topTags();

    StrategyInfo info() const override;
    QList<SchemaObject> objects() const override;
    // Sets K for the view's SQL (a bound set_config), then RefreshableStrategy::apply().
    Status apply(
        PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context = {}) override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;

protected:
    QList<Step> applySteps() const override;
};

} // namespace plansight
