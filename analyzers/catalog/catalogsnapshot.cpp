#include "catalog/catalogsnapshot.h"

#include "pg/pgsession.h"
#include "util/sqlfiles.h"

#include <QJsonArray>

namespace plansight {

namespace {

QJsonValue bigint(qint64 v)
{
    // JSON numbers are doubles: exact up to 2^53, far beyond any row count or size here.
    return QJsonValue(double(v));
}

// Runs `fn` with the session cancelled when `cancel` fires; a cancelled session is reset afterwards so the
// caller can keep using it.
template<typename Fn>
auto cancellable(PgSession &session, CancelToken *cancel, Fn fn)
{
    CancelScope scope(cancel, [&session] { session.cancel(); });
    auto r = fn();
    if (!r.ok() && cancel && cancel->isCancelled()) {
        session.resetCancel();
        return decltype(r)(Error::make(errc::Cancelled, QStringLiteral("Cancelled.")));
    }
    return r;
}

} // namespace

QStringList galleryTables()
{
    return { QStringLiteral("content_tags"), QStringLiteral("content_items_auto"), QStringLiteral("content_items"),
        QStringLiteral("users"), QStringLiteral("tags"), QStringLiteral("tag_parents"), QStringLiteral("tag_ratings") };
}

QJsonObject RowCount::toJson() const
{
    return { { QStringLiteral("table"), table }, { QStringLiteral("present"), present },
        { QStringLiteral("exact"), bigint(exact) }, { QStringLiteral("estimated"), bigint(estimated) } };
}

QJsonObject IndexStats::toJson() const
{
    return { { QStringLiteral("table"), table }, { QStringLiteral("name"), name },
        { QStringLiteral("definition"), definition }, { QStringLiteral("bytes"), bigint(bytes) },
        { QStringLiteral("scans"), bigint(scans) }, { QStringLiteral("tuples_read"), bigint(tuplesRead) },
        { QStringLiteral("tuples_fetched"), bigint(tuplesFetched) }, { QStringLiteral("primary"), primary },
        { QStringLiteral("unique"), unique }, { QStringLiteral("valid"), valid } };
}

QJsonObject TableSize::toJson() const
{
    QJsonArray idx;
    for (const IndexStats &i : indexes)
        idx.append(i.toJson());
    return { { QStringLiteral("table"), table }, { QStringLiteral("present"), present },
        { QStringLiteral("heap_bytes"), bigint(heapBytes) }, { QStringLiteral("toast_bytes"), bigint(toastBytes) },
        { QStringLiteral("index_bytes"), bigint(indexBytes) }, { QStringLiteral("total_bytes"), bigint(totalBytes) },
        { QStringLiteral("indexes"), idx } };
}

QJsonObject TagCardinality::toJson() const
{
    QJsonObject o { { QStringLiteral("tag_id"), tagId }, { QStringLiteral("name"), name },
        { QStringLiteral("regular_rows"), bigint(regularRows) }, { QStringLiteral("auto_rows"), bigint(autoRows) },
        { QStringLiteral("rows"), bigint(rows()) } };
    if (itemShare >= 0)
        o.insert(QStringLiteral("item_share"), itemShare);
    return o;
}

const RowCount *CatalogSnapshot::rowCount(const QString &table) const
{
    for (const RowCount &r : rowCounts) {
        if (r.table == table)
            return &r;
    }
    return nullptr;
}

const TableSize *CatalogSnapshot::size(const QString &table) const
{
    for (const TableSize &s : sizes) {
        if (s.table == table)
            return &s;
    }
    return nullptr;
}

qint64 CatalogSnapshot::totalBytes() const
{
    qint64 sum = 0;
    for (const TableSize &s : sizes)
        sum += s.totalBytes;
    return sum;
}

QJsonObject CatalogSnapshot::toJson() const
{
    QJsonArray rows, sz, tg;
    for (const RowCount &r : rowCounts)
        rows.append(r.toJson());
    for (const TableSize &s : sizes)
        sz.append(s.toJson());
    for (const TagCardinality &t : tags)
        tg.append(t.toJson());
    QJsonObject o { { QStringLiteral("server"), server }, { QStringLiteral("server_version"), serverVersion },
        { QStringLiteral("database"), database }, { QStringLiteral("taken_at"), takenAt.toString(Qt::ISODate) },
        { QStringLiteral("row_counts"), rows }, { QStringLiteral("sizes"), sz },
        { QStringLiteral("total_bytes"), bigint(totalBytes()) }, { QStringLiteral("tags"), tg } };
    o.insert(QStringLiteral("demo"), demo ? QJsonValue(demo->toJson()) : QJsonValue());
    return o;
}

Result<QList<RowCount>> countRows(
    PgSession &session, const QStringList &tables, bool exact, CancelToken *cancel, const ProgressFn &progress)
{
    auto r = session.exec(sql(QStringLiteral("catalog/table_sizes")), { tables });
    if (!r)
        return r.error();
    QList<RowCount> out;
    for (int i = 0; i < r->rows(); ++i) {
        RowCount c;
        c.table = r->value(i, "name");
        c.present = r->toBool(i, r->column("present"));
        if (c.present)
            c.estimated = r->value(i, "estimated_rows").toLongLong();
        out << c;
    }
    if (!exact)
        return out;
    for (int i = 0; i < out.size(); ++i) {
        if (cancel && cancel->isCancelled())
            return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
        if (progress)
            progress(i, out.size(), QStringLiteral("counting the rows of %1").arg(out[i].table));
        if (!out[i].present)
            continue;
        // The server's own quoting of the resolved name (regclass output), never the caller's text.
        const QString qualified = r->value(i, "qualified");
        auto n = cancellable(
            session, cancel, [&] { return session.exec(QStringLiteral("SELECT count(*) FROM ") + qualified); });
        if (!n)
            return n.error();
        out[i].exact = n->toLongLong(0, 0);
    }
    if (progress)
        progress(out.size(), out.size(), QStringLiteral("counted"));
    return out;
}

Result<QList<TableSize>> tableSizes(PgSession &session, const QStringList &tables)
{
    auto r = session.exec(sql(QStringLiteral("catalog/table_sizes")), { tables });
    if (!r)
        return r.error();
    QList<TableSize> out;
    for (int i = 0; i < r->rows(); ++i) {
        TableSize s;
        s.table = r->value(i, "name");
        s.present = r->toBool(i, r->column("present"));
        s.heapBytes = r->value(i, "heap_bytes").toLongLong();
        s.toastBytes = r->value(i, "toast_bytes").toLongLong();
        s.indexBytes = r->value(i, "index_bytes").toLongLong();
        s.totalBytes = r->value(i, "total_bytes").toLongLong();
        out << s;
    }
    auto idx = session.exec(sql(QStringLiteral("catalog/index_stats")), { tables });
    if (!idx)
        return idx.error();
    for (int i = 0; i < idx->rows(); ++i) {
        IndexStats s;
        s.table = idx->value(i, "table_name");
        s.name = idx->value(i, "index_name");
        s.definition = idx->value(i, "definition");
        s.bytes = idx->value(i, "bytes").toLongLong();
        s.scans = idx->value(i, "scans").toLongLong();
        s.tuplesRead = idx->value(i, "tuples_read").toLongLong();
        s.tuplesFetched = idx->value(i, "tuples_fetched").toLongLong();
        s.primary = idx->toBool(i, idx->column("is_primary"));
        s.unique = idx->toBool(i, idx->column("is_unique"));
        s.valid = idx->toBool(i, idx->column("is_valid"));
        for (TableSize &t : out) {
            if (t.table == s.table)
                t.indexes << s;
        }
    }
    return out;
}

Result<QList<TagCardinality>> tagCardinalities(PgSession &session, qint64 items, CancelToken *cancel)
{
    auto present = session.exec(
        QStringLiteral("SELECT to_regclass('tags') IS NOT NULL AND to_regclass('content_tags') IS NOT NULL"));
    if (!present)
        return present.error();
    if (!present->toBool(0, 0))
        return QList<TagCardinality>();
    auto r
        = cancellable(session, cancel, [&] { return session.exec(sql(QStringLiteral("catalog/tag_cardinalities"))); });
    if (!r)
        return r.error();
    QList<TagCardinality> out;
    out.reserve(r->rows());
    for (int i = 0; i < r->rows(); ++i) {
        TagCardinality t;
        t.tagId = r->value(i, "tag_id");
        t.name = r->value(i, "name");
        t.regularRows = r->value(i, "regular_rows").toLongLong();
        t.autoRows = r->value(i, "auto_rows").toLongLong();
        if (items > 0)
            t.itemShare = double(t.rows()) / double(items);
        out << t;
    }
    return out;
}

Result<CatalogSnapshot> takeSnapshot(
    PgSession &session, const SnapshotOptions &options, CancelToken *cancel, const ProgressFn &progress)
{
    CatalogSnapshot snap;
    snap.server = session.describe();
    snap.serverVersion = session.serverVersion();
    snap.database = session.database();
    snap.takenAt = QDateTime::currentDateTimeUtc();
    const QStringList tables = galleryTables();
    const qint64 steps = 3 + (options.exactCounts ? tables.size() : 0) + (options.tagCardinalities ? 1 : 0);
    qint64 step = 0;
    auto report = [&](const QString &text) {
        if (progress)
            progress(step, steps, text);
    };

    report(QStringLiteral("reading the demo's metadata"));
    auto info = readDemoInfo(session);
    if (!info)
        return info.error();
    snap.demo = info.value();
    ++step;

    report(QStringLiteral("reading sizes and index statistics"));
    auto sizes = tableSizes(session, tables);
    if (!sizes)
        return sizes.error();
    snap.sizes = sizes.value();
    ++step;

    auto counts
        = countRows(session, tables, options.exactCounts, cancel, [&](qint64 done, qint64, const QString &text) {
              if (progress)
                  progress(step + done, steps, text);
          });
    if (!counts)
        return counts.error();
    snap.rowCounts = counts.value();
    step += 1 + (options.exactCounts ? tables.size() : 0);

    if (options.tagCardinalities) {
        if (cancel && cancel->isCancelled())
            return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
        report(QStringLiteral("counting the rows of each tag"));
        qint64 items = 0;
        for (const QString &t : { QStringLiteral("content_items"), QStringLiteral("content_items_auto") }) {
            const RowCount *c = snap.rowCount(t);
            const qint64 n = c ? (c->exact >= 0 ? c->exact : c->estimated) : -1;
            items = (n < 0 || items < 0) ? -1 : items + n;
        }
        auto tags = tagCardinalities(session, items, cancel);
        if (!tags)
            return tags.error();
        snap.tags = tags.value();
        ++step;
    }
    report(QStringLiteral("done"));
    return snap;
}

} // namespace plansight
