#pragma once

#include "strategies/schemastrategy.h"

namespace plansight {

// x-unified: the fix the app's team shipped (docs/gallery.md, "The fix the app's team shipped"), as it shipped:
// a parent PARTITION BY LIST over both content tables (attached as its partitions for 'items' and 'auto', through a
// new source column with those defaults), a partitioned unique index on (id, source), a keyset index
// (created_at DESC, id DESC) per partition, the junction index (tag_id, content_source, content_id), and one
// statement over the parent whose EXISTS compares ct.content_source with the parent's source as they are.
//
// x-unified-fixed: the same objects and statement, with the source values mapped: the parent's partition of regular
// items is FOR VALUES IN ('regular'), the junction's value, instead of 'items' (and the source is the final
// tie-break of the order, as every strategy has). Mapping the stored value rather than in the EXISTS keeps the
// shipped statement: with a CASE in the EXISTS the canonical page took 311 ms instead of about 1 ms at scale 0.1.
//
// Every object carries the strategy's prefix (ps_x_unified_content_items_all, column ps_x_unified_source_type): on
// a copy of the app's database made after the fix, content_items_all and source_type are the app's, and revert()
// must never drop those. The two variants cannot be applied together, nor with p3-tag-array (a partition has no
// column its parent lacks): apply() says so and changes nothing.
//
// The page's "source" column names the junction's value ('regular' or 'auto') for either variant, so the result
// check compares which items come back, not how the parent spells their source; the parent's value is returned
// too, as source_type.
class UnifiedStrategy : public SchemaStrategy {
public:
    explicit UnifiedStrategy(bool fixed);

    StrategyInfo info() const override;
    QList<SchemaObject> objects() const override;
    // Also Broken when the content tables are not both partitions of the parent.
    Result<StrategyStatus> status(PgSession &session) const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;

    // The parent, schema-qualified: "public.ps_x_unified_content_items_all".
    QString parent() const;
    // The source column of the parent and of both content tables: "ps_x_unified_source_type".
    QString sourceColumn() const;
    // Its value for regular items: "items" as shipped, "regular" in x-unified-fixed.
    QString regularValue() const;

protected:
    QList<Step> applySteps() const override;
    // Both variants run the SQL of resources/sql/strategies/x-unified/ with PS_PREFIX standing for their prefix and
    // PS_REGULAR for regularValue().
    QString stepSql(const QString &sqlName) const override;

private:
    bool m_fixed;
};

} // namespace plansight
