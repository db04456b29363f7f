#pragma once

#include "util/result.h"

#include <QString>

namespace plansight {

// PlanSight's embedded PostgreSQL: a private cluster made with the installed server's initdb, listening
// on a Unix socket only, on a free port, under one root directory:
//   <root>/pgdata      the cluster (PGDATA), its log in <root>/pgdata/log/server.log
//   <root>/run         the socket directory (or a short path under /tmp when <root> is too long)
//   <root>/cluster.ini what PlanSight needs to find it again (port, socket directory, binaries)
//
// PostgreSQL refuses to run as root. When PlanSight runs as root, the server runs as an unprivileged system
// user ("postgres" when it exists, else "nobody"); the cluster's directories are owned by that user. The
// root and the directories PlanSight creates get the execute bit (traverse, not list) for that user; the
// directories above the root must already let it through: PlanSight never changes one, and refuses (naming
// the directory and the chmod that would do) when one does not. As root the default root is therefore a
// system directory (systemRootDir()), not root's home.
//
// The directories the server uses (pgdata, the socket directory, which may sit in /tmp) are created without
// following links, and one that is a link or belongs to another user is refused. Paths whose characters
// pg_ctl or postgresql.conf could misread (line breaks, ", \, $, `) are refused; quotes and spaces work.
//
// Not thread-safe; every method blocks (run it in a worker). Methods never touch a cluster they did not create.
class LocalCluster {
public:
    explicit LocalCluster(QString rootDir = defaultRootDir());

    // $PLANSIGHT_DATA_DIR if set; else a demo made by an earlier PlanSight in $XDG_DATA_HOME/plansight
    // (~/.local/share/plansight) when one is there; else, for a user, $XDG_STATE_HOME/plansight/demo
    // (~/.local/state/plansight/demo: state that can be rebuilt, not data to back up) and, as root,
    // systemRootDir(). README.md, "Where files go", names the same places.
    static QString defaultRootDir();
    // The same for a user (asRoot false) or root, whoever runs it: for tests.
    static QString defaultRootDirFor(bool asRoot);
    static QString systemRootDir(); // /var/lib/plansight/demo
    // The server's binaries: pg_config --bindir, else the newest /usr/lib/postgresql/N/bin.
    static Result<QString> findBinDir();

    QString rootDir() const { return m_root; }
    QString dataDir() const;
    QString logFile() const;
    QString socketDir() const { return m_socketDir; }
    int port() const { return m_port; }
    QString superuser() const { return QStringLiteral("plansight"); }

    bool exists() const; // initdb has been run here
    Status create(); // initdb + PlanSight's settings; a no-op when it exists
    Status start(); // creates when needed; a no-op when running
    Status stop(); // fast shutdown; a no-op when stopped
    Status restart(); // for cold-cache runs
    bool isRunning() const;
    // Removes the whole cluster (stops it first). Only for PlanSight's own root directories.
    Status destroy();

    // A libpq conninfo string for database `dbname` of this cluster.
    QString conninfo(const QString &dbname = QStringLiteral("postgres")) const;
    // Creates the database when missing (needs a running cluster).
    Status ensureDatabase(const QString &dbname);

    // The unprivileged user the server runs as when PlanSight is root; empty when not root.
    static QString serviceUser();

    // ---- a streaming standby (p7-replica, docs/strategies.md) ----
    // This root made into a streaming standby of `primary`, which must be running with wal_level replica or higher:
    // pg_basebackup of it over its socket (-X stream, -R: standby.signal and primary_conninfo, streaming from the
    // physical replication slot `slot`, which the caller created), as the service user when PlanSight is root; then
    // a port and socket directory of its own and PlanSight's standby settings (plansight-standby.conf, included
    // last). A no-op when this root already holds a cluster. On failure nothing is left in pgdata.
    Status createStandby(const LocalCluster &primary, const QString &slot);
    bool isStandby() const; // standby.signal is in its data directory

    // The settings a streaming standby needs on the primary (wal_level replica, max_wal_senders and
    // max_replication_slots), in a file of their own in the data directory (plansight-replica.conf) that
    // postgresql.conf includes after PlanSight's settings; false removes the file. Take effect at the next start.
    Status setStandbyWal(bool on);
    bool standbyWalRaised() const; // that file is there

    // A server that lives only as long as the PlanSight process that started it (the demo's standby): markOwned()
    // records this process in <root>/owner.pid. reapOrphan() stops the server when it runs and the recorded owner
    // is gone (a PlanSight that was killed) and returns whether it did; a server whose owner lives is left alone.
    Status markOwned();
    Result<bool> reapOrphan();
    qint64 ownerPid() const;

private:
    Status runTool(const QString &tool, const QStringList &args, int timeoutMs, QString *output = nullptr) const;
    Status prepareDirectories();
    Status writeExtensionConf() const;
    Status includeConf(const QString &name) const; // include_if_exists 'name' at the end of postgresql.conf, once
    void loadState();
    Status saveState() const;

    QString m_root;
    QString m_binDir;
    QString m_socketDir;
    int m_port = 0;
};

} // namespace plansight
