#include "present/words.h"

namespace plansight {

QString checkWords(ResultCheck check)
{
    switch (check) {
    case ResultCheck::Same:
        return QStringLiteral("same rows");
    case ResultCheck::Different:
        return QStringLiteral("DIFFERENT rows");
    case ResultCheck::Stale:
        return QStringLiteral("stale rows");
    case ResultCheck::NotChecked:
        return QStringLiteral("not checked");
    case ResultCheck::Failed:
        return QStringLiteral("check failed");
    case ResultCheck::BothEmpty:
        return QStringLiteral("both empty");
    }
    return QStringLiteral("not checked");
}

QString outcomeWords(RunOutcome outcome)
{
    switch (outcome) {
    case RunOutcome::Ok:
        return QStringLiteral("measured");
    case RunOutcome::Failed:
        return QStringLiteral("FAILED");
    case RunOutcome::Cancelled:
        return QStringLiteral("cancelled");
    case RunOutcome::Skipped:
        return QStringLiteral("skipped");
    case RunOutcome::NotIsolated:
        return QStringLiteral("NOT ISOLATED");
    }
    return QStringLiteral("FAILED");
}

QString runCheckWords(const StrategyRun &run)
{
    // A run flagged not isolated was still checked: rows that differ or lag are said too, never hidden by the flag.
    if (run.outcome == RunOutcome::NotIsolated
        && (run.check == ResultCheck::Different || run.check == ResultCheck::Stale))
        return outcomeWords(run.outcome) + QStringLiteral(", ") + checkWords(run.check);
    if (run.outcome != RunOutcome::Ok)
        return outcomeWords(run.outcome);
    if (run.strategyId == QLatin1String("baseline") && run.check != ResultCheck::Different)
        return QStringLiteral("reference");
    // Checked against a stand-in because the baseline had no page (checkRun() in bench/measure.h writes the detail
    // "checked against p5-prejoin; the baseline timed out"): the words name it.
    static const QLatin1String against("checked against ");
    if (run.checkDetail.startsWith(against)) {
        const QString reference = run.checkDetail.mid(against.size()).section(QLatin1Char(';'), 0, 0);
        if (!reference.isEmpty())
            return checkWords(run.check) + QStringLiteral(" (vs %1)").arg(reference);
    }
    return checkWords(run.check);
}

QString formatWriteCost(const Footprint &f)
{
    switch (writeCostVerdict(f)) {
    case WriteCostVerdict::NotMeasured:
        return formatMs(f.writeMs);
    case WriteCostVerdict::NoObjects:
        return QStringLiteral("none (creates nothing)");
    case WriteCostVerdict::NoMeasurableDifference:
        return QStringLiteral("no measurable difference");
    case WriteCostVerdict::Costlier:
    case WriteCostVerdict::Cheaper:
        break;
    }
    return formatMsDelta(writeCostDifferenceMs(f));
}

QString describeMachine(const MachineState &m)
{
    if (!m.valid)
        return QStringLiteral("not recorded");
    QString text = QStringLiteral("load %1 / %2 / %3 (1, 5, 15 min) on %4 CPUs")
                       .arg(QString::number(m.load1, 'f', 2), QString::number(m.load5, 'f', 2),
                           QString::number(m.load15, 'f', 2))
                       .arg(m.cpuCount);
    if (m.memTotalKb > 0 && m.memAvailableKb >= 0)
        text += QStringLiteral(", %1 of %2 memory available")
                    .arg(formatBytes(m.memAvailableKb * 1024), formatBytes(m.memTotalKb * 1024));
    if (m.otherCpuShare >= 0)
        text += QStringLiteral(", other processes used %1% of the CPUs during the session")
                    .arg(qRound(m.otherCpuShare * 100));
    if (m.busy())
        text += QStringLiteral(" (BUSY)");
    return text;
}

QString formatServerTime(const StrategyRun &run)
{
    return formatMs(run.serverMs());
}

QString serverTimeWords(const StrategyRun &run)
{
    if (run.planningMs < 0 && run.executionMs < 0)
        return QStringLiteral("not measured");
    if (run.planningMs < 0 || run.executionMs < 0)
        return QStringLiteral("unknown (planning %1, execution %2)")
            .arg(run.planningMs < 0 ? QStringLiteral("not measured") : formatMs(run.planningMs),
                run.executionMs < 0 ? QStringLiteral("not measured") : formatMs(run.executionMs));
    return QStringLiteral("%1 (planning %2 + execution %3)")
        .arg(formatMs(run.serverMs()), formatMs(run.planningMs), formatMs(run.executionMs));
}

QString formatPlanningShare(const StrategyRun &run)
{
    if (run.planningMs < 0)
        return notMeasured();
    const double share = run.planningShareOfClient();
    return share < 0 ? formatMs(run.planningMs)
                     : QStringLiteral("%1 (%2)").arg(formatMs(run.planningMs), formatPercent(100.0 * share));
}

QString formatJitTime(const StrategyRun &run)
{
    if (run.jitMs < 0)
        return notMeasured();
    if (run.jitMs == 0)
        return QStringLiteral("none");
    const double server = run.serverMs();
    return server > 0 ? QStringLiteral("%1 (%2)").arg(formatMs(run.jitMs), formatPercent(100.0 * run.jitMs / server))
                      : formatMs(run.jitMs);
}

QString jitTimeWords(const StrategyRun &run)
{
    if (run.jitMs <= 0)
        return QString();
    const double server = run.serverMs();
    if (server <= 0)
        return QStringLiteral("%1 went to compiling JIT code").arg(formatMs(run.jitMs));
    return QStringLiteral("%1 of the server's %2 went to compiling JIT code (%3)")
        .arg(formatMs(run.jitMs), formatMs(server), formatPercent(100.0 * run.jitMs / server));
}

QString runSettingsWords(const StrategyRun &run)
{
    return run.settings.isEmpty() ? QStringLiteral("none") : run.settings.join(QStringLiteral(", "));
}

QString formatPreparedMedian(const StrategyRun &run)
{
    if (run.preparedStats.count > 0)
        return formatMs(run.preparedStats.p50Ms);
    if (run.sql.isEmpty() && run.stats.count > 0)
        return QStringLiteral("no SQL");
    return notMeasured();
}

} // namespace plansight
