#include "strategies/cursorstrategy.h"

#include "strategies/galleryquery.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <limits>
#include <optional>

namespace plansight {

namespace {

constexpr char Separator = '\x1f';
constexpr int MacBytes = 16;
const QByteArray FormatVersion = QByteArrayLiteral("c1");

const QByteArray &processKey()
{
    static const QByteArray key = [] {
        QByteArray k(32, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(k.data()), k.size() / 4);
        return k;
    }();
    return key;
}

QByteArray mac(const QByteArray &payload)
{
    return QMessageAuthenticationCode::hash(payload, processKey(), QCryptographicHash::Sha256).left(MacBytes);
}

// Everything that decides the order and the set of rows, but not the page: a cursor stays valid when the
// user changes the page size, and is refused for another tag, source, user, sort or direction.
QByteArray workloadFingerprint(const Workload &w)
{
    QStringList tags;
    for (const QString &t : w.tagIds)
        tags << t.trimmed().toLower();
    tags.removeDuplicates();
    tags.sort();
    QStringList sources;
    for (SourceKind k : allSourceKinds()) {
        if (w.sources.contains(k))
            sources << toString(k);
    }
    const QString text = QStringList { tags.join(QLatin1Char(',')),
        w.match == TagMatch::All ? QStringLiteral("all") : QStringLiteral("any"), sources.join(QLatin1Char(',')),
        w.userId.trimmed().toLower(),
        w.sort == SortField::QualityScore ? QStringLiteral("quality_score") : QStringLiteral("created_at"),
        w.descending ? QStringLiteral("desc") : QStringLiteral("asc") }
                             .join(QLatin1Char('|'));
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).left(8).toHex();
}

Error badCursor(const QString &why)
{
    return Error::make(errc::Input, QStringLiteral("The page cursor is not valid: %1.").arg(why), QString(),
        QStringLiteral("Start again from the first page."));
}

bool validSortValue(const QString &v, SortField sort)
{
    if (sort == SortField::CreatedAt) {
        static const QRegularExpression ts(QStringLiteral("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?$"));
        return ts.match(v).hasMatch();
    }
    if (v == QLatin1String("NaN") || v == QLatin1String("Infinity") || v == QLatin1String("-Infinity"))
        return true;
    bool ok = false;
    v.toDouble(&ok);
    return ok;
}

} // namespace

QString encodeCursor(const PageCursor &c, const Workload &workload)
{
    const QByteArray payload = QByteArray(FormatVersion) + Separator + workloadFingerprint(workload) + Separator
        + (c.sortValueIsNull ? QByteArrayLiteral("n") : QByteArrayLiteral("v")) + Separator + c.sortValue.toUtf8()
        + Separator + QByteArray::number(c.id) + Separator + c.source.toUtf8();
    const QByteArray token = payload + mac(payload);
    return QString::fromLatin1(token.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Result<PageCursor> decodeCursor(const QString &token, const Workload &workload)
{
    static const QRegularExpression alphabet(QStringLiteral("^[A-Za-z0-9_-]+$"));
    if (token.isEmpty() || token.size() > 512 || !alphabet.match(token).hasMatch())
        return badCursor(QStringLiteral("it is not a token PlanSight issued"));
    auto decoded = QByteArray::fromBase64Encoding(token.toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() <= MacBytes)
        return badCursor(QStringLiteral("it is not a token PlanSight issued"));
    // Base64's last character may carry unused bits: two tokens could decode to the same
    // bytes. Only the canonical spelling PlanSight issued is accepted, so no altered
    // character goes unnoticed.
    if (decoded.decoded.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) != token.toLatin1())
        return badCursor(QStringLiteral("it was altered, or issued by another PlanSight process"));
    const QByteArray payload = decoded.decoded.left(decoded.decoded.size() - MacBytes);
    const QByteArray tag = decoded.decoded.right(MacBytes);
    // Constant-time comparison of the MAC.
    const QByteArray expected = mac(payload);
    unsigned char diff = 0;
    for (int i = 0; i < MacBytes; ++i)
        diff |= static_cast<unsigned char>(expected[i] ^ tag[i]);
    if (diff != 0)
        return badCursor(QStringLiteral("it was altered, or issued by another PlanSight process"));
    const QList<QByteArray> f = payload.split(Separator);
    if (f.size() != 6 || f[0] != FormatVersion)
        return badCursor(QStringLiteral("its format is unknown"));
    if (f[1] != workloadFingerprint(workload))
        return badCursor(QStringLiteral("it belongs to a different workload (tags, sources, user or sort changed)"));
    PageCursor c;
    if (f[2] != "n" && f[2] != "v")
        return badCursor(QStringLiteral("its format is unknown"));
    c.sortValueIsNull = f[2] == "n";
    c.sortValue = QString::fromUtf8(f[3]);
    if (c.sortValueIsNull ? !c.sortValue.isEmpty() : !validSortValue(c.sortValue, workload.sort))
        return badCursor(QStringLiteral("its sort key is malformed"));
    if (c.sortValueIsNull && workload.sort == SortField::CreatedAt)
        return badCursor(QStringLiteral("its sort key is malformed"));
    bool ok = false;
    c.id = f[4].toLongLong(&ok);
    if (!ok || c.id < std::numeric_limits<qint32>::min() || c.id > std::numeric_limits<qint32>::max())
        return badCursor(QStringLiteral("its item id is malformed"));
    c.source = QString::fromUtf8(f[5]);
    if (c.source != QLatin1String("regular") && c.source != QLatin1String("auto"))
        return badCursor(QStringLiteral("its source is malformed"));
    return c;
}

StrategyInfo CursorStrategy::info() const
{
    StrategyInfo i;
    i.id = QStringLiteral("p6-cursor");
    i.title = QStringLiteral("Cursor (keyset) pagination");
    i.proposal = QStringLiteral("P6");
    i.operations
        = QStringLiteral("An API change: clients pass an opaque cursor instead of a page number, and a link to page N "
                         "needs a keyset seek first. Nothing to build in the database.");
    i.description = QStringLiteral(
        "Replaces OFFSET with an opaque cursor holding the last row's (created_at, id, source): each page is the "
        "rows after it, found with a row comparison an index can serve, so deep pages cost what the first does. "
        "Page N is reached by following cursors; after 15 s, one keyset seek finds the cursor of page N-1, and "
        "the keyset statement of page N is what is measured.");
    i.needsObjects = false;
    return i;
}

StrategyQuery CursorStrategy::keysetQuery(const Workload &workload, const PageCursor *after, bool withOffset)
{
    GalleryQueryBuilder b(workload);
    const bool quality = workload.sort == SortField::QualityScore;
    const QString keyType = quality ? QStringLiteral("double precision") : QStringLiteral("timestamp");
    const QString cmp = workload.descending ? QStringLiteral("<") : QStringLiteral(">");
    const QString sql = b.unionQuery(
        [&](GalleryQueryBuilder &qb, SourceKind kind, const QString &alias) {
            QStringList where { qb.existsTagFilter(kind, alias) };
            if (!after)
                return where;
            const QString key = alias + QLatin1Char('.') + qb.sortColumn();
            const QString src = sourceLiteral(kind) + QStringLiteral("::text");
            const QString id = qb.param(QStringLiteral("cursor_id"), after->id, QStringLiteral("integer"));
            const QString source = qb.param(QStringLiteral("cursor_source"), after->source, QStringLiteral("text"));
            if (!after->sortValueIsNull) {
                const QString value = qb.param(QStringLiteral("cursor_key"), after->sortValue, keyType);
                const QString row
                    = QStringLiteral("(%1, %2.id, %3) %4 (%5, %6, %7)").arg(key, alias, src, cmp, value, id, source);
                // NULL keys sort first in DESC and last in ASC (PostgreSQL's default, as in the baseline): after
                // a non-NULL key, DESC has no NULL rows left (the row comparison yields NULL for them), ASC has
                // them all.
                where << (workload.descending ? row : QStringLiteral("(%1 OR %2 IS NULL)").arg(row, key));
            } else {
                const QString rest = QStringLiteral("(%1.id, %2) %3 (%4, %5)").arg(alias, src, cmp, id, source);
                where << (workload.descending ? QStringLiteral("((%1 IS NULL AND %2) OR %1 IS NOT NULL)").arg(key, rest)
                                              : QStringLiteral("(%1 IS NULL AND %2)").arg(key, rest));
            }
            return where;
        },
        QString(), withOffset);
    return b.finish(sql);
}

Result<QString> CursorStrategy::nextToken(const PgResult &page, const Workload &workload)
{
    if (page.rows() == 0)
        return QString();
    const char *keyColumn = workload.sort == SortField::QualityScore ? "quality_score" : "created_at";
    const int key = page.column(keyColumn);
    const int id = page.column("id");
    const int source = page.column("source");
    if (key < 0 || id < 0 || source < 0)
        return Error::make(errc::Input,
            QStringLiteral("The page lacks the cursor's key columns (%1, id, source).").arg(QLatin1String(keyColumn)));
    const int last = page.rows() - 1;
    PageCursor c;
    c.sortValueIsNull = page.isNull(last, key);
    c.sortValue = c.sortValueIsNull ? QString() : page.value(last, key);
    c.id = page.toLongLong(last, id);
    c.source = page.value(last, source);
    return encodeCursor(c, workload);
}

Result<QString> CursorStrategy::tokenAfter(PgSession &session, const StrategyQuery &page, const Workload &workload)
{
    auto rows = session.exec(page.sql, page.params);
    if (!rows)
        return rows.error();
    return nextToken(rows.value(), workload);
}

Result<StrategyQuery> CursorStrategy::keysetAfterToken(
    const Workload &workload, const QString &token, bool withOffset) const
{
    if (auto st = workload.validate(); !st)
        return st.error();
    if (token.isEmpty())
        return keysetQuery(workload, nullptr, withOffset);
    auto c = decodeCursor(token, workload);
    if (!c)
        return c.error();
    return keysetQuery(workload, &c.value(), withOffset);
}

Result<StrategyQuery> CursorStrategy::queryAfter(const Workload &workload, const QString &token) const
{
    return keysetAfterToken(workload, token, false);
}

Result<CursorStrategy::Reached> CursorStrategy::reachPage(
    PgSession &session, const Workload &workload, qint64 followBudgetMs) const
{
    if (auto st = workload.validate(); !st)
        return st.error();
    Reached r;
    QElapsedTimer clock;
    clock.start();
    int page = 1; // the page the cursor in r.token starts
    while (page < workload.page && (page == 1 || clock.elapsed() < followBudgetMs)) {
        auto q = queryAfter(workload, r.token);
        if (!q)
            return q.error();
        auto next = tokenAfter(session, q.value(), workload);
        if (!next)
            return next.error();
        if (next->isEmpty())
            return r; // past the end: the rows after the last cursor are none, as OFFSET would say
        r.token = next.value();
        ++r.followed;
        ++page;
    }
    if (page == workload.page)
        return r;
    // The seek: the last row of page N-1 is row (N - page) * size of what follows the cursor, so the
    // same keyset query with page size 1 and OFFSET (N - page) * size - 1 returns it. The token is issued
    // for the real workload. The loop above followed at least one cursor, so r.token is set.
    Workload seek = workload;
    seek.pageSize = 1;
    seek.page = (workload.page - page) * workload.pageSize;
    auto q = keysetAfterToken(seek, r.token, true);
    if (!q)
        return q.error();
    auto next = tokenAfter(session, q.value(), workload);
    if (!next)
        return next.error();
    r.sought = workload.page - page;
    if (next->isEmpty()) {
        r.pastEnd = true;
        return r;
    }
    r.token = next.value();
    return r;
}

Result<StrategyQuery> CursorStrategy::query(PgSession &session, const Workload &workload)
{
    auto reached = reachPage(session, workload, DefaultFollowBudgetMs);
    if (!reached)
        return reached.error();
    if (reached->pastEnd) {
        // Page N is past the last row: the keyset query after the last cursor, with OFFSET over the pages
        // in between, returns its (empty) page as the baseline's OFFSET does.
        Workload rest = workload;
        rest.page = reached->sought + 1;
        auto q = keysetAfterToken(rest, reached->token, true);
        if (q)
            q->note = QStringLiteral("page %1 is past the last row (found after following %2 cursors)")
                          .arg(workload.page)
                          .arg(reached->followed);
        return q;
    }
    auto q = queryAfter(workload, reached->token);
    if (!q)
        return q.error();
    if (workload.page == 1)
        q->note = QStringLiteral("page 1: no cursor");
    else if (reached->sought > 0)
        q->note = QStringLiteral("page %1 reached by following %2 cursors, then one seek over %3 pages (keyset query "
                                 "with OFFSET) once %4 s were spent")
                      .arg(workload.page)
                      .arg(reached->followed)
                      .arg(reached->sought)
                      .arg(DefaultFollowBudgetMs / 1000);
    else
        q->note = QStringLiteral("page %1 reached by following %2 cursors").arg(workload.page).arg(reached->followed);
    return q;
}

Result<StrategyQuery> pageByCursor(
    PgSession &session, const Workload &workload, qint64 followBudgetMs, const KeysetPageQuery &pageQuery)
{
    if (!workload.byCursor || workload.page == 1)
        return pageQuery(workload, nullptr);

    // Follow cursors to page N-1's last row; seek by OFFSET once the budget is spent.
    QElapsedTimer clock;
    clock.start();
    std::optional<PageCursor> cursor;
    int followed = 0;
    bool sought = false;
    int page = 1;
    while (page < workload.page) {
        sought = page > 1 && clock.elapsed() >= followBudgetMs;
        Workload step = workload;
        step.byCursor = false;
        step.page = sought ? workload.page - 1 : page; // the seek: page N-1 by OFFSET; its last row is the cursor
        auto q = pageQuery(step, sought ? nullptr : (cursor ? &*cursor : nullptr));
        if (!q)
            return q.error();
        auto token = CursorStrategy::tokenAfter(session, q.value(), workload);
        if (!token)
            return token.error();
        if (token->isEmpty() && sought) {
            // Page N-1 is past the last row, so page N is too: its OFFSET query returns the empty page.
            Workload byOffset = workload;
            byOffset.byCursor = false;
            auto empty = pageQuery(byOffset, nullptr);
            if (empty)
                empty->note = QStringLiteral("page %1 is past the last row; ").arg(workload.page) + empty->note;
            return empty;
        }
        if (token->isEmpty())
            break; // past the end: the page after the last cursor is empty, as OFFSET would say
        auto c = decodeCursor(token.value(), workload);
        if (!c)
            return c.error();
        cursor = c.value();
        if (sought)
            break;
        ++followed;
        ++page;
    }
    auto q = pageQuery(workload, cursor ? &*cursor : nullptr);
    if (!q)
        return q;
    const QString how = sought
        ? QStringLiteral("page %1 reached by following %2 cursors, then one OFFSET query for the cursor of page %3")
              .arg(workload.page)
              .arg(followed)
              .arg(workload.page - 1)
        : QStringLiteral("page %1 reached by following %2 cursors").arg(workload.page).arg(followed);
    q->note = how + QStringLiteral("; ") + q->note;
    return q;
}

} // namespace plansight
