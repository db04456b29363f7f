#include "cache/redisserver.h"

#include "pg/localcluster.h"
#include "pg/serviceuser.h"
#include "util/processes.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>

namespace plansight {

namespace {

const QString MissingHint
    = QStringLiteral("Install it with: apt-get install redis-server (or run packaging/setup.sh), or give --redis URL.");

const QByteArray Program = "redis-server";

// `pid` is a live redis-server (util/processes.h: a recycled pid or a zombie counts as gone).
bool serverAlive(qint64 pid)
{
    return processRuns(pid, Program);
}

// redis.conf's quoted string: the paths are checked before (no quotes, backslashes or line breaks).
QByteArray confString(const QString &v)
{
    return '"' + QFile::encodeName(v) + '"';
}

Status checkPath(const QString &path)
{
    for (QChar c : path) {
        if (c.unicode() < 0x20 || c == QLatin1Char('"') || c == QLatin1Char('\\') || c == QLatin1Char('\''))
            return Error::make(errc::Input,
                QStringLiteral("PlanSight cannot run Redis in %1: the path contains a quote, a backslash or a control "
                               "character.")
                    .arg(path.simplified()),
                QString(), QStringLiteral("Choose another directory with --data-dir or PLANSIGHT_DATA_DIR."));
    }
    return {};
}

} // namespace

RedisServer::RedisServer(QString rootDir) : m_root(QDir::cleanPath(QDir(rootDir).absolutePath()))
{
    m_socket = m_root + QStringLiteral("/redis.sock");
    // sun_path holds 107 bytes: a long root gets a short, stable socket directory under /tmp.
    if (QFile::encodeName(m_socket).size() > 100) {
        const QByteArray h = QCryptographicHash::hash(m_root.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
        m_socket = QStringLiteral("/tmp/plansight-redis-%1/redis.sock").arg(QString::fromLatin1(h));
    }
}

RedisServer::~RedisServer()
{
    if (m_owned)
        (void)stop();
}

Result<QString> RedisServer::findBinary()
{
    return findServerBinary("PLANSIGHT_REDIS_SERVER", QStringLiteral("redis-server"), MissingHint);
}

RedisEndpoint RedisServer::endpoint() const
{
    RedisEndpoint e;
    e.socketPath = m_socket;
    return e;
}

qint64 RedisServer::runningPid() const
{
    const qint64 pid = readPidFile(pidFile());
    return serverAlive(pid) ? pid : 0;
}

bool RedisServer::isRunning() const
{
    auto c = RedisClient::connect(endpoint(), 1000);
    return c && (*c)->ping().ok();
}

Status RedisServer::prepareDirectories()
{
    if (auto st = checkPath(m_root); !st)
        return st;
    if (auto st = checkPath(m_socket); !st)
        return st;
    const auto ids = serviceIds();
    if (auto st = makeServerRoot(m_root, ids); !st)
        return st;
    if (auto st = makePrivateDir(m_root + QStringLiteral("/data"), ids); !st)
        return st;
    const QString socketDir = QFileInfo(m_socket).absolutePath();
    if (socketDir != m_root) {
        if (auto st = makePrivateDir(socketDir, ids); !st)
            return st;
    }
    return {};
}

Status RedisServer::reapOrphan()
{
    const qint64 pid = runningPid();
    // With nothing to save, redis exits at once on SIGTERM.
    const OrphanReap reaped = reapOrphanedServer(pid, m_root + QStringLiteral("/redis.owner"), Program, false);
    if (reaped == OrphanReap::Kept)
        return {};
    if (reaped == OrphanReap::Stuck)
        return Error::make(errc::Internal,
            QStringLiteral("An orphaned Redis server (pid %1) from an earlier PlanSight did not stop.").arg(pid),
            QString(), QStringLiteral("Stop it with: kill -9 %1").arg(pid));
    QFile::remove(pidFile());
    QFile::remove(m_socket);
    return {};
}

Status RedisServer::start()
{
    auto bin = findBinary();
    if (!bin)
        return bin.error();
    if (auto st = prepareDirectories(); !st)
        return st;
    if (auto st = reapOrphan(); !st)
        return st;
    if (runningPid() && isRunning())
        return {}; // its living owner's server
    QFile::remove(pidFile());
    QFile::remove(m_socket);

    QByteArray conf;
    conf += "# Written by PlanSight for the embedded demo's cache (p2-redis). Nothing is saved.\n";
    conf += "port 0\n";
    conf += "unixsocket " + confString(m_socket) + "\n";
    conf += "unixsocketperm 700\n";
    conf += "dir " + confString(m_root + QStringLiteral("/data")) + "\n";
    conf += "daemonize yes\n";
    conf += "pidfile " + confString(pidFile()) + "\n";
    conf += "logfile " + confString(logFile()) + "\n";
    conf += "save \"\"\n";
    conf += "appendonly no\n";
    conf += "maxmemory 256mb\n";
    conf += "maxmemory-policy allkeys-lru\n";
    const QString confPath = m_root + QStringLiteral("/redis.conf");
    QFile f(confPath);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(conf) != conf.size() || !f.flush())
        return Error::make(errc::Io, QStringLiteral("Could not write %1.").arg(confPath), QString(),
            QStringLiteral("Check the disk space."));
    f.close();
    const auto ids = serviceIds();
    if (ids) {
        ::lchown(QFile::encodeName(confPath).constData(), ids->uid, ids->gid);
        // The log is created by the server's user; an earlier one of root's would stop it.
        ::lchown(QFile::encodeName(logFile()).constData(), ids->uid, ids->gid);
    }

    QProcess p;
    p.setProgram(bin.value());
    p.setArguments({ confPath });
    p.setWorkingDirectory(m_root);
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (ids)
        runAs(p, *ids);
    p.start();
    if (!p.waitForStarted(10000))
        return Error::make(
            errc::Missing, QStringLiteral("Could not start %1.").arg(bin.value()), p.errorString(), MissingHint);
    // daemonize yes: the first process exits once the server has forked.
    if (!p.waitForFinished(10000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        p.kill();
        p.waitForFinished(2000);
        return Error::make(errc::Internal, QStringLiteral("The embedded Redis server did not start."),
            QString::fromLocal8Bit(p.readAll()).trimmed().right(600),
            QStringLiteral("See the server log: %1").arg(logFile()));
    }
    if (auto st = writePidFile(m_root + QStringLiteral("/redis.owner"), ::getpid()); !st)
        return st;
    m_owned = true;
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        if (isRunning())
            return {};
        QThread::msleep(20);
    }
    QFile log(logFile());
    QString tail;
    if (log.open(QIODevice::ReadOnly)) {
        log.seek(qMax<qint64>(0, log.size() - 600));
        tail = QString::fromLocal8Bit(log.readAll()).trimmed();
    }
    return Error::make(errc::Internal, QStringLiteral("The embedded Redis server did not answer within 10 s."), tail,
        QStringLiteral("See the server log: %1").arg(logFile()));
}

Status RedisServer::stop()
{
    const qint64 pid = runningPid();
    m_owned = false;
    if (!pid)
        return {};
    if (auto c = RedisClient::connect(endpoint(), 2000); c)
        (void)(*c)->shutdownNoSave();
    else
        ::kill(pid_t(pid), SIGTERM);
    QDeadlineTimer deadline(10000);
    while (serverAlive(pid) && !deadline.hasExpired())
        QThread::msleep(10);
    const bool gone = stopProcess(pid, Program, false, 0); // SIGTERM then SIGKILL when SHUTDOWN was not enough
    QFile::remove(m_root + QStringLiteral("/redis.owner"));
    if (!gone)
        return Error::make(errc::Internal, QStringLiteral("The embedded Redis server (pid %1) did not stop.").arg(pid),
            QString(), QStringLiteral("Stop it with: kill -9 %1").arg(pid));
    return {};
}

} // namespace plansight
