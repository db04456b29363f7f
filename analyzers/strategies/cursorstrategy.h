#pragma once

#include "strategies/querystrategy.h"

class QByteArray;

namespace plansight {

class PgResult;
class GalleryQueryBuilder;

// Where the previous page ended: the last row's sort key, id and source (the ordering of every strategy,
// see galleryquery.h). A plain value; travels to clients only as an opaque token (encodeCursor).
struct PageCursor {
    bool sortValueIsNull = false; // quality_score may be NULL; created_at never is
    QString sortValue; // as PostgreSQL printed it: "2025-06-01 12:00:00.123456" or "0.25"
    qint64 id = 0;
    QString source; // "regular" or "auto"

    bool operator==(const PageCursor &o) const
    {
        return sortValueIsNull == o.sortValueIsNull && sortValue == o.sortValue && id == o.id && source == o.source;
    }
};

// The token: base64url (no padding) of a compact payload (format version, a fingerprint of the workload
// without its page, the sort field, the key) followed by a 128-bit HMAC-SHA256 of it. The HMAC key is
// random per process, so a token is valid in the process that issued it, for the workload it was issued
// for. Decoding a malformed, truncated, altered or foreign token is an errc::Input error in one sentence.
QString encodeCursor(const PageCursor &cursor, const Workload &workload);
Result<PageCursor> decodeCursor(const QString &token, const Workload &workload);

// p6-cursor: keyset pagination. A page is "the page size rows after the cursor" with a row comparison
// (sort key, id, source) < ($a, $b, $c) in every branch, which an index on the sort key can serve, instead
// of OFFSET, which reads and drops every earlier row. Page N is reached by following N-1 cursors.
class CursorStrategy : public QueryStrategy {
public:
    StrategyInfo info() const override;
    // Walks pages 1..N-1 (one keyset query each) and returns the keyset query of page N with the last
    // cursor; the note says how many cursors were followed.
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
    // The keyset query of the page after `token` (empty token: the first page); a bad token is an
    // errc::Input error. The workload's page number is ignored.
    Result<StrategyQuery> queryAfter(const Workload &workload, const QString &token) const;
    // The token for the page after `page` (rows of a query from this strategy); empty when `page` has no
    // rows. An errc::Input error when the rows lack the key columns.
    static Result<QString> nextToken(const PgResult &page, const Workload &workload);

private:
    static StrategyQuery keysetQuery(const Workload &workload, const PageCursor *after);
};

} // namespace plansight
