#pragma once

// The local history: every benchmark session, its runs, timings, plans, footprints and catalog snapshots, in
// one SQLite file (docs/architecture.md, "History and reports"). The schema is versioned with PRAGMA user_version and
// migrated on open by the scripts in resources/sql/history/migrations (NNNN_name.sql, applied in order, one transaction
// each). WAL mode, a busy timeout, foreign keys on, synchronous=FULL: a run is one transaction, so a process
// killed in the middle of a write loses at most the run it was writing and never leaves the file damaged.
//
// Threading: a HistoryStore owns one SQLite connection and is NOT thread-safe. Use one store object per
// thread (open one in each worker that writes or reads; they may share the file, and other processes may
// too: WAL lets readers run beside the writer, and writers wait up to the busy timeout for each other).
// A store may be moved to another thread between uses, never used by two threads at once.
//
// Passwords are never stored: every text that may carry a connection string (server, database, note,
// settings such as primary_conninfo, error messages) passes through redactPasswords() before it is written.

#include "session/results.h"
#include "util/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <memory>

struct sqlite3;

namespace plansight {

namespace errc {
// The history file is not a SQLite database, or is damaged: moveAsideAndOpen() is the way out.
inline const QString HistoryCorrupt = QStringLiteral("PSHCORRUPT");
// Another connection held the file's lock for longer than the busy timeout, or (moveAside) another program
// has the file open: a locked file is in use, not damaged, and is never moved.
inline const QString HistoryLocked = QStringLiteral("PSHLOCKED");
// A write to a history opened read-only (no write access to the file or its directory).
inline const QString HistoryReadOnly = QStringLiteral("PSHREADONLY");
// The file was written by a newer PlanSight (its schema version is above ours).
inline const QString HistoryTooNew = QStringLiteral("PSHNEWER");
}

// Removes passwords from text that may contain libpq connection strings or URIs: `password=...` and
// `sslpassword=...` pairs (quoted or not, any case, also PGPASSWORD=...), the password of a
// postgresql://user:password@host URI (whatever characters it holds) and password query parameters.
// Everything else is kept. See redactConninfoText() in pg/conninfo.h.
QString redactPasswords(const QString &text);

// One line of the history list.
struct SessionSummary {
    qint64 id = -1;
    QDateTime startedAt;
    QDateTime finishedAt; // invalid: the session was interrupted (the process ended before finishSession)
    QString server;
    QString serverVersion;
    QString database;
    bool isDemo = false;
    QString note;
    QString datasetFingerprint;
    QStringList strategies; // distinct strategy ids, in run order
    QStringList workloads; // distinct workload names, in run order
    int runCount = 0;
    QString winnerId; // the session's winner by the one rule (present/ranking.h), or empty
    double winnerP50Ms = -1; // its median, when the session has one workload (else -1)
    QString verdict; // the ranking's sentence for the session (Ranking::sentence)
    bool machineBusy = false; // the machine was busy at the session's start or end (SessionInfo::busyWarning)
};

// A catalog snapshot (sizes, row counts, planner statistics ...) taken during a session, as JSON.
struct StoredCatalogSnapshot {
    qint64 id = -1;
    QDateTime takenAt;
    QString kind; // "sizes", "counts", "statistics", ... (what the catalog module captured)
    QJsonObject data;
};

class HistoryStore {
public:
    // The schema version this PlanSight writes (the number of the last migration compiled in).
    static int schemaVersion();
    // $PLANSIGHT_HISTORY if set, else <GenericDataLocation>/plansight/history.sqlite
    // (~/.local/share/plansight/history.sqlite, following $XDG_DATA_HOME).
    static QString defaultPath();

    static constexpr int DefaultBusyTimeoutMs = 5000;

    // Opens (creating the file and its directory when missing) and migrates the history at `path`
    // (defaultPath() when empty). The history holds SQL, parameters and server names: a file PlanSight creates
    // is 0600 (its -wal and -shm too), a directory it creates 0700, and an existing file readable by others is
    // narrowed to 0600. Without write access to the file or its directory the history is opened read-only:
    // reading works, writes fail with errc::HistoryReadOnly (a file of an older schema cannot be upgraded
    // then: errc::Io). Errors: errc::HistoryCorrupt for a file that is not a SQLite database or is damaged,
    // errc::HistoryLocked when another connection keeps it locked past the busy timeout,
    // errc::HistoryTooNew, errc::Io when the file cannot be created or read, naming the cause (a full disk, the
    // file-size limit, a read-only file system, permissions).
    static Result<HistoryStore> open(const QString &path = {}, int busyTimeoutMs = DefaultBusyTimeoutMs);
    // The way out of a damaged file: renames `path` (and its -wal and -shm files) to
    // <path>.corrupt-<yyyyMMddTHHmmssZ>, keeping it for inspection; returns the new name of the main file.
    // Works whatever the file contains; a missing file is an errc::Missing error. A file that another
    // connection or program holds (a write lock, or an open WAL connection in another process, or a store of
    // this process) is in use, not damaged: it is never moved (errc::HistoryLocked), since that program's
    // later writes would go into the renamed file.
    static Result<QString> moveAside(const QString &path);
    // moveAside(path) when the file exists, then open(path) on a fresh file. `movedTo` receives the new name
    // (empty when there was nothing to move).
    static Result<HistoryStore> moveAsideAndOpen(
        const QString &path, QString *movedTo = nullptr, int busyTimeoutMs = DefaultBusyTimeoutMs);

    HistoryStore(HistoryStore &&) noexcept;
    HistoryStore &operator=(HistoryStore &&) noexcept;
    ~HistoryStore();

    QString path() const;
    bool isReadOnly() const; // opened read-only: no write access to the file or its directory

    // ---- writing (each call is one transaction: all of it is stored, or nothing) ----
    // Stores the session's description (passwords redacted); returns its id. info.id is ignored.
    Result<qint64> beginSession(const SessionInfo &info);
    // Stores one strategy run with its workload, every timing, its plan (compressed) and footprint. Runs are
    // read back in the order they were added.
    Status addRun(qint64 sessionId, const StrategyRun &run);
    Status addCatalogSnapshot(qint64 sessionId, const QString &kind, const QJsonObject &data,
        const QDateTime &takenAt = QDateTime::currentDateTimeUtc());
    // Marks the session complete; a session never finished shows as interrupted.
    // `machineAtEnd` (when valid) is the machine's state at the end (SessionInfo::machineAtEnd).
    Status finishSession(qint64 sessionId, const QDateTime &finishedAt = QDateTime::currentDateTimeUtc(),
        const MachineState &machineAtEnd = {});
    // Deletes the session and everything recorded with it. An unknown id is an errc::Missing error.
    Status deleteSession(qint64 sessionId);

    // ---- reading ----
    // Newest first. `filter` (case-insensitive substring) matches the server, database, version, note, dataset
    // fingerprint, strategy ids and titles and workload names; empty = every session.
    Result<QList<SessionSummary>> listSessions(const QString &filter = {});
    // Everything stored about a session, runs in the order they were added, plans included.
    // An unknown id is an errc::Missing error.
    Result<SessionResult> loadSession(qint64 sessionId);
    Result<QDateTime> sessionFinishedAt(qint64 sessionId); // invalid QDateTime: interrupted
    Result<QList<StoredCatalogSnapshot>> catalogSnapshots(qint64 sessionId);

    // PRAGMA integrity_check: "ok", or SQLite's list of problems.
    Result<QString> integrityCheck();

private:
    struct Impl;
    explicit HistoryStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace plansight
