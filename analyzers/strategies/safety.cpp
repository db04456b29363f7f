#include "strategies/safety.h"

#include "gallery/demogenerator.h"
#include "util/sqlfiles.h"

namespace plansight {

Result<bool> isPlanSightDemo(PgSession &session)
{
    auto info = readDemoInfo(session);
    if (!info)
        return info.error();
    return info->has_value();
}

QString hypopgConfirmLine()
{
    return QStringLiteral(
        "bench: extension hypopg, when it is not installed (predicts the plans and index sizes of the "
        "strategies with indexes before building them and, with HypoPG 1.4 or later, hides the other "
        "strategies' indexes from each run; dropped when the session ends)");
}

QStringList objectsToConfirm(const QList<std::shared_ptr<Strategy>> &strategies, bool forBench)
{
    QStringList out;
    for (const auto &s : strategies) {
        for (const QString &o : s->plannedObjects())
            out << s->id() + QStringLiteral(": ") + o;
    }
    if (forBench && !out.isEmpty())
        out << hypopgConfirmLine();
    return out;
}

namespace {

// Who holds the lock, in words; empty when nobody does (it was released in between).
QString lockHolder(PgSession &session)
{
    auto r = session.exec(sql(QStringLiteral("strategies/lock_holder")), { QVariant(PlanSightLockKey) });
    if (!r || r->rows() == 0)
        return QString();
    return QStringLiteral("pid %1, application_name %2")
        .arg(r->value(0, 0), r->value(0, 1).isEmpty() ? QStringLiteral("(none)") : r->value(0, 1));
}

} // namespace

Status acquireDatabaseLock(
    PgSession &session, bool wait, CancelToken *cancel, const std::function<void(const QString &)> &notice)
{
    if (cancel && cancel->isCancelled())
        return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
    auto got = session.exec(QStringLiteral("SELECT pg_try_advisory_lock($1::bigint)"), { QVariant(PlanSightLockKey) });
    if (!got)
        return got.error();
    if (got->toBool(0, 0))
        return {};
    QString holder = lockHolder(session);
    if (holder.isEmpty())
        holder = QStringLiteral("pid unknown");
    if (!wait)
        return Error::make(LockBusyCode,
            QStringLiteral("Another PlanSight session (%1) is measuring or changing this database.").arg(holder),
            QString(), QStringLiteral("Run again when it has finished, or without --no-wait to wait for it."));
    if (notice)
        notice(QStringLiteral("another PlanSight session (%1) is measuring this database; waiting...").arg(holder));
    // Waits on the server: the statement timeout does not apply (SET LOCAL ends with the transaction; the
    // session-level lock outlives it).
    CancelScope scope(cancel, [&session] { session.cancel(); });
    Status st = [&]() -> Status {
        if (auto r = session.exec(QStringLiteral("BEGIN")); !r)
            return r.error();
        if (auto r = session.exec(QStringLiteral("SET LOCAL statement_timeout = 0")); !r)
            return r.error();
        if (auto r
            = session.exec(QStringLiteral("SELECT pg_advisory_lock($1::bigint)"), { QVariant(PlanSightLockKey) });
            !r)
            return r.error();
        if (auto r = session.exec(QStringLiteral("COMMIT")); !r)
            return r.error();
        return {};
    }();
    if (!st) {
        session.resetCancel();
        if (PQtransactionStatus(session.raw()) != PQTRANS_IDLE)
            (void)session.exec(QStringLiteral("ROLLBACK"));
        if (cancel && cancel->isCancelled()) {
            // The lock may have been granted just before the cancel landed.
            (void)releaseDatabaseLock(session);
            session.resetCancel();
            return Error::make(
                errc::Cancelled, QStringLiteral("Cancelled while waiting for the other PlanSight session."));
        }
        return st;
    }
    return {};
}

Status releaseDatabaseLock(PgSession &session)
{
    // pg_advisory_unlock warns when the lock is not held; keep that off the terminal.
    auto r = session.exec(
        QStringLiteral("SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = "
                       "pg_backend_pid() AND granted AND ((classid::bigint << 32) | objid::bigint) = $1::bigint "
                       "AND objsubid = 1) THEN pg_advisory_unlock($1::bigint) ELSE false END"),
        { QVariant(PlanSightLockKey) });
    if (!r)
        return r.error();
    return {};
}

} // namespace plansight
