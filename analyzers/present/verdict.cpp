#include "present/verdict.h"

#include "present/format.h"
#include "present/ranking.h"
#include "present/words.h"
#include "session/jsonread.h"

#include <QJsonObject>
#include <QLocale>

namespace plansight {

namespace {

bool timed(const StrategyRun &r)
{
    return r.stats.count > 0 || !r.timingsMs.isEmpty();
}

// "0.1" of the full-size demo; -1 when the session is not on the demo or does not say (as the report reads it).
double demoScale(const SessionInfo &info)
{
    const QJsonValue v = info.dataset.value(QStringLiteral("scale"));
    return info.isDemo && v.isDouble() && v.toDouble() > 0 ? v.toDouble() : -1;
}

QString scaleText(double scale)
{
    return QLocale::c().toString(scale, 'g', 3);
}

// The run of `id` that answers the expectation: on `workload` from page `fromPage` on, the lowest such page first;
// nullptr when there is none.
const StrategyRun *expectedRun(const SessionResult &session, const QString &id, const QString &workload, int fromPage)
{
    const StrategyRun *best = nullptr;
    for (const StrategyRun &r : session.runs)
        if (r.strategyId == id && r.workload.name == workload && r.workload.page >= fromPage
            && (!best || r.workload.page < best->workload.page))
            best = &r;
    return best;
}

const StrategyRun *firstRun(const SessionResult &session, const QString &id)
{
    for (const StrategyRun &r : session.runs)
        if (r.strategyId == id)
            return &r;
    return nullptr;
}

QString notMeasuredWhy(const StrategyRun &r)
{
    switch (r.outcome) {
    case RunOutcome::Failed:
        return QStringLiteral("failed");
    case RunOutcome::Cancelled:
        return QStringLiteral("cancelled");
    case RunOutcome::Skipped:
        return QStringLiteral("skipped");
    case RunOutcome::NotIsolated:
        return QStringLiteral("not isolated: another strategy's objects were visible");
    case RunOutcome::Ok:
        break;
    }
    return QStringLiteral("no timed runs");
}

QString notComparableWhy(ResultCheck c)
{
    switch (c) {
    case ResultCheck::Different:
        return QStringLiteral("returned different rows");
    case ResultCheck::Stale:
        return QStringLiteral("served stale rows");
    case ResultCheck::NotChecked:
        return QStringLiteral("rows not checked against the baseline's");
    case ResultCheck::Failed:
        return QStringLiteral("the result check failed");
    case ResultCheck::BothEmpty:
        return QStringLiteral("its page and the baseline's are both empty");
    case ResultCheck::Same:
        break;
    }
    return {};
}

// Fills the measured part of `row` and its status and line.
void judge(VerdictRow &row, const SessionResult &session, const Ranking &ranking, const QString &workload, int fromPage,
    const QString &defaultWorkload, double scale, bool busy)
{
    const StrategyRun *run = expectedRun(session, row.strategyId, workload, fromPage);
    row.workloadIsExpected = run != nullptr;
    if (!run)
        run = firstRun(session, row.strategyId);
    const QString expectedWords = row.hasExpectedTime
        ? QStringLiteral("%1 expected").arg(formatExpectedRange(row.expectedLowMs, row.expectedHighMs))
        : QString();

    if (run) {
        row.hasRun = true;
        row.workloadName = run->workload.label();
        row.workloadIsDefault = run->workload.name == defaultWorkload && run->workload.page == 1;
        row.p50Ms = run->outcome == RunOutcome::Ok && timed(*run) ? run->stats.p50Ms : -1;
        row.speedup = run->outcome == RunOutcome::Ok ? run->speedup : SpeedUp {};
        row.footprint = run->footprint;
        row.winner = ranking.isWinner(*run);
        row.check = run->check;
        if (!row.missStrategy.isEmpty())
            for (const StrategyRun &m : session.runs)
                if (m.strategyId == row.missStrategy && m.workload.key() == run->workload.key()
                    && m.outcome == RunOutcome::Ok && timed(m))
                    row.missP50Ms = m.stats.p50Ms;
    }

    auto set = [&row](VerdictStatus s, const QString &line) {
        row.status = s;
        row.line = line;
    };
    if (!run) {
        set(VerdictStatus::NotMeasured, QStringLiteral("not measured (not in this session)"));
        return;
    }
    const bool ranOk = run->outcome == RunOutcome::Ok && timed(*run);
    // A strategy without an expected time: its rows are still said when they are not the baseline's.
    const QString rowsNote
        = ranOk && run->check != ResultCheck::Same ? QStringLiteral("; ") + notComparableWhy(run->check) : QString();
    if (row.proposal.isEmpty() && !row.hasExpectedTime) {
        set(VerdictStatus::NotInReview,
            ranOk ? QStringLiteral("not in the review") + rowsNote
                  : QStringLiteral("not in the review; not measured (%1)").arg(notMeasuredWhy(*run)));
        return;
    }
    if (!row.hasExpectedTime) {
        set(VerdictStatus::NoExpectedTime,
            (row.recommendation == QLatin1String("skip")
                    ? QStringLiteral("no time expected (the review said skip: %1)").arg(row.reason)
                    : QStringLiteral("no time expected"))
                + (ranOk ? rowsNote : QStringLiteral("; not measured (%1)").arg(notMeasuredWhy(*run))));
        return;
    }
    if (!row.workloadIsExpected) {
        const QString where = fromPage > 1
            ? QStringLiteral("no %1 workload from page %2 on").arg(workload).arg(fromPage)
            : QStringLiteral("no %1 workload").arg(workload);
        set(VerdictStatus::NotMeasured,
            QStringLiteral("not measured (%1 in this session; it ran %2)").arg(where, row.workloadName));
        return;
    }
    if (!ranOk) {
        set(VerdictStatus::NotMeasured, QStringLiteral("not measured (%1)").arg(notMeasuredWhy(*run)));
        return;
    }
    if (run->check != ResultCheck::Same) {
        set(VerdictStatus::NotComparable,
            QStringLiteral("not comparable (%1; %2 measured against %3)")
                .arg(notComparableWhy(run->check), formatMs(run->stats.p50Ms), expectedWords));
        return;
    }
    QStringList caveats;
    if (!row.workloadIsDefault)
        caveats << QStringLiteral("on %1").arg(row.workloadName);
    if (scale > 0 && scale != 1)
        caveats << QStringLiteral("at scale %1").arg(scaleText(scale));
    if (busy)
        caveats << QStringLiteral("on a busy machine");
    if (!row.missStrategy.isEmpty())
        caveats << (row.missP50Ms >= 0 ? QStringLiteral("cache hits; a miss took %1").arg(formatMs(row.missP50Ms))
                                       : QStringLiteral("cache hits; no miss measured"));
    const QString figures = QStringLiteral("%1 measured against %2").arg(formatMs(run->stats.p50Ms), expectedWords)
        + (caveats.isEmpty() ? QString() : QStringLiteral(", ") + caveats.join(QStringLiteral(", ")));
    if (run->stats.p50Ms <= row.expectedHighMs)
        set(VerdictStatus::Met, QStringLiteral("met (%1)").arg(figures));
    else
        set(VerdictStatus::Missed, QStringLiteral("missed (%1)").arg(figures));
}

} // namespace

QString toString(VerdictStatus s)
{
    switch (s) {
    case VerdictStatus::Met:
        return QStringLiteral("met");
    case VerdictStatus::Missed:
        return QStringLiteral("missed");
    case VerdictStatus::NotComparable:
        return QStringLiteral("not-comparable");
    case VerdictStatus::NotMeasured:
        return QStringLiteral("not-measured");
    case VerdictStatus::NoExpectedTime:
        return QStringLiteral("no-expected-time");
    case VerdictStatus::NotInReview:
        return QStringLiteral("not-in-review");
    }
    return QStringLiteral("not-measured");
}

SessionVerdict buildVerdict(const SessionResult &session)
{
    return buildVerdict(session, builtinExpectations());
}

SessionVerdict buildVerdict(const SessionResult &session, const ReviewExpectations &expectations)
{
    SessionVerdict out;
    out.review = expectations.review;
    if (expectations.proposals.isEmpty())
        return out; // no review to answer (an experiment's session): no rows
    out.scale = demoScale(session.info);
    const bool busy = !session.info.busyWarning().isEmpty();
    const Ranking ranking = rankSession(session);
    for (const ReviewProposal &p : expectations.proposals) {
        for (const QString &id : p.strategies) {
            VerdictRow row;
            row.proposal = p.id;
            row.title = p.title;
            row.strategyId = id;
            row.hasExpectedTime = p.hasExpectedTime;
            row.expectedText = p.expectedText;
            row.expectedLowMs = p.expectedLowMs;
            row.expectedHighMs = p.expectedHighMs;
            row.confidence = p.confidence;
            row.complexity = p.complexity;
            row.recommendation = p.recommendation;
            row.reason = p.reason;
            row.missStrategy = p.missStrategy;
            judge(row, session, ranking, p.workload, p.fromPage, expectations.defaultWorkload, out.scale, busy);
            out.rows << row;
        }
    }
    // PlanSight's own: every other strategy of the session but the baseline, in the order first run.
    QStringList own;
    for (const StrategyRun &r : session.runs)
        if (r.strategyId != QLatin1String("baseline") && !expectations.forStrategy(r.strategyId)
            && !own.contains(r.strategyId))
            own << r.strategyId;
    for (const QString &id : own) {
        VerdictRow row;
        row.strategyId = id;
        row.title = firstRun(session, id)->strategyTitle;
        judge(row, session, ranking, expectations.defaultWorkload, 1, expectations.defaultWorkload, out.scale, busy);
        out.rows << row;
    }

    QStringList caveats;
    if (out.scale > 0 && out.scale < 1)
        caveats << QStringLiteral("The review's times are for the production database; this session ran on the demo "
                                  "at scale %1 of it, so a time met here may be missed there.")
                       .arg(scaleText(out.scale));
    else if (out.scale > 1)
        caveats << QStringLiteral("The review's times are for the production database; this session ran on the demo "
                                  "at scale %1 of it.")
                       .arg(scaleText(out.scale));
    if (busy)
        caveats << QStringLiteral("The machine was busy during the session, so its times may be too slow.");
    out.caveat = caveats.join(QLatin1Char(' '));
    return out;
}

QJsonArray toJson(const SessionVerdict &verdict)
{
    QJsonArray arr;
    auto textOrNull = [](const QString &s) { return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s); };
    for (const VerdictRow &r : verdict.rows) {
        QJsonObject o;
        o.insert(QStringLiteral("proposal"), textOrNull(r.proposal));
        o.insert(QStringLiteral("title"), r.title);
        o.insert(QStringLiteral("strategy"), r.strategyId);
        if (r.hasExpectedTime) {
            QJsonObject e;
            e.insert(QStringLiteral("text"), r.expectedText);
            e.insert(QStringLiteral("low_ms"), r.expectedLowMs);
            e.insert(QStringLiteral("high_ms"), r.expectedHighMs);
            o.insert(QStringLiteral("expected"), e);
        } else {
            o.insert(QStringLiteral("expected"), QJsonValue(QJsonValue::Null));
        }
        o.insert(QStringLiteral("confidence"), textOrNull(r.confidence));
        o.insert(QStringLiteral("complexity"), textOrNull(r.complexity));
        o.insert(QStringLiteral("recommendation"), textOrNull(r.recommendation));
        o.insert(QStringLiteral("reason"), textOrNull(r.reason));
        o.insert(QStringLiteral("workload"), r.hasRun ? QJsonValue(r.workloadName) : QJsonValue(QJsonValue::Null));
        o.insert(QStringLiteral("p50_ms"), json::measured(r.p50Ms));
        o.insert(
            QStringLiteral("speedup"), r.speedup.valid ? QJsonValue(r.speedup.ratio) : QJsonValue(QJsonValue::Null));
        o.insert(QStringLiteral("storage_bytes"),
            r.footprint.bytes < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(double(r.footprint.bytes)));
        o.insert(QStringLiteral("write_cost"), formatWriteCost(r.footprint));
        o.insert(QStringLiteral("staleness"), textOrNull(r.footprint.staleness));
        if (!r.missStrategy.isEmpty()) {
            o.insert(QStringLiteral("miss_strategy"), r.missStrategy);
            o.insert(QStringLiteral("miss_p50_ms"), json::measured(r.missP50Ms));
        }
        o.insert(QStringLiteral("winner"), r.winner);
        o.insert(QStringLiteral("status"), toString(r.status));
        o.insert(QStringLiteral("line"), r.line);
        arr.append(o);
    }
    return arr;
}

QString verdictExpectedCell(const VerdictRow &row)
{
    return row.hasExpectedTime ? row.expectedText : notMeasured();
}

QString verdictReviewCell(const VerdictRow &row)
{
    if (row.confidence.isEmpty() && row.complexity.isEmpty())
        return notMeasured();
    return QStringLiteral("%1 / %2").arg(row.confidence.isEmpty() ? notMeasured() : row.confidence,
        row.complexity.isEmpty() ? notMeasured() : row.complexity);
}

QString verdictMeasuredCell(const VerdictRow &row)
{
    if (row.p50Ms < 0)
        return notMeasured();
    return formatMs(row.p50Ms) + (row.workloadIsDefault ? QString() : QStringLiteral(" on %1").arg(row.workloadName));
}

} // namespace plansight
