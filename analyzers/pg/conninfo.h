#pragma once

#include <QString>
#include <QStringList>

// Connection strings shown to people: every message, log line and history entry that names a server goes
// through these, so a password given in a DSN (password=..., sslpassword=..., postgresql://user:secret@...)
// never reaches a terminal, a window or a file.

namespace plansight {

// True for the keys that hold a secret: password, sslpassword (any case, also PGPASSWORD in free text).
bool isPasswordKey(const QString &key);

// `target` (what PgSession::connect takes: key=value pairs, a postgresql:// URI or a bare service name) as
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

} // namespace plansight
