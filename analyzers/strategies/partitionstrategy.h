#pragma once

#include "strategies/schemastrategy.h"

namespace plansight {

// p9-partition and p9-partition-hash: the review's P9 (docs/gallery.md, "Partitioning the junction (P9)"), built
// as the strategy's own copy of content_tags, PARTITION BY LIST (content_source) with one partition for 'regular',
// one for 'auto' and a DEFAULT one for any other value (so that no write to content_tags is ever refused by
// the copy). p9-partition-hash splits the 'regular' and 'auto' partitions further by HASH (tag_id) into
// HashModulus partitions each. Every leaf has a (content_id, tag_id) and a (tag_id, content_id) index; statement
// triggers on content_tags (insert, delete, update, truncate) keep the copy equal to it.
//
// The query is the baseline's, with the EXISTS on the copy and the source a literal ('regular' or 'auto', the
// workload's fixed enum values, checked against that set), so the planner keeps one partition per branch.
class PartitionStrategy : public SchemaStrategy {
public:
    // 8: 101 tags are used at every scale, so each hash leaf holds about 12 of them (about 10 million rows of the
    // 'auto' partition at scale 1, a few hundred MB with its indexes); more leaves add planning time and
    // uneven leaves (with so few tags per leaf) without making a probe cheaper.
    static constexpr int HashModulus = 8;

    explicit PartitionStrategy(bool hash);

    StrategyInfo info() const override;
    QList<SchemaObject> objects() const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
    // The two partitioned indexes of the root: DROP INDEX of one removes every partition's (a partition's own
    // index cannot be dropped while attached). They are on the strategy's own tables, which no other strategy reads.
    QStringList indexNames() const override;
    // The copy and its leaves: regular, auto and other; with hash, each hash partition of regular and auto instead
    // of those two.
    QList<PartitionTree> partitionTrees() const override;

    // The copy, schema-qualified: "public.ps_p9_partition_content_tags".
    QString table() const;
    // The tables of the partition tree, root first (their indexes are named <table>_content and <table>_tag).
    QStringList tables() const;

protected:
    QList<Step> applySteps() const override;
    // The steps shared by both variants live in resources/sql/strategies/p9-partition/ with PS_PREFIX standing
    // for the strategy's prefix; the table step is each variant's own.
    QString stepSql(const QString &sqlName) const override;

private:
    bool m_hash;
};

// The SQL literal of a content_source value for a partitioned copy: 'regular' or 'auto'. Anything else is an
// internal error, never SQL: the value becomes part of the statement text so that partitions are pruned when it
// is planned.
Result<QString> partitionSourceLiteral(const QString &value);

} // namespace plansight
