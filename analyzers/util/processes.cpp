#include "util/processes.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

namespace plansight {

bool pidAlive(qint64 pid)
{
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
}

qint64 readPidFile(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readAll().trimmed().toLongLong();
}

Status writePidFile(const QString &file, qint64 pid)
{
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(QByteArray::number(pid)) < 0 || !f.flush())
        return Error::make(errc::Io, QStringLiteral("Could not write %1.").arg(file), f.errorString(),
            QStringLiteral("Check the disk space and the directory's permissions."));
    return {};
}

bool processRuns(qint64 pid, const QByteArray &program)
{
    if (!pidAlive(pid))
        return false;
    QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
    return f.open(QIODevice::ReadOnly) && f.readAll().contains(program);
}

bool stopProcess(qint64 pid, const QByteArray &program, bool group, int graceMs)
{
    if (!processRuns(pid, program))
        return true;
    const pid_t target = group ? -pid_t(pid) : pid_t(pid);
    ::kill(target, SIGTERM);
    QDeadlineTimer deadline(graceMs);
    while (processRuns(pid, program) && !deadline.hasExpired())
        QThread::msleep(10);
    if (processRuns(pid, program)) {
        ::kill(target, SIGKILL);
        QDeadlineTimer hard(5000);
        while (processRuns(pid, program) && !hard.hasExpired())
            QThread::msleep(10);
    } else if (group) {
        ::kill(target, SIGKILL); // children of a forking server that ignored the TERM
    }
    return !processRuns(pid, program);
}

OrphanReap reapOrphanedServer(qint64 pid, const QString &ownerFile, const QByteArray &program, bool group)
{
    if (!pid)
        return OrphanReap::Kept;
    const qint64 owner = readPidFile(ownerFile);
    if (owner == qint64(::getpid()) || pidAlive(owner))
        return OrphanReap::Kept;
    return stopProcess(pid, program, group) ? OrphanReap::Reaped : OrphanReap::Stuck;
}

Result<QString> findServerBinary(const char *envVar, const QString &name, const QString &hint)
{
    const QString env = qEnvironmentVariable(envVar);
    if (!env.isEmpty()) {
        if (QFileInfo(env).isExecutable())
            return env;
        return Error::make(errc::Missing,
            QStringLiteral("%1=%2 is not an executable %3.").arg(QLatin1String(envVar), env, name), QString(), hint);
    }
    QString found = QStandardPaths::findExecutable(name);
    const QString usrBin = QStringLiteral("/usr/bin/") + name;
    if (found.isEmpty() && QFileInfo(usrBin).isExecutable())
        found = usrBin;
    if (found.isEmpty())
        return Error::make(errc::Missing, QStringLiteral("%1 is not installed.").arg(name), QString(), hint);
    return found;
}

int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    int port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

namespace {

sigset_t sigpipeSet()
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGPIPE);
    return s;
}

bool sigpipePending()
{
    sigset_t pending;
    sigemptyset(&pending);
    return sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
}

} // namespace

SigpipeBlock::SigpipeBlock()
{
    const sigset_t s = sigpipeSet();
    pthread_sigmask(SIG_BLOCK, &s, &m_old);
    m_wasPending = sigpipePending();
}

SigpipeBlock::~SigpipeBlock()
{
    if (!m_wasPending && sigpipePending()) {
        const sigset_t s = sigpipeSet();
        const timespec zero { 0, 0 };
        (void)sigtimedwait(&s, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
}

} // namespace plansight
