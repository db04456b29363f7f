#include "pg/pgsession.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QThread>

#include <poll.h>

#include <vector>

namespace plansight {

namespace {

QString trimmed(const char *s)
{
    return QString::fromUtf8(s ? s : "").trimmed();
}

// libpq reports connection failures as free text; turn the common ones into one sentence that says
// what to do. The raw text stays in `detail`.
Error classifyConnectionFailure(const QString &raw, const QString &target)
{
    const QString where = target.isEmpty() ? QStringLiteral("the default server (PG* variables)") : target;
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
        return e(errc::Connection,
            QStringLiteral("No PostgreSQL server is accepting connections at %1.").arg(where),
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
            QStringLiteral("Use key=value pairs, a postgresql:// URI or a service name."));
    return e(errc::Connection, QStringLiteral("Could not connect to %1.").arg(where), QString());
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

    // A bare word is a service name; anything with '=' or a URI scheme is a conninfo string.
    QString dbname = target.trimmed();
    if (!dbname.isEmpty() && !dbname.contains(QLatin1Char('=')) && !dbname.contains(QLatin1String("://")))
        dbname = QStringLiteral("service=") + dbname;

    const QByteArray timeout = QByteArray::number(options.connectTimeoutSeconds);
    const QByteArray app = options.applicationName.toUtf8();
    const QByteArray db = dbname.toUtf8();
    // Defaults first: the user's own connection string overrides them.
    std::vector<const char *> keys { "connect_timeout", "fallback_application_name" };
    std::vector<const char *> values { timeout.constData(), app.constData() };
    if (!db.isEmpty()) {
        keys.push_back("dbname");
        values.push_back(db.constData());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);

    s->m_conn.reset(PQconnectdbParams(keys.data(), values.data(), 1));
    if (!s->m_conn)
        return Error::make(errc::Internal, QStringLiteral("Out of memory while connecting."));
    if (PQstatus(s->m_conn.get()) != CONNECTION_OK)
        return classifyConnectionFailure(trimmed(PQerrorMessage(s->m_conn.get())), target);
    s->m_cancel.reset(PQgetCancel(s->m_conn.get()));
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
    m_cancel.reset();
}

void PgSession::cancel()
{
    m_cancelled.store(true);
    std::lock_guard lock(m_cancelMutex);
    if (m_cancel) {
        char err[256];
        PQcancel(m_cancel.get(), err, sizeof err);
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
    if (state == QLatin1String("57014")) {
        if (m_cancelled.load())
            e.message = QStringLiteral("Cancelled.");
        else
            e.hint = QStringLiteral("The statement ran longer than the statement timeout; raise it or make the query faster.");
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
        QStringLiteral("The connection to the server was lost%1.").arg(what.isEmpty() ? QString() : QStringLiteral(" while ") + what),
        raw, QStringLiteral("Check that the server is running; the session and what was measured are kept."));
}

Result<PgResult> PgSession::waitForResult(const QString &sql)
{
    PGconn *c = m_conn.get();
    PgResult last;
    std::optional<Error> error;
    for (;;) {
        while (PQisBusy(c)) {
            pollfd pfd { PQsocket(c), POLLIN, 0 };
            int rc = ::poll(&pfd, 1, 200);
            if (rc < 0 && errno != EINTR)
                return connectionError(QStringLiteral("waiting for a result"));
            if (!PQconsumeInput(c))
                return connectionError(QStringLiteral("reading a result"));
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
            if (!error)
                error = errorFromResult(r);
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

Result<PgResult> PgSession::exec(const QString &sql, const QVariantList &params)
{
    if (auto g = guard(); !g)
        return g.error();
    if (PQstatus(m_conn.get()) != CONNECTION_OK)
        return connectionError(QString());
    const QByteArray text = sql.toUtf8();
    std::vector<QByteArray> storage;
    storage.reserve(params.size());
    std::vector<const char *> values;
    values.reserve(params.size());
    for (const QVariant &p : params) {
        if (p.isNull()) {
            values.push_back(nullptr);
            continue;
        }
        storage.push_back(paramText(p));
        if (storage.back().contains('\0'))
            return Error::make(errc::Input,
                QStringLiteral("Parameter $%1 contains a NUL character, which PostgreSQL text cannot hold.").arg(values.size() + 1));
        values.push_back(storage.back().constData());
    }
    if (!PQsendQueryParams(m_conn.get(), text.constData(), int(values.size()), nullptr, values.data(), nullptr,
            nullptr, 0))
        return connectionError(QStringLiteral("sending a query"));
    return waitForResult(sql);
}

Status PgSession::execScript(const QString &script)
{
    if (auto g = guard(); !g)
        return g.error();
    if (!PQsendQuery(m_conn.get(), script.toUtf8().constData()))
        return connectionError(QStringLiteral("sending a script"));
    auto r = waitForResult(script);
    if (!r)
        return r.error();
    return {};
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
    auto r = waitForResult(copySql);
    if (!r)
        return r.error();
    return {};
}

Status PgSession::setSetting(const QString &name, const QString &value)
{
    auto r = exec(QStringLiteral("SELECT set_config($1, $2, false)"), { name, value });
    if (!r)
        return r.error();
    return {};
}

Status PgSession::setStatementTimeout(int ms)
{
    return setSetting(QStringLiteral("statement_timeout"), QString::number(ms));
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
