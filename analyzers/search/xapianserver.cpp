#include "search/xapianserver.h"

#include "pg/serviceuser.h"
#include "util/processes.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

namespace plansight {

namespace {

const QByteArray Program = "xapian-tcpsrv";
const QString MissingHint = QStringLiteral(
    "Install it with: apt-get install xapian-tools (or run packaging/setup.sh), or give --search HOST:PORT.");

bool serverAlive(qint64 pid)
{
    return processRuns(pid, Program);
}

// The server's command line is built from arguments, never a shell string; the one shell that puts it in the
// background gets the paths as arguments too. Still, a path with a control character is refused.
Status checkPath(const QString &path)
{
    for (QChar c : path) {
        if (c.unicode() < 0x20)
            return Error::make(errc::Input,
                QStringLiteral("PlanSight cannot run its search server in %1: the path contains a control character.")
                    .arg(path.simplified()),
                QString(), QStringLiteral("Choose another directory with --data-dir or PLANSIGHT_DATA_DIR."));
    }
    return {};
}

QString logTail(const QString &file)
{
    QFile log(file);
    if (!log.open(QIODevice::ReadOnly))
        return QString();
    log.seek(qMax<qint64>(0, log.size() - 600));
    return QString::fromLocal8Bit(log.readAll()).trimmed();
}

} // namespace

Result<SearchEndpoint> parseSearchAddress(const QString &text)
{
    const QString t = text.trimmed();
    const QString hint = QStringLiteral("Give the address of a xapian-tcpsrv --writable server as HOST:PORT, for "
                                        "example --search 127.0.0.1:33333.");
    auto bad = [&](const QString &why) {
        return Error::make(errc::Input,
            QStringLiteral("--search %1 is not a search server address: %2.").arg(text, why), QString(), hint);
    };
    if (t.contains(QLatin1String("://")))
        return bad(QStringLiteral("it takes HOST:PORT, not a URL"));
    const qsizetype colon = t.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return bad(QStringLiteral("the port is missing"));
    QString host = t.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const int port = t.mid(colon + 1).toInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return bad(QStringLiteral("the port must be a number from 1 to 65535"));
    if (host.isEmpty() || host.contains(QLatin1Char(' ')) || host.contains(QLatin1Char('/')))
        return bad(QStringLiteral("the host is not a name or an address"));
    return SearchEndpoint { host, port };
}

XapianServer::XapianServer(QString rootDir) : m_root(QDir::cleanPath(QDir(rootDir).absolutePath())) { }

XapianServer::~XapianServer()
{
    if (m_owned)
        (void)stop();
}

Result<QString> XapianServer::findBinary()
{
    return findServerBinary("PLANSIGHT_XAPIAN_TCPSRV", QStringLiteral("xapian-tcpsrv"), MissingHint);
}

int XapianServer::port() const
{
    if (!runningPid())
        return 0;
    return int(readPidFile(m_root + QStringLiteral("/xapian.port")));
}

qint64 XapianServer::runningPid() const
{
    const qint64 pid = readPidFile(pidFile());
    return serverAlive(pid) ? pid : 0;
}

bool XapianServer::isRunning() const
{
    const int p = port();
    if (p <= 0)
        return false;
    SigpipeBlock noSigpipe;
    try {
        Xapian::Database db = Xapian::Remote::open("127.0.0.1", unsigned(p), 2000, 1000);
        (void)db.get_doccount();
        return true;
    } catch (const Xapian::Error &) {
        return false;
    }
}

qint64 XapianServer::indexBytes() const
{
    qint64 bytes = 0;
    QDirIterator it(indexDir(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        bytes += it.fileInfo().size();
    }
    return bytes;
}

Status XapianServer::prepareDirectories()
{
    if (auto st = checkPath(m_root); !st)
        return st;
    return makeServerRoot(m_root, serviceIds());
}

Status XapianServer::reapOrphan()
{
    const qint64 pid = runningPid();
    const OrphanReap reaped = reapOrphanedServer(pid, m_root + QStringLiteral("/xapian.owner"), Program, true);
    if (reaped == OrphanReap::Kept)
        return {};
    if (reaped == OrphanReap::Stuck)
        return Error::make(errc::Internal,
            QStringLiteral("An orphaned search server (xapian-tcpsrv, pid %1) from an earlier PlanSight did not stop.")
                .arg(pid),
            QString(), QStringLiteral("Stop it with: kill -9 -%1").arg(pid));
    QFile::remove(pidFile());
    return {};
}

Status XapianServer::spawn(const QString &binary, int port, qint64 *pid)
{
    // sh puts the server in the background (as redis-server's "daemonize yes" does) and prints its pid; setsid makes
    // it the leader of its own group, so that stopping the group also ends the children serving connections.
    QStringList args { QStringLiteral("-c"),
        QStringLiteral("\"$@\" </dev/null >>\"$PLANSIGHT_XAPIAN_LOG\" 2>&1 & echo $!"),
        QStringLiteral("plansight-search") };
    const QString setsid = QStandardPaths::findExecutable(QStringLiteral("setsid"));
    if (!setsid.isEmpty())
        args << setsid;
    args << binary << QStringLiteral("--port") << QString::number(port) << QStringLiteral("--interface")
         << QStringLiteral("127.0.0.1") << QStringLiteral("--writable") << QStringLiteral("--quiet") << indexDir();
    QProcess p;
    p.setProgram(QStringLiteral("/bin/sh"));
    p.setArguments(args);
    p.setWorkingDirectory(m_root);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PLANSIGHT_XAPIAN_LOG"), logFile());
    p.setProcessEnvironment(env);
    const auto ids = serviceIds();
    if (ids) {
        // The log is written by the server's user; an earlier one of root's would stop it.
        ::lchown(QFile::encodeName(logFile()).constData(), ids->uid, ids->gid);
        runAs(p, *ids);
    }
    p.start();
    if (!p.waitForFinished(10000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        p.kill();
        p.waitForFinished(2000);
        return Error::make(errc::Internal, QStringLiteral("Could not start %1.").arg(binary),
            QString::fromLocal8Bit(p.readAllStandardError()).trimmed().right(600), MissingHint);
    }
    *pid = p.readAllStandardOutput().trimmed().toLongLong();
    if (*pid <= 0)
        return Error::make(errc::Internal, QStringLiteral("Could not start %1: no process id came back.").arg(binary));
    return {};
}

Status XapianServer::start()
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
    if (const qint64 stale = runningPid())
        (void)stopProcess(stale, Program, true); // ours, but it does not answer: start afresh
    QFile::remove(pidFile());

    Error last = Error::make(errc::Internal, QStringLiteral("The embedded search server did not start."));
    for (int attempt = 0; attempt < 3; ++attempt) {
        const int port = freeLoopbackPort();
        if (port <= 0)
            return Error::make(errc::Internal, QStringLiteral("No free loopback port for the search server."));
        qint64 pid = 0;
        if (auto st = spawn(bin.value(), port, &pid); !st)
            return st;
        if (auto st = writePidFile(pidFile(), pid); !st)
            return st;
        if (auto st = writePidFile(m_root + QStringLiteral("/xapian.port"), port); !st)
            return st;
        if (auto st = writePidFile(m_root + QStringLiteral("/xapian.owner"), ::getpid()); !st)
            return st;
        m_owned = true;
        m_pid = pid;
        QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired()) {
            if (isRunning())
                return {};
            if (!serverAlive(pid)) {
                // setsid may still be replacing itself with the server: give it a moment before judging.
                QThread::msleep(50);
                if (!serverAlive(pid) && !pidAlive(pid))
                    break;
            }
            QThread::msleep(20);
        }
        (void)stopProcess(pid, Program, true);
        last = Error::make(errc::Internal,
            QStringLiteral("The embedded search server (xapian-tcpsrv) did not answer on port %1.").arg(port),
            logTail(logFile()), QStringLiteral("See the server log: %1").arg(logFile()));
        // Another process may have taken the port between the choice and the bind: try another one.
    }
    m_owned = false;
    QFile::remove(pidFile());
    return last;
}

Status XapianServer::stop()
{
    qint64 pid = runningPid();
    if (!pid && m_owned && serverAlive(m_pid))
        pid = m_pid;
    m_owned = false;
    m_pid = 0;
    if (!pid)
        return {};
    const bool gone = stopProcess(pid, Program, true);
    QFile::remove(m_root + QStringLiteral("/xapian.owner"));
    if (!gone)
        return Error::make(errc::Internal,
            QStringLiteral("The embedded search server (xapian-tcpsrv, pid %1) did not stop.").arg(pid), QString(),
            QStringLiteral("Stop it with: kill -9 -%1").arg(pid));
    QFile::remove(pidFile());
    return {};
}

Status XapianServer::removeIndex()
{
    if (auto st = stop(); !st)
        return st;
    QDir index(indexDir());
    if (index.exists() && !index.removeRecursively())
        return Error::make(errc::Io, QStringLiteral("Could not remove the search index %1.").arg(indexDir()), QString(),
            QStringLiteral("Remove it by hand: rm -r %1").arg(indexDir()));
    return {};
}

} // namespace plansight
