#pragma once

// A Redis connection for PlanSight's cache strategy (p2-redis, docs/strategies.md, "p2-redis"), over hiredis.
// Every command is sent as an argument vector (redisCommandArgv): no value is ever formatted into a command
// string. Errors are values: a lost connection is errc::Connection, and the client stays unusable afterwards
// (reconnect with connect()).
//
// The first connect() ignores SIGPIPE for the process (hiredis writes with write(2); a server that went away must be
// an error, not the end of PlanSight).
//
// Threading: one client belongs to one thread at a time (hiredis contexts are not thread-safe).

#include "util/result.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

struct redisContext;

namespace plansight {

// Where a Redis server listens: a Unix socket (socketPath) or host:port; the logical database; an optional
// password (AUTH). Never printed with its password (describe()).
struct RedisEndpoint {
    QString socketPath;
    QString host;
    int port = 6379;
    int db = 0;
    QString user;
    QString password;

    bool isValid() const { return !socketPath.isEmpty() || !host.isEmpty(); }
    QString describe() const; // "unix:///run/redis.sock", "redis://host:6379/0": never a password
};

// Parses --redis: redis://[[user]:password@]host[:port][/db] or unix:///path/to/socket[?db=N]. A text of another
// form is an errc::Input error naming both accepted forms.
Result<RedisEndpoint> parseRedisUrl(const QString &url);

class RedisClient {
public:
    ~RedisClient();
    RedisClient(const RedisClient &) = delete;
    RedisClient &operator=(const RedisClient &) = delete;

    // Connects within `timeoutMs` (also the timeout of every later command), then AUTH and SELECT when the endpoint
    // asks for them.
    static Result<std::unique_ptr<RedisClient>> connect(const RedisEndpoint &endpoint, int timeoutMs = 2000);

    Status ping();
    // The value, or std::nullopt when the key does not exist.
    Result<std::optional<QByteArray>> get(const QByteArray &key);
    // SET key value EX ttlSeconds (ttlSeconds <= 0: no expiry).
    Status set(const QByteArray &key, const QByteArray &value, int ttlSeconds);
    Result<qint64> incr(const QByteArray &key);
    Result<qint64> del(const QByteArray &key);
    // INFO <section> as the server sends it ("# Memory\r\nused_memory:...").
    Result<QString> info(const QString &section);
    // One field of INFO's text ("used_memory"), or an empty text.
    static QString infoField(const QString &info, const QString &field);
    // FLUSHALL: every key of every database of the server goes (the fault tests' "Redis flushed in the middle").
    Status flushAll();
    // SHUTDOWN NOSAVE: the server exits without writing its data; the connection is gone afterwards.
    Status shutdownNoSave();

    bool isBroken() const { return m_broken; }
    const RedisEndpoint &endpoint() const { return m_endpoint; }

private:
    RedisClient() = default;
    struct Reply;
    Result<Reply> command(std::initializer_list<QByteArray> args);

    redisContext *m_ctx = nullptr;
    RedisEndpoint m_endpoint;
    bool m_broken = false;
};

} // namespace plansight
