#pragma once

// What the bench verb prints and writes, for the other verbs that run a benchmark session (run: an experiment,
// docs/experiments.md): the same progress, table, JSON and exit code. Defined in cli/bench.cpp.

#include "bench/runner.h"
#include "session/sessionobserver.h"

#include <QCommandLineParser>

#include <memory>

namespace plansight::cli {

// bench's printer (progress, notices and warnings on stderr as they happen, the table at the end on stdout, or on
// stderr when stdout carries the JSON), without the gallery review's verdict.
class BenchPrinter : public SessionObserver {
public:
    virtual void endLine() = 0; // ends the progress line
};
std::unique_ptr<BenchPrinter> makeBenchPrinter(bool tableToStderr, int warmupRuns, int runs);
// The session as JSON to `path` ('-': stdout), without a verdict; false with `error` set when it cannot be written.
bool writeSessionJson(const QString &path, const SessionResult &session, QString *error);
// bench's exit code of a session that ran (an error, a cancel, runs not measured or not ranked).
int sessionExitCode(const BenchOutcome &outcome);
// --NAME as a whole number from min to max (fallback when absent), or an errc::Input error naming the option.
Result<int> intOptionValue(const QCommandLineParser &parser, const QString &name, int fallback, int min, int max);

// The workload options bench shares with whatif: --preset (repeatable), --tag, --match, --sources, --user, --page,
// --page-size, --by-cursor, --sort.
void addWorkloadOptions(QCommandLineParser &parser);
// The custom workload of --tag/--match/--sources/--user/--page/--page-size/--by-cursor/--sort (tags resolved on
// `session`), validated; an errc::Input error naming the option that is wrong.
Result<Workload> customWorkloadFromOptions(const QCommandLineParser &parser, PgSession &session);

} // namespace plansight::cli
