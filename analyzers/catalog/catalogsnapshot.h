#pragma once

// Statistics of the gallery tables as plain values: row counts (exact and estimated), sizes (heap, TOAST, each
// index, total), index use, and tag cardinalities. Works on the embedded demo and on any copy of the app's
// database; tables that are absent are reported as such, not as errors.

#include "gallery/demogenerator.h"
#include "util/cancel.h"
#include "util/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace plansight {

class PgSession;

// The tables of the app's the demo models, largest first: content_tags, content_items_auto, content_items, users,
// tags, tag_parents, tag_ratings.
QStringList galleryTables();

struct RowCount {
    QString table;
    bool present = true;
    qint64 exact = -1; // COUNT(*); -1 when not counted
    qint64 estimated = -1; // pg_class.reltuples; -1 when the table was never analyzed
    QJsonObject toJson() const;
};

struct IndexStats {
    QString table;
    QString name;
    QString definition; // pg_get_indexdef
    qint64 bytes = 0;
    qint64 scans = 0; // pg_stat_user_indexes.idx_scan
    qint64 tuplesRead = 0;
    qint64 tuplesFetched = 0;
    bool primary = false;
    bool unique = false;
    bool valid = true;
    QJsonObject toJson() const;
};

struct TableSize {
    QString table;
    bool present = true;
    qint64 heapBytes = 0; // main fork
    qint64 toastBytes = 0; // TOAST table and its index
    qint64 indexBytes = 0; // all indexes
    qint64 totalBytes = 0; // pg_total_relation_size
    QList<IndexStats> indexes;
    QJsonObject toJson() const;
};

struct TagCardinality {
    QString tagId;
    QString name;
    qint64 regularRows = 0; // content_tags rows with content_source 'regular'
    qint64 autoRows = 0;
    qint64 rows() const { return regularRows + autoRows; }
    double itemShare = -1; // rows / items of both content tables (a tag is on an item at most once); -1: unknown
    QJsonObject toJson() const;
};

struct CatalogSnapshot {
    QString server; // "user@host:port/db"
    QString serverVersion;
    QString database;
    QDateTime takenAt; // UTC
    QList<RowCount> rowCounts; // in the order of galleryTables()
    QList<TableSize> sizes;
    QList<TagCardinality> tags; // most used first; empty when not asked for
    std::optional<DemoInfo> demo; // set when the database is PlanSight's demo

    const RowCount *rowCount(const QString &table) const;
    const TableSize *size(const QString &table) const;
    qint64 totalBytes() const;
    QJsonObject toJson() const;
};

struct SnapshotOptions {
    bool exactCounts = true; // COUNT(*) every table (reads them all)
    bool tagCardinalities = true; // group the junction by tag (reads it all)
};

// Row counts of `tables`: estimated always, exact when asked (one cancellable COUNT(*) per table).
Result<QList<RowCount>> countRows(PgSession &session, const QStringList &tables, bool exact,
    CancelToken *cancel = nullptr, const ProgressFn &progress = {});
// Sizes and index statistics of `tables`.
Result<QList<TableSize>> tableSizes(PgSession &session, const QStringList &tables);
// Rows per tag in content_tags; itemShare is filled when `items` (rows of both content tables) is positive.
Result<QList<TagCardinality>> tagCardinalities(PgSession &session, qint64 items = -1, CancelToken *cancel = nullptr);

// All of the above for the gallery tables, plus the demo's metadata. Blocks; run it in a worker. progress is
// called on the calling thread between steps; cancel interrupts the running statement (errc::Cancelled or the
// server's 57014), after which the session's cancel flag is reset.
Result<CatalogSnapshot> takeSnapshot(PgSession &session, const SnapshotOptions &options = {},
    CancelToken *cancel = nullptr, const ProgressFn &progress = {});

} // namespace plansight
