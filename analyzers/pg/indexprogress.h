#pragma once

// How far an index build has come, read from pg_stat_progress_create_index (docs/architecture.md, "Long jobs").
//
// A CREATE INDEX runs as one statement on the session that builds it, which therefore cannot say how far it is.
// IndexBuildWatch asks from a second connection to the same server, database and user: every interval it reads
// the row of pg_stat_progress_create_index whose pid is the building session's backend (PQbackendPID) and hands
// it, as an IndexBuildProgress, to a function. Its words and share of the whole build come from the phase and the
// block and tuple counters:
//   "building index ps_x_tags: scanning table 43%"   (the index's name once the catalog shows it: CONCURRENTLY)
//   "building index on content_tags: loading tuples in tree 12%"   (a plain CREATE INDEX reports no index yet)
//
// The watch is an observer only: it never touches the building session, and a watch that cannot connect or read
// (no permission, a server without the view) stays silent; the build goes on the same.
//
// Threading: construct and destroy the watch on the building session's thread, around the statement. The function
// runs on the watch's own thread, never after the destructor returned; the destructor stops the watch within one
// poll (it cancels a poll in flight) and joins its thread.

#include "pg/pgsession.h"
#include "util/cancel.h"

#include <QString>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace plansight {

struct IndexBuildProgress {
    QString phase; // as the view says it: "building index: scanning table", "waiting for writers before build"
    QString command; // "CREATE INDEX", "CREATE INDEX CONCURRENTLY", "REINDEX", ...
    QString index; // the index's name, empty while the catalog does not show it (every plain CREATE INDEX)
    QString table; // the table's name, empty when it was created in the building transaction
    qint64 blocksDone = 0, blocksTotal = 0;
    qint64 tuplesDone = 0, tuplesTotal = 0;

    // The share of the phase done, from its counter (blocks while scanning, tuples while loading); -1 when the
    // phase has no counter (sorting, waiting).
    double phaseFraction() const;
    // The share of the whole build done, 0 to 1, rising through the phases: for a plain build the table scan is
    // the first 70%, the sort 70-80% and the load into the tree the rest; a concurrent build's validation takes
    // the second half.
    double fraction() const;
    // "building index ps_x: scanning table 43%", "building index on content_tags: sorting live tuples".
    QString words() const;
};

// Reads the build progress of backend `pid` on `session`: nullopt-like empty phase when it builds no index.
Result<IndexBuildProgress> readIndexBuildProgress(PgSession &session, int pid);

class IndexBuildWatch {
public:
    using Report = std::function<void(const IndexBuildProgress &)>;
    // Starts watching the index builds of `building` (its backend and its connection options are read now). The
    // first poll comes after `intervalMs`, so a short statement ends before any connection is opened.
    IndexBuildWatch(PgSession &building, Report report, int intervalMs = 500);
    ~IndexBuildWatch();
    IndexBuildWatch(const IndexBuildWatch &) = delete;
    IndexBuildWatch &operator=(const IndexBuildWatch &) = delete;

private:
    void run();

    const QString m_conninfo;
    const int m_pid;
    const Report m_report;
    const int m_intervalMs;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    PgSession *m_poller = nullptr; // while connected; guarded by m_mutex, for the destructor's cancel
    std::thread m_thread;
};

// A job's ProgressFn that also tells how far its index builds are: the job reports its steps through it as usual
// ("done of total steps, text"), and while a watch() it started is alive, the watch's reports come as progress
// within the step last reported: done * 1000 + the build's fraction() * 1000 of total * 1000, with
// IndexBuildProgress::words() as the text (the step's own text came when it began). Calls to the wrapped function are
// serialized (the watch reports from its own thread), so it may be a ProgressFn that is not thread-safe, such as the
// CLI's printer; it must not block on the job's thread.
class IndexProgressReporter {
public:
    explicit IndexProgressReporter(ProgressFn progress) : m_progress(std::move(progress)) { }
    void operator()(qint64 done, qint64 total, const QString &text);
    // Watches `building` (see IndexBuildWatch) until the returned watch is destroyed; none without a ProgressFn.
    std::unique_ptr<IndexBuildWatch> watch(PgSession &building, int intervalMs = 500);

private:
    void indexReport(const IndexBuildProgress &p);

    const ProgressFn m_progress;
    std::mutex m_mutex;
    qint64 m_done = 0;
    qint64 m_total = 0;
    QString m_text;
};

} // namespace plansight
