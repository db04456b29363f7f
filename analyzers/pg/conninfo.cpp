#include "pg/conninfo.h"

#include <QUrl>

#include <libpq-fe.h>

#include <pwd.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace plansight {

namespace {

struct Option {
    QString key;
    QString value;
};

struct OptionsDeleter {
    void operator()(PQconninfoOption *o) const { PQconninfoFree(o); }
};

bool isUri(const QString &s)
{
    return s.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive)
        || s.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
}

QString quoteValue(const QString &v);

// What libpq reads in what PgSession::connect hands it: a bare word is a database name (libpq's rule).
QString normalized(const QString &target)
{
    const QString t = target.trimmed();
    if (!t.isEmpty() && !isConnectionString(t))
        return QStringLiteral("dbname=") + quoteValue(t);
    return t;
}

// The options libpq reads in `text`, in libpq's own order (only those given); nullopt when it cannot parse it.
std::optional<std::vector<Option>> parse(const QString &text)
{
    char *err = nullptr;
    std::unique_ptr<PQconninfoOption, OptionsDeleter> opts(PQconninfoParse(text.toUtf8().constData(), &err));
    if (err)
        PQfreemem(err);
    if (!opts)
        return std::nullopt;
    std::vector<Option> out;
    for (PQconninfoOption *o = opts.get(); o->keyword; ++o) {
        if (o->val)
            out.push_back({ QString::fromUtf8(o->keyword), QString::fromUtf8(o->val) });
    }
    return out;
}

bool isKeyChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

// One key=value pair as libpq's conninfo parser reads it, starting at `pos` (a key's first character).
struct Pair {
    qsizetype end = 0; // one past the value
    QString key;
    QString value; // unescaped
    bool quoted = false;
};

std::optional<Pair> readPair(const QString &s, qsizetype pos)
{
    qsizetype i = pos;
    while (i < s.size() && isKeyChar(s.at(i)))
        ++i;
    if (i == pos)
        return std::nullopt;
    Pair p;
    p.key = s.mid(pos, i - pos);
    while (i < s.size() && s.at(i).isSpace())
        ++i;
    if (i >= s.size() || s.at(i) != QLatin1Char('='))
        return std::nullopt;
    ++i;
    while (i < s.size() && s.at(i).isSpace())
        ++i;
    if (i < s.size() && s.at(i) == QLatin1Char('\'')) {
        p.quoted = true;
        ++i;
        while (i < s.size() && s.at(i) != QLatin1Char('\'')) {
            if (s.at(i) == QLatin1Char('\\') && i + 1 < s.size())
                ++i;
            p.value += s.at(i++);
        }
        if (i < s.size())
            ++i; // the closing quote (an unterminated value runs to the end)
    } else {
        while (i < s.size() && !s.at(i).isSpace()) {
            if (s.at(i) == QLatin1Char('\\') && i + 1 < s.size())
                ++i;
            p.value += s.at(i++);
        }
    }
    p.end = i;
    return p;
}

QString quoteAlways(const QString &v)
{
    QString q = v;
    q.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

QString quoteValue(const QString &v)
{
    bool plain = !v.isEmpty();
    for (QChar c : v)
        if (c.isSpace() || c == QLatin1Char('\'') || c == QLatin1Char('\\'))
            plain = false;
    return plain ? v : quoteAlways(v);
}

QString pct(const QString &v)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(v));
}

// A parsed URI rebuilt without its passwords, with the scheme it was written with.
QString rebuildUri(const QString &scheme, const std::vector<Option> &opts)
{
    QString user, host, port, dbname;
    bool hasHost = false, hasPort = false, hasDb = false;
    for (const Option &o : opts) {
        if (o.key == QLatin1String("user"))
            user = o.value;
        else if (o.key == QLatin1String("host"))
            host = o.value, hasHost = true;
        else if (o.key == QLatin1String("port"))
            port = o.value, hasPort = true;
        else if (o.key == QLatin1String("dbname"))
            dbname = o.value, hasDb = true;
    }
    QString out = scheme;
    if (!user.isEmpty())
        out += pct(user) + QLatin1Char('@');
    const QStringList hosts = host.split(QLatin1Char(','));
    const QStringList ports = port.split(QLatin1Char(','));
    // host:port pairs in the authority when they pair up; otherwise both go to the query.
    const bool inAuthority = hasHost && (!hasPort || ports.size() == hosts.size());
    QStringList query;
    if (inAuthority) {
        QStringList parts;
        for (qsizetype i = 0; i < hosts.size(); ++i) {
            QString h = hosts.at(i);
            h = h.contains(QLatin1Char(':')) ? QLatin1Char('[') + h + QLatin1Char(']') : pct(h);
            if (hasPort && !ports.at(i).isEmpty())
                h += QLatin1Char(':') + pct(ports.at(i));
            parts << h;
        }
        out += parts.join(QLatin1Char(','));
    } else {
        if (hasHost)
            query << QStringLiteral("host=") + pct(host);
        if (hasPort)
            query << QStringLiteral("port=") + pct(port);
    }
    if (hasDb)
        out += QLatin1Char('/') + pct(dbname);
    for (const Option &o : opts) {
        if (isPasswordKey(o.key) || o.key == QLatin1String("user") || o.key == QLatin1String("host")
            || o.key == QLatin1String("port") || o.key == QLatin1String("dbname"))
            continue;
        query << o.key + QLatin1Char('=') + pct(o.value);
    }
    if (!query.isEmpty())
        out += QLatin1Char('?') + query.join(QLatin1Char('&'));
    return out;
}

QString joinPairs(const std::vector<Option> &opts)
{
    QStringList parts;
    for (const Option &o : opts)
        parts << o.key + QLatin1Char('=') + quoteValue(o.value);
    return parts.join(QLatin1Char(' '));
}

void setOption(std::vector<Option> &opts, const QString &key, const QString &value)
{
    for (Option &o : opts)
        if (o.key == key) {
            o.value = value;
            return;
        }
    opts.push_back({ key, value });
}

const QString Unparsable = QStringLiteral("[unparsable URI removed]");

// A URI found in free text at `pos`: its end and its display form.
std::pair<qsizetype, QString> redactUriAt(const QString &s, qsizetype pos)
{
    qsizetype end = pos;
    while (end < s.size() && !s.at(end).isSpace())
        ++end;
    const qsizetype schemeEnd = s.indexOf(QLatin1String("://"), pos) + 3;
    const QString scheme = s.mid(pos, schemeEnd - pos);
    // Punctuation around a URI in a sentence ("at postgresql://...: refused") may make it unparsable: try
    // without the trailing punctuation, one character at a time.
    const QString trailers = QStringLiteral(".,;:!)]}>'\"");
    for (qsizetype stop = end; stop > schemeEnd; --stop) {
        const QString uri = s.mid(pos, stop - pos);
        if (auto opts = parse(uri)) {
            bool secret = false;
            for (const Option &o : *opts)
                secret = secret || isPasswordKey(o.key);
            return { stop, secret ? rebuildUri(scheme, *opts) : uri };
        }
        if (!trailers.contains(s.at(stop - 1)))
            break;
    }
    return { end, scheme + Unparsable };
}

} // namespace

bool isConnectionString(const QString &text)
{
    const QString t = text.trimmed();
    return isUri(t) || t.contains(QLatin1Char('='));
}

QString quoteConninfoValue(const QString &value)
{
    return quoteValue(value);
}

Result<ResolvedConnection> resolveConnection(const ConnectionRequest &request, const QProcessEnvironment &env)
{
    QString dsn = request.dsn.trimmed();
    QString dbname = request.dbname;
    QStringList given;
    if (!dsn.isEmpty())
        given << QStringLiteral("--dsn");
    if (isConnectionString(dbname)) {
        if (!dsn.isEmpty())
            return Error::make(
                errc::Input, QStringLiteral("Two connection strings were given: use --dsn or -d, not both."));
        dsn = dbname.trimmed();
        dbname.clear();
    }
    const std::pair<const char *, QString> explicitOptions[]
        = { { "-h", request.host }, { "-p", request.port }, { "-U", request.user }, { "-d", request.dbname } };
    for (const auto &[flag, value] : explicitOptions)
        if (!value.isEmpty())
            given << QString::fromLatin1(flag);
    if (request.demo) {
        if (!given.isEmpty())
            return Error::make(errc::Input,
                QStringLiteral("--demo was given with %1: choose either the embedded demo or a server.")
                    .arg(given.join(QStringLiteral(", "))));
        return ResolvedConnection { true, QString(), QStringLiteral("--demo") };
    }
    if (!given.isEmpty()) {
        std::vector<Option> opts;
        if (!dsn.isEmpty()) {
            auto parsed = parse(normalized(dsn));
            if (!parsed)
                return Error::make(errc::Input, QStringLiteral("The connection string given is not valid."), QString(),
                    QStringLiteral("Use key=value pairs, a postgresql:// URI (percent-encode special characters), "
                                   "service=NAME or a database name."));
            opts = std::move(*parsed);
        }
        // Explicit options win over the DSN's values.
        if (!request.host.isEmpty())
            setOption(opts, QStringLiteral("host"), request.host);
        if (!request.port.isEmpty())
            setOption(opts, QStringLiteral("port"), request.port);
        if (!request.user.isEmpty())
            setOption(opts, QStringLiteral("user"), request.user);
        if (!dbname.isEmpty())
            setOption(opts, QStringLiteral("dbname"), dbname);
        return ResolvedConnection { false, joinPairs(opts), given.join(QStringLiteral(", ")) };
    }
    QStringList fromEnv;
    for (const char *name : { "PGHOST", "PGDATABASE", "PGSERVICE" }) {
        const QString value = env.value(QString::fromLatin1(name));
        if (!value.isEmpty())
            fromEnv << QString::fromLatin1(name) + QLatin1Char('=') + value;
    }
    if (!fromEnv.isEmpty())
        return ResolvedConnection { false, QString(), fromEnv.join(QStringLiteral(", ")) };
    return ResolvedConnection { true, QString(), QStringLiteral("no --dsn, -h, -d, PGHOST, PGDATABASE or PGSERVICE") };
}

std::optional<int> plansightConnectTimeout(const QString &target, int defaultSeconds, const QProcessEnvironment &env)
{
    if (!env.value(QStringLiteral("PGCONNECT_TIMEOUT")).trimmed().isEmpty())
        return std::nullopt;
    if (const auto opts = parse(normalized(target)))
        for (const Option &o : *opts)
            if (o.key == QLatin1String("connect_timeout") && !o.value.trimmed().isEmpty())
                return std::nullopt;
    return defaultSeconds;
}

QString withPassword(const QString &target, const QString &password)
{
    auto opts = parse(normalized(target));
    if (!opts)
        return target; // connecting reports the unparsable string
    setOption(*opts, QStringLiteral("password"), password);
    return joinPairs(*opts);
}

QString conninfoUser(const QString &target, const QProcessEnvironment &env)
{
    if (const auto opts = parse(normalized(target)))
        for (const Option &o : *opts)
            if (o.key == QLatin1String("user") && !o.value.isEmpty())
                return o.value;
    if (const QString u = env.value(QStringLiteral("PGUSER")); !u.isEmpty())
        return u;
    if (const passwd *pw = getpwuid(geteuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return QString();
}

bool isPasswordKey(const QString &key)
{
    return key.endsWith(QLatin1String("password"), Qt::CaseInsensitive);
}

QString displayConninfo(const QString &target)
{
    const QString t = normalized(target);
    if (t.isEmpty())
        return QStringLiteral("the default server (PG* variables)");
    const auto opts = parse(t);
    if (!opts)
        return QStringLiteral("an unparsable connection string");
    if (isUri(t))
        return rebuildUri(t.left(t.indexOf(QLatin1String("://")) + 3), *opts);
    // key=value: libpq's values, in the order they were written (libpq accepted it, so the pairs read here
    // are the ones it read; a repeated key counts once, with libpq's value, the last one).
    QStringList parts;
    QStringList seen;
    qsizetype i = 0;
    while (i < t.size()) {
        if (t.at(i).isSpace()) {
            ++i;
            continue;
        }
        const auto pair = readPair(t, i);
        if (!pair)
            break;
        i = pair->end;
        if (isPasswordKey(pair->key) || seen.contains(pair->key))
            continue;
        seen << pair->key;
        for (const Option &o : *opts)
            if (o.key == pair->key)
                parts << o.key + QLatin1Char('=') + quoteValue(o.value);
    }
    return parts.join(QLatin1Char(' '));
}

QStringList conninfoSecrets(const QString &target)
{
    QStringList out;
    if (const auto opts = parse(normalized(target))) {
        for (const Option &o : *opts)
            if (isPasswordKey(o.key) && !o.value.isEmpty())
                out << o.value;
    }
    return out;
}

QString scrubSecrets(QString text, const QStringList &secrets)
{
    for (const QString &s : secrets)
        if (!s.isEmpty())
            text.replace(s, QStringLiteral("***"));
    return text;
}

QString redactConninfoText(const QString &text)
{
    QString out;
    bool removed = false;
    qsizetype i = 0;
    while (i < text.size()) {
        const QStringView rest = QStringView(text).mid(i);
        const bool wordStart = i == 0 || !isKeyChar(text.at(i - 1));
        if (wordStart
            && (rest.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive)
                || rest.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive))) {
            const auto [end, shown] = redactUriAt(text, i);
            removed = removed || shown != text.mid(i, end - i);
            out += shown;
            i = end;
            continue;
        }
        if (wordStart && isKeyChar(text.at(i))) {
            if (const auto pair = readPair(text, i)) {
                if (isPasswordKey(pair->key)) {
                    // The pair goes, with the white space after it (or before it, at the end).
                    qsizetype end = pair->end;
                    while (end < text.size() && text.at(end).isSpace())
                        ++end;
                    if (end == text.size())
                        while (!out.isEmpty() && out.back().isSpace())
                            out.chop(1);
                    removed = true;
                    i = end;
                    continue;
                }
                // A value may hold a connection string of its own (primary_conninfo='... password=...',
                // dbname=postgresql://...).
                const QString inner = redactConninfoText(pair->value);
                if (inner != pair->value) {
                    out += pair->key + QLatin1Char('=') + (pair->quoted ? quoteAlways(inner) : inner);
                    removed = true;
                    i = pair->end;
                    continue;
                }
                out += text.mid(i, pair->end - i);
                i = pair->end;
                continue;
            }
            // Not a pair: copy the word as it is.
            while (i < text.size() && isKeyChar(text.at(i)))
                out += text.at(i++);
            continue;
        }
        out += text.at(i++);
    }
    return removed ? out.trimmed() : text;
}

} // namespace plansight
