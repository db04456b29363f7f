#include "bench/measure.h"

#include "bench/runcontext.h"
#include "pg/sessionsettings.h"
#include "session/runfields.h"
#include "util/sqlfiles.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>

#include <algorithm>
#include <atomic>

namespace plansight {

namespace {

QString paramAsText(const QVariant &v)
{
    if (v.isNull())
        return QStringLiteral("NULL");
    if (v.typeId() == QMetaType::QStringList)
        return QString::fromUtf8(toPgArrayLiteral(v.toStringList()));
    return v.toString();
}

// The page of a result: the query's own keys when it says how (StrategyQuery::pageKeys, an experiment's check rules),
// else "source:id" of each row, in order.
Result<QStringList> pageOf(const PgResult &r, const StrategyQuery &q)
{
    if (q.pageKeys)
        return q.pageKeys(r);
    const int src = r.column("source"), id = r.column("id");
    if (src < 0 || id < 0)
        return Error::make(errc::Internal,
            QStringLiteral("The strategy's query returned no \"source\" and \"id\" columns, so its page cannot be "
                           "identified."));
    QStringList keys;
    keys.reserve(r.rows());
    for (int i = 0; i < r.rows(); ++i)
        keys.append(r.value(i, src) + QLatin1Char(':') + r.value(i, id));
    return keys;
}

class ServerExecutor : public RunExecutor {
public:
    Result<Execution> execute(PgSession &session, const StrategyRun &, const StrategyQuery &q) override
    {
        Execution e;
        QElapsedTimer timer;
        if (!q.explainable()) {
            timer.start();
            auto r = q.execute(session);
            e.ms = double(timer.nsecsElapsed()) / 1e6;
            if (!r)
                return r.error();
            e.pageKeys = r.value();
            return e;
        }
        timer.start();
        auto r = session.exec(q.sql, q.params);
        e.ms = double(timer.nsecsElapsed()) / 1e6;
        if (!r)
            return r.error();
        auto keys = pageOf(r.value(), q);
        if (!keys)
            return keys.error();
        e.pageKeys = std::move(keys).value();
        return e;
    }

    Result<QByteArray> explain(PgSession &session, const StrategyRun &, const StrategyQuery &q) override
    {
        auto r = session.exec(
            QStringLiteral("EXPLAIN (ANALYZE, VERBOSE, BUFFERS, SETTINGS, FORMAT JSON) ") + q.sql, q.params);
        if (!r)
            return r.error();
        return r->rows() >= 1 ? r->bytes(0, 0) : QByteArray();
    }
};

// The plan cache (PostgreSQL's plan_cache_mode auto) plans the first five executions of a prepared statement for
// their values and only then may settle on the generic plan: the prepared form gets at least this many warm-ups, so
// that its measured runs time the plan it settles on.
constexpr int PlanCacheWarmups = 5;

// One strategy x workload being measured: its run, the progress it planned, and how it ends early.
class Measurement {
public:
    Measurement(RunContext &ctx, RunExecutor &executor, const StrategyInfo &info, const Workload &workload,
        std::optional<Error> &fatal)
        : m_ctx(ctx), m_executor(executor), m_fatal(fatal), m_cold(ctx.options.cache == CacheState::Cold),
          m_warmups(m_cold ? 0 : ctx.options.warmupRuns),
          m_planned(m_warmups + ctx.options.runs + (ctx.options.explain ? 1 : 0)), m_doneAtStart(ctx.done)
    {
        run.strategyId = info.id;
        run.strategyTitle = info.title;
        run.workload = workload;
        run.cache = ctx.options.cache;
        m_label = info.id + QStringLiteral(" · ") + workload.label();
    }

    // Ends the run on an error: a cancel marks it cancelled, a lost connection also ends the session.
    StrategyRun stop(const Error &e, const QString &during)
    {
        stoppedBy = e;
        m_ctx.done = m_doneAtStart + m_planned; // what is not done is skipped in the count
        if (m_ctx.isCancelError(e)) {
            run.outcome = RunOutcome::Cancelled;
            run.error = QStringLiteral("Cancelled during %1, after %2 of %3 measured runs.")
                            .arg(during)
                            .arg(run.timingsMs.size())
                            .arg(m_ctx.options.runs);
            return run;
        }
        run.outcome = RunOutcome::Failed;
        run.error = QStringLiteral("%1 failed: %2").arg(during, e.toString());
        if (isConnectionLoss(e) || !m_ctx.alive())
            m_fatal = connectionLost(e, QStringLiteral("%1 of %2").arg(during, run.strategyId));
        return run;
    }
    StrategyRun stopCancelled(const QString &during)
    {
        return stop(Error::make(errc::Cancelled, QStringLiteral("Cancelled.")), during);
    }

    // The prepared form (docs/architecture.md, "Prepared statements"): prepares the statement before the warm-ups,
    // or notes why there is none; an error only when the run must stop (a cancel, a lost connection).
    Status startPrepared(const StrategyQuery &q);
    // Warm-ups and measured runs within the time budget (BenchOptions::runBudgetMs); an error text when it stopped.
    std::optional<StrategyRun> timeRuns(const StrategyQuery &q);
    // The prepared form's statistics, page and note; the statement is deallocated.
    void finishPrepared();
    std::optional<StrategyRun> explain(const StrategyQuery &q);

    StrategyRun run;
    std::optional<Error> stoppedBy; // what stopped the run early

private:
    // One warm-up or measured run: the statement sent each time and, beside it, the prepared one, in alternating
    // order so that neither always runs after the other.
    Status once(const StrategyQuery &q, bool timed);
    Status oncePrepared(const StrategyQuery &q, bool timed);
    bool overBudget() const
    {
        const qint64 budget = m_ctx.options.runBudgetMs;
        return budget > 0 && double(m_budgetClock.elapsed()) + m_slowestMs > double(budget);
    }
    void addNote(const QString &text) { run.note = run.note.isEmpty() ? text : run.note + QStringLiteral("; ") + text; }

    RunContext &m_ctx;
    RunExecutor &m_executor;
    std::optional<Error> &m_fatal;
    const bool m_cold;
    const int m_warmups;
    const qint64 m_planned;
    const qint64 m_doneAtStart;
    QString m_label;
    QElapsedTimer m_budgetClock;
    double m_slowestMs = 0; // the next execution is expected to take as long as the slowest so far
    QStringList m_keys;
    // The prepared form: its statement (empty: none was prepared), whether it is still measured, its executions.
    QByteArray m_statement;
    bool m_prepared = false;
    int m_preparedExecutions = 0;
    qint64 m_pairs = 0;
    QList<double> m_preparedMs;
    QStringList m_preparedKeys;
};

Status Measurement::startPrepared(const StrategyQuery &q)
{
    if (!m_ctx.options.measurePrepared)
        return {};
    if (q.execute) {
        run.preparedNote = QStringLiteral("no prepared form: it answers outside SQL, so there is no statement to "
                                          "prepare");
        return {};
    }
    if (!q.explainable())
        return {};
    if (m_cold) {
        run.preparedNote = QStringLiteral("not measured with a cold cache: every run restarts the server, which drops "
                                          "a prepared statement");
        return {};
    }
    // A name of PlanSight's own, new for every measurement: a statement left behind by a cancelled run (the
    // connection refuses statements until the cancel is reset) never collides with the next one.
    static std::atomic<quint64> counter { 0 };
    const QByteArray name = QByteArrayLiteral("plansight_run_") + QByteArray::number(++counter);
    if (auto st = m_executor.prepare(*m_ctx.session, run, q, name); !st) {
        if (m_ctx.isCancelError(st.error()) || isConnectionLoss(st.error()) || !m_ctx.alive())
            return st.error();
        run.preparedNote
            = QStringLiteral("not measured: the statement could not be prepared: %1").arg(st.error().toString());
        return {};
    }
    m_statement = name;
    m_prepared = true;
    return {};
}

Status Measurement::oncePrepared(const StrategyQuery &q, bool timed)
{
    auto e = m_executor.executePrepared(*m_ctx.session, run, q, m_statement);
    if (!e) {
        if (m_ctx.isCancelError(e.error()) || isConnectionLoss(e.error()) || !m_ctx.alive())
            return e.error();
        // The prepared form failed where the statement sent each time did not (a generic plan that runs past the
        // statement timeout, say): it is not measured, and the run goes on with the other form.
        m_prepared = false;
        m_preparedMs.clear();
        run.preparedNote = QStringLiteral("not measured: execution %1 of the prepared statement failed: %2")
                               .arg(m_preparedExecutions + 1)
                               .arg(e.error().toString());
        return {};
    }
    ++m_preparedExecutions;
    if (timed)
        m_preparedMs.append(e->ms);
    m_preparedKeys = e->pageKeys;
    return {};
}

Status Measurement::once(const StrategyQuery &q, bool timed)
{
    QElapsedTimer t;
    t.start();
    auto body = [&]() -> Status {
        const bool preparedFirst = m_prepared && (m_pairs++ % 2 == 1);
        if (preparedFirst)
            if (auto st = oncePrepared(q, timed); !st)
                return st;
        auto e = m_executor.execute(*m_ctx.session, run, q);
        if (!e)
            return e.error();
        if (timed)
            run.timingsMs.append(e->ms);
        m_keys = e->pageKeys;
        if (m_prepared && !preparedFirst)
            if (auto st = oncePrepared(q, timed); !st)
                return st;
        return {};
    };
    const Status st = body();
    m_slowestMs = std::max(m_slowestMs, double(t.nsecsElapsed()) / 1e6);
    return st;
}

void Measurement::finishPrepared()
{
    if (m_statement.isEmpty())
        return;
    const bool measured = m_prepared && !m_preparedMs.isEmpty();
    m_prepared = false;
    if (measured) {
        run.preparedStats = computeStats(m_preparedMs);
        run.preparedPageKeys = m_preparedKeys;
    }
    if (m_ctx.cancelled() || !m_ctx.alive())
        return; // the connection refuses statements now; the statement goes with the session
    PgSession &session = *m_ctx.session;
    if (measured) {
        QString plans;
        if (session.serverVersionNum() >= 140000) {
            if (auto r
                = session.exec(sql(QStringLiteral("bench/prepared_plans")), { QString::fromLatin1(m_statement) });
                r && r->rows() == 1) {
                plans = QStringLiteral(": %1 with a custom plan, %2 with the generic plan")
                            .arg(r->toLongLong(0, r->column("custom_plans")))
                            .arg(r->toLongLong(0, r->column("generic_plans")));
            }
        }
        run.preparedNote = QStringLiteral("prepared once, executed %1 times (%2 timed)%3")
                               .arg(m_preparedExecutions)
                               .arg(m_preparedMs.size())
                               .arg(plans);
    }
    (void)session.exec(QStringLiteral("DEALLOCATE ") + session.quoteIdentifier(QString::fromLatin1(m_statement)));
}

std::optional<StrategyRun> Measurement::timeRuns(const StrategyQuery &q)
{
    const int runs = m_ctx.options.runs;
    m_budgetClock.start();
    for (int i = 0; i < m_warmups; ++i) {
        if (m_ctx.cancelled())
            return stopCancelled(QStringLiteral("the warm-up runs"));
        if (i > 0 && overBudget()) {
            addNote(QStringLiteral("%1 of %2 warm-up runs (time budget)").arg(i).arg(m_warmups));
            m_ctx.step(QStringLiteral("%1: warm-ups cut by the time budget").arg(m_label), m_warmups - i);
            break;
        }
        if (auto st = once(q, false); !st)
            return stop(st.error(), QStringLiteral("warm-up run %1").arg(i + 1));
        run.warmupRuns = i + 1;
        m_ctx.step(QStringLiteral("%1: warm-up %2 of %3").arg(m_label).arg(i + 1).arg(m_warmups));
    }
    // The prepared form's own warm-ups, until the plan cache has made its choice (untimed, not counted as steps).
    while (m_prepared && m_preparedExecutions < PlanCacheWarmups) {
        if (m_ctx.cancelled())
            return stopCancelled(QStringLiteral("the warm-up runs"));
        if (overBudget()) {
            addNote(QStringLiteral("the prepared statement's warm-ups were cut by the time budget after %1 "
                                   "executions, so its measured runs may mix custom and generic plans")
                        .arg(m_preparedExecutions));
            break;
        }
        if (auto st = oncePrepared(q, false); !st)
            return stop(st.error(), QStringLiteral("prepared warm-up run %1").arg(m_preparedExecutions + 1));
    }
    for (int i = 0; i < runs; ++i) {
        if (m_ctx.cancelled())
            return stopCancelled(QStringLiteral("the measured runs"));
        if (i > 0 && overBudget()) {
            addNote(QStringLiteral("%1 of %2 measured runs: the time budget of %3 s was spent")
                        .arg(i)
                        .arg(runs)
                        .arg(double(m_ctx.options.runBudgetMs) / 1000.0, 0, 'g', 4));
            m_ctx.step(QStringLiteral("%1: runs cut by the time budget").arg(m_label), runs - i);
            break;
        }
        if (m_cold) {
            if (auto st = m_ctx.restartCluster(); !st)
                return stop(st.error(), QStringLiteral("the restart before run %1").arg(i + 1));
        }
        if (auto st = once(q, true); !st)
            return stop(st.error(), QStringLiteral("measured run %1").arg(i + 1));
        run.pageKeys = m_keys;
        run.rowsReturned = int(m_keys.size());
        m_ctx.step(QStringLiteral("%1: run %2 of %3").arg(m_label).arg(i + 1).arg(runs));
    }
    return std::nullopt;
}

std::optional<StrategyRun> Measurement::explain(const StrategyQuery &q)
{
    if (!m_ctx.options.explain)
        return std::nullopt;
    if (!q.explainable()) {
        m_ctx.step(QStringLiteral("%1: no SQL to explain").arg(m_label));
        return std::nullopt;
    }
    if (m_ctx.cancelled())
        return stopCancelled(QStringLiteral("EXPLAIN ANALYZE"));
    auto plan = m_executor.explain(*m_ctx.session, run, q);
    if (!plan)
        return stop(plan.error(), QStringLiteral("EXPLAIN ANALYZE"));
    run.planJson = plan.value();
    // Execution and planning time, and the other fields the EXPLAIN gives (session/runfields.h); output that is
    // not a plan leaves them not measured.
    (void)setFieldsFromExplain(run);
    m_ctx.step(QStringLiteral("%1: EXPLAIN ANALYZE").arg(m_label));
    return std::nullopt;
}

} // namespace

Status RunExecutor::prepare(PgSession &session, const StrategyRun &, const StrategyQuery &q, const QByteArray &name)
{
    return session.prepare(name, q.sql, int(q.params.size()));
}

Result<Execution> RunExecutor::executePrepared(
    PgSession &session, const StrategyRun &, const StrategyQuery &q, const QByteArray &name)
{
    Execution e;
    QElapsedTimer timer;
    timer.start();
    auto r = session.execPrepared(name, q.params);
    e.ms = double(timer.nsecsElapsed()) / 1e6;
    if (!r)
        return r.error();
    auto keys = pageOf(r.value(), q);
    if (!keys)
        return keys.error();
    e.pageKeys = std::move(keys).value();
    return e;
}

std::shared_ptr<RunExecutor> serverExecutor()
{
    return std::make_shared<ServerExecutor>();
}

StrategyRun measureRun(RunContext &ctx, RunExecutor &executor, Strategy &strategy, const Workload &workload,
    std::optional<Error> &fatal, std::optional<Error> *stoppedBy)
{
    Measurement m(ctx, executor, strategy.info(), workload, fatal);
    auto tellStop = qScopeGuard([&] {
        if (stoppedBy)
            *stoppedBy = m.stoppedBy;
    });
    if (ctx.cancelled())
        return m.stopCancelled(QStringLiteral("preparation"));
    // The strategy's setting overrides (pg/sessionsettings.h; docs/settings.md) hold for its query, runs and EXPLAIN,
    // and are put back afterwards, whatever happened, so that no other strategy runs under them. A cold run's restart
    // sets them again on the new connection (RunContext::restartCluster).
    const QList<SettingOverride> overrides = strategy.settingOverrides();
    const QString settingsNote = overrides.isEmpty()
        ? QString()
        : QStringLiteral("settings: %1").arg(settingWords(overrides).join(QStringLiteral(", ")));
    m.run.settings = settingWords(overrides);
    m.run.note = settingsNote;
    auto putBack = qScopeGuard([&] {
        if (overrides.isEmpty() || !ctx.alive() || ctx.cancelled())
            return; // a cancelled session ends; its clean-up puts them back (RunContext::settingsInForce)
        if (auto st = resetSettings(*ctx.session, settingNames(overrides)); !st) {
            if (!fatal)
                fatal = Error::make(st.error().code,
                    QStringLiteral("The settings of %1 (%2) could not be put back, so the session stops before another "
                                   "strategy runs under them: %3")
                        .arg(strategy.id(), formatSettingOverrides(overrides), st.error().message));
            return;
        }
        ctx.settingsInForce.clear();
    });
    if (!overrides.isEmpty()) {
        ctx.settingsInForce = overrides;
        if (auto st = applySettingOverrides(*ctx.session, overrides); !st)
            return m.stop(st.error(), QStringLiteral("setting %1").arg(formatSettingOverrides(overrides)));
    }
    auto q = strategy.query(*ctx.session, workload);
    if (!q)
        return m.stop(q.error(), QStringLiteral("building the query"));
    m.run.sql = q->sql;
    if (!q->note.isEmpty())
        m.run.note = settingsNote.isEmpty() ? q->note : settingsNote + QStringLiteral("; ") + q->note;
    for (const QVariant &p : q->params)
        m.run.params.append(paramAsText(p));
    if (!q->explainable() && !q->execute)
        return m.stop(Error::make(errc::Internal, QStringLiteral("The strategy gave neither SQL nor a way to answer.")),
            QStringLiteral("building the query"));
    // A cache says afterwards how its runs went (hits, misses, Redis lost): appended to the note.
    auto withNoteAfterRuns = [&q](StrategyRun run) {
        const QString after = q->noteAfterRuns ? q->noteAfterRuns() : QString();
        if (!after.isEmpty())
            run.note = run.note.isEmpty() ? after : run.note + QStringLiteral("; ") + after;
        return run;
    };
    if (auto st = m.startPrepared(q.value()); !st)
        return withNoteAfterRuns(m.stop(st.error(), QStringLiteral("preparing the statement")));
    auto stopped = m.timeRuns(q.value());
    m.finishPrepared();
    if (stopped)
        return withNoteAfterRuns(*stopped);
    if (auto stopped = m.explain(q.value()))
        return withNoteAfterRuns(*stopped);
    return withNoteAfterRuns(m.run);
}

QString whyNoPage(const StrategyRun &run, const std::optional<Error> &stoppedBy)
{
    if (!run.timingsMs.isEmpty())
        return QString();
    switch (run.outcome) {
    case RunOutcome::Skipped:
        return QStringLiteral("was skipped");
    case RunOutcome::Cancelled:
        return QStringLiteral("was cancelled");
    default:
        break;
    }
    // The statement timeout and a cancel share SQLSTATE 57014; a cancel by the user made the run cancelled above.
    if (stoppedBy && stoppedBy->code == QLatin1String("57014"))
        return QStringLiteral("timed out");
    return QStringLiteral("failed");
}

void checkRun(StrategyRun &run, const StrategyRun *baseline, bool isBaseline, bool mayBeStale,
    const BenchOptions &options, const QStringList &visible, const StandIn *standIn)
{
    const bool measuredPage = run.outcome == RunOutcome::Ok || !run.timingsMs.isEmpty();
    const bool basePage = baseline && !baseline->timingsMs.isEmpty();
    if (!measuredPage) {
        run.check = ResultCheck::Failed;
    } else if (!options.checkResults) {
        run.check = ResultCheck::NotChecked;
    } else if (isBaseline) {
        run.check = ResultCheck::Same;
        run.checkDetail = QStringLiteral("the reference page");
    } else if (!basePage && standIn && !standIn->baselineWhy.isEmpty()) {
        // The baseline could not answer: an independent formulation that agreed with it elsewhere stands in.
        const QString why = standIn->baselineWhy;
        if (run.strategyId == standIn->id) {
            run.check = ResultCheck::NotChecked;
            run.checkDetail = standIn->distrusted.isEmpty()
                ? QStringLiteral("unchecked: %1; this page is the reference the other strategies are checked against")
                      .arg(why)
                : QStringLiteral("unchecked: %1, and %2").arg(why, standIn->distrusted);
        } else if (standIn->run && standIn->distrusted.isEmpty()) {
            QString differs;
            run.check = comparePages(standIn->run->pageKeys, run.pageKeys, mayBeStale, &differs, standIn->id);
            run.checkDetail = QStringLiteral("checked against %1; %2").arg(standIn->id, why)
                + (differs.isEmpty() ? QString() : QStringLiteral(": ") + differs);
        } else {
            run.check = ResultCheck::NotChecked;
            run.checkDetail = QStringLiteral("unchecked: %1 and no reference answered").arg(why)
                + (standIn->distrusted.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(standIn->distrusted));
        }
    } else if (!basePage) {
        run.check = ResultCheck::NotChecked;
        run.checkDetail = QStringLiteral("the baseline has no page for this workload");
    } else {
        run.check = comparePages(baseline->pageKeys, run.pageKeys, mayBeStale, &run.checkDetail);
    }
    if (measuredPage && run.preparedStats.count > 0 && run.preparedPageKeys != run.pageKeys) {
        // Prepared once or sent each time, a statement must return the same page.
        const ResultCheck c = comparePages(run.pageKeys, run.preparedPageKeys, mayBeStale, nullptr);
        const QString what = QStringLiteral("the prepared statement returned another page than the statement sent "
                                            "each time (%1 rows against %2)")
                                 .arg(run.preparedPageKeys.size())
                                 .arg(run.pageKeys.size());
        if (run.check != ResultCheck::Different)
            run.check = c;
        run.checkDetail = run.checkDetail.isEmpty() || run.checkDetail == QLatin1String("the reference page")
            ? what
            : run.checkDetail + QStringLiteral("; ") + what;
    }
    if (basePage && !run.timingsMs.isEmpty())
        run.speedup = computeSpeedUp(baseline->timingsMs, run.timingsMs, options.bootstrap);
    else if (isBaseline && !run.timingsMs.isEmpty())
        run.speedup = computeSpeedUp(run.timingsMs, run.timingsMs, options.bootstrap);
    if (!visible.isEmpty() && run.outcome == RunOutcome::Ok) {
        // Measured, but not the strategy alone: kept, shown, never ranked.
        run.outcome = RunOutcome::NotIsolated;
        run.error
            = QStringLiteral("Measured with the objects of %1 visible (they could not be hidden or reverted first), "
                             "so the timings are not %2's alone; not ranked. Revert them (%3) or run with "
                             "--yes to measure each strategy in isolation.")
                  .arg(visible.join(QStringLiteral(", ")), run.strategyId,
                      QStringLiteral("plansight strategies revert ") + visible.join(QLatin1Char(' ')));
    }
}

ResultCheck comparePages(
    const QStringList &baseline, const QStringList &page, bool mayBeStale, QString *detail, const QString &reference)
{
    if (baseline.isEmpty() && page.isEmpty()) {
        // Nothing to compare: a strategy that returns nothing at all would pass.
        if (detail)
            *detail = QStringLiteral("both pages are empty, which proves nothing");
        return ResultCheck::BothEmpty;
    }
    if (baseline == page) {
        if (detail)
            detail->clear();
        return ResultCheck::Same;
    }
    if (detail) {
        const qsizetype common = std::min(baseline.size(), page.size());
        qsizetype i = 0;
        while (i < common && baseline[i] == page[i])
            ++i;
        if (i < common)
            *detail = QStringLiteral("first difference at row %1: %2 %3, this strategy %4 (%5 rows vs %6)")
                          .arg(i + 1)
                          .arg(reference, baseline[i], page[i])
                          .arg(baseline.size())
                          .arg(page.size());
        else if (page.size() < baseline.size())
            *detail = QStringLiteral("%1 rows instead of the %2's %3: row %4 (%2 %5) is missing")
                          .arg(page.size())
                          .arg(reference)
                          .arg(baseline.size())
                          .arg(i + 1)
                          .arg(baseline[i]);
        else
            *detail = QStringLiteral("%1 rows instead of the %2's %3: row %4 (%5) is extra")
                          .arg(page.size())
                          .arg(reference)
                          .arg(baseline.size())
                          .arg(i + 1)
                          .arg(page[i]);
    }
    return mayBeStale ? ResultCheck::Stale : ResultCheck::Different;
}

Result<ExplainTimes> explainTimes(const QByteArray &explainJson)
{
    // The declared run fields say where the EXPLAIN gives them (session/runfields.h).
    StrategyRun run;
    run.planJson = explainJson;
    if (auto st = setFieldsFromExplain(run); !st)
        return st.error();
    return ExplainTimes { run.executionMs, run.planningMs };
}

} // namespace plansight
