#pragma once

// p10-search: the review's search engine (P10, Elasticsearch in the review; Xapian here, docs/strategies.md,
// "p10-search").
//
// The index: one Xapian document per content item (search/searchindex.h), in a xapian-tcpsrv --writable server:
// PlanSight's own on the embedded demo (search/xapianserver.h, under <demo root>/search, started when needed and
// stopped when PlanSight exits), or the user's (--search HOST:PORT), which PlanSight never starts, stops or removes.
//
// Fed by change data capture through an outbox: apply() creates ps_p10_search_outbox and statement-level triggers on
// content_items, content_items_auto and content_tags that write one row per changed item (a TRUNCATE writes '*':
// load everything again), then bulk-loads every item (progress, cancel; its time, rate and the index's size are
// kept in the index's metadata and given in each run's note). The indexer is PlanSight itself: before each search
// it drains the outbox on a connection of its own (so only committed changes are indexed), replaces or deletes the
// changed items' documents, commits, and deletes exactly the outbox rows it indexed. Sync lag, from a change's
// commit to its being searchable, is measured by a probe in each query() and for every drained change.
//
// The answer: the page's (source, id) list from Xapian (any: OR of the tag terms, all: AND; the source kinds and the
// creator as filters; sorted by one value slot that orders as the baseline's ORDER BY; paged by offset, or by a
// keyset range after the cursor for a cursor workload), then the page's rows fetched from PostgreSQL by id in that
// order, with the baseline's columns. When the search server cannot be reached (not configured, not running, lost
// in the middle of a run), the baseline query answers and the note says so, naming the server; the next query()
// starts PlanSight's own server again.
//
// revert() drops the outbox and the triggers, and deletes the database's documents from the index; on PlanSight's
// own server, when no other database's documents remain, it stops the server and removes the index directory.
//
// State: the catalog's objects are shared, so the configuration, the server, the index connections and the
// indexer's connections are process-wide, behind one mutex.

#include "search/searchindex.h"
#include "strategies/schemastrategy.h"

#include <atomic>

namespace plansight {

struct SearchConfig {
    SearchEndpoint endpoint; // --search HOST:PORT: the user's server (wins over serverRoot)
    QString serverRoot; // PlanSight's own server's directory (<demo root>/search); empty: none
};
void setSearchConfig(const SearchConfig &config);
SearchConfig searchConfig();
// Stops PlanSight's own search server when this process started it (the process's exit does too).
void stopSearchServer();

// Indexes the committed changes waiting in the outbox of `session`'s database; returns how many items changed.
Result<int> syncSearchIndex(PgSession &session);
// One sync lag probe: an outbox row for an existing item, committed, then drained, until the index shows it; ms.
Result<double> measureSearchSyncLag(PgSession &session);
// Facet counts of a workload's matches (by source table, ValueCountMatchSpy) and the `topTags` most used tags of the
// database's documents (term counts).
Result<SearchFacets> searchFacets(PgSession &session, const Workload &workload, int topTags);

class SearchStrategy : public SchemaStrategy {
public:
    StrategyInfo info() const override;
    QList<SchemaObject> objects() const override;
    Status apply(
        PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context = {}) override;
    Status revert(PgSession &session, CancelToken *cancel, const ApplyContext &context = {}) override;
    // The catalog's objects, and, when the search server can be asked, whether the database's bulk load finished
    // (Broken when it did not: apply() loads it again). A server that cannot be asked leaves the catalog's word.
    Result<StrategyStatus> status(PgSession &session) const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
    // The catalog objects' build plus the bulk load.
    double lastBuildMs() const override;
    // The index's files when the server is PlanSight's own; not known for another server.
    std::optional<OutsideStorage> outsideStorage(PgSession &session) const override;
    // PlanSight's own index (no --search): SearchIndexBytesPerTagRow per junction row plus SearchIndexBytesPerItem
    // per item, from the planner's row counts. Measured at scale 0.1: 374 MiB for 8.8 million tag rows and 116,929
    // items; the estimate (about 540 MB there) stays above it. Twice that while it builds: Xapian writes new
    // segments before it merges and drops the old ones (the bulk load at scale 1 ran out of space at 5.9 GB free for
    // a 3.6 GiB index).
    Result<qint64> outsideBytesToBuild(PgSession &session) const override;
    static constexpr qint64 SearchIndexBytesPerTagRow = 48;
    static constexpr qint64 SearchIndexBytesPerItem = 1024;

protected:
    QList<Step> applySteps() const override;

private:
    std::atomic<double> m_bulkMs { -1.0 };
};

} // namespace plansight
