#pragma once

// What a benchmark session tells the parties that follow it as it runs (docs/architecture.md, "The flow of one
// run"): the history recorder, the CLI printer, the window. The interface sits in the session model, next to
// SessionResult, so that history/ and the front ends implement it without depending on bench/, and bench/
// calls it without knowing who listens.
//
// Threading: every hook is called on the thread that runs the session (a worker thread, never the GUI thread:
// PgSession refuses it), in this order:
//   progress* / notice* / warning* -> sessionStarted -> (runFinished | progress | notice | warning)* -> sessionFinished
// One exception: while a strategy's index builds run, progress() also comes from the thread that watches them
// (pg/indexprogress.h), never at the same time as another hook (the calls are serialized).
// An observer that must reach another thread posts (the window's observer queues to the GUI thread). Hooks must
// not block for long: the session waits for them.
//
// Observers are called in the order they were attached. A hook returns the problems it met as warnings (the
// history could not be written, ...): they travel with the session's results (SessionResult::warnings) and reach
// every observer's warning() like the runner's own.

#include "session/results.h"

#include <QString>
#include <QStringList>

namespace plansight {

class SessionObserver {
public:
    virtual ~SessionObserver() = default;

    // Statements done of the total planned (warm-ups, measured runs, EXPLAINs, applies), with what runs now.
    virtual void progress(qint64 done, qint64 total, const QString &text)
    {
        Q_UNUSED(done);
        Q_UNUSED(total);
        Q_UNUSED(text);
    }
    // A sentence to show at once (waiting for another session's lock).
    virtual void notice(const QString &text) { Q_UNUSED(text); }
    // A problem that did not stop the session, as it happens (one sentence, with what to do when there is
    // something to do). It is also in SessionResult::warnings.
    virtual void warning(const QString &text) { Q_UNUSED(text); }
    // The session is described; an observer may set what it owns (the history recorder sets info.id), and
    // the observers after it see that.
    virtual QStringList sessionStarted(SessionInfo &info)
    {
        Q_UNUSED(info);
        return {};
    }
    // One strategy x workload, with its final values, in run order.
    virtual QStringList runFinished(const SessionInfo &info, const StrategyRun &run)
    {
        Q_UNUSED(info);
        Q_UNUSED(run);
        return {};
    }
    // The session ended (completely, cancelled or early on an error): everything it measured, and its warnings.
    // Not called when the session ended before it was described (a refused connection, bad options).
    virtual QStringList sessionFinished(const SessionResult &session)
    {
        Q_UNUSED(session);
        return {};
    }
};

} // namespace plansight
