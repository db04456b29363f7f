#include "pg/pgsession.h"

#include "pg/conninfo.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QProcessEnvironment>
#include <QThread>

#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <limits>
#include <thread>
#include <vector>

namespace plansight {

namespace {

QString trimmed(const char *s)
{
    return QString::fromUtf8(s ? s : "").trimmed();
}

// libpq reports connection failures as free text; turn the common ones into one sentence that says
// what to do. The raw text stays in `detail`.
// `target` is named without its passwords (displayConninfo), and libpq's text is scrubbed of them too.
Error classifyConnectionFailure(const QString &libpqText, const QString &target)
{
    const QString where = displayConninfo(target);
    const QString raw = redactConninfoText(scrubSecrets(libpqText, conninfoSecrets(target)));
    auto e = [&](const QString &code, const QString &msg, const QString &hint) {
        return Error::make(code, msg, raw, hint);
    };
    if (raw.contains(QLatin1String("password authentication failed")))
        return e(QStringLiteral("28P01"), QStringLiteral("The server rejected the password."),
            QStringLiteral("Check the password in ~/.pgpass or PGPASSWORD; PlanSight never stores passwords."));
    if (raw.contains(QLatin1String("no password supplied")) || raw.contains(QLatin1String("fe_sendauth")))
        return e(QStringLiteral("28P01"), QStringLiteral("The server asks for a password and none was given."),
            QStringLiteral("Add the password to ~/.pgpass (or a service file); PlanSight never stores passwords."));
    if (raw.contains(QLatin1String("does not exist")) && raw.contains(QLatin1String("database")))
        return e(QStringLiteral("3D000"), QStringLiteral("The database does not exist on that server."),
            QStringLiteral("Check dbname in the connection string."));
    if (raw.contains(QLatin1String("role")) && raw.contains(QLatin1String("does not exist")))
        return e(QStringLiteral("28000"), QStringLiteral("The user does not exist on that server."),
            QStringLiteral("Check user in the connection string."));
    if (raw.contains(QLatin1String("Connection refused")) || raw.contains(QLatin1String("No such file or directory")))
        return e(errc::Connection, QStringLiteral("No PostgreSQL server is accepting connections at %1.").arg(where),
            QStringLiteral("Check that the server is running and the host and port are right."));
    if (raw.contains(QLatin1String("timeout expired")))
        return e(errc::Connection, QStringLiteral("Connecting to %1 timed out.").arg(where),
            QStringLiteral("Check the host name, the network and firewalls, or raise connect_timeout."));
    if (raw.contains(QLatin1String("could not translate host name")))
        return e(errc::Connection, QStringLiteral("The host name in %1 does not resolve.").arg(where),
            QStringLiteral("Check the host name."));
    if (raw.contains(QLatin1String("definition of service")) || raw.contains(QLatin1String("service file")))
        return e(errc::Input, QStringLiteral("The service named in %1 is not defined.").arg(where),
            QStringLiteral("Check ~/.pg_service.conf or PGSERVICEFILE."));
    if (raw.contains(QLatin1String("invalid connection option")) || raw.contains(QLatin1String("missing \"=\""))
        || raw.contains(QLatin1String("invalid URI")))
        return e(errc::Input, QStringLiteral("The connection string is not valid."),
            QStringLiteral("Use key=value pairs, a postgresql:// URI, service=NAME or a database name."));
    return e(errc::Connection, QStringLiteral("Could not connect to %1.").arg(where), QString());
}

// libpq's complaint about a string it cannot parse quotes the string (a URI, and so its password): the
// quoted parts go, the rest stays. Only bare keywords (`invalid connection option "foo"`) are kept.
QString withoutQuotedText(const QString &text)
{
    QString out;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype open = text.indexOf(QLatin1Char('"'), i);
        const qsizetype close = open < 0 ? -1 : text.indexOf(QLatin1Char('"'), open + 1);
        if (close < 0) {
            out += text.mid(i);
            break;
        }
        const QString inner = text.mid(open + 1, close - open - 1);
        bool keyword = !inner.isEmpty();
        for (QChar c : inner)
            keyword = keyword && (c.isLetterOrNumber() || c == QLatin1Char('_'));
        out += text.mid(i, open - i) + QLatin1Char('"') + (keyword ? inner : QStringLiteral("...")) + QLatin1Char('"');
        i = close + 1;
    }
    return out;
}

QByteArray paramText(const QVariant &v)
{
    if (v.typeId() == QMetaType::QStringList)
        return toPgArrayLiteral(v.toStringList());
    if (v.typeId() == QMetaType::Bool)
        return v.toBool() ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
    if (v.typeId() == QMetaType::QByteArray)
        return v.toByteArray();
    if (v.typeId() == QMetaType::QDateTime)
        return v.toDateTime().toString(Qt::ISODateWithMs).toUtf8();
    return v.toString().toUtf8();
}

} // namespace

QByteArray toPgArrayLiteral(const QStringList &items)
{
    QByteArray out("{");
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            out += ',';
        out += '"';
        for (char c : items[i].toUtf8()) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

bool PgSession::refusesGuiThread()
{
    auto *app = QCoreApplication::instance();
    return app && app->inherits("QGuiApplication") && QThread::currentThread() == app->thread();
}

Status PgSession::guard() const
{
    if (refusesGuiThread()) {
        qWarning("PgSession: a query was attempted on the GUI thread and refused");
        return Error::make(errc::Internal, QStringLiteral("PlanSight refused to run a query on the GUI thread."),
            QString(), QStringLiteral("This is a bug in PlanSight: database work belongs in a worker."));
    }
    if (m_cancelled.load())
        return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
    return {};
}

Result<std::unique_ptr<PgSession>> PgSession::connect(const QString &target, const Options &options)
{
    std::unique_ptr<PgSession> s(new PgSession);
    if (auto g = s->guard(); !g)
        return g.error();

    // libpq's rule (expand_dbname): a URI or anything with '=' is a connection string, a bare word a database
    // name, as psql takes it (README.md, "Connections").
    const QString dbname = target.trimmed();

    // libpq parses it first: an unparsable string is reported without echoing it (its password included).
    if (!dbname.isEmpty() && isConnectionString(dbname)) {
        char *err = nullptr;
        PQconninfoOption *parsed = PQconninfoParse(dbname.toUtf8().constData(), &err);
        const QString why = withoutQuotedText(trimmed(err));
        if (err)
            PQfreemem(err);
        if (!parsed)
            return Error::make(errc::Input, QStringLiteral("The connection string is not valid."), why,
                QStringLiteral("Use key=value pairs, a postgresql:// URI (percent-encode special characters), "
                               "service=NAME or a database name."));
        PQconninfoFree(parsed);
    }
    s->m_statementTimeoutMs = 0;
    s->m_unresponsiveGraceMs = std::max(0, options.unresponsiveGraceMs);
    s->m_cancelGraceMs = std::max(0, options.cancelGraceMs);

    // PlanSight's connect timeout only where neither the connection string nor PGCONNECT_TIMEOUT sets one.
    const std::optional<int> ownTimeout
        = plansightConnectTimeout(dbname, options.connectTimeoutSeconds, QProcessEnvironment::systemEnvironment());
    const QByteArray timeout = QByteArray::number(ownTimeout.value_or(0));
    const QByteArray app = options.applicationName.toUtf8();
    const QByteArray db = dbname.toUtf8();
    // Defaults first: the user's own connection string overrides them.
    std::vector<const char *> keys { "fallback_application_name" };
    std::vector<const char *> values { app.constData() };
    if (ownTimeout) {
        keys.push_back("connect_timeout");
        values.push_back(timeout.constData());
    }
    if (!db.isEmpty()) {
        keys.push_back("dbname");
        values.push_back(db.constData());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);

    s->m_conn.reset(PQconnectdbParams(keys.data(), values.data(), 1));
    if (!s->m_conn)
        return Error::make(errc::Internal, QStringLiteral("Out of memory while connecting."));
    if (PQstatus(s->m_conn.get()) != CONNECTION_OK) {
        Error e = classifyConnectionFailure(trimmed(PQerrorMessage(s->m_conn.get())), target);
        if (PQconnectionNeedsPassword(s->m_conn.get())) {
            // The caller may ask for the password and connect again (errc::PasswordNeeded, pg/conninfo.h).
            e.code = errc::PasswordNeeded;
            e.message = QStringLiteral("The server asks for a password for user %1 and none was given.")
                            .arg(QString::fromUtf8(PQuser(s->m_conn.get())));
            e.hint = QStringLiteral(
                "Give it when asked (on a terminal; -w never asks, -W always does), or put it in ~/.pgpass.");
        }
        return e;
    }
    s->m_cancel.reset(PQgetCancel(s->m_conn.get()), PGcancelDeleter());
    PQsetClientEncoding(s->m_conn.get(), "UTF8");
    if (options.statementTimeoutMs > 0) {
        if (auto st = s->setStatementTimeout(options.statementTimeoutMs); !st)
            return st.error();
    }
    return s;
}

PgSession::~PgSession()
{
    std::lock_guard lock(m_cancelMutex);
    m_cancel.reset(); // a cancel request still being sent keeps its own reference
}

void PgSession::cancel()
{
    m_cancelled.store(true);
    sendCancelRequest();
}

void PgSession::sendCancelRequest() const
{
    std::shared_ptr<PGcancel> c;
    {
        std::lock_guard lock(m_cancelMutex);
        c = m_cancel;
    }
    if (!c)
        return;
    // PQcancel waits for the postmaster to acknowledge; a hung server would hang the caller (a Ctrl-C
    // watcher, the GUI). It runs on a thread of its own, which keeps the PGcancel alive while it needs it.
    const std::shared_ptr<CancelRequests> requests = m_requests;
    {
        std::lock_guard lock(requests->mutex);
        ++requests->inFlight;
    }
    std::thread([c, requests] {
        char err[256];
        PQcancel(c.get(), err, sizeof err);
        std::lock_guard lock(requests->mutex);
        --requests->inFlight;
        requests->done.notify_all();
    }).detach();
}

void PgSession::resetCancel()
{
    {
        std::unique_lock lock(m_requests->mutex);
        m_requests->done.wait_for(
            lock, std::chrono::milliseconds(m_cancelGraceMs), [this] { return m_requests->inFlight == 0; });
    }
    m_cancelled.store(false);
}

void PgSession::abandonConnection()
{
    // The server does not answer: the socket is shut down (the backend sees it closed when it wakes) and
    // libpq notices at once, so the session reports a lost connection from now on.
    PGconn *c = m_conn.get();
    if (PQsocket(c) >= 0)
        ::shutdown(PQsocket(c), SHUT_RDWR);
    PQconsumeInput(c);
    {
        std::lock_guard lock(m_cancelMutex);
        m_cancel.reset();
    }
}

Error PgSession::errorFromResult(const PGresult *res) const
{
    const QString state = trimmed(PQresultErrorField(res, PG_DIAG_SQLSTATE));
    QString msg = trimmed(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
    if (msg.isEmpty())
        msg = trimmed(PQresultErrorMessage(res));
    if (msg.isEmpty())
        msg = trimmed(PQerrorMessage(m_conn.get()));
    Error e = Error::make(state, msg, trimmed(PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)),
        trimmed(PQresultErrorField(res, PG_DIAG_MESSAGE_HINT)));
    e.context = trimmed(PQresultErrorField(res, PG_DIAG_CONTEXT));
    if (state == QLatin1String("57014")) {
        if (m_cancelled.load())
            e.message = QStringLiteral("Cancelled.");
        else
            e.hint = QStringLiteral(
                "The statement ran longer than the statement timeout; raise it or make the query faster.");
    }
    if (e.message.isEmpty()) {
        e.message = connectionError(QString()).message;
        e.code = errc::Connection;
    }
    return e;
}

Error PgSession::connectionError(const QString &what) const
{
    QString raw = trimmed(PQerrorMessage(m_conn.get()));
    return Error::make(errc::Connection,
        QStringLiteral("The connection to the server was lost%1.")
            .arg(what.isEmpty() ? QString() : QStringLiteral(" while ") + what),
        raw, QStringLiteral("Check that the server is running; the session and what was measured are kept."));
}

Result<PgResult> PgSession::waitForResult(const QString &sql, bool withDeadline)
{
    using Clock = std::chrono::steady_clock;
    using std::chrono::milliseconds;
    PGconn *c = m_conn.get();
    PgResult last;
    std::optional<Error> error;
    // The client-side deadline (see Options::unresponsiveGraceMs), and when a cancel was sent.
    std::optional<Clock::time_point> deadline;
    if (withDeadline && m_statementTimeoutMs > 0)
        deadline = Clock::now() + milliseconds(qint64(m_statementTimeoutMs) + m_unresponsiveGraceMs);
    std::optional<Clock::time_point> giveUpAt;
    bool deadlinePassed = false;
    for (;;) {
        while (PQisBusy(c)) {
            const auto now = Clock::now();
            if (!giveUpAt && m_cancelled.load())
                giveUpAt = now + milliseconds(m_cancelGraceMs);
            if (!giveUpAt && deadline && now >= *deadline) {
                deadlinePassed = true;
                sendCancelRequest();
                giveUpAt = now + milliseconds(m_unresponsiveGraceMs);
            }
            if (giveUpAt && now >= *giveUpAt) {
                abandonConnection();
                if (deadlinePassed && !m_cancelled.load())
                    return Error::make(errc::Connection,
                        QStringLiteral(
                            "The server at %1 stopped answering: the statement got no answer within its "
                            "timeout (%2 s) plus %3 s, nor did a cancel request, so PlanSight closed the connection.")
                            .arg(describe())
                            .arg(m_statementTimeoutMs / 1000.0)
                            .arg(m_unresponsiveGraceMs / 1000.0),
                        QString(),
                        QStringLiteral("Check the server (stopped, swapping, out of disk, or a network problem); the "
                                       "session and what was measured are kept."));
                return Error::make(errc::Cancelled,
                    QStringLiteral("Cancelled; the server did not answer the cancel request, so PlanSight closed the "
                                   "connection."));
            }
            // Wake at least every 200 ms to see a cancel, and on time for the next deadline.
            auto next = now + milliseconds(200);
            if (giveUpAt)
                next = std::min(next, *giveUpAt);
            else if (deadline)
                next = std::min(next, *deadline);
            const int waitMs
                = int(std::max<qint64>(0, std::chrono::duration_cast<milliseconds>(next - now).count() + 1));
            pollfd pfd { PQsocket(c), POLLIN, 0 };
            int rc = ::poll(&pfd, 1, waitMs);
            if (rc < 0 && errno != EINTR)
                return connectionError(QStringLiteral("waiting for a result"));
            if (!PQconsumeInput(c))
                return connectionError(QStringLiteral("reading a result"));
            // The server answered (a notice, part of the result): the deadline counts from here.
            if (rc > 0 && deadline && !giveUpAt)
                deadline = Clock::now() + milliseconds(qint64(m_statementTimeoutMs) + m_unresponsiveGraceMs);
        }
        PGresult *r = PQgetResult(c);
        if (!r)
            break;
        PgResult res(r);
        switch (PQresultStatus(r)) {
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
        case PGRES_EMPTY_QUERY:
            last = res;
            break;
        case PGRES_COPY_IN:
        case PGRES_COPY_OUT:
        case PGRES_COPY_BOTH:
            return Error::make(errc::Internal, QStringLiteral("COPY is only supported through copyIn()."), sql);
        default:
            if (!error) {
                error = errorFromResult(r);
                if (deadlinePassed && !m_cancelled.load() && error->code == QLatin1String("57014"))
                    error->message = QStringLiteral(
                        "The statement ran past the statement timeout (%1 s) and was cancelled by PlanSight.")
                                         .arg(m_statementTimeoutMs / 1000.0);
            }
            break;
        }
        if (PQstatus(c) == CONNECTION_BAD)
            return error ? *error : connectionError(QString());
    }
    if (PQstatus(c) == CONNECTION_BAD)
        return error ? *error : connectionError(QString());
    if (error)
        return *error;
    return last;
}

namespace {

// The text form of bound values for libpq: `values` points into `storage` (nullptr for SQL NULL).
Status paramValues(const QVariantList &params, std::vector<QByteArray> &storage, std::vector<const char *> &values)
{
    storage.reserve(params.size());
    values.reserve(params.size());
    for (const QVariant &p : params) {
        if (p.isNull()) {
            values.push_back(nullptr);
            continue;
        }
        storage.push_back(paramText(p));
        if (storage.back().contains('\0'))
            return Error::make(errc::Input,
                QStringLiteral("Parameter $%1 contains a NUL character, which PostgreSQL text cannot hold.")
                    .arg(values.size() + 1));
        values.push_back(storage.back().constData());
    }
    return {};
}

} // namespace

Result<PgResult> PgSession::exec(const QString &sql, const QVariantList &params)
{
    if (auto g = guard(); !g)
        return g.error();
    if (PQstatus(m_conn.get()) != CONNECTION_OK)
        return connectionError(QString());
    const QByteArray text = sql.toUtf8();
    std::vector<QByteArray> storage;
    std::vector<const char *> values;
    if (auto st = paramValues(params, storage, values); !st)
        return st.error();
    if (!PQsendQueryParams(
            m_conn.get(), text.constData(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0))
        return connectionError(QStringLiteral("sending a query"));
    return waitForResult(sql);
}

Status PgSession::prepare(const QByteArray &name, const QString &sql, int paramCount)
{
    if (auto g = guard(); !g)
        return g.error();
    if (PQstatus(m_conn.get()) != CONNECTION_OK)
        return connectionError(QString());
    if (!PQsendPrepare(m_conn.get(), name.constData(), sql.toUtf8().constData(), paramCount, nullptr))
        return connectionError(QStringLiteral("preparing a statement"));
    auto r = waitForResult(sql);
    if (!r)
        return r.error();
    return {};
}

Result<PgResult> PgSession::execPrepared(const QByteArray &name, const QVariantList &params)
{
    if (auto g = guard(); !g)
        return g.error();
    if (PQstatus(m_conn.get()) != CONNECTION_OK)
        return connectionError(QString());
    std::vector<QByteArray> storage;
    std::vector<const char *> values;
    if (auto st = paramValues(params, storage, values); !st)
        return st.error();
    if (!PQsendQueryPrepared(m_conn.get(), name.constData(), int(values.size()), values.data(), nullptr, nullptr, 0))
        return connectionError(QStringLiteral("sending a prepared statement"));
    return waitForResult(QStringLiteral("EXECUTE ") + QString::fromUtf8(name));
}

Status PgSession::execScript(const QString &script)
{
    if (auto g = guard(); !g)
        return g.error();
    if (!PQsendQuery(m_conn.get(), script.toUtf8().constData()))
        return connectionError(QStringLiteral("sending a script"));
    // No client deadline: the server applies the statement timeout to each statement of a script, so the
    // script as a whole may rightly take longer. cancel() still ends it.
    auto r = waitForResult(script, false);
    if (!r)
        return r.error();
    return {};
}

void PgSession::appendCopyText(QByteArray &out, QByteArrayView value)
{
    for (const char c : value) {
        switch (c) {
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        default:
            out.append(c);
        }
    }
}

QString PgSession::sameTargetConninfo(const QStringList &without) const
{
    PQconninfoOption *opts = m_conn ? PQconninfo(m_conn.get()) : nullptr;
    if (!opts)
        return QString();
    QStringList parts;
    for (PQconninfoOption *o = opts; o->keyword; ++o) {
        const QString key = QString::fromLatin1(o->keyword);
        if (!o->val || !*o->val || without.contains(key))
            continue;
        QString v = QString::fromUtf8(o->val);
        v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
        v.replace(QLatin1Char('\''), QLatin1String("\\'"));
        parts << key + QStringLiteral("='") + v + QLatin1Char('\'');
    }
    PQconninfoFree(opts);
    return parts.join(QLatin1Char(' '));
}

Status PgSession::copyIn(const QString &copySql, const std::function<bool(QByteArray &)> &produce)
{
    if (auto g = guard(); !g)
        return g.error();
    PGconn *c = m_conn.get();
    if (!PQsendQuery(c, copySql.toUtf8().constData()))
        return connectionError(QStringLiteral("starting COPY"));
    PgResult start(PQgetResult(c));
    if (PQresultStatus(start.get()) != PGRES_COPY_IN) {
        Error e = errorFromResult(start.get());
        while (PGresult *r = PQgetResult(c))
            PQclear(r);
        return e;
    }
    QByteArray chunk;
    bool more = true;
    while (more) {
        chunk.clear();
        more = produce(chunk);
        if (m_cancelled.load()) {
            PQputCopyEnd(c, "cancelled by the user");
            while (PGresult *r = PQgetResult(c))
                PQclear(r);
            return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
        }
        if (!chunk.isEmpty() && PQputCopyData(c, chunk.constData(), int(chunk.size())) != 1)
            return connectionError(QStringLiteral("sending COPY data"));
    }
    if (PQputCopyEnd(c, nullptr) != 1)
        return connectionError(QStringLiteral("ending COPY"));
    auto r = waitForResult(copySql, false); // the whole COPY may rightly outlast the timeout; cancel() still works
    if (!r)
        return r.error();
    return {};
}

Status PgSession::setSetting(const QString &name, const QString &value)
{
    auto r = exec(QStringLiteral("SELECT set_config($1, $2, false)"), { name, value });
    if (!r)
        return r.error();
    if (name.compare(QLatin1String("statement_timeout"), Qt::CaseInsensitive) == 0) {
        // The value may carry a unit ("2min"): the server says what it is in milliseconds.
        auto ms = exec(QStringLiteral("SELECT setting::bigint FROM pg_settings WHERE name = 'statement_timeout'"));
        if (!ms)
            return ms.error();
        m_statementTimeoutMs = int(std::min<qint64>(ms->toLongLong(0, 0), std::numeric_limits<int>::max()));
    }
    return {};
}

Status PgSession::setStatementTimeout(int ms)
{
    return setSetting(QStringLiteral("statement_timeout"), QString::number(ms));
}

Status PgSession::reconnect()
{
    if (auto g = guard(); !g)
        return g;
    if (!m_conn)
        return Error::make(errc::Connection, QStringLiteral("The session was never connected."));
    PQreset(m_conn.get());
    if (PQstatus(m_conn.get()) != CONNECTION_OK)
        return connectionError(QStringLiteral("connecting again"));
    {
        std::lock_guard lock(m_cancelMutex);
        m_cancel.reset(PQgetCancel(m_conn.get()), PGcancelDeleter());
    }
    PQsetClientEncoding(m_conn.get(), "UTF8");
    if (m_statementTimeoutMs > 0)
        return setStatementTimeout(m_statementTimeoutMs);
    return {};
}

bool PgSession::isAlive() const
{
    return m_conn && PQstatus(m_conn.get()) == CONNECTION_OK;
}

int PgSession::serverVersionNum() const
{
    return PQserverVersion(m_conn.get());
}

QString PgSession::serverVersion() const
{
    const char *v = PQparameterStatus(m_conn.get(), "server_version");
    return trimmed(v).section(QLatin1Char(' '), 0, 0);
}

QString PgSession::database() const
{
    return trimmed(PQdb(m_conn.get()));
}

QString PgSession::user() const
{
    return trimmed(PQuser(m_conn.get()));
}

QString PgSession::host() const
{
    return trimmed(PQhost(m_conn.get()));
}

QString PgSession::port() const
{
    return trimmed(PQport(m_conn.get()));
}

QString PgSession::describe() const
{
    return QStringLiteral("%1@%2:%3/%4").arg(user(), host(), port(), database());
}

QString PgSession::quoteIdentifier(const QString &name) const
{
    const QByteArray utf8 = name.toUtf8();
    char *q = PQescapeIdentifier(m_conn.get(), utf8.constData(), size_t(utf8.size()));
    if (!q)
        return QString();
    QString out = QString::fromUtf8(q);
    PQfreemem(q);
    return out;
}

} // namespace plansight
