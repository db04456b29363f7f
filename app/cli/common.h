#pragma once

#include "pg/localcluster.h"
#include "pg/pgsession.h"
#include "util/cancel.h"
#include "util/result.h"
#include "session/results.h"
#include "present/words.h" // every figure and table the verbs print

#include <QCommandLineParser>

#include <memory>

namespace plansight::cli {

// Exit codes shared by every verb.
enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2, ExitCancelled = 130 };

// Prints "plansight: <message>" (and the hint) on stderr; returns the matching exit code.
int fail(const Error &error);
int usageError(const QString &message);
void printOut(const QString &text); // stdout, UTF-8, no added newline

// Parses args with the verb's options plus --help; on --help prints and returns ExitOk through `exitCode`.
// Returns false when the verb should return `exitCode` at once.
bool parseArgs(QCommandLineParser &parser, const QStringList &args, const QString &description, int &exitCode);

// The --dsn / --demo / --data-dir options, and the session they name. With neither --dsn nor --demo, the
// embedded demo is used (as in the GUI), started when needed.
void addConnectionOptions(QCommandLineParser &parser);
struct Connection {
    std::unique_ptr<PgSession> session;
    bool isDemo = false;
    QString label; // what to print: the demo's data dir or the DSN's user@host:port/db
};
Result<Connection> connectFromOptions(const QCommandLineParser &parser, int statementTimeoutMs = 0);
QString demoRootFromOptions(const QCommandLineParser &parser);

// The process-wide cancel token, cancelled by Ctrl-C (SIGINT) or SIGTERM. installInterruptHandler() must
// run before any thread is started.
CancelToken &interruptToken();
void installInterruptHandler();

// The demo database's name inside the embedded cluster.
inline QString demoDatabase() { return QStringLiteral("gallery"); }

} // namespace plansight::cli
