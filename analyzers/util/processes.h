#pragma once

// Small process helpers shared by the servers PlanSight runs itself on the embedded demo (cache/redisserver.h,
// search/xapianserver.h): pid files, whether a pid is still the server it was (a recycled pid is never signalled),
// stopping a server with SIGTERM then SIGKILL, and a free loopback port.

#include "util/result.h"

#include <QByteArray>
#include <QString>

#include <csignal>

namespace plansight {

// The process exists (a process of another user counts: kill() says EPERM).
bool pidAlive(qint64 pid);
// The number in `file` (a pid file), 0 when it is absent or unreadable.
qint64 readPidFile(const QString &file);
// Writes `pid` to `file`; an errc::Io error naming the file when it cannot.
Status writePidFile(const QString &file, qint64 pid);
// `pid` is alive and its command line contains `program` ("redis-server", "xapian-tcpsrv"): a zombie has no
// command line and counts as gone, a pid recycled for another program does not match.
bool processRuns(qint64 pid, const QByteArray &program);
// Sends SIGTERM to `pid` (to its whole process group when `group`: a server that forks per connection, such as
// xapian-tcpsrv, is its group's leader), waits up to `graceMs` for it to be gone, then SIGKILL and up to 5 s more.
// Returns whether it is gone.
bool stopProcess(qint64 pid, const QByteArray &program, bool group, int graceMs = 5000);
// A server PlanSight starts records the pid of the PlanSight process that started it in `ownerFile`. When `pid` (the
// server, 0 for none) runs and that owner is neither this process nor alive (PlanSight was killed), the server is an
// orphan: it is stopped as stopProcess() does. Kept: no server, or its owner still runs (it is reused, never stopped
// here). Stuck: an orphan that would not stop.
enum class OrphanReap { Kept, Reaped, Stuck };
OrphanReap reapOrphanedServer(qint64 pid, const QString &ownerFile, const QByteArray &program, bool group);
// The server program `name` ("redis-server"): the executable the environment variable `envVar` names when it is set
// (an errc::Missing error when that is not executable), else `name` on the PATH or in /usr/bin. `hint` says how to
// install it.
Result<QString> findServerBinary(const char *envVar, const QString &name, const QString &hint);
// A loopback TCP port nobody listens on right now (the kernel picks it); 0 when none could be had. Another process
// may take it before the caller binds it: callers retry when their server cannot listen.
int freeLoopbackPort();

// For the lifetime of the object, a write to a socket whose peer is gone raises no SIGPIPE in this thread (it would
// end the process): SIGPIPE is blocked, and one raised meanwhile is consumed before the old mask comes back, as libpq
// does. For client libraries that write to sockets with write() (Xapian's remote protocol).
class SigpipeBlock {
public:
    SigpipeBlock();
    ~SigpipeBlock();
    SigpipeBlock(const SigpipeBlock &) = delete;
    SigpipeBlock &operator=(const SigpipeBlock &) = delete;

private:
    sigset_t m_old;
    bool m_wasPending = false;
};

} // namespace plansight
