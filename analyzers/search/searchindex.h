#pragma once

// The gallery's search index in Xapian (docs/strategies.md, "p10-search"), spoken to over Xapian's remote protocol
// (a xapian-tcpsrv --writable server: search/xapianserver.h on the demo, --search HOST:PORT elsewhere).
//
// One document per content item and per database ("scope": one server may index several databases):
//   terms    S<scope>                      the database the item belongs to
//            Q<scope>:<source>:<id>        the item's unique id term (replace_document by term)
//            B<scope>:<source>             its source kind's table: regular or auto
//            C<scope>:<creator uuid>       its creator
//            K<scope>:<tag uuid>           one per tag
//   values   0  created_at, microseconds since the epoch (sortable_serialise)
//            1  id (sortable_serialise)
//            2  source ("regular" or "auto": the source facet, ValueCountMatchSpy)
//            3  the created_at sort key: created_at, id, source as fixed-width big-endian bytes, so that the byte
//               order of the key is the gallery query's ORDER BY created_at, id, source (docs/gallery.md) and a
//               keyset cursor is one value range on it
//            4  the same with quality_score in place of created_at
//            5  the outbox sequence number of the last change indexed (sortable_serialise; 0 for the bulk load):
//               how the sync lag probe sees a change arrive
//   data     "<source>:<id>"
// A NULL created_at or quality_score sorts as PostgreSQL sorts NULL: after every value in ascending order.
//
// Errors: every Xapian exception becomes an Error with code errc::Connection when the server could not be reached
// or the connection broke (the caller falls back to PostgreSQL and reconnects later), errc::Internal otherwise.
//
// Not thread-safe: one SearchIndex per thread, or a mutex around it.

#include "search/xapianserver.h"
#include "session/workload.h"
#include "util/result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace plansight {

struct SearchItem {
    QString source; // "regular" or "auto"
    qint64 id = 0;
    QString creatorId;
    std::optional<qint64> createdUs; // created_at in microseconds since the epoch
    std::optional<double> quality;
    QStringList tagIds;
    qint64 changeSeq = 0;
};

// The fixed-width sort keys of value slots 3 and 4.
QByteArray searchSortKey(const std::optional<qint64> &createdUs, qint64 id, const QString &source);
QByteArray searchSortKey(const std::optional<double> &quality, qint64 id, const QString &source);

// One page of the gallery query, as the index answers it.
struct SearchRequest {
    QString scope;
    Workload workload;
    // Keyset paging: the sort key (slot 3 or 4) of the last row of the previous page; the page starts after it.
    // Empty: paged by offset (Workload::offset()).
    QByteArray after;
};

struct SearchFacets {
    qint64 matches = 0; // documents matching the request (exact)
    QList<QPair<QString, qint64>> sources; // "auto" -> count among the matches (ValueCountMatchSpy)
    QList<QPair<QString, qint64>> tags; // the most used tags of the scope: tag uuid -> documents (term counts)
};

class SearchIndex {
public:
    explicit SearchIndex(SearchEndpoint endpoint);
    ~SearchIndex();
    SearchIndex(const SearchIndex &) = delete;
    SearchIndex &operator=(const SearchIndex &) = delete;

    const SearchEndpoint &endpoint() const { return m_endpoint; }
    // Forgets both connections (after the server was lost); the next call connects again.
    void reset();

    // The page's items as "source:id", in the gallery query's order; `lastKey`, when given, receives the sort key of
    // the page's last document (empty for an empty page).
    Result<QStringList> page(const SearchRequest &request, QByteArray *lastKey = nullptr);
    // The sort key of the document at `position` (from 0) of the request's full order: the cursor a reader who
    // followed "next page" up to there would hold. Empty when there are fewer documents.
    Result<QByteArray> keyAt(const SearchRequest &request, qint64 position);
    Result<SearchFacets> facets(const SearchRequest &request, int topTags);

    // Writes (through the writable connection): add or replace items, delete one, delete a whole scope, commit.
    Status put(const QString &scope, const QList<SearchItem> &items);
    Status remove(const QString &scope, const QString &source, qint64 id);
    Status removeScope(const QString &scope);
    Status commit();
    Status setMetadata(const QString &key, const QString &value);
    Result<QString> metadata(const QString &key);
    // Documents of the scope (what a reader sees now).
    Result<qint64> count(const QString &scope);
    // Value slot 5 of an item (the outbox sequence of its last indexed change), -1 when it is not indexed.
    Result<qint64> changeSeq(const QString &scope, const QString &source, qint64 id);
    // Whether every document belongs to `scope` (true for an empty index): then a revert on PlanSight's own server
    // removes the index directory instead of deleting the scope's documents one by one.
    Result<bool> holdsOnly(const QString &scope);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    SearchEndpoint m_endpoint;
};

} // namespace plansight
