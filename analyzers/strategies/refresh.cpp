#include "strategies/refresh.h"

#include "pg/pgcolumn.h"
#include "strategies/extensions.h"
#include "strategies/safety.h"
#include "util/sqlfiles.h"

#include <QSet>

namespace plansight {

namespace {

QString formatSeconds(double s)
{
    if (s < 0)
        return QStringLiteral("unknown");
    if (s < 120)
        return QStringLiteral("%1 s").arg(qRound(s));
    return QStringLiteral("%1 min").arg(s / 60.0, 0, 'f', 1);
}

// pg_cron is loaded for this database: the server preloads it and runs its jobs here (cron.database_name).
Result<bool> pgCronLoadedHere(PgSession &session)
{
    auto r = session.exec(sql(QStringLiteral("strategies/pg_cron_loaded")));
    if (!r)
        return r.error();
    return r->rows() == 1 && r->toBool(0, 0);
}

// Whether the database has a pg_cron job `name`; `held`, when given, is set when that job is inactive (a benchmark
// holds it while it measures, or a session that held it was killed).
Result<bool> hasCronJob(PgSession &session, const QString &name, bool *held = nullptr)
{
    auto cron = hasPgCron(session);
    if (!cron)
        return cron.error();
    if (!*cron)
        return false;
    auto r = session.exec(sql(QStringLiteral("strategies/pg_cron_job")), { QVariant(name) });
    if (!r)
        return r.error();
    const bool exists = r->rows() == 1 && r->toLongLong(0, 0) > 0;
    if (held)
        *held = exists && !r->toBool(0, 1);
    return exists;
}

std::atomic<int> g_timerHolds { 0 };

QStringList refreshNames()
{
    QStringList out;
    for (const auto &s : refreshableStrategies())
        out << s->refreshName();
    return out;
}

// The first column of every row of `sql` run with PlanSight's refresh names bound as $1.
Result<QStringList> namesFrom(PgSession &session, const QString &file)
{
    auto r = session.exec(sql(file), { QVariant(refreshNames()) }); // a QStringList binds as a text[]
    if (!r)
        return r.error();
    return columnTexts(*r);
}

} // namespace

Result<HeldRefreshes> holdRefreshes(PgSession &session)
{
    HeldRefreshes out;
    auto cron = hasPgCron(session);
    if (!cron)
        return cron.error();
    if (*cron) {
        auto held = namesFrom(session, QStringLiteral("strategies/pg_cron_hold"));
        if (!held)
            return held.error();
        out.held = held.value();
    }
    auto running = namesFrom(session, QStringLiteral("strategies/refresh_cancel_running"));
    if (!running)
        return running.error();
    for (const auto &s : refreshableStrategies())
        if (running->contains(s->refreshName()))
            out.cancelled << s->id();
    return out;
}

Result<QStringList> resumeRefreshes(PgSession &session)
{
    auto cron = hasPgCron(session);
    if (!cron)
        return cron.error();
    if (!*cron)
        return QStringList();
    return namesFrom(session, QStringLiteral("strategies/pg_cron_resume"));
}

RefreshTimerHold::RefreshTimerHold()
{
    ++g_timerHolds;
}

RefreshTimerHold::~RefreshTimerHold()
{
    --g_timerHolds;
}

bool RefreshTimerHold::active()
{
    return g_timerHolds.load() > 0;
}

QString RefreshState::describe() const
{
    QString s = byCron ? QStringLiteral("refreshed every %1 minutes by pg_cron").arg(RefreshIntervalSeconds / 60)
                       : QStringLiteral("refreshed every %1 minutes by PlanSight while it runs (no pg_cron)")
                             .arg(RefreshIntervalSeconds / 60);
    if (secondsSince >= 0)
        s += QStringLiteral("; last refresh %1 ago").arg(formatSeconds(secondsSince));
    if (lastRefreshMs >= 0)
        s += QStringLiteral(", took %1 ms").arg(lastRefreshMs, 0, 'f', 1);
    return s;
}

QString RefreshableStrategy::refreshName() const
{
    return objectPrefix(id()) + QStringLiteral("_refresh");
}

QStringList RefreshableStrategy::plannedObjects() const
{
    QStringList out = SchemaStrategy::plannedObjects();
    out << QStringLiteral("pg_cron job %1, every %2 minutes (when the server has pg_cron; otherwise PlanSight "
                          "refreshes while it runs)")
               .arg(refreshName())
               .arg(RefreshIntervalSeconds / 60);
    return out;
}

Result<StrategyStatus> RefreshableStrategy::status(PgSession &session) const
{
    auto st = SchemaStrategy::status(session);
    if (!st || st->state == StrategyState::NotApplied)
        return st;
    const QString line = plannedObjects().constLast();
    auto cron = hasPgCron(session);
    if (!cron)
        return cron.error();
    bool held = false;
    auto job = hasCronJob(session, refreshName(), &held);
    if (!job)
        return job.error();
    if (!*cron || *job) {
        st->present << line;
        if (held && st->state == StrategyState::Applied)
            st->detail = QStringLiteral("its pg_cron job %1 is held (inactive): a benchmark holds it while it "
                                        "measures, and resumes it when it ends")
                             .arg(refreshName());
        return st;
    }
    st->missing << line;
    if (st->state == StrategyState::Applied) {
        st->state = StrategyState::Broken;
        st->detail = QStringLiteral("the server has pg_cron but not the job %1; apply again to rebuild, or revert")
                         .arg(refreshName());
    }
    return st;
}

Result<bool> hasPgCron(PgSession &session)
{
    auto r = session.exec(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron')"));
    if (!r)
        return r.error();
    return r->rows() == 1 && r->toBool(0, 0);
}

Status RefreshableStrategy::apply(
    PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context)
{
    auto before = status(session);
    if (!before)
        return before.error();
    const bool wasApplied = before->state == StrategyState::Applied;
    if (auto st = SchemaStrategy::apply(session, cancel, progress, context); !st)
        return st;
    Status st = scheduleAndMeasure(session, cancel, progress, !wasApplied);
    if (st || wasApplied)
        return st;
    // Applied here but not scheduled or measured: undone, as a failed apply leaves nothing (strategy.h).
    Error e
        = (cancel && cancel->isCancelled()) ? Error::make(errc::Cancelled, QStringLiteral("Cancelled.")) : st.error();
    if (auto undone = revertAfterCancel(*this, session, cancel, context); !undone) {
        e.message = e.message + QLatin1Char(' ') + undone.error().message;
        e.hint = undone.error().hint;
    }
    return e;
}

Status RefreshableStrategy::scheduleAndMeasure(
    PgSession &session, CancelToken *cancel, const ProgressFn &progress, bool measure)
{
    // pg_cron: created only on PlanSight's own demo (whose cluster preloads it for its database); elsewhere an
    // extension already installed is used and nothing is installed.
    auto demo = isPlanSightDemo(session);
    if (!demo)
        return demo.error();
    auto cron = hasPgCron(session);
    if (!cron)
        return cron.error();
    if (*demo && !*cron) {
        auto loaded = pgCronLoadedHere(session);
        if (!loaded)
            return loaded.error();
        if (*loaded) {
            // Created through the extensions' one home, so it carries PlanSight's mark (strategies/extensions.h).
            if (auto r = ensureExtension(session, QStringLiteral("pg_cron"), true, QStringLiteral("for %1").arg(id()));
                !r)
                return r.error();
            *cron = true;
        }
    }
    if (*cron) {
        auto job = hasCronJob(session, refreshName());
        if (!job)
            return job.error();
        if (!*job) {
            // The job's command names the strategy's own function (a constant); both are bound.
            if (auto r = session.exec(sql(QStringLiteral("strategies/pg_cron_schedule")),
                    { QVariant(refreshName()), QVariant(RefreshCronSchedule),
                        QVariant(QStringLiteral("SELECT public.%1()").arg(refreshName())) });
                !r)
                return r.error();
        }
    }
    if (!measure)
        return {};
    if (cancel && cancel->isCancelled())
        return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
    // One refresh right away: the strategy's refresh time, measured like its build time.
    if (progress)
        progress(1, 1, QStringLiteral("Refreshing %1 once to measure a refresh").arg(id()));
    auto ms = refresh(session, cancel);
    if (!ms)
        return ms.error();
    return {};
}

Result<double> RefreshableStrategy::refresh(PgSession &session, CancelToken *cancel)
{
    CancelScope scope(cancel, [&session] { session.cancel(); });
    // The function is the strategy's own (its prefix, a constant), never input.
    auto r = session.exec(QStringLiteral("SELECT public.%1()").arg(refreshName()));
    if (!r) {
        Error e = r.error();
        e.message = QStringLiteral("Refreshing %1 failed: %2").arg(id(), e.message);
        return e;
    }
    const double ms = r->toDouble(0, 0);
    m_lastRefreshMs.store(ms);
    return ms;
}

Result<RefreshState> RefreshableStrategy::refreshState(PgSession &session) const
{
    RefreshState st;
    auto job = hasCronJob(session, refreshName());
    if (!job)
        return job.error();
    st.byCron = *job;
    auto r = session.exec(
        QStringLiteral("SELECT refreshed_at, extract(epoch FROM clock_timestamp() - refreshed_at), took_ms "
                       "FROM public.%1_refreshed ORDER BY refreshed_at DESC LIMIT 1")
            .arg(objectPrefix(id())));
    if (!r)
        return r.error();
    if (r->rows() == 1) {
        st.lastRefresh = QDateTime::fromString(r->value(0, 0).left(19), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        st.secondsSince = r->toDouble(0, 1);
        st.lastRefreshMs = r->toDouble(0, 2);
    }
    if (st.lastRefreshMs < 0)
        st.lastRefreshMs = m_lastRefreshMs.load();
    return st;
}

void describeStaleness(StrategyRun &run, const QStringList &baselineKeys, const RefreshState *state)
{
    const QSet<QString> page(run.pageKeys.cbegin(), run.pageKeys.cend());
    const QSet<QString> base(baselineKeys.cbegin(), baselineKeys.cend());
    int missing = 0;
    for (const QString &k : baselineKeys)
        missing += page.contains(k) ? 0 : 1;
    int extra = 0;
    for (const QString &k : run.pageKeys)
        extra += base.contains(k) ? 0 : 1;
    QString d = QStringLiteral("%1 %2 of the baseline's page missing")
                    .arg(missing)
                    .arg(missing == 1 ? QStringLiteral("row") : QStringLiteral("rows"));
    if (extra > 0)
        d += QStringLiteral(", %1 other %2 in their place")
                 .arg(extra)
                 .arg(extra == 1 ? QStringLiteral("row") : QStringLiteral("rows"));
    if (state && state->secondsSince >= 0)
        d += QStringLiteral("; last refresh %1 ago").arg(formatSeconds(state->secondsSince));
    if (!run.checkDetail.isEmpty())
        d += QStringLiteral(" (") + run.checkDetail + QLatin1Char(')');
    run.checkDetail = d;
    if (state)
        run.footprint.staleness = state->describe();
}

void describeStaleRun(PgSession &session, const Strategy &strategy, const QStringList &baselineKeys, StrategyRun &run)
{
    if (run.check != ResultCheck::Stale)
        return;
    const auto *refreshable = dynamic_cast<const RefreshableStrategy *>(&strategy);
    if (!refreshable) {
        describeStaleness(run, baselineKeys, nullptr);
        return;
    }
    auto state = refreshable->refreshState(session);
    describeStaleness(run, baselineKeys, state ? &state.value() : nullptr);
}

QList<std::shared_ptr<RefreshableStrategy>> refreshableStrategies()
{
    QList<std::shared_ptr<RefreshableStrategy>> out;
    for (const auto &s : allStrategies()) {
        if (auto r = std::dynamic_pointer_cast<RefreshableStrategy>(s))
            out << r;
    }
    return out;
}

RefreshScheduler::RefreshScheduler(QString conninfo, int intervalSeconds, EventFn onEvent)
    : m_conninfo(std::move(conninfo)), m_intervalSeconds(intervalSeconds), m_onEvent(std::move(onEvent))
{
    m_thread = std::thread([this] { loop(); });
}

RefreshScheduler::~RefreshScheduler()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_cancel.cancel();
    if (m_thread.joinable())
        m_thread.join();
}

Result<QStringList> RefreshScheduler::refreshDue(PgSession &session, CancelToken *cancel)
{
    QStringList done;
    for (const auto &s : refreshableStrategies()) {
        if (cancel && cancel->isCancelled())
            break;
        auto st = s->status(session);
        if (!st)
            return st.error();
        if (st->state != StrategyState::Applied)
            continue;
        auto state = s->refreshState(session);
        if (!state)
            return state.error();
        if (state->byCron)
            continue;
        auto ms = s->refresh(session, cancel);
        if (!ms)
            return ms.error();
        done << s->id();
    }
    return done;
}

void RefreshScheduler::loop()
{
    std::unique_lock lock(m_mutex);
    bool connectReported = false; // a connection that fails is said once, not every tick
    for (;;) {
        if (m_wake.wait_for(lock, std::chrono::seconds(m_intervalSeconds), [this] { return m_stop; }))
            return;
        if (RefreshTimerHold::active())
            continue; // a benchmark is measuring: its queries run without a refresh beside them
        lock.unlock();
        QString event;
        auto session = PgSession::connect(m_conninfo);
        if (!session) {
            if (!connectReported)
                event = QStringLiteral("PlanSight's refresh of p1-matview and p8-tag-counts could not connect: %1")
                            .arg(session.error().message);
            connectReported = true;
        } else {
            auto done = refreshDue(**session, &m_cancel);
            if (!done && !m_cancel.isCancelled())
                event = done.error().message;
            else if (done && !done->isEmpty())
                event = QStringLiteral("Refreshed %1.").arg(done->join(QStringLiteral(", ")));
        }
        ++m_ticks;
        if (!event.isEmpty() && m_onEvent && !m_cancel.isCancelled())
            m_onEvent(event);
        lock.lock();
    }
}

} // namespace plansight
