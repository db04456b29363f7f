#include "report/reportcontent.h"

#include "present/ranking.h"
#include "report/reportplan.h"
#include "strategies/settingsvariantstrategy.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonValue>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace plansight {

namespace {

const QString Dash = notMeasured();

bool isOk(const StrategyRun &r)
{
    return r.outcome == RunOutcome::Ok && r.stats.count > 0;
}

QString outcomeWord(RunOutcome o)
{
    switch (o) {
    case RunOutcome::Ok:
        return QStringLiteral("finished");
    case RunOutcome::Failed:
        return QStringLiteral("failed");
    case RunOutcome::Cancelled:
        return QStringLiteral("was cancelled");
    case RunOutcome::Skipped:
        return QStringLiteral("was skipped");
    case RunOutcome::NotIsolated:
        return QStringLiteral("was not isolated");
    }
    return QString();
}

QString withDot(QString s)
{
    s = s.trimmed();
    if (!s.isEmpty() && !s.endsWith(QLatin1Char('.')) && !s.endsWith(QLatin1Char('!')) && !s.endsWith(QLatin1Char('?')))
        s += QLatin1Char('.');
    return s;
}

// Where a run stands in the ranking: correct results first (the winner among them), then stale, unchecked,
// wrong, and runs without timings last.
int rankGroup(const StrategyRun &r)
{
    if (!isOk(r))
        return 5;
    switch (r.check) {
    case ResultCheck::Same:
        return 0;
    case ResultCheck::Stale:
        return 1;
    case ResultCheck::NotChecked:
    case ResultCheck::BothEmpty:
        return 2;
    case ResultCheck::Different:
        return 3;
    case ResultCheck::Failed:
        return 4;
    }
    return 4;
}

ReportMark markOf(const StrategyRun &r, const Ranking &ranking)
{
    if (!isOk(r))
        return ReportMark::Failed;
    if (r.check == ResultCheck::Different || r.check == ResultCheck::Failed)
        return ReportMark::Wrong;
    if (ranking.isWinner(r))
        return ReportMark::Winner;
    if (r.strategyId == QLatin1String("baseline"))
        return ReportMark::Baseline;
    if (r.check == ResultCheck::Stale)
        return ReportMark::Stale;
    if (isClearlySlower(r))
        return ReportMark::Slower;
    return ReportMark::None;
}

QString workloadInWords(const Workload &w)
{
    QString text = w.describe();
    if (w.name != QLatin1String("custom") && !w.name.isEmpty())
        text = QStringLiteral("%1 preset: %2").arg(w.name, text);
    return withDot(text);
}

QString runTitle(const StrategyRun &r, const QHash<QString, StrategyInfo> &infos)
{
    const auto it = infos.constFind(r.strategyId);
    if (it != infos.constEnd() && !it->title.isEmpty())
        return it->title;
    return r.strategyTitle;
}

QString paramsLine(int i, const QString &value)
{
    return QStringLiteral("$%1 = %2").arg(i + 1).arg(value);
}

QString countText(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d == std::floor(d) && std::abs(d) < 1e15)
            return formatCount(d);
        return QString::number(d);
    }
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    return QString();
}

// The data set in readable facts: what it is, then the rows of each table. Nested build details (phase timings)
// and the fingerprint are left out: the fingerprint is printed once, on its own.
QList<ReportFact> datasetFacts(const QJsonObject &dataset)
{
    QList<ReportFact> facts;
    const auto add = [&](const QString &label, const QString &value) {
        if (!value.isEmpty())
            facts.append({ label, value });
    };
    add(QStringLiteral("Profile"), countText(dataset.value(QStringLiteral("profile"))));
    add(QStringLiteral("Scale"), countText(dataset.value(QStringLiteral("scale"))));
    add(QStringLiteral("Seed"), countText(dataset.value(QStringLiteral("seed"))));
    add(QStringLiteral("Generator version"), countText(dataset.value(QStringLiteral("generator_version"))));
    const QDateTime built = QDateTime::fromString(dataset.value(QStringLiteral("built_at")).toString(), Qt::ISODate);
    if (built.isValid())
        add(QStringLiteral("Built"), built.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")));
    const QJsonValue seconds = dataset.value(QStringLiteral("build_seconds"));
    if (seconds.isDouble() && seconds.toDouble() > 0)
        add(QStringLiteral("Build time"), formatMs(seconds.toDouble() * 1000));
    const auto rows = [&](const QString &key, const QString &label) {
        const QJsonObject counts = dataset.value(key).toObject();
        for (auto it = counts.constBegin(); it != counts.constEnd(); ++it)
            if (it.key() != QLatin1String("admin_items_per_table"))
                add(label.arg(it.key()), countText(it.value()));
    };
    rows(QStringLiteral("counts"), QStringLiteral("Rows in %1"));
    rows(QStringLiteral("estimated_rows"), QStringLiteral("Rows in %1 (planner's estimate)"));
    return facts;
}

} // namespace

QString describeDataset(const QJsonObject &dataset)
{
    QStringList parts;
    if (dataset.contains(QStringLiteral("profile")))
        parts << QStringLiteral("profile %1").arg(countText(dataset.value(QStringLiteral("profile"))));
    if (dataset.contains(QStringLiteral("scale")))
        parts << QStringLiteral("scale %1").arg(countText(dataset.value(QStringLiteral("scale"))));
    const QJsonObject counts = dataset.value(QStringLiteral("counts")).toObject();
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it)
        parts << QStringLiteral("%1 %2").arg(countText(it.value()), it.key());
    return parts.isEmpty() ? QStringLiteral("not recorded") : parts.join(QStringLiteral(", "));
}

namespace {

ReportWorkloadSummary summarize(
    const QList<const StrategyRun *> &runs, const QHash<QString, StrategyInfo> &infos, const Ranking &ranking)
{
    ReportWorkloadSummary s;
    const Workload &w = runs.first()->workload;
    s.workloadKey = w.key();
    s.workloadName = w.label();
    s.workloadText = workloadInWords(w);

    // The winner follows the one rule (present/ranking.h), like every other place that names one.
    const WorkloadRanking *wr = ranking.forWorkload(s.workloadKey);
    const StrategyRun *baseline = wr ? wr->baseline : nullptr;
    const StrategyRun *winner = wr ? wr->winner : nullptr;

    QList<const StrategyRun *> ranked = runs;
    std::stable_sort(ranked.begin(), ranked.end(), [](const StrategyRun *a, const StrategyRun *b) {
        const int ga = rankGroup(*a), gb = rankGroup(*b);
        if (ga != gb)
            return ga < gb;
        if (ga == 5)
            return false;
        return a->stats.p50Ms < b->stats.p50Ms;
    });

    s.ranking.columns = { QStringLiteral("#"), QStringLiteral("Strategy"), QStringLiteral("p50"), QStringLiteral("p95"),
        QStringLiteral("JIT"), QStringLiteral("Speed-up"), QStringLiteral("95% interval"), QStringLiteral("Result"),
        QStringLiteral("Storage added"), QStringLiteral("Build"), QStringLiteral("Write cost"),
        QStringLiteral("Staleness") };
    s.ranking.numeric = { true, false, true, true, true, true, true, false, true, true, true, false };
    int rank = 0;
    for (const StrategyRun *r : ranked) {
        const bool ok = isOk(*r);
        const bool rankable = ok
            && (r->check == ResultCheck::Same || r->check == ResultCheck::Stale || r->check == ResultCheck::NotChecked);
        ReportTable::Row row;
        row.mark = markOf(*r, ranking);
        const bool isBaseline = r->strategyId == QLatin1String("baseline");
        SpeedUp su = r->speedup;
        if (isBaseline && ok && !su.valid)
            su = SpeedUp { true, 1, 1, 1 };
        row.cells = { rankable ? QString::number(++rank) : Dash, r->strategyId, ok ? formatMs(r->stats.p50Ms) : Dash,
            ok ? formatMs(r->stats.p95Ms) : Dash, formatJitTime(*r), ok ? formatSpeedUp(su) : Dash,
            ok && !isBaseline ? formatSpeedUpInterval(su) : Dash, runCheckWords(*r), formatBytes(r->footprint.bytes),
            formatMs(r->footprint.buildMs), formatWriteCost(r->footprint),
            r->footprint.staleness.isEmpty() ? Dash : r->footprint.staleness };
        s.ranking.rows.append(row);
        s.rankedIds << r->strategyId;
    }

    const RankVerdict verdict = wr ? wr->verdict : RankVerdict::NoBaseline;
    if (winner) {
        s.winnerId = winner->strategyId;
        const QString title = runTitle(*winner, infos);
        s.verdict
            = QStringLiteral("%1 (%2) answers %3 faster than the baseline: median %4 against %5 "
                             "(95% interval of the speed-up %6).")
                  .arg(winner->strategyId, title, formatSpeedUp(winner->speedup), formatMs(winner->stats.p50Ms),
                      baseline && isOk(*baseline) ? formatMs(baseline->stats.p50Ms) : QStringLiteral("not measured"),
                      formatSpeedUpInterval(winner->speedup));
    } else if (verdict == RankVerdict::NoClearDifference) {
        s.verdict
            = QStringLiteral("There is no clear winner: the fastest strategy with the baseline's rows, %1, is %2 "
                             "the baseline's speed, but the 95% interval of that speed-up (%3) includes 1x, so the "
                             "difference may be noise.")
                  .arg(wr->fastest->strategyId, formatSpeedUp(wr->fastest->speedup),
                      formatSpeedUpInterval(wr->fastest->speedup));
    } else if (verdict == RankVerdict::BaselineFastest) {
        s.verdict = QStringLiteral("The baseline is fastest: no strategy is faster than its median of %1.")
                        .arg(formatMs(baseline->stats.p50Ms));
    } else if (verdict == RankVerdict::EmptyBaseline) {
        s.verdict
            = QStringLiteral("There is no winner: the baseline returned no rows, and an empty page proves nothing "
                             "about the strategies that returned none either.");
    } else if (verdict == RankVerdict::NoBaseline) {
        s.verdict = QStringLiteral("There is no winner: the baseline did not finish, so no strategy's rows could be "
                                   "checked against it.");
    } else {
        s.verdict = QStringLiteral("There is no winner: no strategy finished with the baseline's rows.");
    }

    for (const StrategyRun *r : runs) {
        if (r->outcome != RunOutcome::Ok) {
            QString why = r->error.isEmpty() ? QString() : QStringLiteral(": ") + r->error.trimmed();
            s.notes << withDot(QStringLiteral("%1 %2%3").arg(r->strategyId, outcomeWord(r->outcome), why))
                    + (r->outcome == RunOutcome::NotIsolated
                            ? QStringLiteral(" Its timings saw another strategy's objects; it is not ranked.")
                            : QStringLiteral(" It has no timings and is not ranked."));
        } else if (r->stats.count <= 0) {
            s.notes << QStringLiteral("%1 finished without measured runs and is not ranked.").arg(r->strategyId);
        } else if (r->check == ResultCheck::Different) {
            s.notes << withDot(
                           QStringLiteral("%1 returned DIFFERENT rows than the baseline%2")
                               .arg(r->strategyId,
                                   r->checkDetail.isEmpty() ? QString()
                                                            : QStringLiteral(" (") + r->checkDetail + QLatin1Char(')')))
                    + QStringLiteral(" It is wrong and never the winner, however fast.");
        } else if (r->check == ResultCheck::Failed) {
            s.notes << withDot(QStringLiteral("The result check of %1 failed%2")
                                   .arg(r->strategyId,
                                       r->checkDetail.isEmpty() ? QString() : QStringLiteral(": ") + r->checkDetail))
                    + QStringLiteral(" It is not ranked.");
        } else if (r->check == ResultCheck::Stale) {
            s.notes << withDot(QStringLiteral("%1 served stale rows%2")
                                   .arg(r->strategyId,
                                       r->footprint.staleness.isEmpty() ? QString()
                                                                        : QStringLiteral(" (staleness: ")
                                               + r->footprint.staleness + QLatin1Char(')')))
                    + QStringLiteral(" It is ranked after the strategies that returned the baseline's rows.");
        } else if (r->check == ResultCheck::BothEmpty) {
            s.notes << QStringLiteral("%1 and the baseline both returned an empty page, which proves nothing; it is "
                                      "never the winner.")
                           .arg(r->strategyId);
        } else if (isClearlySlower(*r)) {
            s.notes << QStringLiteral("%1 is SLOWER than the baseline: %2 (95% interval %3 lies entirely below 1x).")
                           .arg(r->strategyId, formatSpeedUp(r->speedup), formatSpeedUpInterval(r->speedup));
        } else if (r->check == ResultCheck::NotChecked && r->strategyId != QLatin1String("baseline")) {
            s.notes << QStringLiteral("The rows of %1 were not checked against the baseline.").arg(r->strategyId);
        }
    }
    return s;
}

// The strategies the first page weighs: each workload's winner, then the fastest strategies with the baseline's
// rows that are faster than it (up to three in all), then the baseline. In the first workload's ranking order.
QStringList candidateIds(const SessionResult &session, const Ranking &ranking)
{
    QStringList ids;
    for (const WorkloadRanking &w : ranking.workloads)
        if (w.winner && !ids.contains(w.winner->strategyId))
            ids << w.winner->strategyId;
    QList<const StrategyRun *> faster;
    for (const StrategyRun &r : session.runs)
        if (isOk(r) && r.check == ResultCheck::Same && r.strategyId != QLatin1String("baseline") && r.speedup.valid
            && r.speedup.ratio > 1 && !ids.contains(r.strategyId))
            faster << &r;
    std::stable_sort(faster.begin(), faster.end(),
        [](const StrategyRun *a, const StrategyRun *b) { return a->speedup.ratio > b->speedup.ratio; });
    for (const StrategyRun *r : faster)
        if (ids.size() < 3 && !ids.contains(r->strategyId))
            ids << r->strategyId;
    ids << QStringLiteral("baseline");
    return ids;
}

// "0.01" of the full-size demo; -1 when the data set does not say.
double datasetScale(const SessionInfo &info)
{
    const QJsonValue v = info.dataset.value(QStringLiteral("scale"));
    return info.isDemo && v.isDouble() ? v.toDouble() : -1;
}

ReportRecommendation recommend(
    const SessionResult &session, const Ranking &ranking, const QHash<QString, StrategyInfo> &infos)
{
    ReportRecommendation rec;
    const bool many = ranking.workloads.size() > 1;
    if (ranking.winner) {
        const StrategyRun &w = *ranking.winner;
        rec.headline = many
            ? QStringLiteral("Adopt %1 (%2): it is the fastest with the baseline's rows on every workload measured.")
                  .arg(w.strategyId, runTitle(w, infos))
            : QStringLiteral("Adopt %1 (%2): %3 faster than today's query (95% interval %4), with the same rows.")
                  .arg(w.strategyId, runTitle(w, infos), formatSpeedUp(w.speedup), formatSpeedUpInterval(w.speedup));
    } else {
        bool anyWinner = false;
        for (const WorkloadRanking &wr : ranking.workloads)
            anyWinner = anyWinner || wr.winner;
        rec.headline = anyWinner
            ? QStringLiteral("No single recommendation: different workloads have different winners, or none.")
            : QStringLiteral("No change is recommended from this session: %1").arg(ranking.sentence());
    }
    // A winner that answers from a cache: its hits are what was measured; a miss costs what its miss row says.
    if (ranking.winner) {
        const auto info = infos.constFind(ranking.winner->strategyId);
        if (info != infos.constEnd() && !info->missStrategy.isEmpty()) {
            QList<double> misses;
            for (const StrategyRun &r : session.runs)
                if (r.strategyId == info->missStrategy && isOk(r))
                    misses << r.stats.p50Ms;
            std::sort(misses.begin(), misses.end());
            rec.headline += misses.isEmpty()
                ? QStringLiteral(" These are cache hits; no miss was measured (run %1 too): what it brings depends on "
                                 "the hit ratio the application gets.")
                      .arg(info->missStrategy)
                : QStringLiteral(" These are cache hits: a miss took %1 (%2, median%3), so what it brings depends on "
                                 "the hit ratio the application gets.")
                      .arg(misses.size() == 1
                              ? formatMs(misses.first())
                              : QStringLiteral("%1 to %2").arg(formatMs(misses.first()), formatMs(misses.last())),
                          info->missStrategy, misses.size() == 1 ? QString() : QStringLiteral("s by workload"));
        }
    }
    if (many)
        for (const WorkloadRanking &wr : ranking.workloads)
            rec.reasons << QStringLiteral("%1: %2").arg(wr.workloadName, wr.sentence());

    rec.tradeOffs.columns = { QStringLiteral("Strategy"), QStringLiteral("Speed-up"), QStringLiteral("Median"),
        QStringLiteral("Storage added"), QStringLiteral("Write cost"), QStringLiteral("Staleness") };
    rec.tradeOffs.numeric = { false, true, true, true, true, false };
    // Up to 3 workloads, a line each; beyond, the range over them with the workloads at its ends (a cell of 11
    // lines would crush the table's other columns).
    const bool ranges = ranking.workloads.size() > 3;
    for (const QString &id : candidateIds(session, ranking)) {
        QStringList speed, median;
        const StrategyRun *any = nullptr;
        // For the ranges: the runs with the lowest and highest speed-up (for the baseline, median), finished ones.
        const StrategyRun *low = nullptr, *high = nullptr;
        int finished = 0;
        const bool isBaseline = id == QLatin1String("baseline");
        auto measure = [&](const StrategyRun *x) { return isBaseline ? x->stats.p50Ms : x->speedup.ratio; };
        for (const WorkloadRanking &wr : ranking.workloads)
            for (const StrategyRun &r : session.runs) {
                if (r.strategyId != id || r.workload.key() != wr.workloadKey)
                    continue;
                any = any ? any : &r;
                const QString prefix = many ? wr.workloadName + QStringLiteral(": ") : QString();
                const bool ok = isOk(r);
                speed << prefix
                        + (isBaseline                   ? QStringLiteral("1x")
                                : ok && r.speedup.valid ? formatSpeedUp(r.speedup)
                                                        : Dash);
                median << prefix + (ok ? formatMs(r.stats.p50Ms) : Dash);
                if (ok && (isBaseline || r.speedup.valid)) {
                    ++finished;
                    low = !low || measure(&r) < measure(low) ? &r : low;
                    high = !high || measure(&r) > measure(high) ? &r : high;
                }
            }
        if (!any)
            continue;
        if (ranges) {
            const QString over = finished < speed.size()
                ? QStringLiteral("%1 of %2 workloads finished").arg(finished).arg(speed.size())
                : QStringLiteral("over %1 workloads").arg(speed.size());
            auto on = [](const QString &figure, const StrategyRun *r) {
                return QStringLiteral("%1 on %2").arg(figure, r->workload.label());
            };
            if (!low) {
                speed = median = QStringList { Dash };
            } else if (isBaseline) {
                speed = QStringList { QStringLiteral("1x") };
                median = QStringList { on(formatMs(low->stats.p50Ms), low),
                    QStringLiteral("to ") + on(formatMs(high->stats.p50Ms), high), over };
            } else {
                speed = QStringList { on(formatSpeedUp(low->speedup), low),
                    QStringLiteral("to ") + on(formatSpeedUp(high->speedup), high), over };
                median = QStringList { on(formatMs(low->stats.p50Ms), low),
                    QStringLiteral("to ") + on(formatMs(high->stats.p50Ms), high) };
            }
        }
        ReportTable::Row row;
        row.mark = ranking.winner && ranking.winner->strategyId == id ? ReportMark::Winner
            : id == QLatin1String("baseline")                         ? ReportMark::Baseline
                                                                      : ReportMark::None;
        const auto info = infos.constFind(id);
        const bool mayBeStale = info != infos.constEnd() && info->mayBeStale;
        row.cells = { id, speed.join(QLatin1Char('\n')), median.join(QLatin1Char('\n')),
            formatBytes(any->footprint.bytes), formatWriteCost(any->footprint),
            !any->footprint.staleness.isEmpty() ? any->footprint.staleness
                : mayBeStale                    ? QStringLiteral("lags the tables")
                                                : QStringLiteral("none: live tables") };
        rec.tradeOffs.rows << row;
        rec.operations << ReportFact { id,
            info != infos.constEnd() && !info->operations.isEmpty() ? info->operations
                                                                    : QStringLiteral("Not described.") };
    }

    const double scale = datasetScale(session.info);
    if (scale > 0 && scale < 1) {
        const QJsonObject counts = session.info.dataset.value(QStringLiteral("counts")).toObject();
        const QJsonValue tags = counts.value(QStringLiteral("content_tags"));
        rec.scaleCaveat = QStringLiteral("Measured on PlanSight's demo at scale %1 of the production data set%2. Query "
                                         "times grow with the data, and not every strategy grows alike: confirm the "
                                         "ranking at scale 1, or on a copy of production, before acting on it.")
                              .arg(QLocale::c().toString(scale, 'g', 3),
                                  tags.isDouble() ? QStringLiteral(" (%1 tag rows against production's 88 million)")
                                                        .arg(formatCount(tags.toDouble()))
                                                  : QString());
    }
    return rec;
}

QString sectionVerdict(const StrategyRun &r, ReportMark mark, const StrategyRun *baseline)
{
    if (r.outcome != RunOutcome::Ok)
        return withDot(QStringLiteral("This strategy %1%2")
                           .arg(outcomeWord(r.outcome),
                               r.error.isEmpty() ? QString() : QStringLiteral(": ") + r.error.trimmed()))
            + (r.outcome == RunOutcome::NotIsolated
                    ? QStringLiteral(" Its timings saw another strategy's objects and are not ranked.")
                    : QStringLiteral(" There are no timings for it."));
    if (r.stats.count <= 0)
        return QStringLiteral("This strategy finished without measured runs.");
    QString base;
    if (baseline && &r != baseline && isOk(*baseline) && r.speedup.valid)
        base = QStringLiteral(" Speed-up over the baseline: %1 (95% interval %2).")
                   .arg(formatSpeedUp(r.speedup), formatSpeedUpInterval(r.speedup));
    switch (mark) {
    case ReportMark::Winner:
        return QStringLiteral("The fastest strategy that returned the baseline's rows: median %1.")
                   .arg(formatMs(r.stats.p50Ms))
            + base;
    case ReportMark::Wrong:
        return withDot(QStringLiteral("WRONG: it returned different rows than the baseline%1")
                           .arg(r.checkDetail.isEmpty() ? QString()
                                                        : QStringLiteral(" (") + r.checkDetail + QLatin1Char(')')))
            + QStringLiteral(" Its timings are shown but it is never the winner.");
    case ReportMark::Baseline:
        return QStringLiteral("The reference every strategy is compared with: median %1.").arg(formatMs(r.stats.p50Ms));
    case ReportMark::Stale:
        return QStringLiteral("It returned stale rows (it serves data that may lag): median %1.")
                   .arg(formatMs(r.stats.p50Ms))
            + base;
    case ReportMark::Slower:
        return QStringLiteral("SLOWER than the baseline, with the baseline's rows: median %1.")
                   .arg(formatMs(r.stats.p50Ms))
            + base;
    case ReportMark::None:
    case ReportMark::Failed:
        break;
    }
    if (r.check == ResultCheck::BothEmpty)
        return QStringLiteral("Median %1; it and the baseline both returned an empty page, which proves nothing.")
                   .arg(formatMs(r.stats.p50Ms))
            + base;
    if (r.check == ResultCheck::NotChecked)
        return QStringLiteral("Median %1; its rows were not checked against the baseline.").arg(formatMs(r.stats.p50Ms))
            + base;
    return QStringLiteral("It returned the baseline's rows: median %1.").arg(formatMs(r.stats.p50Ms)) + base;
}

} // namespace

std::optional<ReportDdl> reportDdl(const Strategy &strategy)
{
    const StrategyInfo info = strategy.info();
    if (!info.needsObjects)
        return std::nullopt;
    const ApplyContext production = ApplyContext::forTarget(false);
    auto apply = strategy.plannedDdl(production);
    auto revert = strategy.plannedRevertDdl(production);
    if (!apply || !revert || apply->isEmpty())
        return std::nullopt;
    const QString own = objectPrefix(info.id) + QLatin1Char('_');
    auto locks = [&own](const DdlPlan &plan) {
        QStringList out;
        bool dynamic = false;
        for (const QString &statement : plan.statements()) {
            if (statement.startsWith(QLatin1String("DO "), Qt::CaseInsensitive))
                dynamic = true;
            for (const TableLock &l : locksTaken(statement)) {
                const bool onIndex = l.statementKind.startsWith(QLatin1String("DROP INDEX"));
                QString table = l.table;
                table.remove(QRegularExpression(QStringLiteral("^public\\.")));
                if (!onIndex && table.startsWith(own))
                    continue; // the strategy's own new table: no one else waits for it
                const QString line = QStringLiteral("%1: %2 on %3, %4")
                                         .arg(l.statementKind, l.mode,
                                             onIndex ? QStringLiteral("the table of ") + l.table : l.table, l.effect);
                if (!out.contains(line))
                    out << line;
            }
        }
        if (dynamic)
            out << QStringLiteral("DO blocks: the locks of the statements they run (see the SQL).");
        return out;
    };
    ReportDdl d;
    d.strategyId = info.id;
    d.heading = QStringLiteral("%1: %2").arg(info.id, info.title);
    d.applySql = apply->script();
    d.revertSql = revert->script();
    d.applyLocks = locks(apply.value());
    d.revertLocks = locks(revert.value());
    return d;
}

ReportReviewVerdict reportReviewVerdict(
    const SessionVerdict &verdict, const QString &defaultWorkload, const QList<StrategyInfo> &strategies)
{
    QSet<QString> mayBeStale;
    for (const StrategyInfo &s : strategies)
        if (s.mayBeStale)
            mayBeStale.insert(s.id);
    ReportReviewVerdict out;
    out.verdict = verdict;
    out.caveat = verdict.caveat;
    out.intro = QStringLiteral("What %1 expected of each of its proposals for the %2 query, end to end, against "
                               "the median this session measured; PlanSight's own strategies below them.")
                    .arg(verdict.review, defaultWorkload);
    ReportTable &t = out.table;
    t.columns = { QStringLiteral("Proposal"), QStringLiteral("Review: time, confidence / complexity, advice"),
        QStringLiteral("Median"), QStringLiteral("Speed-up"), QStringLiteral("Costs: storage, write, staleness"),
        QStringLiteral("Verdict") };
    t.numeric = { false, false, true, true, false, false };
    for (const VerdictRow &r : verdict.rows) {
        ReportTable::Row row;
        const QString name
            = r.proposal.isEmpty() ? r.strategyId : QStringLiteral("%1 %2\n%3").arg(r.proposal, r.title, r.strategyId);
        QStringList review;
        if (!r.proposal.isEmpty()) {
            review << (r.hasExpectedTime ? r.expectedText : QStringLiteral("no time given"));
            if (!r.confidence.isEmpty() || !r.complexity.isEmpty())
                review << verdictReviewCell(r);
            review << r.recommendation;
        } else {
            review << Dash;
        }
        // The median alone: the line names the workload when it is not the default one.
        const bool measuredHere = r.p50Ms >= 0;
        QString median = measuredHere ? formatMs(r.p50Ms) : Dash;
        if (!r.missStrategy.isEmpty() && r.missP50Ms >= 0)
            median += QStringLiteral("\nmiss %1").arg(formatMs(r.missP50Ms));
        // The costs in one cell, the staleness up to its first clause (its section has the rest).
        QString costs = Dash;
        if (measuredHere) {
            const QString stale = !r.footprint.staleness.isEmpty()
                ? r.footprint.staleness.section(QStringLiteral("; "), 0, 0)
                : mayBeStale.contains(r.strategyId) ? QStringLiteral("lags the tables")
                                                    : QStringLiteral("live tables");
            costs = QStringLiteral("%1\nwrite: %2\n%3")
                        .arg(formatBytes(r.footprint.bytes), formatWriteCost(r.footprint), stale);
        }
        row.cells = { name, review.join(QLatin1Char('\n')), median, r.speedup.valid ? formatSpeedUp(r.speedup) : Dash,
            costs, r.line };
        row.mark = r.winner                                     ? ReportMark::Winner
            : measuredHere && r.check == ResultCheck::Different ? ReportMark::Wrong
            : measuredHere && r.check == ResultCheck::Stale     ? ReportMark::Stale
            : r.status == VerdictStatus::NotMeasured            ? ReportMark::Failed
                                                                : ReportMark::None;
        t.rows << row;
    }
    return out;
}

ReportContent buildReportContent(const SessionResult &session, const ReviewExpectations *expectations)
{
    QList<StrategyInfo> infos;
    for (const auto &s : allStrategies())
        infos.append(s->info());
    // The session's settings variants ("baseline [jit=off]", docs/settings.md) describe themselves too.
    for (const StrategyRun &r : session.runs)
        if (isSettingsVariantId(r.strategyId)
            && std::none_of(infos.cbegin(), infos.cend(), [&](const StrategyInfo &i) { return i.id == r.strategyId; }))
            if (const auto variant = strategyById(r.strategyId))
                infos.append(variant->info());
    return buildReportContent(session, infos, QDateTime::currentDateTimeUtc(), expectations);
}

ReportContent buildReportContent(const SessionResult &session, const QList<StrategyInfo> &strategies,
    const QDateTime &generatedAt, const ReviewExpectations *expectations)
{
    ReportContent c;
    c.session = session;
    c.generatedAt = generatedAt;
    const SessionInfo &info = session.info;
    QHash<QString, StrategyInfo> infos;
    for (const StrategyInfo &s : strategies)
        infos.insert(s.id, s);

    // Runs grouped by workload, in the order each workload first appears.
    QStringList keys;
    QHash<QString, QList<const StrategyRun *>> byWorkload;
    for (const StrategyRun &r : session.runs) {
        const QString key = r.workload.key();
        if (!byWorkload.contains(key))
            keys.append(key);
        byWorkload[key].append(&r);
    }
    const bool manyWorkloads = keys.size() > 1;

    c.title = QStringLiteral("Which strategy makes the gallery query fast?");
    const QString sessionName
        = info.id >= 0 ? QStringLiteral("Session %1").arg(info.id) : QStringLiteral("Unsaved session");
    const QString started = info.startedAt.isValid()
        ? info.startedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))
        : QString();
    c.headerText
        = QStringLiteral("PlanSight report · %1%2 · %3")
              .arg(sessionName, started.isEmpty() ? QString() : QStringLiteral(" (") + started + QLatin1Char(')'),
                  info.server.isEmpty() ? QStringLiteral("unknown server") : info.server);

    if (keys.isEmpty()) {
        c.question = QStringLiteral("The session holds no runs.");
    } else if (!manyWorkloads) {
        c.question = QStringLiteral(
                         "Which way of answering this query returns the baseline's page fastest, and at what cost? ")
            + workloadInWords(session.runs.first().workload);
    } else {
        c.question = QStringLiteral(
            "Which way of answering these %1 queries returns the baseline's page fastest, and at what cost?")
                         .arg(keys.size());
        for (const QString &key : keys) {
            const Workload &w = byWorkload.value(key).first()->workload;
            c.questionWorkloads << QStringLiteral("%1: %2").arg(w.label(), withDot(w.describe()));
        }
    }
    const StrategyRun *firstBaseline = nullptr;
    for (const StrategyRun &r : session.runs)
        if (r.strategyId == QLatin1String("baseline") && !r.sql.isEmpty()) {
            firstBaseline = &r;
            break;
        }
    if (firstBaseline) {
        c.questionSql = firstBaseline->sql.trimmed();
        for (int i = 0; i < firstBaseline->params.size(); ++i)
            c.questionParams << paramsLine(i, firstBaseline->params.at(i));
    }

    c.titleFacts = {
        { QStringLiteral("Server"), info.server.isEmpty() ? QStringLiteral("not recorded") : info.server },
        { QStringLiteral("PostgreSQL version"),
            info.serverVersion.isEmpty() ? QStringLiteral("not recorded") : info.serverVersion },
        { QStringLiteral("Database"), info.database.isEmpty() ? QStringLiteral("not recorded") : info.database },
        { QStringLiteral("Dataset"),
            (info.isDemo ? QStringLiteral("PlanSight demo, ") : QString()) + describeDataset(info.dataset) },
        { QStringLiteral("Session"), sessionName },
        { QStringLiteral("Measured"), started.isEmpty() ? QStringLiteral("not recorded") : started },
        { QStringLiteral("Strategies"),
            QString::number(session.runs.size())
                + (manyWorkloads ? QStringLiteral(" runs over %1 workloads").arg(keys.size())
                                 : QStringLiteral(" runs")) },
        { QStringLiteral("PlanSight version"),
            info.planSightVersion.isEmpty() ? QStringLiteral(PLANSIGHT_VERSION) : info.planSightVersion },
        { QStringLiteral("Report generated"), generatedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")) },
    };
    if (!info.note.isEmpty())
        c.titleFacts.append({ QStringLiteral("Note"), info.note });

    const Ranking ranking = rankSession(session);
    for (const QString &key : keys)
        c.summaries.append(summarize(byWorkload.value(key), infos, ranking));
    const ReviewExpectations &review = expectations ? *expectations : builtinExpectations();
    c.review = reportReviewVerdict(buildVerdict(session, review), review.defaultWorkload, strategies);
    c.recommendation = recommend(session, ranking, infos);
    c.machineWarning = info.busyWarning();
    for (const QString &w : session.warnings) {
        if (!SessionInfo::isBusyWarning(w))
            c.warnings.append(w);
    }
    c.machineFacts = { { QStringLiteral("Machine at start"), describeMachine(info.machineAtStart) },
        { QStringLiteral("Machine at end"), describeMachine(info.machineAtEnd) } };

    QHash<QString, QString> fullSections; // strategy id -> the heading of its first full section
    for (const StrategyRun &r : session.runs) {
        const QString key = r.workload.key();
        const QList<const StrategyRun *> &group = byWorkload[key];
        const StrategyRun *baseline = nullptr;
        for (const StrategyRun *g : group)
            if (g->strategyId == QLatin1String("baseline")) {
                baseline = g;
                break;
            }
        ReportStrategySection sec;
        sec.strategyId = r.strategyId;
        sec.heading = r.strategyId + QStringLiteral(": ") + runTitle(r, infos);
        if (manyWorkloads) {
            sec.workloadName = workloadInWords(r.workload);
            sec.heading += QStringLiteral(" (") + r.workload.label() + QLatin1Char(')');
        }
        sec.mark = markOf(r, ranking);
        sec.verdict = sectionVerdict(r, sec.mark, baseline);
        const auto it = infos.constFind(r.strategyId);
        if (it != infos.constEnd()) {
            sec.description = it->description;
            if (!it->proposal.isEmpty()) {
                const QString origin = it->proposal == QLatin1String("current")
                    ? QStringLiteral("The query as the application runs it today.")
                    : it->proposal == QLatin1String("PlanSight")
                    ? QStringLiteral("A strategy PlanSight adds to the review's proposals.")
                    : it->proposal == QLatin1String("shipped")
                    ? QStringLiteral("The fix the application's team shipped.")
                    : QStringLiteral("Proposal %1 of the performance review.").arg(it->proposal);
                sec.description
                    = sec.description.isEmpty() ? origin : withDot(sec.description) + QLatin1Char(' ') + origin;
            }
            if (!it->requirements.isEmpty())
                sec.description += QStringLiteral(" Needs: %1.").arg(it->requirements.join(QStringLiteral(", ")));
        }
        if (sec.description.isEmpty())
            sec.description = QStringLiteral("No description is recorded for this strategy.");

        const bool ok = isOk(r);
        sec.measurements = {
            { QStringLiteral("Outcome"),
                r.outcome == RunOutcome::Ok ? QStringLiteral("finished") : toString(r.outcome) },
            { QStringLiteral("Result check"),
                runCheckWords(r) + (r.checkDetail.isEmpty() ? QString() : QStringLiteral(": ") + r.checkDetail) },
            { QStringLiteral("Runs"),
                QStringLiteral("%1 measured after %2 warm-up, cache %3")
                    .arg(r.stats.count)
                    .arg(r.warmupRuns)
                    .arg(toString(r.cache)) },
        };
        if (!r.note.isEmpty())
            sec.measurements.append(ReportFact { QStringLiteral("How it ran"), r.note });
        if (ok) {
            sec.measurements += {
                { QStringLiteral("Client time"),
                    QStringLiteral("min %1 · p50 %2 · p95 %3 · p99 %4 · max %5")
                        .arg(formatMs(r.stats.minMs), formatMs(r.stats.p50Ms), formatMs(r.stats.p95Ms),
                            formatMs(r.stats.p99Ms), formatMs(r.stats.maxMs)) },
                { QStringLiteral("Speed-up"),
                    r.strategyId == QLatin1String("baseline") ? QStringLiteral("1x (reference)")
                        : r.speedup.valid                     ? QStringLiteral("%1 (95% interval %2)")
                                                .arg(formatSpeedUp(r.speedup), formatSpeedUpInterval(r.speedup))
                                          : QStringLiteral("not computed") },
                { QStringLiteral("Rows returned"), QString::number(r.rowsReturned) },
            };
        }
        if (r.executionMs >= 0 || r.planningMs >= 0) {
            QString server = serverTimeWords(r);
            if (const double share = r.planningShareOfClient(); share >= 0)
                server += QStringLiteral("; planning is %1 of the client median").arg(formatPercent(100.0 * share));
            sec.measurements.append({ QStringLiteral("Server time (EXPLAIN ANALYZE)"), server });
        }
        // Part of the server's time: "the baseline spends 2 s of its 5 s compiling JIT code" (docs/settings.md).
        if (r.jitMs >= 0)
            sec.measurements.append({ QStringLiteral("JIT compilation"),
                r.jitMs > 0 ? jitTimeWords(r) : QStringLiteral("none: the plan compiled no JIT code") });
        if (!r.settings.isEmpty())
            sec.measurements.append({ QStringLiteral("Settings"),
                QStringLiteral("%1 (set for this strategy's runs only)").arg(runSettingsWords(r)) });
        if (r.preparedStats.count > 0)
            sec.measurements.append({ QStringLiteral("Prepared once (not ranked)"),
                QStringLiteral("client p50 %1 · p95 %2 against %3 · %4 sent each time; %5")
                    .arg(formatMs(r.preparedStats.p50Ms), formatMs(r.preparedStats.p95Ms), formatMs(r.stats.p50Ms),
                        formatMs(r.stats.p95Ms), r.preparedNote) });
        else if (!r.preparedNote.isEmpty())
            sec.measurements.append({ QStringLiteral("Prepared once (not ranked)"), r.preparedNote });
        if (r.finishedAt.isValid())
            sec.measurements.append({ QStringLiteral("Finished"),
                r.finishedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")) });

        // Each SQL text is printed once: a later section with the same text names the section that has it.
        sec.sql = r.sql.trimmed();
        for (const ReportStrategySection &earlier : std::as_const(c.sections))
            if (!sec.sql.isEmpty() && (earlier.sql == sec.sql)) {
                sec.sqlSameAs = earlier.heading;
                sec.sql.clear();
                break;
            }
        for (int i = 0; i < r.params.size(); ++i)
            sec.params << paramsLine(i, r.params.at(i));

        sec.plan = reportPlan(r.planJson, baseline && baseline != &r ? baseline->planJson : QByteArray(),
            r.strategyId == QLatin1String("baseline") || !baseline);
        if (!sec.plan.available && sec.plan.note.isEmpty())
            sec.plan.note = r.outcome == RunOutcome::Ok ? QStringLiteral("No plan was recorded for this run.")
                                                        : QStringLiteral("No plan: the run did not finish.");

        const Footprint &f = r.footprint;
        sec.footprint = {
            { QStringLiteral("Storage added"), f.bytes < 0 ? QStringLiteral("not measured") : formatBytes(f.bytes) },
            { QStringLiteral("Build time"), f.buildMs < 0 ? QStringLiteral("not measured") : formatMs(f.buildMs) },
            { QStringLiteral("Refresh time"),
                f.refreshMs < 0 ? QStringLiteral("none: not refreshed on a schedule") : formatMs(f.refreshMs) },
            { QStringLiteral("Write cost (one item, 75 tags)"),
                f.writeMs < 0               ? QStringLiteral("not measured")
                    : f.baselineWriteMs < 0 ? formatMs(f.writeMs)
                    : writeCostVerdict(f) == WriteCostVerdict::NoObjects
                    ? QStringLiteral("%1: it creates nothing, so writing costs the same by construction")
                          .arg(formatMsWithSpread(f.baselineWriteMs, f.baselineWriteLowMs, f.baselineWriteHighMs))
                    : QStringLiteral("%1 against %2 without it%3: %4")
                          .arg(formatMsWithSpread(f.writeMs, f.writeLowMs, f.writeHighMs),
                              formatMsWithSpread(f.baselineWriteMs, f.baselineWriteLowMs, f.baselineWriteHighMs),
                              f.writeSamples > 0 ? QStringLiteral(", %1 probes each").arg(f.writeSamples) : QString(),
                              formatWriteCost(f)) },
            { QStringLiteral("Staleness"),
                f.staleness.isEmpty() ? QStringLiteral("none: answers from live tables") : f.staleness },
        };
        // A cache's write-to-visible time (p2-redis, bench --cache-visibility), when it was measured.
        if (f.visibleMs >= 0 || f.visibleTtlOnlyMs >= 0)
            sec.footprint.append({ QStringLiteral("Write to visible"),
                QStringLiteral("%1 with invalidation, %2 with the TTL only")
                    .arg(f.visibleMs < 0 ? QStringLiteral("not seen") : formatMs(f.visibleMs),
                        f.visibleTtlOnlyMs < 0 ? QStringLiteral("not measured") : formatMs(f.visibleTtlOnlyMs)) });
        sec.objects = f.objects;
        if (keys.size() > ReportStrategySection::CompactAfterWorkloads && sec.mark != ReportMark::Wrong) {
            if (const auto first = fullSections.constFind(r.strategyId); first != fullSections.cend()) {
                sec.compact = true;
                sec.fullSection = *first;
                sec.plan.tree.clear();
                sec.plan.topNodes = {};
                sec.plan.hiddenNodes = 0;
            }
        }
        if (!sec.compact)
            fullSections.insert(r.strategyId, sec.heading);
        c.sections.append(sec);
    }

    c.datasetFacts = datasetFacts(info.dataset);
    c.datasetFingerprint = info.datasetFingerprint.isEmpty() ? QStringLiteral("not recorded") : info.datasetFingerprint;
    c.settings.columns = { QStringLiteral("Setting"), QStringLiteral("Value") };
    c.settings.numeric = { false, false };
    c.settingsRecorded = !info.settings.isEmpty();
    for (const auto &kv : info.settings)
        if (settingChangesPlansOrSpeed(kv.first))
            c.settings.rows.append({ { kv.first, kv.second }, ReportMark::None });

    // How the numbers were measured: runs, warm-up and cache state as they were, not as configured.
    QMap<QString, int> caches;
    QList<int> counts, warmups;
    for (const StrategyRun &r : session.runs) {
        if (r.outcome == RunOutcome::Ok)
            caches[toString(r.cache)]++;
        if (r.stats.count > 0)
            counts.append(r.stats.count);
        warmups.append(r.warmupRuns);
    }
    auto range = [](QList<int> v) -> QString {
        if (v.isEmpty())
            return QStringLiteral("none");
        std::sort(v.begin(), v.end());
        return v.first() == v.last() ? QString::number(v.first())
                                     : QStringLiteral("%1 to %2").arg(v.first()).arg(v.last());
    };
    QStringList cacheText;
    for (auto it = caches.constBegin(); it != caches.constEnd(); ++it)
        cacheText << QStringLiteral("%1 (%2 runs)").arg(it.key()).arg(it.value());
    c.method = {
        { QStringLiteral("Measured runs per strategy"), range(counts) },
        { QStringLiteral("Warm-up runs per strategy"), range(warmups) },
        { QStringLiteral("Cache state"),
            cacheText.isEmpty() ? QStringLiteral("not recorded") : cacheText.join(QStringLiteral(", ")) },
        { QStringLiteral("Timed"),
            QStringLiteral("client time around the whole round trip, rows fetched, of the statement sent each time "
                           "as the application sends it: the ranking and the speed-ups use it. Beside each run, the "
                           "same statement prepared once and executed is timed too and shown, never ranked") },
        { QStringLiteral("Plans"),
            QStringLiteral("one EXPLAIN (ANALYZE, VERBOSE, BUFFERS, SETTINGS, FORMAT JSON) per strategy, run apart "
                           "from the timed runs; the server time is its planning + execution time") },
        { QStringLiteral("Speed-up"),
            QStringLiteral("baseline median / strategy median, 95% percentile-bootstrap interval") },
        { QStringLiteral("Result check"),
            QStringLiteral("each page's (source, id) list in order, against the baseline's") },
    };
    // The environment on the first page: the host and the cache state beside the server and the data set.
    const QString host = describeMachine(info.machineAtStart)
        + (!info.machineAtStart.valid ? QString()
                : info.isDemo         ? QStringLiteral(" (this machine runs the client and the demo server)")
                              : QStringLiteral(" (the client's machine; the server's host is not known to PlanSight)"));
    int after = 0;
    while (after < c.titleFacts.size() && c.titleFacts[after].label != QLatin1String("Dataset"))
        ++after;
    const int at = std::min(after + 1, int(c.titleFacts.size()));
    c.titleFacts.insert(at, ReportFact { QStringLiteral("Host"), host });
    c.titleFacts.insert(at + 1,
        ReportFact { QStringLiteral("Cache state"),
            cacheText.isEmpty() ? QStringLiteral("not recorded") : cacheText.join(QStringLiteral(", ")) });
    // The appendix "Changing production": each strategy of the session with objects, in the order first run.
    QStringList seen;
    for (const StrategyRun &r : session.runs) {
        if (seen.contains(r.strategyId))
            continue;
        seen << r.strategyId;
        if (const auto strategy = strategyById(r.strategyId))
            if (auto d = reportDdl(*strategy))
                c.ddl << *d;
    }
    c.methodNotes = {
        QStringLiteral("Percentiles interpolate linearly between ranks (PostgreSQL's percentile_cont), so every figure "
                       "can be recomputed from the exported runs."),
        QStringLiteral("Exclusive time is a node's own time: its total (times loops) minus its children's."),
    };
    return c;
}

} // namespace plansight
