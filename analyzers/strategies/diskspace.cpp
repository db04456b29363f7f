#include "strategies/diskspace.h"

#include "catalog/catalogsnapshot.h"
#include "util/sqlfiles.h"
#include <QFile>

#include <sys/statvfs.h>

#include <algorithm>

namespace plansight {

namespace {

const QString Junction = QStringLiteral("content_tags");

QString gb(qint64 bytes)
{
    return QStringLiteral("%1 GB").arg(double(std::max<qint64>(bytes, 0)) / 1e9, 0, 'f', 1);
}

} // namespace

qint64 estimateObjectsBytes(const QList<SchemaObject> &objects, const BaseTableSizes &base)
{
    const BaseTableSize junction = base.value(Junction);
    QStringList ownTables, junctionTables;
    qint64 bytes = 0;
    for (const SchemaObject &o : objects)
        if (o.kind == SchemaObject::Kind::Table) {
            ownTables << o.name;
            if (o.junctionRows && o.bytesPerJunctionRow >= 0)
                bytes += junction.rows * o.bytesPerJunctionRow; // its own width, apart from the copies below
            else if (o.junctionRows)
                junctionTables << o.name;
        }
    if (!junctionTables.isEmpty())
        bytes += junction.heapBytes;
    int junctionIndexes = 0; // indexes on the tables that hold the junction's rows; those on small tables count 0
    for (const SchemaObject &o : objects) {
        if (o.kind == SchemaObject::Kind::Index && o.bytesPerJunctionRow >= 0)
            bytes += junction.rows * o.bytesPerJunctionRow;
        else if (o.kind == SchemaObject::Kind::Index && junctionTables.contains(o.table))
            ++junctionIndexes;
        else if (o.kind == SchemaObject::Kind::Index && !ownTables.contains(o.table))
            bytes += base.value(o.table).rows * IndexEntryBytes;
        else if (o.kind == SchemaObject::Kind::Column && !ownTables.contains(o.table))
            bytes += base.value(o.table).heapBytes;
    }
    if (!junctionTables.isEmpty())
        bytes += junction.rows * IndexEntryBytes * junctionIndexes / junctionTables.size();
    return bytes;
}

qint64 estimateStrategyBytes(const Strategy &strategy, const BaseTableSizes &base)
{
    if (!strategy.info().needsObjects)
        return 0;
    const auto *schema = dynamic_cast<const SchemaStrategy *>(&strategy);
    return schema ? estimateObjectsBytes(schema->objects(), base) : -1;
}

Result<BaseTableSizes> readBaseTableSizes(PgSession &session)
{
    auto r = session.exec(sql(QStringLiteral("strategies/base_table_sizes")), { QVariant(galleryTables()) });
    if (!r)
        return r.error();
    BaseTableSizes out;
    for (int i = 0; i < r->rows(); ++i)
        out.insert(r->value(i, 0), BaseTableSize { r->toLongLong(i, 1), r->toLongLong(i, 2) });
    return out;
}

DiskSpace diskSpaceAt(const QString &path)
{
    struct statvfs s { };
    if (path.isEmpty() || statvfs(QFile::encodeName(path).constData(), &s) != 0)
        return {};
    DiskSpace d;
    d.freeBytes = qint64(s.f_bavail) * qint64(s.f_frsize);
    d.totalBytes = qint64(s.f_blocks) * qint64(s.f_frsize);
    return d;
}

qint64 diskMargin(qint64 totalBytes)
{
    return std::max(MinimumFreeBytes, std::min(MaximumMarginBytes, totalBytes / 10));
}

DiskDecision decideDiskSpace(const QString &strategyId, qint64 estimateBytes, const DiskSpace &disk,
    const QList<KeptStrategy> &kept, qint64 outsideBytes)
{
    DiskDecision d;
    if (estimateBytes < 0 || estimateBytes + std::max<qint64>(outsideBytes, 0) <= 0)
        return d; // nothing to build, or nothing known about it
    d.neededBytes = 2 * estimateBytes + std::max<qint64>(outsideBytes, 0);
    if (!disk.known()) {
        d.action = DiskDecision::Action::Unknown;
        d.message = QStringLiteral("Building %1 needs about %2 while it builds (estimated from the base tables); the "
                                   "free space of this server's disk cannot be known from here (only the embedded "
                                   "demo's can), so check it before measuring many strategies.")
                        .arg(strategyId, gb(d.neededBytes));
        return d;
    }
    d.marginBytes = diskMargin(disk.totalBytes);
    qint64 free = disk.freeBytes;
    if (free - d.neededBytes >= d.marginBytes)
        return d;
    QList<KeptStrategy> candidates;
    for (const KeptStrategy &k : kept)
        if (k.id != strategyId && k.bytes > 0)
            candidates << k;
    // Least recently used first; those not used in this session (invalid time) before any that was.
    std::stable_sort(candidates.begin(), candidates.end(), [](const KeptStrategy &a, const KeptStrategy &b) {
        if (a.lastUsed.isValid() != b.lastUsed.isValid())
            return !a.lastUsed.isValid();
        return a.lastUsed < b.lastUsed;
    });
    for (const KeptStrategy &k : std::as_const(candidates)) {
        d.revert << k.id;
        free += k.bytes;
        if (free - d.neededBytes >= d.marginBytes) {
            d.action = DiskDecision::Action::RevertThenBuild;
            d.message = QStringLiteral("Building %1 needs about %2 and would leave less than %3 free on the data "
                                       "directory's disk, so %4 (kept applied, used least recently) %5 reverted first.")
                            .arg(strategyId, gb(d.neededBytes), gb(d.marginBytes), d.revert.join(QStringLiteral(", ")),
                                d.revert.size() == 1 ? QStringLiteral("is") : QStringLiteral("are"));
            return d;
        }
    }
    d.action = DiskDecision::Action::Refuse;
    d.revert.clear();
    d.message = QStringLiteral("%1 was not built: it needs about %2 while it builds (estimated from the base tables), "
                               "and the data directory's disk has %3 free, which must not fall below %4 even after "
                               "reverting the strategies kept applied; free some space or measure fewer strategies.")
                    .arg(strategyId, gb(d.neededBytes), gb(disk.freeBytes), gb(d.marginBytes));
    return d;
}

} // namespace plansight
