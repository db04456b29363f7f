#pragma once

// The PDF report's content as plain data (docs/architecture.md, "History and reports"). Everything the report says
// is decided here, from a SessionResult, the strategies' descriptions and the recorded plans; the renderer
// in widgets/ only lays it out. A plain value: built on any thread, copied freely, compared by tests with
// what the PDF shows.

#include "pg/sessionsettings.h"
#include "present/expectations.h"
#include "present/verdict.h"
#include "present/words.h"
#include "session/results.h"
#include "strategies/strategy.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace plansight {

// How a row or a section is shown. Wrong (different rows) is red everywhere; Failed covers failed, cancelled
// and skipped runs; Slower: a strategy whose speed-up interval lies entirely below 1 (present/ranking.h
// isClearlySlower), shown in orange, apart from the red of wrong rows.
enum class ReportMark { None, Winner, Baseline, Wrong, Stale, Failed, Slower };

struct ReportFact {
    QString label;
    QString value;
};

struct ReportTable {
    struct Row {
        QStringList cells;
        ReportMark mark = ReportMark::None;
    };
    QStringList columns;
    QList<bool> numeric; // per column: right-aligned figures
    QList<Row> rows;
};

// One node of an abbreviated plan tree. Times are per query (multiplied by loops), in ms.
struct ReportPlanNode {
    int depth = 0;
    QString label; // "Index Scan using ps_p4_tag_source on content_tags"
    QString detail; // "rows 25 of 25 est. · loops 4"
    double exclusiveMs = 0;
    double inclusiveMs = 0;
    bool neverExecuted = false;
    bool hot = false; // among the nodes that take most of the time
};

struct ReportPlan {
    bool available = false;
    QString note; // why there is no plan, or what the self-check found
    double executionMs = -1;
    double planningMs = -1;
    int totalNodes = 0;
    QList<ReportPlanNode> tree; // abbreviated: the nodes that matter, in tree order
    int hiddenNodes = 0; // nodes of the full plan not in `tree`
    // The partitions the plan read of each partitioned table (plan/planmetrics.h, R14); empty when it read none.
    QString pruning;
    ReportTable topNodes; // the ten nodes with the most exclusive time
    QString diffSummary; // one sentence against the baseline's plan (empty for the baseline itself)
    QStringList diffDetails;
};

// One strategy measured on one workload.
struct ReportStrategySection {
    QString heading; // "p4-indexes: Composite and partial indexes"
    QString strategyId;
    QString workloadName; // set when the session has more than one workload
    // A further workload of a strategy whose first section (`fullSection`, its heading) shows the description, the
    // SQL, the plan tree and the footprint: set when the session has more than CompactAfterWorkloads workloads, so
    // that 14 strategies x 11 workloads make a report of tens of pages, not hundreds. Its plan keeps its times and
    // its comparison with the baseline's, not its tree (the window and the session's JSON have every plan). Runs
    // with different rows are never compact.
    bool compact = false;
    QString fullSection;
    static constexpr int CompactAfterWorkloads = 3;
    ReportMark mark = ReportMark::None;
    QString verdict; // one sentence: how it went (winner, same rows, wrong, failed, ...)
    QString description; // what the strategy does
    QList<ReportFact> measurements;
    QString sql; // empty when it is the SQL of an earlier section (sqlSameAs)
    QString sqlSameAs; // the heading of the earlier section that printed the same SQL
    QStringList params; // "$1 = ..."
    ReportPlan plan;
    QList<ReportFact> footprint;
    QStringList objects;
};

// The summary of one workload: the verdict and the ranking of every strategy run on it.
struct ReportWorkloadSummary {
    QString workloadKey; // Workload::key(), to select the runs the charts draw
    QString workloadName;
    QString workloadText; // the workload in words
    QString verdict; // "x-topn answers 180× faster than the baseline (95% interval 150× to 210×)."
    QString winnerId; // the workload's winner by the one rule (present/ranking.h); empty when there is none
    ReportTable ranking;
    QStringList rankedIds; // the strategies of `ranking`, in its order (the charts draw their rows so)
    QStringList notes; // failed, cancelled, wrong and stale strategies, said in words
};

// The first page, for whoever decides: what to do and what it costs. It follows the one winner rule: no
// recommendation the numbers do not carry.
struct ReportRecommendation {
    QString headline; // "Adopt x-topn (...): 51x faster than today's query, with the same rows." or why not
    QStringList reasons; // one sentence per workload when the session has several
    // The candidates side by side: the winners, the next fastest strategies with the baseline's rows, and the
    // baseline. Strategy | Speed-up | Median | Storage added | Write cost | Staleness.
    ReportTable tradeOffs;
    QList<ReportFact> operations; // per strategy of the table: what running it in production takes
    QString scaleCaveat; // the data set is smaller than production's; empty when it is not, or not known
};

// The first thing the first page shows: the review's proposals, what it expected of each and what the session
// measured, one line each saying whether the expectation was met (present/verdict.h); PlanSight's own strategies
// below them. The recommendation (PlanSight's own ranking) follows it.
struct ReportReviewVerdict {
    QString intro; // "What the Genonaut performance review expected of each proposal for the canonical query ..."
    // Proposal | Review: time, confidence / complexity, advice | Median | Speed-up | Costs: storage, write, staleness |
    // Verdict
    ReportTable table;
    QString caveat; // SessionVerdict::caveat: the scale, a busy machine; empty when there is nothing to add
    SessionVerdict verdict; // the rows the table shows
};

// What applying one strategy on a server that is not the demo runs, for the appendix "Changing production": its DDL
// and its rollback as PlanSight runs them (the strategy's own DdlPlan, strategies/ddlplan.h), and the table locks
// they take, read from the statement kinds (locksTaken(); docs/production.md, "Locks").
struct ReportDdl {
    QString strategyId;
    QString heading; // "p4-indexes: Composite and partial indexes"
    QString applySql; // the script, with the lock_timeout, the transactions and CONCURRENTLY where it applies
    QString revertSql;
    // "CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE on public.content_tags, reads and writes continue, for the
    // build", one per statement kind and table, in order; locks on the strategy's own new tables are left out (no
    // one else uses them)
    QStringList applyLocks;
    QStringList revertLocks;
};

struct ReportContent {
    QString title; // "Which strategy makes the gallery query fast?"
    QString headerText; // top of every page: the session
    QString question; // the question, with the workload in words when there is one
    QStringList questionWorkloads; // with several workloads: one line each, "multi-all (5 tags): ..."
    QString questionSql; // the baseline's SQL
    QStringList questionParams;
    QList<ReportFact> titleFacts; // server, version, database, dataset, host, cache state, date, PlanSight version
    ReportReviewVerdict review;
    ReportRecommendation recommendation;

    QList<ReportWorkloadSummary> summaries; // one per workload, in the order first run
    QList<ReportStrategySection> sections; // one per run, in the session's order (baseline first)

    QList<ReportFact> machineFacts; // the client machine at the session's start and end (load, CPUs, memory)
    QString machineWarning; // SessionInfo::busyWarning(): the machine was busy; empty when it was not
    // The session's other warnings (SessionResult::warnings without the busy machine's): strategies left behind
    // and reverted, tables left uncompacted, the history not written ...
    QStringList warnings;
    QList<ReportFact> datasetFacts;
    QString datasetFingerprint;
    // The non-default server settings that change plans or speed (settingChangesPlansOrSpeed); DateStyle,
    // locale, ports and the like are left out.
    ReportTable settings;
    bool settingsRecorded = false; // the session recorded the server's settings at all
    // One per strategy of the session that creates objects, in the order first run (the appendix).
    QList<ReportDdl> ddl;
    QList<ReportFact> method; // runs, warm-up, cache state, how times were taken
    QStringList methodNotes;

    SessionResult session; // the numbers the charts are drawn from
    QDateTime generatedAt;
};

// Whether a server setting can change plans or speed: settingChangesPlansOrSpeed() in pg/sessionsettings.h (the
// report lists only those).

// The data set in one line: profile, scale and the rows of each table ("profile genonaut, scale 0.1, 8806125
// content_tags, ..."), without the build details; "not recorded" when empty. The title page and `history show`.
QString describeDataset(const QJsonObject &dataset);

// The ReportDdl of a strategy of the catalog (strategyById); nullopt when it creates no objects or is unknown.
std::optional<ReportDdl> reportDdl(const Strategy &strategy);

// Builds the report of `session`. `strategies` supplies titles and descriptions (typically from the
// strategy catalog); runs of strategies not in it use the run's own title. Never fails: missing data is
// said in the report ("not measured", "no plan recorded").
// The review's verdict is against `expectations` (the built-in review's when null).
ReportContent buildReportContent(const SessionResult &session, const QList<StrategyInfo> &strategies,
    const QDateTime &generatedAt = QDateTime::currentDateTimeUtc(), const ReviewExpectations *expectations = nullptr);
// The same with the titles and descriptions of the built-in strategy catalog.
ReportContent buildReportContent(const SessionResult &session, const ReviewExpectations *expectations = nullptr);

// The review's table of the first page (ReportContent::review), from a verdict.
// `strategies` tells which may serve stale data when a run recorded no staleness.
ReportReviewVerdict reportReviewVerdict(
    const SessionVerdict &verdict, const QString &defaultWorkload, const QList<StrategyInfo> &strategies);

// The report prints its figures and words with the shared formatters of present/format.h and present/words.h
// (formatMs, formatBytes, formatSpeedUp, formatSpeedUpInterval, runCheckWords, formatWriteCost,
// describeMachine); the tests use them to find the printed values in the PDF.

} // namespace plansight
