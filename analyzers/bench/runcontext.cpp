#include "bench/runcontext.h"

#include "pg/localcluster.h"
#include "pg/sessionsettings.h"
#include "strategies/safety.h"

namespace plansight {

Error connectionLost(const Error &cause, const QString &during)
{
    // A FATAL "terminating connection" carries its own SQLSTATE, libpq's own failures carry errc::Connection.
    const QString message = isConnectionLoss(cause)
        ? QStringLiteral("The connection to the server was lost during %1.").arg(during)
        : QStringLiteral("The connection to the server was lost during %1: %2").arg(during, cause.message);
    return Error::make(errc::Connection, message, cause.detail,
        QStringLiteral("Check that the server is running; the runs measured before are kept."));
}

void RunContext::step(const QString &text, qint64 units)
{
    done += units;
    report(text);
}

void RunContext::report(const QString &text)
{
    for (SessionObserver *o : std::as_const(observers))
        o->progress(done, total, text);
}

void RunContext::notice(const QString &text)
{
    for (SessionObserver *o : std::as_const(observers))
        o->notice(text);
    report(text);
}

void RunContext::warn(const QString &text)
{
    if (result)
        result->warnings.append(text);
    for (SessionObserver *o : std::as_const(observers))
        o->warning(text);
}

void RunContext::cancelRunningStatement()
{
    if (shielded.load())
        return;
    std::lock_guard lock(sessionMutex);
    if (session)
        session->cancel();
}

Status RunContext::connect()
{
    PgSession::Options opts;
    opts.statementTimeoutMs = options.statementTimeoutMs;
    opts.applicationName = QStringLiteral("PlanSight bench");
    auto s = PgSession::connect(target.conninfo, opts);
    if (!s)
        return s.error();
    std::lock_guard lock(sessionMutex);
    session = std::move(s.value());
    if (cancelled())
        session->cancel();
    return {};
}

Status RunContext::lockDatabase()
{
    return acquireDatabaseLock(*session, options.waitForLock, cancel, [this](const QString &t) { notice(t); });
}

Status RunContext::restartCluster()
{
    {
        std::lock_guard lock(sessionMutex);
        session.reset();
    }
    LocalCluster cluster(target.demoRoot);
    if (auto st = cluster.restart(); !st)
        return Error::make(st.error().code,
            QStringLiteral("Restarting the embedded cluster for a cold run failed: %1").arg(st.error().message),
            st.error().detail, st.error().hint);
    if (auto st = connect(); !st)
        return st;
    if (auto st = lockDatabase(); !st) // the lock went with the old connection
        return st;
    if (underTest && isolation && isolation->isolated) {
        auto again = isolateStrategy(*session, *underTest, otherApplied, mayChange);
        if (!again)
            return again.error();
        isolation = again.value();
    }
    // Session settings went with the old connection.
    if (auto st = applySettingOverrides(*session, settingsInForce); !st)
        return st;
    return {};
}

Status RunContext::underApplyTimeout(
    const std::function<Status()> &work, const std::function<void(const Status &)> &cleanup)
{
    if (auto st = session->setStatementTimeout(std::max(options.applyTimeoutMs, options.statementTimeoutMs)); !st)
        return st;
    const Status out = work();
    shielded = true;
    waitForCancelCallbacks(cancel);
    session->resetCancel();
    if (cleanup)
        cleanup(out);
    shielded = false;
    const Status restored = session->setStatementTimeout(options.statementTimeoutMs);
    if (cancelled())
        session->cancel();
    if (!out)
        return out;
    return restored;
}

} // namespace plansight
