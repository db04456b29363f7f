#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <libpq-fe.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace plansight {

struct PGresultDeleter {
    void operator()(PGresult *r) const { PQclear(r); }
};
struct PGconnDeleter {
    void operator()(PGconn *c) const { PQfinish(c); }
};
struct PGcancelDeleter {
    void operator()(PGcancel *c) const { PQfreeCancel(c); }
};

// A query result, by value: copies share the same PGresult (read-only, so safe across threads).
class PgResult {
public:
    PgResult() = default;
    explicit PgResult(PGresult *r) : m_res(r, PGresultDeleter()) { }

    int rows() const { return m_res ? PQntuples(m_res.get()) : 0; }
    int columns() const { return m_res ? PQnfields(m_res.get()) : 0; }
    int column(const char *name) const { return m_res ? PQfnumber(m_res.get(), name) : -1; }
    QString columnName(int col) const { return QString::fromUtf8(PQfname(m_res.get(), col)); }
    bool isNull(int row, int col) const { return PQgetisnull(m_res.get(), row, col); }
    QString value(int row, int col) const
    {
        return QString::fromUtf8(PQgetvalue(m_res.get(), row, col), PQgetlength(m_res.get(), row, col));
    }
    QString value(int row, const char *name) const { return value(row, column(name)); }
    QByteArray bytes(int row, int col) const
    {
        return QByteArray(PQgetvalue(m_res.get(), row, col), PQgetlength(m_res.get(), row, col));
    }
    qint64 toLongLong(int row, int col) const { return value(row, col).toLongLong(); }
    double toDouble(int row, int col) const { return value(row, col).toDouble(); }
    bool toBool(int row, int col) const { return PQgetvalue(m_res.get(), row, col)[0] == 't'; }
    // The command tag ("INSERT 0 1") and the rows it affected, for statements that return no rows.
    QString commandTag() const { return m_res ? QString::fromUtf8(PQcmdStatus(m_res.get())) : QString(); }
    qint64 affectedRows() const { return m_res ? QByteArray(PQcmdTuples(m_res.get())).toLongLong() : 0; }
    PGresult *get() const { return m_res.get(); }

private:
    std::shared_ptr<PGresult> m_res;
};

// One connection to PostgreSQL.
//
// Threading: a session belongs to the thread that uses it (one PGconn per thread); only cancel() may be
// called from any other thread. Sessions refuse to run on the GUI thread of a QGuiApplication: the
// GUI thread never runs a query (see refusesGuiThread()).
//
// Every value is bound with PQexecParams; SQL text never contains user input.
class PgSession {
public:
    struct Options {
        int connectTimeoutSeconds = 10; // unless the target or PGCONNECT_TIMEOUT sets one (plansightConnectTimeout)
        int statementTimeoutMs = 0; // 0: the server's default
        QString applicationName = QStringLiteral("PlanSight");
        // The client's own deadline, beside statement_timeout, for a server that stops answering (stopped,
        // swapping, a dead network): a statement that has not answered within the statement timeout plus
        // this grace (counted from the last data the server sent) is cancelled (PQcancel); if the cancel gets
        // no answer within the grace either, the connection is closed and the statement fails with
        // errc::Connection. Without a statement timeout there is no deadline; execScript() and copyIn() have none
        // either (the server times each statement of a script apart), but cancel() ends them.
        int unresponsiveGraceMs = 10000;
        // How long a cancelled statement (cancel()) may take to stop before the connection is closed and the
        // statement fails with errc::Cancelled: a Ctrl-C works even when the server does not answer.
        int cancelGraceMs = 3000;
    };

    // `target` is a conninfo string ("host=... dbname=..."), a URI ("postgresql://..."), or a bare word: a
    // database name, as in psql (libpq's expand_dbname rule). Empty means libpq's defaults (PG* variables, as
    // psql does). A server that asks for a password none was given for fails with errc::PasswordNeeded
    // (pg/conninfo.h): connect again with withPassword(target, password).
    static Result<std::unique_ptr<PgSession>> connect(const QString &target, const Options &options);
    static Result<std::unique_ptr<PgSession>> connect(const QString &target) { return connect(target, Options()); }
    ~PgSession();

    PgSession(const PgSession &) = delete;
    PgSession &operator=(const PgSession &) = delete;

    // Runs one statement with bound parameters. A QStringList parameter becomes a PostgreSQL array
    // literal (cast it in SQL: $1::uuid[]); a null QVariant is SQL NULL.
    Result<PgResult> exec(const QString &sql, const QVariantList &params = {});
    // Prepares `sql` as the named statement `name` of this connection (PQprepare), with `paramCount` parameters whose
    // types the server infers, as exec() lets it. `name` is PlanSight's own, never user input.
    Status prepare(const QByteArray &name, const QString &sql, int paramCount);
    // Runs the statement prepare() named, with bound parameters as exec() binds them (PQexecPrepared).
    Result<PgResult> execPrepared(const QByteArray &name, const QVariantList &params = {});
    // Runs a script of several statements (no parameters): for the files in resources/sql.
    Status execScript(const QString &script);
    // COPY ... FROM STDIN: `produce` fills its buffer with the next chunk of COPY text and returns false
    // when there is no more data. Cancel stops the copy between chunks.
    Status copyIn(const QString &copySql, const std::function<bool(QByteArray &chunk)> &produce);
    // Appends `value` to a COPY text chunk with COPY's escapes (backslash, tab, newline, carriage return).
    static void appendCopyText(QByteArray &out, QByteArrayView value);

    // A connection string that reaches the same server, database and user as this session, with every option
    // libpq used for it (PQconninfo, password included: never for display), values quoted, less the keywords in
    // `without` (a second connection that names itself or bounds its own connect). Empty when not connected.
    QString sameTargetConninfo(const QStringList &without = {}) const;

    // Also sets the client-side deadline (see Options::unresponsiveGraceMs).
    Status setStatementTimeout(int ms);
    // Session-level set_config; setting statement_timeout this way moves the deadline too.
    Status setSetting(const QString &name, const QString &value);
    int statementTimeoutMs() const { return m_statementTimeoutMs; } // as last set through this session

    // Any thread: cancels the running statement and makes every later call fail with errc::Cancelled
    // until resetCancel(). Safe to call when nothing runs. Never blocks: the cancel request is sent from a
    // short-lived thread of its own, and the statement gives up after Options::cancelGraceMs.
    void cancel();
    // Owner thread: clears the cancel. It first waits (at most Options::cancelGraceMs) until every cancel
    // request sent so far has reached the server: a request still on its way would otherwise cancel the next
    // statement (a revert after a Ctrl-C, a catalog read), which the user never asked to stop.
    void resetCancel();
    bool isCancelled() const { return m_cancelled.load(); }

    bool isAlive() const;
    // Connects again to the same target with the same parameters (PQreset), after the server was restarted under it
    // (p7-replica restarts the embedded demo to change its WAL level), and sets the statement timeout last set through
    // this session again. Everything else of the old connection is gone: session settings, advisory locks, HypoPG's
    // hidden indexes. Owner thread; the cancel flag is left as it was.
    Status reconnect();
    int serverVersionNum() const; // e.g. 150018
    QString serverVersion() const; // "15.18"
    QString database() const;
    QString user() const;
    QString host() const; // a socket directory for Unix sockets
    QString port() const;
    QString describe() const; // "user@host:port/db": never a password

    // Quoting for identifiers built from user input (schema or table names): PQescapeIdentifier.
    QString quoteIdentifier(const QString &name) const;

    // True when the calling thread is the GUI thread of a QGuiApplication (where queries are refused).
    static bool refusesGuiThread();

    PGconn *raw() const { return m_conn.get(); }

private:
    PgSession() = default;
    Error errorFromResult(const PGresult *res) const;
    Error connectionError(const QString &what) const;
    Result<PgResult> waitForResult(const QString &sql, bool withDeadline = true);
    Status guard() const;
    void sendCancelRequest() const;
    void abandonConnection();

    std::unique_ptr<PGconn, PGconnDeleter> m_conn;
    std::shared_ptr<PGcancel> m_cancel; // shared with the threads that send cancel requests
    int m_statementTimeoutMs = 0;
    int m_unresponsiveGraceMs = 10000;
    int m_cancelGraceMs = 3000;
    mutable std::mutex m_cancelMutex;
    std::atomic<bool> m_cancelled { false };
    // Cancel requests on their way to the server (see resetCancel); shared with the threads that send them.
    struct CancelRequests {
        std::mutex mutex;
        std::condition_variable done;
        int inFlight = 0;
    };
    std::shared_ptr<CancelRequests> m_requests = std::make_shared<CancelRequests>();
};

// Turns a QStringList into a PostgreSQL array literal: {"a","b\"c"}.
QByteArray toPgArrayLiteral(const QStringList &items);

} // namespace plansight
