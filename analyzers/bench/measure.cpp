#include "bench/measure.h"

#include "bench/runcontext.h"
#include "session/runfields.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

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
        if (q.pageKeys) {
            auto keys = q.pageKeys(r.value());
            if (!keys)
                return keys.error();
            e.pageKeys = keys.value();
            return e;
        }
        const int src = r->column("source"), id = r->column("id");
        if (src < 0 || id < 0)
            return Error::make(errc::Internal,
                QStringLiteral("The strategy's query returned no \"source\" and \"id\" columns, so its page cannot be "
                               "identified."));
        e.pageKeys.reserve(r->rows());
        for (int i = 0; i < r->rows(); ++i)
            e.pageKeys.append(r->value(i, src) + QLatin1Char(':') + r->value(i, id));
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

    // Warm-ups and measured runs within the time budget (BenchOptions::runBudgetMs); an error text when it stopped.
    std::optional<StrategyRun> timeRuns(const StrategyQuery &q);
    std::optional<StrategyRun> explain(const StrategyQuery &q);

    StrategyRun run;

private:
    Status once(const StrategyQuery &q, bool timed);
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
};

Status Measurement::once(const StrategyQuery &q, bool timed)
{
    QElapsedTimer t;
    t.start();
    auto e = m_executor.execute(*m_ctx.session, run, q);
    m_slowestMs = std::max(m_slowestMs, double(t.nsecsElapsed()) / 1e6);
    if (!e)
        return e.error();
    if (timed)
        run.timingsMs.append(e->ms);
    m_keys = e->pageKeys;
    return {};
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

std::shared_ptr<RunExecutor> serverExecutor()
{
    return std::make_shared<ServerExecutor>();
}

StrategyRun measureRun(
    RunContext &ctx, RunExecutor &executor, Strategy &strategy, const Workload &workload, std::optional<Error> &fatal)
{
    Measurement m(ctx, executor, strategy.info(), workload, fatal);
    if (ctx.cancelled())
        return m.stopCancelled(QStringLiteral("preparation"));
    auto q = strategy.query(*ctx.session, workload);
    if (!q)
        return m.stop(q.error(), QStringLiteral("building the query"));
    m.run.sql = q->sql;
    m.run.note = q->note;
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
    if (auto stopped = m.timeRuns(q.value()))
        return withNoteAfterRuns(*stopped);
    if (auto stopped = m.explain(q.value()))
        return withNoteAfterRuns(*stopped);
    return withNoteAfterRuns(m.run);
}

void checkRun(StrategyRun &run, const StrategyRun *baseline, bool isBaseline, bool mayBeStale,
    const BenchOptions &options, const QStringList &visible)
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
    } else if (!basePage) {
        run.check = ResultCheck::NotChecked;
        run.checkDetail = QStringLiteral("the baseline has no page for this workload");
    } else {
        run.check = comparePages(baseline->pageKeys, run.pageKeys, mayBeStale, &run.checkDetail);
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

ResultCheck comparePages(const QStringList &baseline, const QStringList &page, bool mayBeStale, QString *detail)
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
            *detail = QStringLiteral("first difference at row %1: baseline %2, this strategy %3 (%4 rows vs %5)")
                          .arg(i + 1)
                          .arg(baseline[i], page[i])
                          .arg(baseline.size())
                          .arg(page.size());
        else if (page.size() < baseline.size())
            *detail = QStringLiteral("%1 rows instead of the baseline's %2: row %3 (baseline %4) is missing")
                          .arg(page.size())
                          .arg(baseline.size())
                          .arg(i + 1)
                          .arg(baseline[i]);
        else
            *detail = QStringLiteral("%1 rows instead of the baseline's %2: row %3 (%4) is extra")
                          .arg(page.size())
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
    return ExplainTimes { run.serverMs, run.planningMs };
}

} // namespace plansight
