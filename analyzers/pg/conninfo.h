#pragma once

#include "util/result.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

// Connection strings shown to people: every message, log line and history entry that names a server goes
// through these, so a password given in a DSN (password=..., sslpassword=..., postgresql://user:secret@...)
// never reaches a terminal, a window or a file.

namespace plansight {

namespace errc {
// The server asked for a password and none was available (PQconnectionNeedsPassword): the caller may ask the
// user for one (a terminal prompt, a password dialog) and connect again with it.
inline const QString PasswordNeeded = QStringLiteral("PSPASSWORD");
}

// True for the keys that hold a secret: password, sslpassword (any case, also PGPASSWORD in free text).
bool isPasswordKey(const QString &key);

// `target` (what PgSession::connect takes: key=value pairs, a postgresql:// URI or a bare database name) as
// one string fit for a message. libpq parses it (PQconninfoParse) and it is rebuilt without its passwords:
// a URI stays a URI, key=value pairs keep their order. An empty target names libpq's defaults; a string
// libpq cannot parse is not shown at all ("an unparsable connection string"), since where its password
// ends is unknown.
QString displayConninfo(const QString &target);

// The secret values `target` holds (password, sslpassword, a URI's user:password), as libpq parses them;
// empty when it holds none or cannot be parsed. Used to scrub libpq's own messages.
QStringList conninfoSecrets(const QString &target);

// Text that may be, or contain, connection strings (free text, a setting such as primary_conninfo, an error
// message): every password removed, everything else kept as it was. key=value pairs are read as libpq reads
// them (quoted values with backslash escapes); a postgresql:// or postgres:// URI runs to the next white
// space and is parsed by libpq, then rebuilt without its password when it had one. A URI libpq cannot
// parse is replaced by its scheme and "[unparsable URI removed]".
QString redactConninfoText(const QString &text);

// `text` with every occurrence of each secret replaced by "***" (empty secrets ignored).
QString scrubSecrets(QString text, const QStringList &secrets);

// --- Choosing the server, as psql does (README.md, "Connections") ---

// libpq's rule (PQconnectdbParams with expand_dbname): a string is a connection string when it starts with
// postgresql:// or postgres://, or contains '='; anything else is a database name.
bool isConnectionString(const QString &text);

// `value` quoted for a key=value connection string when it needs it (white space, quotes, backslashes, empty).
QString quoteConninfoValue(const QString &value);

// What the user asked for on the command line (or in the window's connection dialog).
struct ConnectionRequest {
    QString dsn; // --dsn: key=value pairs, a URI, or a bare word (a database name, as psql takes it)
    QString host; // -h
    QString port; // -p
    QString user; // -U
    QString dbname; // -d: a database name, or a connection string (then it is the DSN, as in psql)
    bool demo = false; // --demo
    enum class Prompt { Auto, Always, Never };
    Prompt prompt = Prompt::Auto; // -W (Always: ask before connecting) / -w (Never: fail instead of asking)
};

// Which server a request names.
struct ResolvedConnection {
    bool useDemo = false;
    // For a server: the connection string PgSession::connect takes (key=value pairs in libpq's quoting; empty
    // means libpq's defaults, that is the PG* variables and service files). Empty for the demo.
    QString conninfo;
    // Why this one, for the one line on stderr: "--dsn", "-h, -d", "PGHOST=db1, PGDATABASE=app", "--demo",
    // "no --dsn, -h, -d, PGHOST, PGDATABASE or PGSERVICE".
    QString source;
};

// The rules: --demo takes the embedded demo (and refuses --dsn, -h, -p, -U, -d beside it). Otherwise --dsn,
// -h, -p, -U or -d name a server: the DSN is parsed by libpq (PQconninfoParse; a bare word is a database name)
// and -h/-p/-U/-d then override its host, port, user and database (explicit options win). Otherwise, when
// PGHOST, PGDATABASE or PGSERVICE is set in `env`, libpq's defaults name the server, as in psql. Otherwise the
// embedded demo. An unparsable DSN, or two connection strings (--dsn and -d), is an errc::Input error that
// does not repeat the string (it may hold a password). `env` is read, never changed.
Result<ResolvedConnection> resolveConnection(const ConnectionRequest &request, const QProcessEnvironment &env);

// The connect_timeout PlanSight passes to libpq: `defaultSeconds` when neither `target` (its connect_timeout)
// nor PGCONNECT_TIMEOUT in `env` sets one, else nullopt (libpq's own value wins). `target` is what
// PgSession::connect takes. A connect_timeout in a service file is not seen here: PlanSight's default wins over
// it unless PGCONNECT_TIMEOUT or the connection string sets one.
std::optional<int> plansightConnectTimeout(const QString &target, int defaultSeconds, const QProcessEnvironment &env);

// `target` with `password` added (it wins over any password the target holds). The result stays in memory: it
// is never written anywhere, and every message shows it through displayConninfo().
QString withPassword(const QString &target, const QString &password);

// The user name libpq will log in as for `target`, for a password prompt: the target's user, else PGUSER,
// else the operating-system user. Empty when unknown (a service file may still name one).
QString conninfoUser(const QString &target, const QProcessEnvironment &env);

} // namespace plansight
