#pragma once

// Sample benchmark sessions for the results and history tests, and a field-by-field comparison that names the
// first difference. Header-only: included by tst_results, tst_history and tst_historycrash.

#include "session/results.h"
#include "session/runfields.h"

#include <QJsonArray>

namespace plansight::test {

inline Workload sampleWorkload(const QString &name, int page = 1)
{
    Workload w;
    w.name = name;
    w.tagIds = { demo::AnimeTagId, QStringLiteral("0b7c4c4e-5d2a-4f39-9f0e-3a1d2c3b4a5f") };
    w.match = TagMatch::All;
    w.sources = { SourceKind::UserRegular, SourceKind::CommunityAuto };
    w.page = page;
    w.pageSize = 25;
    return w;
}

// A plan as the server sends it: formatting, unicode and escapes must come back byte for byte.
inline QByteArray samplePlan(const QString &relation)
{
    return QStringLiteral(
        "[\n  {\n    \"Plan\": {\n      \"Node Type\": \"Index Scan\",\n      \"Relation Name\": "
        "\"%1\",\n      \"Actual Total Time\": 0.042,\n      \"Filter\": \"(name = 'アニメ \\\\ ✓')\"\n"
        "    },\n    \"Planning Time\": 0.118,\n    \"Execution Time\": 0.057\n  }\n]")
        .arg(relation)
        .toUtf8();
}

inline StrategyRun sampleRun(const QString &id, double base, ResultCheck check, const Workload &w)
{
    StrategyRun r;
    r.strategyId = id;
    r.strategyTitle = QStringLiteral("Title of ") + id + QStringLiteral(" (with, commas \"and quotes\")");
    r.workload = w;
    r.outcome = RunOutcome::Ok;
    r.cache = CacheState::Warm;
    r.warmupRuns = 3;
    // Values that do not survive a careless double -> text -> double trip.
    r.timingsMs = { base + 0.1 + 0.2, base * 1.000000000000001, base + 1e-9, base + 12345.678901234567 / 1e6 };
    r.stats.count = int(r.timingsMs.size());
    r.stats.minMs = base + 1e-9;
    r.stats.p50Ms = base + 0.15;
    r.stats.p95Ms = base + 0.29999999999999999;
    r.stats.p99Ms = base + 0.3;
    r.stats.maxMs = base + 0.30000000000000004;
    r.stats.meanMs = base + 1.0 / 3.0;
    r.rowsReturned = 25;
    r.pageKeys = { QStringLiteral("regular:123"), QStringLiteral("auto:456"), QStringLiteral("regular:7") };
    r.check = check;
    r.checkDetail = check == ResultCheck::Different ? QStringLiteral("row 2: auto:456 instead of auto:455") : QString();
    r.speedup = { true, 2.5 + base / 1000, 2.25, 2.75 };
    r.sql = QStringLiteral("SELECT id FROM content_items WHERE creator_id = $1 AND tag_ids @> $2::uuid[] -- '%1'")
                .arg(id);
    r.params = { demo::AdminUserId, QStringLiteral("{a,b}"), QStringLiteral("it's \"quoted\"") };
    r.planJson = samplePlan(QStringLiteral("ps_") + id);
    r.executionMs = base / 2;
    r.planningMs = 0.118;
    r.footprint.objects = { QStringLiteral("index public.ps_") + id + QStringLiteral("_tag_source") };
    r.footprint.bytes = 9007199254740991LL; // 2^53 - 1: the largest integer JSON numbers carry exactly
    r.footprint.buildMs = 1234.5;
    r.footprint.refreshMs = 56.25;
    r.footprint.visibleMs = id == QLatin1String("p4-indexes") ? 4.125 : -1;
    r.footprint.visibleTtlOnlyMs = id == QLatin1String("p4-indexes") ? 5003.5 : -1;
    r.footprint.writeMs = 3.25;
    r.footprint.baselineWriteMs = 2.125;
    r.footprint.writeLowMs = 3.0625;
    r.footprint.writeHighMs = 3.5000000000000004;
    r.footprint.baselineWriteLowMs = 2.0;
    r.footprint.baselineWriteHighMs = 2.25;
    r.footprint.writeSamples = 7;
    r.footprint.staleness = id == QLatin1String("p1-matview") ? QStringLiteral("refresh every 60 s") : QString();
    r.finishedAt = QDateTime(QDate(2026, 11, 24), QTime(13, 45, 12, 345), Qt::UTC);
    return r;
}

inline SessionResult sampleSession()
{
    SessionResult s;
    s.info.id = 42;
    s.info.startedAt = QDateTime(QDate(2026, 11, 24), QTime(13, 40, 0, 7), Qt::UTC);
    s.info.server = QStringLiteral("postgres@db1:5432/gallery");
    s.info.serverVersion = QStringLiteral("15.8 (Debian 15.8-0+deb12u1)");
    s.info.database = QStringLiteral("gallery");
    s.info.isDemo = false;
    s.info.settings = { { QStringLiteral("work_mem"), QStringLiteral("64MB") },
        { QStringLiteral("random_page_cost"), QStringLiteral("1.1") },
        { QStringLiteral("jit"), QStringLiteral("off") } };
    s.info.datasetFingerprint = QStringLiteral("sha256:9f2c...e1");
    s.info.dataset = QJsonObject { { QStringLiteral("profile"), QStringLiteral("review") },
        { QStringLiteral("scale"), 0.01 }, { QStringLiteral("seed"), 7 },
        { QStringLiteral("counts"), QJsonObject { { QStringLiteral("content_tags"), 880000 } } } };
    s.info.planSightVersion = QStringLiteral("0.1.0");
    s.info.note = QStringLiteral("after VACUUM; 'quoted', \"double\"\nsecond line");
    s.info.machineAtStart.valid = true;
    s.info.machineAtStart.at = QDateTime(QDate(2026, 11, 24), QTime(13, 40, 0, 8), Qt::UTC);
    s.info.machineAtStart.load1 = 0.52;
    s.info.machineAtStart.load5 = 0.61;
    s.info.machineAtStart.load15 = 0.7000000000000001;
    s.info.machineAtStart.cpuCount = 2;
    s.info.machineAtStart.memTotalKb = 24000000;
    s.info.machineAtStart.memAvailableKb = 18000000;
    s.info.machineAtEnd = s.info.machineAtStart;
    s.info.machineAtEnd.at = QDateTime(QDate(2026, 11, 24), QTime(13, 46, 0, 0), Qt::UTC);
    s.info.machineAtEnd.load1 = 3.25; // busy: above the 2 CPUs

    const Workload canonical = sampleWorkload(QStringLiteral("canonical"));
    s.runs << sampleRun(QStringLiteral("baseline"), 7000, ResultCheck::Same, canonical);
    s.runs.last().speedup = { true, 1, 1, 1 };
    s.runs << sampleRun(QStringLiteral("p4-indexes"), 40, ResultCheck::Same, canonical);
    // Fastest of all but wrong: never the winner.
    s.runs << sampleRun(QStringLiteral("p3-tag-array"), 0.5, ResultCheck::Different, canonical);
    s.runs << sampleRun(
        QStringLiteral("x-topn"), 0.25, ResultCheck::Stale, sampleWorkload(QStringLiteral("deep-page"), 10));
    s.runs.last().cache = CacheState::Cold;

    StrategyRun failed;
    failed.strategyId = QStringLiteral("p6-cursor");
    failed.strategyTitle = QStringLiteral("Cursor pagination");
    failed.workload = canonical;
    failed.outcome = RunOutcome::Cancelled;
    failed.error = QStringLiteral("The run was cancelled.");
    failed.check = ResultCheck::Failed;
    s.runs << failed; // no timings, no plan, nothing measured: every "not measured" value
    return s;
}

// A run in which every declared field (session/runfields.h) holds a value of its own that is neither its default
// nor another field's, so that a mapping that drops or swaps a field is seen. A field added to the declaration is
// covered without an edit here.
inline StrategyRun runWithEveryFieldSet()
{
    StrategyRun r
        = sampleRun(QStringLiteral("p4-indexes"), 40, ResultCheck::Same, sampleWorkload(QStringLiteral("canonical")));
    const StrategyRun defaults;
    int i = 0;
    for (const RunField &f : runFields()) {
        ++i;
        switch (f.type) {
        case RunFieldType::Text:
            f.set(r, QStringLiteral("%1 #%2: 'quoted', \"double\", ✓").arg(f.member).arg(i));
            break;
        case RunFieldType::Enum: {
            const QString now = std::get<QString>(f.get(defaults));
            for (const QString &v : f.values)
                if (v != now && v != f.defaultText)
                    f.set(r, v);
            break;
        }
        case RunFieldType::Integer:
            f.set(r, qint64(100 + i));
            break;
        case RunFieldType::Count:
            f.set(r, qint64(9007199254740000LL + i)); // near 2^53: JSON numbers carry it exactly, an int does not
            break;
        case RunFieldType::Real:
        case RunFieldType::Measured:
            f.set(r, i + 0.1 + 0.2); // not a round number
            break;
        case RunFieldType::Time:
            f.set(r, QDateTime(QDate(2026, 11, 25), QTime(9, 30, 0, 123), Qt::UTC).addSecs(i));
            break;
        case RunFieldType::TextList:
            f.set(r, QStringList { f.member + QStringLiteral(" first"), QStringLiteral("second, \"with\" ✓") });
            break;
        }
    }
    return r;
}

// The first field in which a and b differ, or an empty string.
inline QString diffRuns(const StrategyRun &a, const StrategyRun &b)
{
#define PS_CMP(field)                                                                                                  \
    if (!(a.field == b.field))                                                                                         \
        return QStringLiteral(#field " differs");
    // The declared fields (session/runfields.h), then the ones mapped by hand.
    for (const RunField &f : runFields())
        if (!(f.get(a) == f.get(b)))
            return f.member + QStringLiteral(" differs");
    PS_CMP(workload.name)
    PS_CMP(workload.key())
    PS_CMP(workload.tagIds)
    PS_CMP(workload.sources)
    PS_CMP(timingsMs)
    PS_CMP(speedup.valid)
    PS_CMP(speedup.ratio)
    PS_CMP(speedup.low)
    PS_CMP(speedup.high)
    PS_CMP(planJson)
    PS_CMP(footprint.objects)
    PS_CMP(footprint.bytes)
    PS_CMP(footprint.buildMs)
    PS_CMP(footprint.refreshMs)
    PS_CMP(footprint.visibleMs)
    PS_CMP(footprint.visibleTtlOnlyMs)
    PS_CMP(footprint.writeMs)
    PS_CMP(footprint.baselineWriteMs)
    PS_CMP(footprint.writeLowMs)
    PS_CMP(footprint.writeHighMs)
    PS_CMP(footprint.baselineWriteLowMs)
    PS_CMP(footprint.baselineWriteHighMs)
    PS_CMP(footprint.writeSamples)
    PS_CMP(footprint.staleness)
    PS_CMP(finishedAt)
    PS_CMP(finishedAt.isValid())
    return {};
}

inline QString diffSessions(const SessionResult &a, const SessionResult &b, bool compareIds = true)
{
    if (compareIds)
        PS_CMP(info.id)
    PS_CMP(info.startedAt)
    PS_CMP(info.server)
    PS_CMP(info.serverVersion)
    PS_CMP(info.database)
    PS_CMP(info.isDemo)
    PS_CMP(info.settings)
    PS_CMP(info.datasetFingerprint)
    PS_CMP(info.dataset)
    PS_CMP(info.planSightVersion)
    PS_CMP(info.note)
    PS_CMP(info.machineAtStart.valid)
    PS_CMP(info.machineAtStart.at)
    PS_CMP(info.machineAtStart.load1)
    PS_CMP(info.machineAtStart.load5)
    PS_CMP(info.machineAtStart.load15)
    PS_CMP(info.machineAtStart.cpuCount)
    PS_CMP(info.machineAtStart.memTotalKb)
    PS_CMP(info.machineAtStart.memAvailableKb)
    PS_CMP(info.machineAtEnd.valid)
    PS_CMP(info.machineAtEnd.load1)
    PS_CMP(info.machineAtEnd.at)
    PS_CMP(runs.size())
#undef PS_CMP
    for (qsizetype i = 0; i < a.runs.size(); ++i) {
        const QString d = diffRuns(a.runs.at(i), b.runs.at(i));
        if (!d.isEmpty())
            return QStringLiteral("run %1 (%2): %3").arg(i).arg(a.runs.at(i).strategyId, d);
    }
    return {};
}

} // namespace plansight::test
