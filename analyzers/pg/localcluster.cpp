#include "pg/localcluster.h"

#include "pg/pgsession.h"
#include "pg/serviceuser.h"
#include "util/processes.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace plansight {

namespace {

// The demo's database (demoDatabase() of the CLI, demoDatabaseName() of the window), where pg_cron runs its jobs.
const QString DemoDatabaseName = QStringLiteral("gallery");

const QString MissingServerHint = QStringLiteral(
    "Install the server with: apt-get install postgresql-15 postgresql-contrib (or run packaging/setup.sh).");

// A port nobody listens on right now: the kernel picks one for a throwaway TCP socket. The cluster only
// uses it to name its Unix socket, but a free TCP port keeps the door open for a replica on loopback.
int pickFreePort()
{
    const int port = freeLoopbackPort();
    return port > 0 ? port : 54329;
}

// pg_ctl hands the data directory and the log file to a shell inside double quotes, and the socket
// directory goes into postgresql.conf: characters that either would read differently are refused.
Status checkPathForServer(const QString &path)
{
    for (QChar c : path) {
        QString what;
        if (c == QLatin1Char('\n') || c == QLatin1Char('\r'))
            what = QStringLiteral("a line break");
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            what = QStringLiteral("a control character");
        else if (c == QLatin1Char('"'))
            what = QStringLiteral("a double quote");
        else if (c == QLatin1Char('\\'))
            what = QStringLiteral("a backslash");
        else if (c == QLatin1Char('$') || c == QLatin1Char('`'))
            what = QStringLiteral("'%1'").arg(c);
        if (!what.isEmpty())
            return Error::make(errc::Input,
                QStringLiteral("PlanSight cannot run its server in %1: the path contains %2, which the server's tools "
                               "cannot pass on safely.")
                    .arg(path.simplified(), what),
                QString(),
                QStringLiteral("Choose a directory without line breaks, quotes (\"), backslashes, $ or ` "
                               "(--data-dir or PLANSIGHT_DATA_DIR)."));
    }
    return {};
}

// The user `ids` may traverse `dir` (the execute bit of its owner, group or others, as for that user).
bool traversable(const QString &dir, const ServiceIds &ids, const std::vector<gid_t> &groups, mode_t &mode)
{
    struct stat st { };
    if (::stat(QFile::encodeName(dir).constData(), &st) != 0)
        return true; // not there yet: PlanSight creates it
    mode = st.st_mode & 07777;
    if (ids.uid == 0)
        return true;
    if (st.st_uid == ids.uid)
        return st.st_mode & S_IXUSR;
    if (std::find(groups.begin(), groups.end(), st.st_gid) != groups.end())
        return st.st_mode & S_IXGRP;
    return st.st_mode & S_IXOTH;
}

std::vector<gid_t> groupsOf(const QString &user, gid_t gid)
{
    std::vector<gid_t> groups(64);
    int n = int(groups.size());
    const QByteArray name = user.toLocal8Bit();
    if (::getgrouplist(name.constData(), gid, groups.data(), &n) < 0) {
        groups.resize(size_t(std::max(n, 1)));
        if (::getgrouplist(name.constData(), gid, groups.data(), &n) < 0)
            n = 0;
    }
    groups.resize(size_t(std::max(n, 0)));
    groups.push_back(gid);
    return groups;
}

// postgresql.conf's string syntax: single quotes doubled, backslashes escaped (line breaks are refused
// before; see checkPathForServer).
QString confString(QString v)
{
    v.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

// One element of a directory list setting (unix_socket_directories splits on commas; double quotes protect
// an element, "" inside them being one quote).
QString confDirectoryList(QString dir)
{
    dir.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return confString(QLatin1Char('"') + dir + QLatin1Char('"'));
}

Error configurationError(const QString &dataDir)
{
    return Error::make(errc::Io, QStringLiteral("Could not write the cluster's configuration in %1.").arg(dataDir),
        QString(), QStringLiteral("Check the disk space."));
}

// Writes one of PlanSight's configuration files in `dataDir`, owned by the server's user.
Status writeConfFile(const QString &dataDir, const QString &name, const QString &text)
{
    QFile f(dataDir + QLatin1Char('/') + name);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text.toUtf8()) < 0 || !f.flush())
        return configurationError(dataDir);
    f.close();
    if (auto ids = serviceIds())
        return chownPath(f.fileName(), *ids);
    return {};
}

bool processAlive(qint64 pid)
{
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
}

} // namespace

LocalCluster::LocalCluster(QString rootDir) : m_root(QDir::cleanPath(QDir(rootDir).absolutePath()))
{
    loadState();
}

QString LocalCluster::defaultRootDir()
{
    return defaultRootDirFor(::geteuid() == 0);
}

QString LocalCluster::defaultRootDirFor(bool asRoot)
{
    const QString env = qEnvironmentVariable("PLANSIGHT_DATA_DIR");
    if (!env.isEmpty())
        return env;
    // A demo made by an earlier PlanSight, which kept it beside the history, is still used (it can be many GB).
    const QString earlier
        = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/plansight");
    if (QFileInfo::exists(earlier + QStringLiteral("/cluster.ini")))
        return earlier;
    // As root the server runs as another user, who cannot reach root's home (0700): the demo lives in a
    // system directory instead, so no directory of the user's changes.
    if (asRoot)
        return systemRootDir();
    // The XDG base directory spec: $XDG_STATE_HOME when it is an absolute path, else ~/.local/state (Qt 6.4's
    // QStandardPaths has no state location).
    QString state = qEnvironmentVariable("XDG_STATE_HOME");
    if (!QDir::isAbsolutePath(state))
        state = QDir::homePath() + QStringLiteral("/.local/state");
    return state + QStringLiteral("/plansight/demo");
}

QString LocalCluster::systemRootDir()
{
    return QStringLiteral("/var/lib/plansight/demo");
}

QString LocalCluster::serviceUser()
{
    if (::geteuid() != 0)
        return QString();
    return ::getpwnam("postgres") ? QStringLiteral("postgres") : QStringLiteral("nobody");
}

Result<QString> LocalCluster::findBinDir()
{
    auto hasServer = [](const QString &dir) {
        return QFileInfo(dir + QStringLiteral("/initdb")).isExecutable()
            && QFileInfo(dir + QStringLiteral("/pg_ctl")).isExecutable()
            && QFileInfo(dir + QStringLiteral("/postgres")).isExecutable();
    };
    const QString env = qEnvironmentVariable("PLANSIGHT_PG_BINDIR");
    if (!env.isEmpty()) {
        if (hasServer(env))
            return env;
        return Error::make(errc::Missing,
            QStringLiteral("PLANSIGHT_PG_BINDIR=%1 holds no PostgreSQL server (initdb, pg_ctl, postgres).").arg(env));
    }
    // The Debian layout first (pg_config from libpq-dev may point at /usr/bin, which has only wrappers).
    QDir lib(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = lib.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(
        versions.begin(), versions.end(), [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &v : versions) {
        const QString dir = lib.filePath(v + QStringLiteral("/bin"));
        if (hasServer(dir))
            return dir;
    }
    QProcess p;
    p.start(QStringLiteral("pg_config"), { QStringLiteral("--bindir") });
    if (p.waitForFinished(5000) && p.exitCode() == 0) {
        const QString dir = QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed();
        if (hasServer(dir))
            return dir;
    }
    return Error::make(errc::Missing,
        QStringLiteral("The PostgreSQL server binaries (initdb, pg_ctl) are not installed."), QString(),
        MissingServerHint);
}

QString LocalCluster::dataDir() const
{
    return m_root + QStringLiteral("/pgdata");
}

QString LocalCluster::logFile() const
{
    return dataDir() + QStringLiteral("/log/server.log");
}

bool LocalCluster::exists() const
{
    return QFileInfo::exists(dataDir() + QStringLiteral("/PG_VERSION"))
        && QFileInfo::exists(m_root + QStringLiteral("/cluster.ini"));
}

void LocalCluster::loadState()
{
    QSettings ini(m_root + QStringLiteral("/cluster.ini"), QSettings::IniFormat);
    m_port = ini.value(QStringLiteral("port"), 0).toInt();
    m_socketDir = ini.value(QStringLiteral("socket_dir")).toString();
    m_binDir = ini.value(QStringLiteral("bin_dir")).toString();
}

Status LocalCluster::saveState() const
{
    QSettings ini(m_root + QStringLiteral("/cluster.ini"), QSettings::IniFormat);
    ini.setValue(QStringLiteral("port"), m_port);
    ini.setValue(QStringLiteral("socket_dir"), m_socketDir);
    ini.setValue(QStringLiteral("bin_dir"), m_binDir);
    ini.sync();
    if (ini.status() != QSettings::NoError)
        return Error::make(errc::Io, QStringLiteral("Could not write %1.").arg(ini.fileName()), QString(),
            QStringLiteral("Check the disk space and the directory's permissions."));
    return {};
}

Status LocalCluster::runTool(const QString &tool, const QStringList &args, int timeoutMs, QString *output) const
{
    QProcess p;
    p.setProgram(m_binDir + QLatin1Char('/') + tool);
    p.setArguments(args);
    p.setWorkingDirectory(m_root);
    p.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : { "PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS", "PGSERVICE" })
        env.remove(QString::fromLatin1(v));
    env.insert(QStringLiteral("LC_MESSAGES"), QStringLiteral("C"));
    p.setProcessEnvironment(env);
    if (auto ids = serviceIds())
        runAs(p, *ids);
    p.start();
    if (!p.waitForStarted(10000))
        return Error::make(
            errc::Missing, QStringLiteral("Could not start %1.").arg(p.program()), p.errorString(), MissingServerHint);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        return Error::make(errc::Internal,
            QStringLiteral("%1 did not finish within %2 s.").arg(tool).arg(timeoutMs / 1000), QString(),
            QStringLiteral("See the server log: %1").arg(logFile()));
    }
    const QString out = QString::fromLocal8Bit(p.readAll());
    if (output)
        *output = out;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        QString hint = QStringLiteral("See the server log: %1").arg(logFile());
        QString msg = QStringLiteral("%1 failed.").arg(tool);
        if (out.contains(QLatin1String("No space left on device"))) {
            msg = QStringLiteral("%1 failed: the disk is full.").arg(tool);
            hint = QStringLiteral("Free some space under %1.").arg(m_root);
        }
        if (p.exitCode() == 126 && !serviceUser().isEmpty())
            msg = QStringLiteral("%1 failed: could not switch to the user %2.").arg(tool, serviceUser());
        return Error::make(errc::Internal, msg, out.trimmed().right(600), hint);
    }
    return {};
}

Status LocalCluster::prepareDirectories()
{
    if (auto st = checkPathForServer(m_root); !st)
        return st;
    const auto ids = serviceIds();
    // The server's user must be able to reach its directories. PlanSight changes no directory above the root
    // it was given: one on the way that the server's user cannot traverse is refused, naming the fix. (The
    // root itself is PlanSight's: it gets the execute bit below.)
    if (ids) {
        const QString user = serviceUser();
        const auto groups = groupsOf(user, ids->gid);
        QStringList chain;
        for (QString dir = QFileInfo(m_root).absolutePath(); !dir.isEmpty() && dir != QLatin1String("/");
             dir = QFileInfo(dir).absolutePath())
            chain.prepend(dir);
        for (const QString &dir : std::as_const(chain)) {
            mode_t mode = 0;
            if (!traversable(dir, *ids, groups, mode))
                return Error::make(errc::Io,
                    QStringLiteral("The server's user %1 cannot reach %2: %3 (mode %4) does not let it through.")
                        .arg(user, m_root, dir, QString::number(mode, 8)),
                    QString(),
                    QStringLiteral("Run `chmod o+x %1` if that is acceptable, or choose a directory %2 can reach with "
                                   "--data-dir (for example under %3).")
                        .arg(dir, user, QFileInfo(systemRootDir()).absolutePath()));
        }
    }
    // The root and the directories PlanSight creates on the way are its own: when root, they get the execute
    // bit (traverse, not list) for others.
    QStringList created { m_root };
    for (QString dir = QFileInfo(m_root).absolutePath(); !QFileInfo::exists(dir) && dir != QLatin1String("/");
         dir = QFileInfo(dir).absolutePath())
        created.prepend(dir);
    QDir().mkpath(m_root);
    if (!QFileInfo(m_root).isDir() || !QFileInfo(m_root).isWritable())
        return Error::make(errc::Io, QStringLiteral("Cannot write to %1.").arg(m_root), QString(),
            QStringLiteral("Choose another directory with --data-dir or PLANSIGHT_DATA_DIR."));
    if (ids) {
        for (const QString &dir : std::as_const(created)) {
            struct stat st { };
            const QByteArray p = QFile::encodeName(dir);
            if (::lstat(p.constData(), &st) == 0 && S_ISDIR(st.st_mode))
                ::chmod(p.constData(), (st.st_mode & 07777) | S_IXOTH);
        }
    }
    if (m_socketDir.isEmpty()) {
        m_socketDir = m_root + QStringLiteral("/run");
        // sun_path holds 107 bytes, and libpq reads a comma in host= as a list: such a root gets a short,
        // stable socket directory under /tmp (created safely below: a planted link there is refused).
        if ((m_socketDir + QStringLiteral("/.s.PGSQL.65535")).toUtf8().size() > 100
            || m_root.contains(QLatin1Char(','))) {
            const QByteArray h = QCryptographicHash::hash(m_root.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
            m_socketDir = QStringLiteral("/tmp/plansight-") + QString::fromLatin1(h);
        }
    }
    for (const QString &d : QStringList { dataDir(), m_socketDir }) {
        if (auto st = makePrivateDir(d, ids); !st)
            return st;
    }
    return {};
}

Status LocalCluster::create()
{
    if (exists())
        return {};
    auto bin = findBinDir();
    if (!bin)
        return bin.error();
    m_binDir = bin.value();
    if (QFileInfo::exists(dataDir()) && !QDir(dataDir()).isEmpty())
        return Error::make(errc::Io, QStringLiteral("%1 is not empty and is not a PlanSight cluster.").arg(dataDir()),
            QString(), QStringLiteral("Choose another directory with --data-dir."));
    if (auto st = prepareDirectories(); !st)
        return st;
    m_port = pickFreePort();
    if (auto st = runTool(QStringLiteral("initdb"),
            { QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), superuser(), QStringLiteral("--auth=trust"),
                QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8"),
                QStringLiteral("--no-instructions") },
            300000);
        !st)
        return st;

    // The socket lives in a private directory (0700) and the server listens on nothing else, so trust
    // authentication admits only this user (and root).
    QString conf;
    conf += QStringLiteral("# Written by PlanSight for its embedded demo cluster.\n");
    conf += QStringLiteral("listen_addresses = ''\n");
    conf += QStringLiteral("port = %1\n").arg(m_port);
    conf += QStringLiteral("unix_socket_directories = %1\n").arg(confDirectoryList(m_socketDir));
    conf += QStringLiteral("unix_socket_permissions = 0700\n");
    conf += QStringLiteral("shared_buffers = 512MB\n");
    conf += QStringLiteral("maintenance_work_mem = 512MB\n");
    conf += QStringLiteral("max_wal_size = 8GB\n");
    conf += QStringLiteral("checkpoint_timeout = 30min\n");
    // Bulk loads skip WAL for tables created in the loading transaction; p7-replica raises this.
    conf += QStringLiteral("wal_level = minimal\n");
    conf += QStringLiteral("max_wal_senders = 0\n");
    conf += QStringLiteral("synchronous_commit = off\n");
    conf += QStringLiteral("log_min_messages = warning\n");
    conf += QStringLiteral("log_line_prefix = '%m [%p] '\n");
    QFile extra(dataDir() + QStringLiteral("/plansight.conf"));
    QFile main(dataDir() + QStringLiteral("/postgresql.conf"));
    if (!extra.open(QIODevice::WriteOnly) || extra.write(conf.toUtf8()) < 0 || !main.open(QIODevice::Append)
        || main.write("\ninclude 'plansight.conf'\n") < 0)
        return Error::make(errc::Io,
            QStringLiteral("Could not write the cluster's configuration in %1.").arg(dataDir()), QString(),
            QStringLiteral("Check the disk space."));
    extra.close();
    main.close();
    if (auto st = makePrivateDir(dataDir() + QStringLiteral("/log"), serviceIds()); !st)
        return st;
    if (auto ids = serviceIds()) {
        if (auto st = chownPath(extra.fileName(), *ids); !st)
            return st;
    }
    return saveState();
}

bool LocalCluster::isRunning() const
{
    if (!exists() || m_binDir.isEmpty())
        return false;
    return runTool(QStringLiteral("pg_ctl"), { QStringLiteral("status"), QStringLiteral("-D"), dataDir() }, 10000).ok();
}

Status LocalCluster::start()
{
    if (auto st = create(); !st)
        return st;
    if (!QFileInfo(m_binDir + QStringLiteral("/pg_ctl")).isExecutable()) {
        auto bin = findBinDir();
        if (!bin)
            return bin.error();
        m_binDir = bin.value();
        if (auto st = saveState(); !st)
            return st;
    }
    if (isRunning())
        return {};
    // The socket directory may be under /tmp, which a reboot empties.
    if (auto st = prepareDirectories(); !st)
        return st;
    if (auto st = writeExtensionConf(); !st)
        return st;
    auto st = runTool(QStringLiteral("pg_ctl"),
        { QStringLiteral("start"), QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), logFile(),
            QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("120") },
        130000);
    if (!st) {
        QFile log(logFile());
        QString tail;
        if (log.open(QIODevice::ReadOnly)) {
            log.seek(qMax<qint64>(0, log.size() - 800));
            tail = QString::fromLocal8Bit(log.readAll()).trimmed();
        }
        Error e = st.error();
        e.message = QStringLiteral("The embedded PostgreSQL server did not start.");
        if (tail.contains(QLatin1String("No space left")))
            e.message = QStringLiteral("The embedded PostgreSQL server did not start: the disk is full.");
        if (!tail.isEmpty())
            e.detail = tail;
        return e;
    }
    return {};
}

// pg_cron, which refreshes p1-matview and p8-tag-counts (docs/gallery.md, "Refreshed on a schedule"), loaded when the
// server has it, its jobs run in the demo's database by background workers (the server listens on no TCP port).
// pg_stat_statements, loaded when the server has it, so that `plansight experiment new --from-statements` can list
// the demo's top queries (docs/experiments.md, "From pg_stat_statements"); the extension itself is created in the
// demo's database only when that verb asks for it. Written at every start, so a cluster made before, or a library
// installed or removed since, is followed.
Status LocalCluster::writeExtensionConf() const
{
    const QString name = QStringLiteral("plansight-extensions.conf");
    QString conf = QStringLiteral("# Written by PlanSight at every start of its embedded demo cluster.\n");
    QStringList preload;
    const bool cron = QFileInfo::exists(m_binDir + QStringLiteral("/../lib/pg_cron.so"));
    if (cron)
        preload << QStringLiteral("pg_cron");
    if (QFileInfo::exists(m_binDir + QStringLiteral("/../lib/pg_stat_statements.so")))
        preload << QStringLiteral("pg_stat_statements");
    if (!preload.isEmpty())
        conf += QStringLiteral("shared_preload_libraries = '%1'\n").arg(preload.join(QLatin1Char(',')));
    if (cron) {
        conf += QStringLiteral("cron.database_name = '%1'\n").arg(DemoDatabaseName);
        conf += QStringLiteral("cron.use_background_workers = on\n");
    }
    if (auto st = writeConfFile(dataDir(), name, conf); !st)
        return st;
    return includeConf(name);
}

Status LocalCluster::includeConf(const QString &name) const
{
    QFile main(dataDir() + QStringLiteral("/postgresql.conf"));
    if (!main.open(QIODevice::ReadWrite))
        return configurationError(dataDir());
    const QByteArray include = "include_if_exists '" + name.toUtf8() + "'";
    if (!main.readAll().contains(include)) {
        main.seek(main.size());
        if (main.write("\n" + include + "\n") < 0)
            return configurationError(dataDir());
    }
    return {};
}

Status LocalCluster::stop()
{
    if (!isRunning())
        return {};
    return runTool(QStringLiteral("pg_ctl"),
        { QStringLiteral("stop"), QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("fast"),
            QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("120") },
        130000);
}

Status LocalCluster::restart()
{
    if (auto st = stop(); !st)
        return st;
    return start();
}

Status LocalCluster::destroy()
{
    if (!QFileInfo::exists(m_root + QStringLiteral("/cluster.ini")))
        return Error::make(
            errc::Input, QStringLiteral("%1 is not a PlanSight cluster; nothing was removed.").arg(m_root));
    if (auto st = stop(); !st)
        return st;
    QDir(dataDir()).removeRecursively();
    // Only the real directory PlanSight made: never what a link put there points to.
    struct stat st { };
    if (m_socketDir.startsWith(QLatin1String("/tmp/plansight-"))
        && ::lstat(QFile::encodeName(m_socketDir).constData(), &st) == 0 && S_ISDIR(st.st_mode))
        QDir(m_socketDir).removeRecursively();
    QFile::remove(m_root + QStringLiteral("/cluster.ini"));
    QDir(m_root + QStringLiteral("/run")).removeRecursively();
    m_port = 0;
    m_socketDir.clear();
    return {};
}

QString LocalCluster::conninfo(const QString &dbname) const
{
    // Values are quoted for conninfo syntax: backslash and single quote escaped.
    auto q = [](QString v) -> QString {
        v.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
        return QLatin1Char('\'') + v + QLatin1Char('\'');
    };
    return QStringLiteral("host=%1 port=%2 user=%3 dbname=%4")
        .arg(q(m_socketDir))
        .arg(m_port)
        .arg(q(superuser()), q(dbname));
}

Status LocalCluster::ensureDatabase(const QString &dbname)
{
    auto s = PgSession::connect(conninfo(QStringLiteral("postgres")));
    if (!s)
        return s.error();
    auto found = (*s)->exec(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = $1"), { dbname });
    if (!found)
        return found.error();
    if (found->rows() > 0)
        return {};
    auto created = (*s)->exec(QStringLiteral("CREATE DATABASE ") + (*s)->quoteIdentifier(dbname));
    if (!created)
        return created.error();
    return {};
}

} // namespace plansight

namespace plansight {

// ---- a streaming standby (p7-replica) --------------------------------------------------------------------------

Status LocalCluster::createStandby(const LocalCluster &primary, const QString &slot)
{
    if (exists())
        return {};
    auto bin = findBinDir();
    if (!bin)
        return bin.error();
    m_binDir = bin.value();
    if (QFileInfo::exists(dataDir()) && !QDir(dataDir()).isEmpty())
        return Error::make(errc::Io, QStringLiteral("%1 is not empty and is not a PlanSight cluster.").arg(dataDir()),
            QString(), QStringLiteral("Remove it, or revert p7-replica (plansight strategies revert p7-replica)."));
    if (auto st = prepareDirectories(); !st)
        return st;
    m_port = pickFreePort();
    for (int i = 0; i < 10 && m_port == primary.port(); ++i)
        m_port = pickFreePort();
    if (m_port == primary.port())
        ++m_port; // its own socket directory keeps it apart anyway
    const auto ids = serviceIds();
    auto leaveNothing = [&](const Error &e) -> Status {
        QDir(dataDir()).removeRecursively();
        (void)makePrivateDir(dataDir(), ids);
        return e;
    };
    // Over the primary's private socket, as the server's user: trust authentication, as for PlanSight itself.
    if (auto st = runTool(QStringLiteral("pg_basebackup"),
            { QStringLiteral("-h"), primary.socketDir(), QStringLiteral("-p"), QString::number(primary.port()),
                QStringLiteral("-U"), primary.superuser(), QStringLiteral("-D"), dataDir(), QStringLiteral("-X"),
                QStringLiteral("stream"), QStringLiteral("-R"), QStringLiteral("-S"), slot, QStringLiteral("-c"),
                QStringLiteral("fast"), QStringLiteral("--no-sync"), QStringLiteral("-w") },
            30 * 60 * 1000);
        !st) {
        Error e = st.error();
        e.message = QStringLiteral("Copying the demo cluster for its standby failed (pg_basebackup).");
        return leaveNothing(e);
    }
    // The primary's log came along with the copy: the standby keeps a log of its own.
    QDir(dataDir() + QStringLiteral("/log")).removeRecursively();
    if (auto st = makePrivateDir(dataDir() + QStringLiteral("/log"), ids); !st)
        return leaveNothing(st.error());
    // The copy carries the primary's settings (the same memory, the same planner settings: the same plans); the
    // standby's own come last. pg_cron stays on the primary: a standby runs no jobs.
    QString conf
        = QStringLiteral("# Written by PlanSight: this cluster is a streaming standby of the demo (p7-replica).\n");
    conf += QStringLiteral("listen_addresses = ''\n");
    conf += QStringLiteral("port = %1\n").arg(m_port);
    conf += QStringLiteral("unix_socket_directories = %1\n").arg(confDirectoryList(m_socketDir));
    conf += QStringLiteral("hot_standby = on\n");
    conf += QStringLiteral("hot_standby_feedback = on\n");
    conf += QStringLiteral("shared_preload_libraries = ''\n");
    const QString name = QStringLiteral("plansight-standby.conf");
    if (auto st = writeConfFile(dataDir(), name, conf); !st)
        return leaveNothing(st.error());
    if (auto st = includeConf(name); !st)
        return leaveNothing(st.error());
    if (auto st = saveState(); !st)
        return leaveNothing(st.error());
    return {};
}

bool LocalCluster::isStandby() const
{
    return QFileInfo::exists(dataDir() + QStringLiteral("/standby.signal"));
}

Status LocalCluster::setStandbyWal(bool on)
{
    const QString name = QStringLiteral("plansight-replica.conf");
    if (!on) {
        const QString path = dataDir() + QLatin1Char('/') + name;
        if (QFileInfo::exists(path) && !QFile::remove(path))
            return Error::make(errc::Io, QStringLiteral("Could not remove %1.").arg(path), QString(),
                QStringLiteral("Check the directory's permissions."));
        return {};
    }
    // max_wal_senders: the standby's walreceiver and pg_basebackup's WAL stream, with room to spare.
    const QString conf
        = QStringLiteral("# Written by PlanSight while p7-replica is applied: a streaming standby needs these.\n"
                         "wal_level = replica\n"
                         "max_wal_senders = 5\n"
                         "max_replication_slots = 5\n");
    if (auto st = writeConfFile(dataDir(), name, conf); !st)
        return st;
    return includeConf(name);
}

bool LocalCluster::standbyWalRaised() const
{
    return QFileInfo::exists(dataDir() + QStringLiteral("/plansight-replica.conf"));
}

qint64 LocalCluster::ownerPid() const
{
    QFile f(m_root + QStringLiteral("/owner.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readAll().trimmed().toLongLong();
}

Status LocalCluster::markOwned()
{
    QFile f(m_root + QStringLiteral("/owner.pid"));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(QByteArray::number(qint64(::getpid()))) < 0)
        return Error::make(errc::Io, QStringLiteral("Could not write %1.").arg(f.fileName()), QString(),
            QStringLiteral("Check the disk space."));
    return {};
}

Result<bool> LocalCluster::reapOrphan()
{
    const qint64 owner = ownerPid();
    if (owner == qint64(::getpid()) || processAlive(owner))
        return false;
    if (!isRunning())
        return false;
    if (auto st = stop(); !st)
        return st.error();
    QFile::remove(m_root + QStringLiteral("/owner.pid"));
    return true;
}

} // namespace plansight
