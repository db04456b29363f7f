#pragma once

// PlanSight's own Xapian search server for the embedded demo (docs/strategies.md, "p10-search"): xapian-tcpsrv, run
// the way cache/redisserver.h runs Redis: privately, under one root directory, on a loopback port:
//   <root>/index         the Xapian database (created by the server: --writable opens it with DB_CREATE_OR_OPEN)
//   <root>/xapian.pid    the server's pid (it leads its own process group: it forks one child per connection)
//   <root>/xapian.owner  the pid of the PlanSight process that started it
//   <root>/xapian.port   the loopback port it listens on (127.0.0.1 only)
//   <root>/xapian.log    its standard output and error
// The server is started with --writable, so one client at a time may write (PlanSight's indexer) while any number
// read. When PlanSight runs as root, the server runs as LocalCluster::serviceUser() and its directories belong to
// that user (pg/serviceuser.h); the root directory gets the execute bit for it, and the directories above must
// already let it through (as for the demo's cluster, which lives beside it).
//
// Lifetime: start() starts the server in the background and records the owner. stop() (and the destructor, for a
// server this object started) stops the server's whole process group (SIGTERM, then SIGKILL). A server whose owner
// is no longer alive (PlanSight was killed) is an orphan: start() reaps it before starting a fresh one. A server
// whose owner is alive is reused and left to its owner. The index survives restarts: what was committed stays.
//
// Not thread-safe; every method blocks for at most a few seconds.

#include "util/result.h"

#include <QString>

namespace plansight {

// Where a Xapian remote server listens: --search HOST:PORT, or the demo's own server.
struct SearchEndpoint {
    QString host;
    int port = 0;

    bool isValid() const { return !host.isEmpty() && port > 0; }
    QString describe() const { return host + QLatin1Char(':') + QString::number(port); } // "127.0.0.1:40123"
};

// Parses --search: HOST:PORT ("127.0.0.1:33333", "search.example.org:9000", "[::1]:9000"). An errc::Input error in
// one sentence for anything else (no port, a port out of 1..65535, a URL).
Result<SearchEndpoint> parseSearchAddress(const QString &text);

class XapianServer {
public:
    explicit XapianServer(QString rootDir);
    ~XapianServer(); // stops the server when this object started it
    XapianServer(const XapianServer &) = delete;
    XapianServer &operator=(const XapianServer &) = delete;

    // The xapian-tcpsrv binary: $PLANSIGHT_XAPIAN_TCPSRV, else xapian-tcpsrv on PATH, else /usr/bin/xapian-tcpsrv.
    static Result<QString> findBinary();

    QString rootDir() const { return m_root; }
    QString indexDir() const { return m_root + QStringLiteral("/index"); }
    QString pidFile() const { return m_root + QStringLiteral("/xapian.pid"); }
    QString logFile() const { return m_root + QStringLiteral("/xapian.log"); }
    // The port of the running server (from xapian.port), 0 when none runs.
    int port() const;
    SearchEndpoint endpoint() const { return SearchEndpoint { QStringLiteral("127.0.0.1"), port() }; }

    // Reaps an orphan, then starts the server unless one owned by a living PlanSight answers already; returns once
    // it answers (within 10 s).
    Status start();
    // Stops the server's process group; a no-op when nothing runs here.
    Status stop();
    // Stops the server (when one runs here) and removes the index directory: what revert leaves on the demo.
    Status removeIndex();
    // Whether a server answers on the recorded port.
    bool isRunning() const;
    // The pid in the pidfile when that process is a live xapian-tcpsrv, else 0.
    qint64 runningPid() const;
    // Bytes the index takes on disk (its files), 0 when there is none.
    qint64 indexBytes() const;
    bool ownsServer() const { return m_owned; }
    // For tests: forget the server without stopping it, as a killed PlanSight would.
    void abandon() { m_owned = false; }

private:
    Status prepareDirectories();
    Status reapOrphan();
    Status spawn(const QString &binary, int port, qint64 *pid);

    QString m_root;
    bool m_owned = false;
    qint64 m_pid = 0; // the server this object started: stopped even when its pid file is gone
};

} // namespace plansight
