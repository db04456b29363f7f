#pragma once

#include "strategies/querystrategy.h"

#include <functional>

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

// Page N of a cursor workload for a strategy with a keyset form of its own (x-topn, x-rum). `pageQuery` builds one
// page of the workload it is given: by OFFSET (after == nullptr) or the page after a cursor. Pages 1..N-1 are
// followed one keyset query each; once `followBudgetMs` is spent, one OFFSET query of page N-1 gives the same cursor
// (its last row). Returns the keyset query of page N with its note prefixed by how it was reached ("page 7 reached by
// following 6 cursors; "); a page past the last row is the empty page, as OFFSET says. A workload not by cursor, or
// page 1: pageQuery's OFFSET query as it is.
using KeysetPageQuery = std::function<Result<StrategyQuery>(const Workload &workload, const PageCursor *after)>;
Result<StrategyQuery> pageByCursor(
    PgSession &session, const Workload &workload, qint64 followBudgetMs, const KeysetPageQuery &pageQuery);

// p6-cursor: keyset pagination. A page is "the page size rows after the cursor" with a row comparison
// (sort key, id, source) < ($a, $b, $c) in every branch, which an index on the sort key can serve, instead
// of OFFSET, which reads and drops every earlier row. Page N is reached by following N-1 cursors.
//
// Following cursors costs one keyset query per page, and on the base schema each of those is as slow as
// the baseline's first page (seconds at scale 1), so page 1000 cannot be reached that way in a benchmark.
// query() therefore follows cursors for up to followBudgetMs and then seeks: one keyset query after the
// last cursor with LIMIT 1 OFFSET k reads the last row of the page before page N, which is exactly the
// row whose key the next cursor would hold (the tests check both ways give the same token). What is
// measured is unchanged: the keyset query of page N after that cursor, the statement a user's "next page"
// runs.
class CursorStrategy : public QueryStrategy {
public:
    static constexpr int DefaultFollowBudgetMs = 15000;

    StrategyInfo info() const override;
    // Walks pages 1..N-1 (one keyset query each, then one seek when the budget is spent) and returns the
    // keyset query of page N with the resulting cursor; the note says how the page was reached.
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
    // The token of the cursor that ends page `workload.page - 1` (empty for page 1), and how it was reached.
    struct Reached {
        QString token;
        int followed = 0; // cursors followed one page at a time
        int sought = 0; // pages skipped by the final seek
        // The seek found no row: page N is past the end of the result. `token` is then the last cursor
        // followed and `sought` the pages from it to page N.
        bool pastEnd = false;
    };
    Result<Reached> reachPage(PgSession &session, const Workload &workload, qint64 followBudgetMs) const;
    // The keyset query of the page after `token` (empty token: the first page); a bad token is an
    // errc::Input error. The workload's page number is ignored.
    Result<StrategyQuery> queryAfter(const Workload &workload, const QString &token) const;
    // The token for the page after `page` (rows of a query from this strategy); empty when `page` has no
    // rows. An errc::Input error when the rows lack the key columns.
    static Result<QString> nextToken(const PgResult &page, const Workload &workload);
    // Runs `page` (a query of any strategy returning the gallery's columns) and returns the token after its
    // last row; empty when it returned no row.
    static Result<QString> tokenAfter(PgSession &session, const StrategyQuery &page, const Workload &workload);

private:
    // withOffset: LIMIT/OFFSET from the workload (for the seek), else LIMIT page size.
    static StrategyQuery keysetQuery(const Workload &workload, const PageCursor *after, bool withOffset = false);
    Result<StrategyQuery> keysetAfterToken(const Workload &workload, const QString &token, bool withOffset) const;
};

} // namespace plansight
