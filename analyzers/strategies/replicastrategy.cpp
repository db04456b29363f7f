#include "strategies/replicastrategy.h"

#include "pg/conninfo.h"
#include "pg/localcluster.h"
#include "present/format.h"
#include "strategies/galleryquery.h"
#include "strategies/safety.h"
#include "util/sqlfiles.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QThread>

#include <map>
#include <mutex>

#include <unistd.h>

namespace plansight {

namespace {

const QString SlotName = QStringLiteral("ps_p7_replica");
const QString MarkerTable = QStringLiteral("ps_p7_replica_marker");

QString p7Sql(const char *name)
{
    return sql(QStringLiteral("strategies/p7-replica/") + QLatin1String(name));
}

Error cancelledError()
{
    return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
}

// The process-wide side of the strategy (the catalog's objects are shared): under `mutex`.
struct ReplicaState {
    std::mutex mutex;
    ReplicaConfig config;
    std::map<QString, std::unique_ptr<PgSession>> connections; // to standbys, by conninfo
    QStringList owned; // roots of the standbys this process started
    ~ReplicaState();
};

ReplicaState &state()
{
    static ReplicaState s;
    return s;
}

// Under the lock: closes the connections, stops the standbys this process started.
void stopOwnedLocked(ReplicaState &s)
{
    s.connections.clear();
    for (const QString &root : std::as_const(s.owned)) {
        LocalCluster standby(root);
        if (standby.ownerPid() == qint64(::getpid()) && standby.isRunning())
            (void)standby.stop();
    }
    s.owned.clear();
}

ReplicaState::~ReplicaState()
{
    stopOwnedLocked(*this);
}

// The root of PlanSight's own cluster when `session` is connected to it (its data directory's parent holds the
// cluster.ini of a cluster on the same port) and no --replica names another standby; empty otherwise.
Result<QString> ownClusterRoot(PgSession &session)
{
    if (!replicaConfig().dsn.isEmpty())
        return QString();
    auto r = session.exec(p7Sql("data_directory"));
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return QString();
    const QString dataDir = QDir::cleanPath(r->value(0, 0));
    const QString root = QFileInfo(dataDir).absolutePath();
    LocalCluster cluster(root);
    if (!cluster.exists() || QDir::cleanPath(cluster.dataDir()) != dataDir
        || QString::number(cluster.port()) != session.port())
        return QString();
    return root;
}

struct PrimaryState {
    QString walLevel;
    int walSenders = 0;
    QString systemId;
    bool slot = false;
    bool walReady() const { return walLevel != QLatin1String("minimal") && walSenders > 0; }
};

Result<PrimaryState> primaryState(PgSession &session)
{
    auto r = session.exec(p7Sql("primary_state"), { SlotName });
    if (!r)
        return r.error();
    return PrimaryState { r->value(0, 0), r->value(0, 1).toInt(), r->value(0, 2), r->toBool(0, 3) };
}

QString systemIdFile(const QString &standbyRoot)
{
    return standbyRoot + QStringLiteral("/primary-system-id");
}

QString readSystemId(const QString &standbyRoot)
{
    QFile f(systemIdFile(standbyRoot));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll().trimmed()) : QString();
}

// The standby's data directory is there, is a standby, and was copied from this cluster.
bool standbyReady(const LocalCluster &standby, const PrimaryState &primary)
{
    return standby.exists() && standby.isStandby() && readSystemId(standby.rootDir()) == primary.systemId;
}

QString standbyWords(const LocalCluster &standby)
{
    return QStringLiteral("the demo's standby (port %1, %2)").arg(standby.port()).arg(standby.dataDir());
}

// Restarts PlanSight's cluster under `session` (its WAL settings change only with a restart) and connects the session
// again; PlanSight's database lock, when the session held it, is taken again.
Status restartPrimary(PgSession &session, LocalCluster &primary)
{
    auto held = session.exec(p7Sql("lock_held"), { QVariant(PlanSightLockKey) });
    if (!held)
        return held.error();
    const bool hadLock = held->toBool(0, 0);
    if (auto st = primary.restart(); !st) {
        Error e = st.error();
        e.message = QStringLiteral("Restarting the demo cluster to change its WAL level failed: %1").arg(e.message);
        return e;
    }
    if (auto st = session.reconnect(); !st)
        return st;
    if (hadLock)
        return acquireDatabaseLock(session, true, nullptr);
    return {};
}

// Starts the standby when it is not running (an orphan of a killed PlanSight is stopped first), as this process's.
Status ensureStandbyRunning(LocalCluster &standby, QString *event)
{
    auto reaped = standby.reapOrphan();
    if (!reaped)
        return reaped.error();
    if (*reaped && event)
        *event = QStringLiteral("an orphaned standby left by an earlier PlanSight was stopped");
    if (standby.isRunning())
        return {};
    if (auto st = standby.start(); !st) {
        Error e = st.error();
        e.message = QStringLiteral("The demo's standby did not start.");
        return e;
    }
    if (auto st = standby.markOwned(); !st)
        return st;
    ReplicaState &s = state();
    std::lock_guard lock(s.mutex);
    if (!s.owned.contains(standby.rootDir()))
        s.owned << standby.rootDir();
    if (event)
        *event = event->isEmpty() ? QStringLiteral("the standby was started")
                                  : *event + QStringLiteral(", and the standby was started again");
    return {};
}

// Drops the slot, ending the walsender that still uses it (the standby is stopped by then, but its walsender may take
// a moment to go).
Status dropSlot(PgSession &session)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto r = session.exec(p7Sql("slot_state"), { SlotName });
        if (!r)
            return r.error();
        if (r->rows() == 0)
            return {};
        if (r->isNull(0, 0)) {
            auto dropped = session.exec(p7Sql("slot_drop"), { SlotName });
            if (dropped)
                return {};
            if (dropped.error().code != QLatin1String("55006")) // object in use: taken again in between
                return dropped.error();
        } else {
            (void)session.exec(QStringLiteral("SELECT pg_terminate_backend($1::int)"), { r->value(0, 0) });
        }
        QThread::msleep(50);
    }
    return Error::make(QStringLiteral("55006"),
        QStringLiteral("The replication slot %1 is still in use, so it was not dropped.").arg(SlotName), QString(),
        QStringLiteral("Stop the standby that streams from it, then run: %1")
            .arg(revertCommand(QStringLiteral("p7-replica"))));
}

// ---- one run ---------------------------------------------------------------------------------------------------

// What one run (one strategy x workload) saw: set by query(), updated by the executions, read by the note.
struct Route {
    QString conninfo; // the standby's, when it answers
    QString standbyName; // in words, for the notes
    bool useStandby = false;
    int onStandby = 0;
    int onPrimary = 0;
    int lostAt = 0; // the execution during which the standby was lost (1-based), 0: never
    QString lost; // why
};

// The page of `q` from `session`, as the runner reads it (source:id in order).
Result<QStringList> pageOf(PgSession &session, const StrategyQuery &q)
{
    auto r = session.exec(q.sql, q.params);
    if (!r)
        return r.error();
    const int src = r->column("source"), id = r->column("id");
    if (src < 0 || id < 0)
        return Error::make(errc::Internal, QStringLiteral("The gallery query returned no source and id."));
    QStringList keys;
    keys.reserve(r->rows());
    for (int i = 0; i < r->rows(); ++i)
        keys << r->value(i, src) + QLatin1Char(':') + r->value(i, id);
    return keys;
}

// One execution: on the standby while it answers; the primary otherwise. Losing the standby never fails the run.
Result<QStringList> execute(PgSession &primary, const StrategyQuery &q, const std::shared_ptr<Route> &route)
{
    if (primary.isCancelled())
        return cancelledError();
    if (route->useStandby) {
        ReplicaState &s = state();
        std::lock_guard lock(s.mutex);
        auto it = s.connections.find(route->conninfo);
        Error why = Error::make(errc::Connection, QStringLiteral("its connection was closed"));
        if (it != s.connections.end() && it->second && it->second->isAlive()) {
            auto page = pageOf(*it->second, q);
            if (page) {
                ++route->onStandby;
                return page;
            }
            why = page.error();
        }
        route->useStandby = false;
        route->lostAt = route->onStandby + route->onPrimary + 1;
        route->lost = why.message;
        if (it != s.connections.end())
            s.connections.erase(it);
    }
    auto page = pageOf(primary, q);
    if (page)
        ++route->onPrimary;
    return page;
}

QString afterRuns(const std::shared_ptr<Route> &route)
{
    QStringList parts;
    const int total = route->onStandby + route->onPrimary;
    if (route->lostAt > 0)
        parts << QStringLiteral("%1 was lost during execution %2 (%3): the primary answered the remaining %4 of %5 "
                                "executions")
                     .arg(route->standbyName)
                     .arg(route->lostAt)
                     .arg(route->lost)
                     .arg(route->onPrimary)
                     .arg(total);
    else if (route->onStandby > 0)
        parts << QStringLiteral("the standby answered all %1 executions").arg(route->onStandby);
    if (route->onStandby > 0 && route->lostAt == 0) {
        // A standby promoted in the middle no longer follows the primary: say so; the pages are checked all the same.
        ReplicaState &s = state();
        std::lock_guard lock(s.mutex);
        auto it = s.connections.find(route->conninfo);
        if (it != s.connections.end() && it->second && it->second->isAlive()) {
            auto st = it->second->exec(p7Sql("standby_state"));
            if (st && !st->toBool(0, 0))
                parts << QStringLiteral("%1 was promoted during the run: it no longer follows the primary, so its "
                                        "pages may differ from the primary's (they are checked against the baseline's)")
                             .arg(route->standbyName);
        }
    }
    return parts.join(QStringLiteral("; "));
}

// The health check and the lag before a run: whether the standby answers it, and the note that says so.
struct Decision {
    bool useStandby = false;
    QString note;
};

Result<Decision> decide(PgSession &primary, Route &route)
{
    Decision d;
    auto primaryAnswers = [&](const QString &why) {
        d.useStandby = false;
        d.note = QStringLiteral("the primary answered: %1").arg(why);
        return d;
    };
    if (PQtransactionStatus(primary.raw()) != PQTRANS_IDLE)
        return primaryAnswers(QStringLiteral("the session is inside a transaction, whose writes no standby can see"));
    const ReplicaConfig config = replicaConfig();
    auto root = ownClusterRoot(primary);
    if (!root)
        return root.error();
    QString event;
    if (!config.dsn.isEmpty()) {
        route.conninfo = config.dsn;
        route.standbyName = QStringLiteral("the standby at %1").arg(displayConninfo(config.dsn));
    } else if (!root->isEmpty()) {
        LocalCluster standby(standbyRootOf(*root));
        route.standbyName = standbyWords(standby);
        if (!standby.exists())
            return primaryAnswers(QStringLiteral("the demo has no standby (apply p7-replica)"));
        if (auto st = ensureStandbyRunning(standby, &event); !st)
            return primaryAnswers(
                QStringLiteral("%1 is down and did not start (%2)").arg(route.standbyName, st.error().message));
        route.conninfo = standby.conninfo(primary.database());
    } else {
        return primaryAnswers(QStringLiteral("no standby is named (bench --replica DSN)"));
    }

    ReplicaState &s = state();
    std::lock_guard lock(s.mutex);
    auto &conn = s.connections[route.conninfo];
    if (conn && !conn->isAlive())
        conn.reset();
    if (!conn) {
        PgSession::Options opts;
        opts.connectTimeoutSeconds = 5;
        opts.statementTimeoutMs = primary.statementTimeoutMs();
        opts.applicationName = QStringLiteral("PlanSight p7-replica");
        auto c = PgSession::connect(route.conninfo, opts);
        if (!c) {
            s.connections.erase(route.conninfo);
            return primaryAnswers(
                QStringLiteral("%1 cannot be reached (%2)").arg(route.standbyName, c.error().message));
        }
        conn = std::move(*c);
    }
    auto sb = conn->exec(p7Sql("standby_state"));
    if (!sb) {
        s.connections.erase(route.conninfo);
        return primaryAnswers(QStringLiteral("%1 does not answer (%2)").arg(route.standbyName, sb.error().message));
    }
    if (!sb->toBool(0, 0))
        return primaryAnswers(
            QStringLiteral("%1 is not in recovery (it was promoted): it no longer follows the primary")
                .arg(route.standbyName));
    const qint64 standbyBytes = sb->toLongLong(0, 2);
    QStringList lag;
    // Lag in bytes: WAL the primary wrote that the standby has not replayed yet.
    if (auto bytes = primary.exec(p7Sql("lag_bytes"), { sb->value(0, 1) }); bytes)
        lag << QStringLiteral("%1 of WAL behind").arg(formatBytes(std::max<qint64>(0, bytes->toLongLong(0, 0))));
    else if (bytes.error().code == errc::Connection)
        return bytes.error();
    else
        lag << QStringLiteral("WAL lag unknown (%1)").arg(bytes.error().message);
    // Lag in time: a marker row written on the primary, polled on the standby until it is visible.
    auto marker = primary.exec(p7Sql("marker_exists"));
    if (!marker)
        return marker.error();
    if (!marker->toBool(0, 0)) {
        lag << QStringLiteral("time lag not measured (the marker table is missing: apply p7-replica)");
    } else {
        const qint64 token = qint64(QRandomGenerator::global()->generate64() >> 1);
        // The commit waits for the local WAL flush (the demo runs with synchronous_commit off, which would hold the
        // WAL back up to wal_writer_delay and count that as the replica's lag).
        if (auto r = primary.exec(QStringLiteral("BEGIN")); !r)
            return r.error();
        for (const auto &[statement, params] :
            { std::pair { QStringLiteral("SET LOCAL synchronous_commit = local"), QVariantList {} },
                std::pair { p7Sql("marker_write"), QVariantList { token } } }) {
            if (auto r = primary.exec(statement, params); !r) {
                (void)primary.exec(QStringLiteral("ROLLBACK"));
                return r.error();
            }
        }
        QElapsedTimer timer;
        timer.start();
        if (auto r = primary.exec(QStringLiteral("COMMIT")); !r)
            return r.error();
        double visibleMs = -1;
        QString pollError;
        while (timer.elapsed() <= config.maxLagMs) {
            auto seen = conn->exec(p7Sql("marker_read"), { token });
            if (!seen && seen.error().code != QLatin1String("42P01")) { // a table not replayed yet is not visible yet
                pollError = seen.error().message;
                break;
            }
            if (seen && seen->toBool(0, 0)) {
                visibleMs = double(timer.nsecsElapsed()) / 1e6;
                break;
            }
            QThread::usleep(200);
        }
        if (!pollError.isEmpty()) {
            s.connections.erase(route.conninfo);
            return primaryAnswers(
                QStringLiteral("%1 failed while the lag was measured (%2)").arg(route.standbyName, pollError));
        }
        if (visibleMs < 0)
            return primaryAnswers(
                QStringLiteral("%1 lags beyond the limit: a marker row written on the primary was not "
                               "visible on it after %2 ms (--replica-max-lag-ms %2; %3)")
                    .arg(route.standbyName)
                    .arg(config.maxLagMs)
                    .arg(lag.join(QStringLiteral(", "))));
        lag << QStringLiteral("a marker row visible %1 after its commit").arg(formatMs(visibleMs));
    }
    d.useStandby = true;
    d.note = QStringLiteral("%1 answered (health checked before the run%2): lag %3; it holds %4 of this database")
                 .arg(route.standbyName, event.isEmpty() ? QString() : QStringLiteral("; ") + event,
                     lag.join(QStringLiteral(", ")), formatBytes(standbyBytes));
    if (config.dsn.isEmpty())
        d.note += QStringLiteral(". On one machine the standby runs the same plan on the same CPU as the primary");
    return d;
}

} // namespace

void setReplicaConfig(const ReplicaConfig &config)
{
    ReplicaState &s = state();
    std::lock_guard lock(s.mutex);
    s.config = config;
    s.connections.clear();
}

ReplicaConfig replicaConfig()
{
    ReplicaState &s = state();
    std::lock_guard lock(s.mutex);
    return s.config;
}

void stopOwnedStandbys()
{
    ReplicaState &s = state();
    std::lock_guard lock(s.mutex);
    stopOwnedLocked(s);
}

QString standbyRootOf(const QString &demoRoot)
{
    return demoRoot + QStringLiteral("/replica");
}

StrategyInfo ReplicaStrategy::info() const
{
    StrategyInfo i;
    i.id = QStringLiteral("p7-replica");
    i.title = QStringLiteral("Read replica");
    i.proposal = QStringLiteral("P7");
    i.requirements = { QStringLiteral("a streaming standby (the demo's own, or --replica DSN)") };
    i.mayBeStale = true;
    i.description = QStringLiteral(
        "The gallery query (the baseline's SQL) routed to a streaming standby: a health check and the lag (bytes of "
        "WAL "
        "not replayed, and the time a marker row takes to become visible) before each run, and the primary answers "
        "when the standby is down or lags beyond the limit. On one machine the standby runs the same plan on the same "
        "CPU, so it cannot be faster; what a replica buys is reads taken off a primary busy with writes.");
    i.operations = QStringLiteral(
        "A standby server to run and monitor (replication lag, slot, disk), wal_level replica on the primary, and "
        "routing in the application with a fallback to the primary when the replica is down or behind.");
    return i;
}

QList<SchemaObject> ReplicaStrategy::objects() const
{
    return { { SchemaObject::Kind::Table, MarkerTable, QString() } };
}

QList<SchemaStrategy::Step> ReplicaStrategy::applySteps() const
{
    return { { QStringLiteral("marker"), QStringLiteral("Creating the marker table that measures the lag") } };
}

Result<StrategyStatus> ReplicaStrategy::status(PgSession &session) const
{
    auto st = SchemaStrategy::status(session);
    if (!st)
        return st;
    auto root = ownClusterRoot(session);
    if (!root)
        return root.error();
    if (root->isEmpty()) {
        const QString dsn = replicaConfig().dsn;
        st->detail += (st->detail.isEmpty() ? QString() : QStringLiteral("; "))
            + (dsn.isEmpty() ? QStringLiteral("no standby is named (bench --replica DSN)")
                             : QStringLiteral("routes to the standby at %1").arg(displayConninfo(dsn)));
        return st;
    }
    auto primary = primaryState(session);
    if (!primary)
        return primary.error();
    const LocalCluster standby(standbyRootOf(*root));
    QStringList missing, there;
    const QString walWords = QStringLiteral("wal_level replica with WAL senders on the demo");
    const QString slotWords = QStringLiteral("replication slot %1").arg(SlotName);
    const QString dirWords = QStringLiteral("the standby's data directory %1").arg(standby.dataDir());
    (primary->walReady() ? there : missing) << walWords;
    (primary->slot ? there : missing) << slotWords;
    (standbyReady(standby, *primary) ? there : missing) << dirWords;
    if (st->state == StrategyState::NotApplied) {
        if (primary->slot || QFileInfo::exists(standby.rootDir()))
            st->detail = QStringLiteral("the demo's standby parts are there (%1) without the marker table")
                             .arg(there.join(QStringLiteral(", ")));
        return st;
    }
    st->missing << missing;
    if (!missing.isEmpty()) {
        st->state = StrategyState::Broken;
        st->detail
            = QStringLiteral("missing: %1; apply again to rebuild, or revert").arg(missing.join(QStringLiteral(", ")));
    } else if (st->state == StrategyState::Applied) {
        st->detail += QStringLiteral("; %1, %2")
                          .arg(standbyWords(standby),
                              standby.isRunning() ? QStringLiteral("running") : QStringLiteral("stopped"));
    }
    return st;
}

Status ReplicaStrategy::apply(
    PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context)
{
    auto report = [&](qint64 done, qint64 total, const QString &text) {
        if (progress)
            progress(done, total, text);
    };
    auto current = status(session);
    if (!current)
        return current.error();
    if (current->state == StrategyState::Applied) {
        report(1, 1, QStringLiteral("%1 is already applied").arg(id()));
        return {};
    }
    auto root = ownClusterRoot(session);
    if (!root)
        return root.error();
    QElapsedTimer timer;
    timer.start();
    if (root->isEmpty()) {
        // The user's server: only the marker table; their standby is theirs.
        if (auto st = SchemaStrategy::apply(session, cancel, progress, context); !st)
            return st;
        m_buildMs.store(double(timer.nsecsElapsed()) / 1e6);
        return {};
    }
    if (current->state == StrategyState::Broken) {
        report(0, 1, QStringLiteral("%1 is incomplete (%2); removing it first").arg(id(), current->detail));
        if (auto st = revert(session, cancel, context); !st)
            return st;
    }
    LocalCluster primary(*root);
    LocalCluster standby(standbyRootOf(*root));
    struct ApplyStep {
        QString label;
        std::function<Status()> run;
    };
    const QList<ApplyStep> steps {
        { QStringLiteral("Creating the marker table that measures the lag"),
            [&] { return SchemaStrategy::apply(session, cancel, {}, context); } },
        { QStringLiteral("Raising the demo's WAL level to replica (restarts the demo when it runs below)"),
            [&]() -> Status {
                auto p = primaryState(session);
                if (!p)
                    return p.error();
                if (p->walReady())
                    return {};
                if (auto st = primary.setStandbyWal(true); !st)
                    return st;
                return restartPrimary(session, primary);
            } },
        { QStringLiteral("Creating the replication slot %1").arg(SlotName),
            [&]() -> Status {
                auto r = session.exec(p7Sql("slot_create"), { SlotName });
                return r ? Status() : Status(r.error());
            } },
        { QStringLiteral("Copying the demo for its standby (pg_basebackup)"),
            [&]() -> Status {
                auto p = primaryState(session);
                if (!p)
                    return p.error();
                if (standbyReady(standby, *p))
                    return {}; // made for another database of this cluster: it serves them all
                if (QFileInfo::exists(standby.rootDir())) {
                    // Left by an earlier standby of another cluster (a rebuilt demo): not this one's.
                    if (standby.exists())
                        (void)standby.destroy();
                    QDir(standby.rootDir()).removeRecursively();
                    standby = LocalCluster(standbyRootOf(*root));
                }
                if (auto st = standby.createStandby(primary, SlotName); !st)
                    return st;
                QFile id(systemIdFile(standby.rootDir()));
                if (!id.open(QIODevice::WriteOnly | QIODevice::Truncate) || id.write(p->systemId.toLatin1()) < 0)
                    return Error::make(errc::Io, QStringLiteral("Could not write %1.").arg(id.fileName()));
                return {};
            } },
        { QStringLiteral("Starting the standby"), [&] { return ensureStandbyRunning(standby, nullptr); } },
    };
    const qint64 total = steps.size();
    auto undo = [&](Error e) -> Status {
        if (auto undone = revertAfterCancel(*this, session, cancel, context); !undone) {
            e.message = e.message + QLatin1Char(' ') + undone.error().message;
            e.hint = undone.error().hint;
        }
        return e;
    };
    for (qint64 i = 0; i < total; ++i) {
        report(i, total, steps[i].label);
        if (cancel && cancel->isCancelled())
            return i == 0 ? Status(cancelledError()) : undo(cancelledError());
        if (auto st = steps[i].run(); !st) {
            Error e = st.error();
            if (cancel && cancel->isCancelled())
                e = cancelledError();
            else if (i > 0)
                e.message = QStringLiteral("%1 failed: %2").arg(steps[i].label, e.message);
            return i == 0 ? Status(e) : undo(e);
        }
    }
    report(total, total, QStringLiteral("done"));
    m_buildMs.store(double(timer.nsecsElapsed()) / 1e6);
    return {};
}

Status ReplicaStrategy::revert(PgSession &session, CancelToken *cancel, const ApplyContext &context)
{
    auto root = ownClusterRoot(session);
    if (!root)
        return root.error();
    if (!root->isEmpty()) {
        LocalCluster primary(*root);
        LocalCluster standby(standbyRootOf(*root));
        {
            ReplicaState &s = state();
            std::lock_guard lock(s.mutex);
            s.connections.clear();
            s.owned.removeAll(standby.rootDir());
        }
        if (standby.exists()) {
            if (auto st = standby.destroy(); !st)
                return st;
        }
        if (QFileInfo::exists(standby.rootDir()) && !QDir(standby.rootDir()).removeRecursively())
            return Error::make(errc::Io,
                QStringLiteral("Could not remove the standby's directory %1.").arg(standby.rootDir()), QString(),
                QStringLiteral("Remove it by hand once nothing runs in it."));
        if (auto st = dropSlot(session); !st)
            return st;
        // The WAL level goes back to minimal only when apply() raised it, and only when no other replication slot is
        // left (PostgreSQL refuses to start at minimal with one; a later revert lowers it).
        auto slotsLeft = session.exec(p7Sql("slots_left"));
        if (!slotsLeft)
            return slotsLeft.error();
        if (primary.standbyWalRaised() && slotsLeft->toLongLong(0, 0) == 0) {
            if (auto st = primary.setStandbyWal(false); !st)
                return st;
            if (auto st = restartPrimary(session, primary); !st)
                return st;
        }
    }
    return SchemaStrategy::revert(session, cancel, context);
}

std::optional<OutsideStorage> ReplicaStrategy::outsideStorage(PgSession &session) const
{
    OutsideStorage o { QStringLiteral(
        "a standby's copy of this database (a physical standby copies the whole cluster)") };
    if (auto r = session.exec(QStringLiteral("SELECT pg_database_size(current_database())")); r && r->rows() == 1)
        o.bytes = r->toLongLong(0, 0);
    return o;
}

Result<qint64> ReplicaStrategy::outsideBytesToBuild(PgSession &session) const
{
    if (!replicaConfig().dsn.isEmpty())
        return qint64(0); // the user's standby, on its own disk
    auto r = session.exec(QStringLiteral("SELECT sum(pg_database_size(oid))::bigint FROM pg_database"));
    if (!r)
        return r.error();
    return r->toLongLong(0, 0) + StandbyWalBytes;
}

Result<StrategyQuery> ReplicaStrategy::query(PgSession &session, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    const StrategyQuery inner = baselineQuery(workload);
    auto route = std::make_shared<Route>();
    auto decision = decide(session, *route);
    if (!decision)
        return decision.error();
    route->useStandby = decision->useStandby;
    StrategyQuery q;
    q.note = decision->note;
    q.execute = [inner, route](PgSession &primary) { return execute(primary, inner, route); };
    q.noteAfterRuns = [route] { return afterRuns(route); };
    return q;
}

} // namespace plansight
