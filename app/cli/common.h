#pragma once

#include "pg/conninfo.h"
#include "pg/localcluster.h"
#include "pg/pgsession.h"
#include "present/words.h" // every figure and table the verbs print
#include "session/results.h"
#include "strategies/strategy.h"
#include "util/cancel.h"
#include "util/result.h"

#include <QCommandLineParser>

#include <memory>
#include <optional>

namespace plansight::cli {

// Exit codes shared by every verb (README.md, "Command line"; exitCodesHelp() for --help).
enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2, ExitDemoAbsent = 3, ExitCancelled = 130 };
// The lines --help prints about them.
QString exitCodesHelp();

// The error code of "there is no embedded demo" (its cluster or a finished demo database): exit code 3.
inline const QString DemoAbsentCode = QStringLiteral("PSNODEMO");

// Prints "plansight: <message>" (and the hint) on stderr; returns the matching exit code: ExitCancelled for a
// cancel, ExitUsage for errc::Input, ExitDemoAbsent for DemoAbsentCode and an unfinished demo
// (demo::UnfinishedCode), else ExitFailure.
int fail(const Error &error);
int usageError(const QString &message);
void printOut(const QString &text); // stdout, UTF-8, no added newline
void printOut(const QByteArray &utf8); // stdout, the bytes as they are (a document already in UTF-8)
// The width tables on stdout must fit (present/format.h, textTable's maxWidth): the terminal's columns when stdout is
// one, else COLUMNS when set, else 0 (a pipe or a file gets whole rows).
int stdoutTableWidth();

// Parses args with the verb's options plus --help and -? (and -h, in verbs without connection options, where
// -h is the host); on help prints it (with the exit codes) and returns ExitOk through `exitCode`; a bad option
// returns ExitUsage. Short options may be compacted as in psql (-p5432). Returns false when the verb should
// return `exitCode` at once.
bool parseArgs(QCommandLineParser &parser, const QStringList &args, const QString &description, int &exitCode);

// The connection options, as psql has them: --dsn, -h/--host, -p/--port, -U/--username, -d/--dbname,
// -W/--password (always ask for the password), -w/--no-password (never ask), and --demo / --data-dir.
// Which server they name follows resolveConnection() (pg/conninfo.h): explicit options win over --dsn; without
// any, PGHOST, PGDATABASE or PGSERVICE name a server as in psql; else the embedded demo.
void addConnectionOptions(QCommandLineParser &parser);
ConnectionRequest connectionRequestFromOptions(const QCommandLineParser &parser);
// Which server a resolved request names, for the one line on stderr: "the server that PGHOST=db1 names" (libpq's
// defaults) or "alice@db1:5432/app (from -h, -d)".
QString chosenServerWords(const ResolvedConnection &resolved);
struct Connection {
    std::unique_ptr<PgSession> session;
    bool isDemo = false;
    QString label; // what to print: the demo's data dir or the DSN's user@host:port/db
};
// Connects to what the options name, and says which on stderr (one line). The demo is started when needed;
// a missing demo is a DemoAbsentCode error. When the server asks for a password none was given (and without
// -w), it is asked for on the terminal (no echo; never stored) and the connection is tried once more; with -W
// it is asked for first. Without a terminal nothing is asked: the error says how to give the password.
Result<Connection> connectFromOptions(const QCommandLineParser &parser, int statementTimeoutMs = 0);

// The options of verbs that change a database (strategies apply|revert, bench): --lock-timeout SECONDS and
// --dry-run (docs/production.md).
void addChangeOptions(QCommandLineParser &parser);
// --lock-timeout in ms (default 5 s, DefaultLockTimeoutMs; 0: no limit), or an errc::Input error for a value that is
// not a number of seconds from 0 to 3600.
Result<int> lockTimeoutFromOptions(const QCommandLineParser &parser);
// What a dry run prints for one strategy: `apply` (with its revert after it, or the revert that runs first when it is
// broken) or its revert; `state` is the strategy's state now. The DDL is the strategy's own DdlPlan, the text apply()
// and revert() run.
Result<QString> dryRunText(const Strategy &strategy, StrategyState state, const ApplyContext &context, bool apply);

// Asks for one line on the controlling terminal (/dev/tty), with echo or without (a password). nullopt when standard
// input is not a terminal (a script or a pipe is never asked) or there is no terminal; an errc::Cancelled error on
// Ctrl-C, at once (the terminal's echo is restored first).
enum class Echo { On, Off };
Result<std::optional<QString>> promptLine(const QString &prompt, Echo echo);
inline Result<std::optional<QString>> promptPassword(const QString &prompt)
{
    return promptLine(prompt, Echo::Off);
}
QString demoRootFromOptions(const QCommandLineParser &parser);

// The process-wide cancel token, cancelled by Ctrl-C (SIGINT) or SIGTERM. installInterruptHandler() must
// run before any thread is started.
CancelToken &interruptToken();
void installInterruptHandler();

// The demo database's name inside the embedded cluster.
inline QString demoDatabase()
{
    return QStringLiteral("gallery");
}

} // namespace plansight::cli
