#pragma once

// PlanSight's own Redis server for the embedded demo (docs/strategies.md, "p2-redis"), run the way
// pg/localcluster.h runs PostgreSQL: privately, under one root directory, on a Unix socket only:
//   <root>/data        the server's working directory (nothing is saved: no RDB, no AOF)
//   <root>/redis.conf  written by PlanSight
//   <root>/redis.pid   the server's pid (written by redis-server)
//   <root>/redis.owner the pid of the PlanSight process that started it
//   <root>/redis.log   the server's log
//   <root>/redis.sock  the socket, mode 0700 (or a short path under /tmp when <root> is too long for sun_path)
// The server listens on no TCP port (port 0). When PlanSight runs as root, the server runs as
// LocalCluster::serviceUser() and its directories belong to that user; the root directory gets the execute bit for
// it, and the directories above must already let it through (as for the demo's cluster, which lives beside it).
//
// Lifetime: start() daemonizes the server and records the owner. stop() (and the destructor, for a server this
// object started) sends SHUTDOWN NOSAVE. A server whose owner is no longer alive (PlanSight was killed) is an orphan:
// start() reaps it (SIGTERM, then SIGKILL) before starting a fresh one. A server whose owner is alive is reused and
// left to its owner.
//
// Not thread-safe; every method blocks for at most a few seconds.

#include "cache/redisclient.h"
#include "util/result.h"

#include <QString>

namespace plansight {

class RedisServer {
public:
    explicit RedisServer(QString rootDir);
    ~RedisServer(); // stops the server when this object started it
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    // The redis-server binary: $PLANSIGHT_REDIS_SERVER, else redis-server on PATH, else /usr/bin/redis-server.
    static Result<QString> findBinary();

    QString rootDir() const { return m_root; }
    QString socketPath() const { return m_socket; }
    QString pidFile() const { return m_root + QStringLiteral("/redis.pid"); }
    QString logFile() const { return m_root + QStringLiteral("/redis.log"); }
    RedisEndpoint endpoint() const;

    // Reaps an orphan, then starts the server unless one owned by a living PlanSight answers already; returns once it
    // answers PING (within 10 s).
    Status start();
    // SHUTDOWN NOSAVE, then waits for the process to be gone; a no-op when nothing runs here.
    Status stop();
    // Whether a server answers PING on the socket.
    bool isRunning() const;
    // The pid in the pidfile when that process is alive, else 0.
    qint64 runningPid() const;
    // True when this object started the server (and so stops it on destruction).
    bool ownsServer() const { return m_owned; }
    // For tests: forget the server without stopping it, as a killed PlanSight would.
    void abandon() { m_owned = false; }

private:
    Status prepareDirectories();
    Status reapOrphan();

    QString m_root;
    QString m_socket;
    bool m_owned = false;
};

} // namespace plansight
