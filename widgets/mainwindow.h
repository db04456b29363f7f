#pragma once

// PlanSight's main window: connection, workload, strategies and Run on the left; Results, Plan, Database and
// History as tabs; the log pane at the bottom; errors in a non-modal banner. It lives in plansight_widgets (not
// app/) so that GUI tests can drive a whole run through it.
//
// Every database and file operation runs in the background with progress and cancel; the window only swaps the
// plain values they deliver into models and views. Apart from a measurement (BenchJob), that work is typed
// jobs on two lanes (workers/joblane.h): reads (connect, strategy status, catalog, history, plan import), where a
// newer read supersedes an older one of its kind, and changes (apply, revert, demo build), one at a time, never
// cancelled by a read. While a change runs, Run and every other action that changes the database is disabled.
//
// File > Export report... writes the current session (the last run, or the session opened from History) or a
// session picked in History as PDF, JSON or CSV through the export job (reportexport.h): progress and a Cancel
// button in the status bar, errors in the banner. Starting another export cancels the running one.
//
// Threading: GUI thread.

#include "experiment/experiment.h"
#include "gallery/demogenerator.h"
#include "pg/conninfo.h"
#include "reportexport.h"
#include "session/results.h"
#include "workers/dbtasks.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTabWidget;
class QTableView;
class QToolButton;

namespace plansight {
class RefreshScheduler;
class RunExecutor;
}

namespace plansight::gui {

class BannerWidget;
class BenchJob;
class DatabaseView;
class ExperimentEditor;
class HistoryView;
class PlanView;
class ResultsView;
class StrategyListModel;
class JobLane;
class JobProgress;
class WhatIfDialog;
class WorkloadEditor;

// The connection the window takes at start (app/gui.cpp resolves it from the command line and the environment, as
// psql does: pg/conninfo.h, resolveConnection()).
struct StartConnection {
    enum class Kind {
        LastProfile, // nothing named: the saved profile, the demo by default
        Demo, // --demo: the embedded demo, whatever the saved profile
        Server, // options or PGHOST/PGDATABASE/PGSERVICE: this server, listed after the demo and chosen
    };
    Kind kind = Kind::LastProfile;
    QString name; // Server: its entry in the profile list, "alice@db1:5432/app (PGHOST, PGDATABASE)"
    QString conninfo; // Server: empty means libpq's defaults (the PG* variables, service files)
    ConnectionRequest::Prompt prompt = ConnectionRequest::Prompt::Auto; // -W: ask first; -w: never ask
};

struct MainWindowOptions {
    QString demoRoot; // the embedded cluster's root; empty: LocalCluster::defaultRootDir()
    QString historyPath; // empty: HistoryStore::defaultPath()
    double demoScale = demo::DefaultScale; // when the demo has to be created at start
    DemoProfile demoProfile = DemoProfile::Genonaut;
    bool connectAtStart = true; // connect once shown: to `start`'s server, else the last profile (the demo by default)
    StartConnection start;
    bool restoreSettings = true; // geometry, splitters, profile, workload, checks from QSettings
    // How a run's queries are executed and timed (bench/measure.h); empty: on the server. Tests set one with
    // known timings.
    std::shared_ptr<plansight::RunExecutor> executor;
};

// The status bar's server label: "demo 0.1 · PostgreSQL 15.4" on the embedded demo, "host:port/db · PostgreSQL 15.4"
// elsewhere ("local:5432/db" on a Unix socket). The full description is the label's tooltip.
QString shortServerText(const ServerInfo &info);

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const MainWindowOptions &options = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    void connectTo(const ConnectionTarget &target);
    void connectToDemo();
    // Starts a run of the checked strategies on the workload (or preset) in the editor. Returns false (and shows
    // why in the banner) when it cannot start.
    bool startRun();
    void cancelRun();
    void runPreset(const QString &preset); // chooses the preset and starts a run
    // Runs an experiment (the Experiment tab's Run) through the same session job as Run: its baseline and variants on
    // its workloads, with the Run panel's runs and warm-up. On a server that is not the demo the variants' setup and
    // teardown SQL is shown verbatim and runs only once confirmed (`confirm` answers instead of a dialog in tests).
    // Returns false (and shows why in the banner) when it cannot start.
    bool startExperimentRun(
        std::shared_ptr<const plansight::Experiment> experiment, std::function<bool(const QString &sql)> confirm = {});
    void applyStrategy(const QString &id, bool apply); // apply or revert, with confirmation off the demo
    void refreshStrategies(); // reads every strategy's status again (superseding a read still running)
    // Run > What-if index...: opens the what-if dialog (whatifdialog.h) for the editor's workload; its predictions
    // run in the changes lane (HypoPG may be created on the demo, and dropped again).
    void openWhatIf();
    WhatIfDialog *whatIfDialog() const { return m_whatIf; }
    // Adds a settings variant of `strategyId` under `overrides` to the Strategies list, checked (docs/settings.md);
    // false, with the reason in the banner, when the overrides or the strategy are refused.
    bool addSettingsVariant(const QString &strategyId, const QString &overrides);
    QComboBox *variantSettingsBox() const { return m_variantSettings; }

    bool isConnected() const { return m_server.has_value(); }
    const std::optional<ServerInfo> &server() const { return m_server; }
    bool isRunning() const;
    // The lock_timeout of applies and reverts, from the Lock timeout box under the Strategies list (0: no limit).
    int lockTimeoutMs() const;
    bool isChanging() const; // an apply, revert or demo build is running or waiting in the changes lane
    // Whether a run (the gallery's or an experiment's) may start now; says why not, except while one runs.
    bool mayStartRun();
    JobLane *readsLane() const { return m_reads; }
    JobLane *changesLane() const { return m_changes; }
    const SessionResult &lastSession() const { return m_lastSession; }

    WorkloadEditor *workloadEditor() const { return m_workload; }
    StrategyListModel *strategyModel() const { return m_strategies; }
    ResultsView *resultsView() const { return m_results; }
    PlanView *planView() const { return m_plan; }
    DatabaseView *databaseView() const { return m_database; }
    HistoryView *historyView() const { return m_history; }
    ExperimentEditor *experimentEditor() const { return m_experiment; }
    BannerWidget *banner() const { return m_banner; }
    QTabWidget *tabs() const { return m_tabs; }
    QPlainTextEdit *logPane() const { return m_log; }
    JobProgress *jobProgress() const { return m_jobProgress; }
    QSpinBox *runsSpin() const { return m_runs; }
    QSpinBox *warmupSpin() const { return m_warmup; }

    // The export dialog: given the suggested file path, returns the user's choice, or an empty optional when the
    // user cancelled. The default is a save dialog with the filters of exportFilters(); tests supply the path.
    using ExportDialog = std::function<std::optional<ExportRequest>(const QString &suggestedPath)>;
    void setExportDialog(ExportDialog dialog);
    // File > Export report... for the current session, and for session `id` of the history. They ask the export
    // dialog, then start the job; false (and the banner says why) when there is nothing to export or the dialog
    // was cancelled.
    bool exportCurrentSession();
    bool exportHistorySession(qint64 id);
    // Starts the export without a dialog (what the two above do once they have a request).
    void startExport(const ExportRequest &request, std::optional<qint64> historyId = std::nullopt);
    void cancelExport();
    bool isExporting() const { return m_export->isRunning(); }
    QAction *exportAction() const { return m_exportAction; }
    // The running (or last) export job; its finished() comes after the window has shown the outcome.
    const QFutureWatcher<Result<ExportResult>> *exportWatcher() const { return m_export; }

Q_SIGNALS:
    void serverReady(); // connected, tags, users and strategy status known
    void strategiesChanged(); // a status read, apply or revert finished
    void runCompleted(const plansight::SessionResult &session);
    void runFailed(const QString &message);
    void exportWritten(const plansight::gui::ExportResult &result);
    void exportFailed(const QString &message); // an error; a cancelled export emits exportCancelled()
    void exportCancelled();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QWidget *buildLeftPanel();
    // First start (no saved geometry): 1600 x 1000, or nearly all of a smaller screen, centred.
    void fitToScreen();
    void buildActions();
    void restoreState();
    void saveState();
    void refreshProfiles();
    void addProfile();
    void removeProfile();
    void testConnection();
    void createDemo();
    void onServerInfo(const ServerInfo &info);
    void onDemoBuilt(const DemoBuildReport &report);
    void onStrategyChange(const StrategyChange &change);
    void onPlanImported(const ImportedPlan &plan);
    void setBusy(const QString &text, bool busy);
    void log(const QString &line);
    void error(const QString &message, const QString &whatToDo = {});
    void importPlanFile();
    void importPlanClipboard();
    void updateRunButtons();
    void onExportFinished();
    std::optional<ExportRequest> askExportPath(const QString &suggestedPath);
    QString suggestedExportPath(qint64 sessionId) const;
    ConnectionTarget currentTarget() const;
    bool isStartServer() const; // the profile list shows the server StartConnection named

    MainWindowOptions m_options;
    std::optional<ServerInfo> m_server;
    SessionResult m_lastSession;
    bool m_autoBuildTried = false;
    quint64 m_changesEnded = 0; // changes lane jobs that have finished; a status read older than the last is stale

    JobLane *m_reads = nullptr;
    JobLane *m_changes = nullptr;
    // Refreshes p1-matview and p8-tag-counts every 5 minutes while the window is open, where pg_cron does not.
    std::unique_ptr<RefreshScheduler> m_refresher;
    BenchJob *m_bench = nullptr;
    QAction *m_darkAction = nullptr; // View > Dark palette
    QAction *m_logAction = nullptr; // View > Log
    QWidget *m_runGroup = nullptr; // the Run controls, below the scrolled left panel
    int m_runWarnings = 0; // the current run's warnings in the banner (a busy machine's excluded)
    QString m_firstRunWarning;

    BannerWidget *m_banner = nullptr;
    QTabWidget *m_tabs = nullptr;
    ResultsView *m_results = nullptr;
    PlanView *m_plan = nullptr;
    DatabaseView *m_database = nullptr;
    HistoryView *m_history = nullptr;
    ExperimentEditor *m_experiment = nullptr;
    WorkloadEditor *m_workload = nullptr;
    WhatIfDialog *m_whatIf = nullptr;
    StrategyListModel *m_strategies = nullptr;
    QTableView *m_strategyView = nullptr;
    QComboBox *m_profile = nullptr;
    QPushButton *m_connectButton = nullptr;
    QPushButton *m_demoButton = nullptr;
    QPushButton *m_applyButton = nullptr;
    QComboBox *m_variantSettings = nullptr; // the overrides of the next settings variant (docs/settings.md)
    QPushButton *m_addVariantButton = nullptr;
    QPushButton *m_removeVariantButton = nullptr;
    QPushButton *m_revertButton = nullptr;
    QPushButton *m_runButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QSpinBox *m_runs = nullptr;
    QSpinBox *m_warmup = nullptr;
    QSpinBox *m_budget = nullptr; // seconds per strategy and workload, 0: none
    QComboBox *m_cache = nullptr;
    // BenchOptions::keepApplied: follows the server (checked on the demo) until the user clicks it.
    QCheckBox *m_keepApplied = nullptr;
    QSpinBox *m_lockTimeout = nullptr; // seconds; persisted as run/lockTimeout
    bool m_keepAppliedChosen = false;
    // p2-redis (bench --cache-over, --cache-warm, --cache-bypass): the strategy the cache is put in front of, the
    // popular pages stored before the runs, and the bypass.
    QComboBox *m_cacheOver = nullptr;
    QSpinBox *m_cacheWarm = nullptr;
    QCheckBox *m_cacheBypass = nullptr;
    QPlainTextEdit *m_log = nullptr;
    JobProgress *m_jobProgress = nullptr; // the long jobs' one progress display (jobprogress.h)
    QLabel *m_serverLabel = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_rightSplitter = nullptr; // the views above the log
    QSplitter *m_leftSplitter = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QList<QAction *> m_presetActions;

    QAction *m_exportAction = nullptr;
    ExportDialog m_exportDialog;
    QFutureWatcher<Result<ExportResult>> *m_export = nullptr;
    QString m_exportDir; // where the last export went; the next dialog starts there
    QString m_exportFilter; // the filter chosen last
    QString m_exportWhat; // "session 12" for the messages
    JobProgress *m_exportStatus = nullptr; // the export's own display: an export runs beside a run
};

} // namespace plansight::gui
