#pragma once

// Disk space for strategies kept applied (docs/architecture.md, "The strategy contract"): before a strategy is
// built, its size is estimated from the base tables, and when the build would bring the free space of the data
// directory's disk below a margin, the kept strategies used least recently are reverted first, or, when that is
// not enough, the strategy is not built and the run says why. PlanSight never fills the disk.
//
// The estimate, per kind of object a strategy makes (SchemaStrategy::objects()); "rows" are the planner's
// estimate (pg_class.reltuples), "heap" is pg_table_size:
// - an index on a base table T: rows(T) x 40 bytes (a B-tree entry of two or three integer keys: 8-byte tuple
//   header, 16-24 bytes of keys, a 4-byte line pointer, pages 90% full);
// - a column on a base table T: heap(T): filling it rewrites every row, and the old versions stay until a
//   VACUUM FULL;
// - the strategy's own tables that hold the junction's rows or a share of them (SchemaObject::junctionRows: a
//   copy, its partitions, per-tag pages), all of them together: heap(content_tags). Rows as narrow as the
//   junction's keep this an upper bound; p1's view holds wider rows (8.4 GB at scale 1 against a 5 GB junction
//   heap), which the factor of two below covers. Small own tables (settings, refresh times, counts per tag) and a
//   partitioned parent over base tables count nothing;
// - the indexes on those tables: rows(content_tags) x 40 bytes x (their indexes / their number) (one index per
//   partition holds that partition's share of the rows); indexes on small own tables count nothing;
// - a table or index that states its bytes per junction row (SchemaObject::bytesPerJunctionRow: a copy much
//   narrower than the junction, x-rum's per-item tag arrays): rows(content_tags) x those bytes, apart from the above;
// - triggers and functions: nothing.
// A strategy that is not a SchemaStrategy but makes objects cannot be estimated (-1). The build itself needs
// about as much again while it runs (sort files and WAL), so the check asks for twice the estimate.
// On the embedded demo the check adds, once, what the strategy writes beside the database at its peak
// (Strategy::outsideBytesToBuild(): p7-replica's standby is a file copy of the cluster plus the WAL streamed during
// the copy, not twice the cluster; p10-search's Xapian index, doubled by the strategy for its merges).
//
// The free space is known only for the embedded demo (statvfs of its data directory). On another server
// PlanSight cannot know it and says so; the DBA's own monitoring has to answer.

#include "strategies/schemastrategy.h"

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

namespace plansight {

// A base table's size as the estimate reads it.
struct BaseTableSize {
    qint64 rows = 0; // pg_class.reltuples (0 when never analyzed)
    qint64 heapBytes = 0; // pg_table_size
};
using BaseTableSizes = QHash<QString, BaseTableSize>; // by table name without schema: "content_tags"

inline constexpr qint64 IndexEntryBytes = 40;

// The estimate above for a strategy whose objects are `objects` (pure). Tables missing from `base` count as empty.
qint64 estimateObjectsBytes(const QList<SchemaObject> &objects, const BaseTableSizes &base);
// The same for `strategy`: 0 for a strategy without objects, -1 when it cannot be estimated.
qint64 estimateStrategyBytes(const Strategy &strategy, const BaseTableSizes &base);
// Rows and heap bytes of the base tables of the connected database (galleryTables()).
Result<BaseTableSizes> readBaseTableSizes(PgSession &session);

// The disk a build lands on.
struct DiskSpace {
    qint64 freeBytes = -1; // available to the server's user; -1: not known (a server that is not the demo)
    qint64 totalBytes = -1;
    bool known() const { return freeBytes >= 0 && totalBytes > 0; }
};
// statvfs of the filesystem holding `path` (the demo's data directory); unknown when it cannot be read.
DiskSpace diskSpaceAt(const QString &path);

// What must stay free: 10% of the disk, at least 2 GiB and at most 10 GiB. The cap: on a big disk 10% is far more
// than a build's estimate can be off by (the estimates are upper bounds, 1.5-4x what was built at scale 1), and it
// refused strategies that fit (27 GB kept free on a 252 GB disk; docs/architecture.md, "Keeping strategies applied").
inline constexpr qint64 MinimumFreeBytes = qint64(2) * 1024 * 1024 * 1024;
inline constexpr qint64 MaximumMarginBytes = qint64(10) * 1024 * 1024 * 1024;
qint64 diskMargin(qint64 totalBytes);

// A strategy kept applied (one whose objects no other strategy's plan can use), a candidate for reverting.
struct KeptStrategy {
    QString id;
    qint64 bytes = 0; // its footprint now (what reverting it gives back)
    QDateTime lastUsed; // its last measured run; invalid: not in this session (older than any that was)
};

struct DiskDecision {
    enum class Action {
        Build, // enough space (or nothing to estimate)
        RevertThenBuild, // revert `revert` (in that order) first, then build
        Refuse, // not even reverting every kept strategy leaves the margin: do not build
        Unknown, // the free space cannot be known (a server that is not the demo): build, and say so
    };
    Action action = Action::Build;
    QStringList revert; // ids, least recently used first
    qint64 neededBytes = 0; // twice the estimate, plus the bytes written outside the database
    qint64 marginBytes = 0;
    QString message; // one sentence for Refuse, RevertThenBuild and Unknown
};

// Decides whether `strategyId`, estimated at `estimateBytes` in the database (-1: unknown, then Build) and writing
// `outsideBytes` beside it at its peak, may be built on a disk with `disk` free, keeping diskMargin() free;
// reverting kept strategies least recently used first (the strategy itself is never among them). Pure.
DiskDecision decideDiskSpace(const QString &strategyId, qint64 estimateBytes, const DiskSpace &disk,
    const QList<KeptStrategy> &kept, qint64 outsideBytes = 0);

} // namespace plansight
