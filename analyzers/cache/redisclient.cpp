#include "cache/redisclient.h"

#include <QUrl>
#include <QUrlQuery>

#include <hiredis/hiredis.h>

#include <csignal>

#include <vector>

namespace plansight {

namespace {

const QString UrlHint
    = QStringLiteral("Give redis://host:port/db (for example redis://127.0.0.1:6379/0) or unix:///path/to/redis.sock.");

timeval toTimeval(int ms)
{
    timeval tv {};
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return tv;
}

} // namespace

QString RedisEndpoint::describe() const
{
    if (!socketPath.isEmpty())
        return QStringLiteral("unix://") + socketPath + (db ? QStringLiteral("?db=%1").arg(db) : QString());
    return QStringLiteral("redis://%1:%2/%3").arg(host).arg(port).arg(db);
}

Result<RedisEndpoint> parseRedisUrl(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    RedisEndpoint e;
    auto bad = [&](const QString &why) {
        return Error::make(
            errc::Input, QStringLiteral("--redis %1 is not a Redis address: %2.").arg(text, why), QString(), UrlHint);
    };
    if (!url.isValid())
        return bad(QStringLiteral("it is not a URL"));
    bool ok = true;
    if (url.scheme() == QLatin1String("unix")) {
        e.socketPath = url.path();
        if (e.socketPath.isEmpty() || !e.socketPath.startsWith(QLatin1Char('/')))
            return bad(QStringLiteral("unix:// needs an absolute socket path"));
        const QUrlQuery q(url);
        if (q.hasQueryItem(QStringLiteral("db")))
            e.db = q.queryItemValue(QStringLiteral("db")).toInt(&ok);
    } else if (url.scheme() == QLatin1String("redis")) {
        e.host = url.host();
        if (e.host.isEmpty())
            return bad(QStringLiteral("it names no host"));
        e.port = url.port(6379);
        const QString path = url.path().mid(1);
        if (!path.isEmpty())
            e.db = path.toInt(&ok);
        e.user = url.userName();
        e.password = url.password();
    } else {
        return bad(QStringLiteral("the scheme must be redis:// or unix://"));
    }
    if (!ok || e.db < 0)
        return bad(QStringLiteral("the database must be a number from 0"));
    return e;
}

struct RedisClient::Reply {
    int type = 0;
    QByteArray str;
    qint64 integer = 0;
};

RedisClient::~RedisClient()
{
    if (m_ctx)
        redisFree(m_ctx);
}

Result<std::unique_ptr<RedisClient>> RedisClient::connect(const RedisEndpoint &endpoint, int timeoutMs)
{
    // hiredis writes with write(2): a server that went away would kill the process with SIGPIPE. It is ignored
    // process-wide (once), so a lost Redis is an errc::Connection error (EPIPE), never a crash.
    static const bool sigpipeIgnored = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
    (void)sigpipeIgnored;
    std::unique_ptr<RedisClient> c(new RedisClient);
    c->m_endpoint = endpoint;
    const timeval tv = toTimeval(timeoutMs);
    c->m_ctx = endpoint.socketPath.isEmpty()
        ? redisConnectWithTimeout(endpoint.host.toUtf8().constData(), endpoint.port, tv)
        : redisConnectUnixWithTimeout(endpoint.socketPath.toUtf8().constData(), tv);
    if (!c->m_ctx)
        return Error::make(errc::Connection,
            QStringLiteral("Could not connect to Redis at %1.").arg(endpoint.describe()),
            QStringLiteral("out of memory"));
    if (c->m_ctx->err)
        return Error::make(errc::Connection,
            QStringLiteral("Could not connect to Redis at %1.").arg(endpoint.describe()),
            QString::fromLocal8Bit(c->m_ctx->errstr),
            QStringLiteral("Check that the server runs and that the address is right (--redis)."));
    redisSetTimeout(c->m_ctx, tv);
    if (!endpoint.password.isEmpty()) {
        auto r = endpoint.user.isEmpty() ? c->command({ "AUTH", endpoint.password.toUtf8() })
                                         : c->command({ "AUTH", endpoint.user.toUtf8(), endpoint.password.toUtf8() });
        if (!r)
            return r.error();
    }
    if (endpoint.db != 0) {
        if (auto r = c->command({ "SELECT", QByteArray::number(endpoint.db) }); !r)
            return r.error();
    }
    return c;
}

Result<RedisClient::Reply> RedisClient::command(std::initializer_list<QByteArray> args)
{
    if (m_broken || !m_ctx)
        return Error::make(
            errc::Connection, QStringLiteral("The connection to Redis at %1 was lost.").arg(m_endpoint.describe()));
    std::vector<const char *> argv;
    std::vector<size_t> lens;
    for (const QByteArray &a : args) {
        argv.push_back(a.constData());
        lens.push_back(size_t(a.size()));
    }
    auto *raw = static_cast<redisReply *>(redisCommandArgv(m_ctx, int(argv.size()), argv.data(), lens.data()));
    if (!raw) {
        m_broken = true;
        return Error::make(errc::Connection,
            QStringLiteral("The connection to Redis at %1 was lost.").arg(m_endpoint.describe()),
            QString::fromLocal8Bit(m_ctx->errstr));
    }
    Reply r;
    r.type = raw->type;
    r.integer = raw->integer;
    if (raw->str)
        r.str = QByteArray(raw->str, int(raw->len));
    freeReplyObject(raw);
    if (r.type == REDIS_REPLY_ERROR)
        return Error::make(errc::Internal,
            QStringLiteral("Redis at %1 refused %2.").arg(m_endpoint.describe(), QString::fromUtf8(*args.begin())),
            QString::fromUtf8(r.str));
    return r;
}

Status RedisClient::ping()
{
    auto r = command({ "PING" });
    if (!r)
        return r.error();
    return {};
}

Result<std::optional<QByteArray>> RedisClient::get(const QByteArray &key)
{
    auto r = command({ "GET", key });
    if (!r)
        return r.error();
    if (r->type == REDIS_REPLY_NIL)
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(r->str);
}

Status RedisClient::set(const QByteArray &key, const QByteArray &value, int ttlSeconds)
{
    auto r = ttlSeconds > 0 ? command({ "SET", key, value, "EX", QByteArray::number(ttlSeconds) })
                            : command({ "SET", key, value });
    if (!r)
        return r.error();
    return {};
}

Result<qint64> RedisClient::incr(const QByteArray &key)
{
    auto r = command({ "INCR", key });
    if (!r)
        return r.error();
    return r->integer;
}

Result<qint64> RedisClient::del(const QByteArray &key)
{
    auto r = command({ "DEL", key });
    if (!r)
        return r.error();
    return r->integer;
}

Result<QString> RedisClient::info(const QString &section)
{
    auto r = command({ "INFO", section.toUtf8() });
    if (!r)
        return r.error();
    return QString::fromUtf8(r->str);
}

QString RedisClient::infoField(const QString &info, const QString &field)
{
    const QString prefix = field + QLatin1Char(':');
    for (const QString &line : info.split(QLatin1Char('\n'))) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed();
    }
    return QString();
}

Status RedisClient::flushAll()
{
    auto r = command({ "FLUSHALL" });
    if (!r)
        return r.error();
    return {};
}

Status RedisClient::shutdownNoSave()
{
    auto r = command({ "SHUTDOWN", "NOSAVE" });
    m_broken = true; // the server closes the connection: success is no reply
    if (!r && r.error().code != errc::Connection)
        return r.error();
    return {};
}

} // namespace plansight
