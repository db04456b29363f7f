#include "session/results.h"

#include "session/jsonread.h"
#include "session/runfields.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QLocale>

#include <algorithm>

namespace plansight {

using namespace json;

// ---- enums ----------------------------------------------------------------------------------------------------

QString toString(CacheState v)
{
    switch (v) {
    case CacheState::Warm:
        return QStringLiteral("warm");
    case CacheState::Cold:
        return QStringLiteral("cold");
    }
    return QStringLiteral("warm");
}

QString toString(ResultCheck v)
{
    switch (v) {
    case ResultCheck::Same:
        return QStringLiteral("same");
    case ResultCheck::Different:
        return QStringLiteral("different");
    case ResultCheck::Stale:
        return QStringLiteral("stale");
    case ResultCheck::NotChecked:
        return QStringLiteral("not-checked");
    case ResultCheck::Failed:
        return QStringLiteral("failed");
    case ResultCheck::BothEmpty:
        return QStringLiteral("both-empty");
    }
    return QStringLiteral("not-checked");
}

QString toString(RunOutcome v)
{
    switch (v) {
    case RunOutcome::Ok:
        return QStringLiteral("ok");
    case RunOutcome::Failed:
        return QStringLiteral("failed");
    case RunOutcome::Cancelled:
        return QStringLiteral("cancelled");
    case RunOutcome::Skipped:
        return QStringLiteral("skipped");
    case RunOutcome::NotIsolated:
        return QStringLiteral("not-isolated");
    }
    return QStringLiteral("failed");
}

// The *FromString functions are lenient (an unknown text gives the safe default: a run we cannot read as "ok" is
// "failed", a check we cannot read is "not-checked"). Strict readers test with isKnown*() below.
CacheState cacheStateFromString(const QString &s)
{
    return s == QLatin1String("cold") ? CacheState::Cold : CacheState::Warm;
}

ResultCheck resultCheckFromString(const QString &s)
{
    if (s == QLatin1String("same"))
        return ResultCheck::Same;
    if (s == QLatin1String("different"))
        return ResultCheck::Different;
    if (s == QLatin1String("stale"))
        return ResultCheck::Stale;
    if (s == QLatin1String("failed"))
        return ResultCheck::Failed;
    if (s == QLatin1String("both-empty"))
        return ResultCheck::BothEmpty;
    return ResultCheck::NotChecked;
}

RunOutcome runOutcomeFromString(const QString &s)
{
    if (s == QLatin1String("ok"))
        return RunOutcome::Ok;
    if (s == QLatin1String("cancelled"))
        return RunOutcome::Cancelled;
    if (s == QLatin1String("skipped"))
        return RunOutcome::Skipped;
    if (s == QLatin1String("not-isolated"))
        return RunOutcome::NotIsolated;
    return RunOutcome::Failed;
}

bool isKnownCacheState(const QString &s)
{
    return toString(cacheStateFromString(s)) == s;
}
bool isKnownResultCheck(const QString &s)
{
    return toString(resultCheckFromString(s)) == s;
}
bool isKnownRunOutcome(const QString &s)
{
    return toString(runOutcomeFromString(s)) == s;
}

// ---- server time ----------------------------------------------------------------------------------------------

double StrategyRun::serverMs() const
{
    return executionMs < 0 || planningMs < 0 ? -1 : planningMs + executionMs;
}

double StrategyRun::planningShareOfClient() const
{
    return planningMs < 0 || stats.count <= 0 || stats.p50Ms <= 0 ? -1 : planningMs / stats.p50Ms;
}

// ---- write cost, machine ---------------------------------------------------------------------------

WriteCostVerdict writeCostVerdict(const Footprint &f)
{
    if (f.writeMs < 0 || f.baselineWriteMs < 0)
        return WriteCostVerdict::NotMeasured;
    if (f.objects.isEmpty())
        return WriteCostVerdict::NoObjects;
    // Without spreads (a session recorded before the probes were repeated) the medians are all there is, and
    // one probe each is too little to tell a difference from noise.
    if (f.writeLowMs < 0 || f.writeHighMs < 0 || f.baselineWriteLowMs < 0 || f.baselineWriteHighMs < 0)
        return WriteCostVerdict::NoMeasurableDifference;
    if (f.writeLowMs > f.baselineWriteHighMs)
        return WriteCostVerdict::Costlier;
    if (f.writeHighMs < f.baselineWriteLowMs)
        return WriteCostVerdict::Cheaper;
    return WriteCostVerdict::NoMeasurableDifference;
}

double writeCostDifferenceMs(const Footprint &f)
{
    const WriteCostVerdict v = writeCostVerdict(f);
    return v == WriteCostVerdict::Costlier || v == WriteCostVerdict::Cheaper ? f.writeMs - f.baselineWriteMs : 0;
}

QString SessionInfo::busyWarning() const
{
    auto load = [](const MachineState &m) {
        if (m.otherCpuShare >= 0)
            return QStringLiteral("other processes used %1% of the %2 CPUs while it ran")
                .arg(qRound(m.otherCpuShare * 100))
                .arg(m.cpuCount);
        return QStringLiteral("load average %1 on %2 CPUs").arg(QString::number(m.load1, 'f', 2)).arg(m.cpuCount);
    };
    const bool start = machineAtStart.busy(), end = machineAtEnd.busy();
    if (!start && !end)
        return {};
    const QString when = start && end
        ? QStringLiteral("at its start (%1) and its end (%2)").arg(load(machineAtStart), load(machineAtEnd))
        : start ? QStringLiteral("at its start (%1)").arg(load(machineAtStart))
                : QStringLiteral("at its end (%1)").arg(load(machineAtEnd));
    return QStringLiteral("The machine was busy during this session %1: other work competed with the runs, so the "
                          "timings may be slower and noisier than usual; measure again on a quiet machine to confirm.")
        .arg(when);
}

bool SessionInfo::isBusyWarning(const QString &warning)
{
    return warning.startsWith(QLatin1String("The machine was busy during this session "));
}

QJsonObject toJson(const MachineState &m)
{
    if (!m.valid)
        return {};
    QJsonObject o;
    o.insert(QStringLiteral("at"),
        m.at.isValid() ? QJsonValue(m.at.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null));
    auto num = [](double v) { return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(v); };
    o.insert(QStringLiteral("load_1"), num(m.load1));
    o.insert(QStringLiteral("load_5"), num(m.load5));
    o.insert(QStringLiteral("load_15"), num(m.load15));
    o.insert(QStringLiteral("cpu_count"), m.cpuCount);
    o.insert(QStringLiteral("mem_total_kb"), num(double(m.memTotalKb)));
    o.insert(QStringLiteral("mem_available_kb"), num(double(m.memAvailableKb)));
    o.insert(QStringLiteral("other_cpu_share"), num(m.otherCpuShare));
    o.insert(QStringLiteral("busy"), m.busy());
    return o;
}

MachineState machineStateFromJson(const QJsonObject &o)
{
    MachineState m;
    if (o.isEmpty())
        return m;
    auto num = [&](const char *key) {
        const QJsonValue v = o.value(QLatin1String(key));
        return v.isDouble() ? v.toDouble() : -1.0;
    };
    m.valid = true;
    m.at = QDateTime::fromString(o.value(QLatin1String("at")).toString(), Qt::ISODateWithMs);
    m.load1 = num("load_1");
    m.load5 = num("load_5");
    m.load15 = num("load_15");
    m.cpuCount = std::max(0, int(num("cpu_count")));
    m.memTotalKb = qint64(num("mem_total_kb"));
    m.memAvailableKb = qint64(num("mem_available_kb"));
    m.otherCpuShare = num("other_cpu_share");
    return m;
}

// ---- JSON -----------------------------------------------------------------------------------------------------

namespace {

// A declared field's value as JSON (session/runfields.h).
QJsonValue fieldToJson(const RunField &f, const RunFieldValue &v)
{
    switch (f.type) {
    case RunFieldType::Text:
    case RunFieldType::Enum:
        return std::get<QString>(v);
    case RunFieldType::Integer:
        return std::get<qint64>(v);
    case RunFieldType::Count:
        return std::get<qint64>(v) < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(std::get<qint64>(v));
    case RunFieldType::Real:
        return std::get<double>(v);
    case RunFieldType::Measured:
        return measured(std::get<double>(v));
    case RunFieldType::Time:
        return dateTime(std::get<QDateTime>(v));
    case RunFieldType::TextList:
        return strings(std::get<QStringList>(v));
    }
    return {};
}

// A declared field's value read from `o`; a wrong type is recorded in `rd`.
RunFieldValue fieldFromJson(const RunField &f, const QJsonObject &o, const QString &path, JsonReader &rd)
{
    const char *key = f.jsonKey;
    switch (f.type) {
    case RunFieldType::Text: {
        const QString s = rd.str(o, path, key);
        if (f.required && s.isEmpty() && !rd.failed())
            rd.fail(path, key, "is missing");
        return s;
    }
    case RunFieldType::Enum:
        return rd.enumText(o, path, key, f.defaultText, [&f](const QString &s) { return f.values.contains(s); });
    case RunFieldType::Integer:
        return qint64(rd.integer(o, path, key));
    case RunFieldType::Count:
        return rd.whole(o, path, key, -1);
    case RunFieldType::Real:
        return rd.num(o, path, key);
    case RunFieldType::Measured:
        return rd.num(o, path, key, -1);
    case RunFieldType::Time:
        return rd.time(o, path, key);
    case RunFieldType::TextList:
        return rd.stringList(o, path, key);
    }
    return {};
}

} // namespace

Result<StrategyRun> runFromJson(const QJsonObject &o, const QString &path)
{
    JsonReader rd;
    StrategyRun r;
    for (const RunField &f : runFields()) {
        const RunFieldValue v = fieldFromJson(f, o, path, rd);
        if (!rd.failed())
            f.set(r, v);
    }
    // The fields that are not one flat value (session/runfields.h says why).
    const QJsonObject wl = rd.object(o, path, "workload");
    const QJsonArray timings = rd.array(o, path, "timings_ms");
    for (const QJsonValue &v : timings) {
        if (!v.isDouble()) {
            rd.fail(path, "timings_ms", "contains a value that is not a number");
            break;
        }
        r.timingsMs << v.toDouble();
    }
    const QJsonObject sp = rd.object(o, path, "speedup");
    if (!sp.isEmpty()) {
        const QString spPath = path + QStringLiteral(".speedup");
        r.speedup.valid = true;
        r.speedup.ratio = rd.num(sp, spPath, "ratio");
        r.speedup.low = rd.num(sp, spPath, "low");
        r.speedup.high = rd.num(sp, spPath, "high");
    }
    // Files written before PlanSight 0.2 have no "execution_ms": their "server_ms" was the execution time alone. In
    // newer files "server_ms" is derived (planning + execution) and not read.
    if (!o.contains(QLatin1String("execution_ms")))
        r.executionMs = rd.num(o, path, "server_ms", -1);
    r.planJson = rd.str(o, path, "plan").toUtf8();
    const QJsonObject fp = rd.object(o, path, "footprint");
    const QString fpPath = path + QStringLiteral(".footprint");
    r.footprint.objects = rd.stringList(fp, fpPath, "objects");
    r.footprint.bytes = qint64(rd.num(fp, fpPath, "bytes", -1));
    r.footprint.buildMs = rd.num(fp, fpPath, "build_ms", -1);
    r.footprint.refreshMs = rd.num(fp, fpPath, "refresh_ms", -1);
    r.footprint.visibleMs = rd.num(fp, fpPath, "visible_ms", -1);
    r.footprint.visibleTtlOnlyMs = rd.num(fp, fpPath, "visible_ttl_only_ms", -1);
    r.footprint.writeMs = rd.num(fp, fpPath, "write_ms", -1);
    r.footprint.baselineWriteMs = rd.num(fp, fpPath, "baseline_write_ms", -1);
    const QJsonObject ws = rd.object(fp, fpPath, "write_spread");
    if (!ws.isEmpty()) {
        const QString wsPath = fpPath + QStringLiteral(".write_spread");
        r.footprint.writeLowMs = rd.num(ws, wsPath, "low_ms", -1);
        r.footprint.writeHighMs = rd.num(ws, wsPath, "high_ms", -1);
        r.footprint.baselineWriteLowMs = rd.num(ws, wsPath, "baseline_low_ms", -1);
        r.footprint.baselineWriteHighMs = rd.num(ws, wsPath, "baseline_high_ms", -1);
        r.footprint.writeSamples = rd.integer(ws, wsPath, "samples");
    }
    r.footprint.staleness = rd.str(fp, fpPath, "staleness");
    if (rd.failed())
        return Error::make(errc::Input, QStringLiteral("The session file is malformed: %1.").arg(rd.error));
    auto w = Workload::fromJson(wl);
    if (!w)
        return Error::make(
            errc::Input, QStringLiteral("The session file is malformed: %1.workload: %2").arg(path, w.error().message));
    r.workload = std::move(w).value();
    return r;
}

QJsonObject toJson(const StrategyRun &run, bool withPlan)
{
    QJsonObject o;
    for (const RunField &f : runFields())
        o.insert(QLatin1String(f.jsonKey), fieldToJson(f, f.get(run)));
    // The fields that are not one flat value (session/runfields.h says why).
    o.insert(QStringLiteral("workload"), run.workload.toJson());
    o.insert(QStringLiteral("workload_key"), run.workload.key());
    QJsonArray timings;
    for (double t : run.timingsMs)
        timings.append(t);
    o.insert(QStringLiteral("timings_ms"), timings);
    o.insert(QStringLiteral("server_ms"), measured(run.serverMs())); // derived: planning + execution
    if (run.speedup.valid) {
        QJsonObject sp;
        sp.insert(QStringLiteral("ratio"), run.speedup.ratio);
        sp.insert(QStringLiteral("low"), run.speedup.low);
        sp.insert(QStringLiteral("high"), run.speedup.high);
        o.insert(QStringLiteral("speedup"), sp);
    } else {
        o.insert(QStringLiteral("speedup"), QJsonValue(QJsonValue::Null));
    }
    QJsonObject fp;
    fp.insert(QStringLiteral("objects"), strings(run.footprint.objects));
    fp.insert(QStringLiteral("bytes"), measured(double(run.footprint.bytes)));
    fp.insert(QStringLiteral("build_ms"), measured(run.footprint.buildMs));
    fp.insert(QStringLiteral("refresh_ms"), measured(run.footprint.refreshMs));
    fp.insert(QStringLiteral("visible_ms"), measured(run.footprint.visibleMs));
    fp.insert(QStringLiteral("visible_ttl_only_ms"), measured(run.footprint.visibleTtlOnlyMs));
    fp.insert(QStringLiteral("write_ms"), measured(run.footprint.writeMs));
    fp.insert(QStringLiteral("baseline_write_ms"), measured(run.footprint.baselineWriteMs));
    const Footprint &f = run.footprint;
    if (f.writeLowMs >= 0 || f.baselineWriteLowMs >= 0) {
        QJsonObject ws;
        ws.insert(QStringLiteral("low_ms"), measured(f.writeLowMs));
        ws.insert(QStringLiteral("high_ms"), measured(f.writeHighMs));
        ws.insert(QStringLiteral("baseline_low_ms"), measured(f.baselineWriteLowMs));
        ws.insert(QStringLiteral("baseline_high_ms"), measured(f.baselineWriteHighMs));
        ws.insert(QStringLiteral("samples"), f.writeSamples);
        fp.insert(QStringLiteral("write_spread"), ws);
    } else {
        fp.insert(QStringLiteral("write_spread"), QJsonValue(QJsonValue::Null));
    }
    static const char *const verdicts[] = { "not-measured", "none", "no-measurable-difference", "costlier", "cheaper" };
    fp.insert(QStringLiteral("write_cost"), QString::fromLatin1(verdicts[int(writeCostVerdict(f))]));
    fp.insert(QStringLiteral("staleness"), run.footprint.staleness);
    o.insert(QStringLiteral("footprint"), fp);
    // The plan is kept as the exact text the server sent (a string, not re-serialized JSON), so that a
    // round trip gives the same bytes and a reader can feed it to any EXPLAIN viewer.
    if (withPlan && !run.planJson.isEmpty())
        o.insert(QStringLiteral("plan"), QString::fromUtf8(run.planJson));
    return o;
}

QJsonObject toJson(const SessionInfo &info)
{
    QJsonObject s;
    s.insert(QStringLiteral("id"), info.id < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(double(info.id)));
    s.insert(QStringLiteral("started_at"), dateTime(info.startedAt));
    s.insert(QStringLiteral("server"), info.server);
    s.insert(QStringLiteral("server_version"), info.serverVersion);
    s.insert(QStringLiteral("database"), info.database);
    s.insert(QStringLiteral("is_demo"), info.isDemo);
    QJsonArray settings;
    for (const auto &[name, value] : info.settings)
        settings.append(QJsonObject { { QStringLiteral("name"), name }, { QStringLiteral("setting"), value } });
    s.insert(QStringLiteral("settings"), settings);
    s.insert(QStringLiteral("dataset_fingerprint"), info.datasetFingerprint);
    s.insert(QStringLiteral("dataset"), info.dataset);
    s.insert(QStringLiteral("plansight_version"), info.planSightVersion);
    s.insert(QStringLiteral("note"), info.note);
    s.insert(QStringLiteral("machine_start"),
        info.machineAtStart.valid ? QJsonValue(toJson(info.machineAtStart)) : QJsonValue(QJsonValue::Null));
    s.insert(QStringLiteral("machine_end"),
        info.machineAtEnd.valid ? QJsonValue(toJson(info.machineAtEnd)) : QJsonValue(QJsonValue::Null));
    s.insert(QStringLiteral("machine_busy"), info.machineAtStart.busy() || info.machineAtEnd.busy());
    return s;
}

Result<SessionInfo> sessionInfoFromJson(const QJsonObject &s, const QString &sp)
{
    JsonReader rd;
    SessionInfo info;
    const double id = rd.num(s, sp, "id", -1);
    info.id = qint64(id);
    info.startedAt = rd.time(s, sp, "started_at");
    info.server = rd.str(s, sp, "server");
    info.serverVersion = rd.str(s, sp, "server_version");
    info.database = rd.str(s, sp, "database");
    info.isDemo = rd.boolean(s, sp, "is_demo");
    const QJsonArray settings = rd.array(s, sp, "settings");
    for (const QJsonValue &v : settings) {
        const QJsonObject so = v.toObject();
        const QJsonValue name = so.value(QLatin1String("name")), value = so.value(QLatin1String("setting"));
        if (!v.isObject() || !name.isString() || !value.isString()) {
            rd.fail(sp, "settings", "contains an entry without a name and a setting");
            break;
        }
        info.settings.append({ name.toString(), value.toString() });
    }
    info.datasetFingerprint = rd.str(s, sp, "dataset_fingerprint");
    info.dataset = rd.object(s, sp, "dataset");
    info.planSightVersion = rd.str(s, sp, "plansight_version");
    info.note = rd.str(s, sp, "note");
    info.machineAtStart = machineStateFromJson(rd.object(s, sp, "machine_start"));
    info.machineAtEnd = machineStateFromJson(rd.object(s, sp, "machine_end"));
    if (rd.failed())
        return Error::make(errc::Input, QStringLiteral("The session file is malformed: %1.").arg(rd.error));
    return info;
}

// ---- CSV ------------------------------------------------------------------------------------------------------

namespace {

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n'))
        && !s.contains(QLatin1Char('\r')))
        return s;
    QString q = s;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString csvNumber(double v)
{
    // The shortest text that reads back as the same double; C locale (a dot, no group separators).
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

} // namespace

QString toCsv(const SessionResult &session)
{
    QString out = QStringLiteral("session_id,strategy,workload,workload_key,cache,result_check,outcome,run,ms\n");
    const QString sessionId = session.info.id < 0 ? QString() : QString::number(session.info.id);
    for (const StrategyRun &r : session.runs) {
        const QString prefix = sessionId + QLatin1Char(',') + csvField(r.strategyId) + QLatin1Char(',')
            + csvField(r.workload.name) + QLatin1Char(',') + csvField(r.workload.key()) + QLatin1Char(',')
            + toString(r.cache) + QLatin1Char(',') + toString(r.check) + QLatin1Char(',') + toString(r.outcome)
            + QLatin1Char(',');
        if (r.timingsMs.isEmpty()) {
            // A strategy that measured nothing (failed, cancelled, skipped) still gets its line, so that a
            // spreadsheet shows it was part of the session.
            out += prefix + QLatin1String(",\n");
            continue;
        }
        for (qsizetype i = 0; i < r.timingsMs.size(); ++i)
            out += prefix + QString::number(i + 1) + QLatin1Char(',') + csvNumber(r.timingsMs.at(i))
                + QLatin1Char('\n');
    }
    return out;
}

} // namespace plansight
