#include "mainwindow.h"

#include "connectiondialog.h"
#include "pg/conninfo.h"

#include "bannerwidget.h"
#include "benchjob.h"
#include "cache/redisclient.h"
#include "databaseview.h"
#include "democreatedialog.h"
#include "experiment/experimentstrategy.h"
#include "experimenteditor.h"
#include "historyview.h"
#include "jobprogress.h"
#include "pg/localcluster.h"
#include "planview.h"
#include "present/ranking.h"
#include "present/words.h"
#include "resultsview.h"
#include "strategies/refresh.h"
#include "strategies/replicastrategy.h"
#include "strategies/safety.h"
#include "strategies/searchstrategy.h"
#include "strategylistmodel.h"
#include "theme.h"
#include "timingcharts.h"
#include "whatifdialog.h"
#include "workers/joblane.h"
#include "workloadeditor.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcessEnvironment>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace plansight::gui {

namespace {
const QString DemoName = QStringLiteral("Embedded demo");

QGroupBox *group(const QString &title, QWidget *parent)
{
    auto *g = new QGroupBox(title, parent);
    return g;
}

// The status bar's server label is at most this many average characters wide, so that the job's text beside it keeps
// its room: "demo 0.03 · PostgreSQL 15.14" fits, a long host name is elided.
constexpr int ServerLabelChars = 40;
} // namespace

QString shortServerText(const ServerInfo &info)
{
    QString where;
    if (info.target.isDemo) {
        where = QStringLiteral("demo");
        if (info.demo && !info.demo->details.value(QStringLiteral("loaded")).toObject().isEmpty())
            where += QStringLiteral(" (the app's exports)");
        else if (info.demo)
            where += QLatin1Char(' ') + QString::number(info.demo->scale);
    } else {
        // "user@host:port/db" (PgSession::describe()) without the user; a Unix socket's directory is "local".
        where = info.describe.section(QLatin1Char('@'), -1);
        if (where.startsWith(QLatin1Char('/')))
            where = QStringLiteral("local:") + where.section(QLatin1Char(':'), -1);
    }
    return QStringLiteral("%1 · PostgreSQL %2").arg(where, info.serverVersion);
}

MainWindow::MainWindow(const MainWindowOptions &options, QWidget *parent) : QMainWindow(parent), m_options(options)
{
    qRegisterMetaType<ServerInfo>();
    qRegisterMetaType<StrategyChange>();
    qRegisterMetaType<ImportedPlan>();
    qRegisterMetaType<DemoBuildReport>();
    qRegisterMetaType<QList<StrategyRow>>();
    qRegisterMetaType<ExportResult>();
    setWindowTitle(QStringLiteral("PlanSight"));
    setObjectName(QStringLiteral("mainWindow"));

    m_reads = new JobLane(JobLane::Mode::Reads, QStringLiteral("reads"), this);
    m_changes = new JobLane(JobLane::Mode::Changes, QStringLiteral("changes"), this);
    m_bench = new BenchJob(this);

    // Central area: the banner above the views.
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    m_banner = new BannerWidget(central);
    centralLayout->addWidget(m_banner);
    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(QStringLiteral("viewTabs"));
    m_results = new ResultsView(m_tabs);
    m_plan = new PlanView(m_tabs);
    m_database = new DatabaseView(m_reads, m_tabs);
    m_history = new HistoryView(m_reads, m_tabs);
    m_experiment = new ExperimentEditor(m_tabs);
    m_experiment->setObjectName(QStringLiteral("experimentEditor"));
    connect(m_experiment, &ExperimentEditor::runRequested, this,
        [this](std::shared_ptr<const Experiment> experiment) { startExperimentRun(std::move(experiment)); });
    m_history->setHistoryPath(m_options.historyPath);
    m_tabs->addTab(m_results, QStringLiteral("&Results"));
    m_tabs->addTab(m_plan, QStringLiteral("&Plan"));
    m_tabs->addTab(m_database, QStringLiteral("&Database"));
    m_tabs->addTab(m_history, QStringLiteral("&History"));
    m_tabs->addTab(m_experiment, QStringLiteral("E&xperiment"));
    centralLayout->addWidget(m_tabs, 1);

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    // The left panel scrolls instead of squeezing its editors on small screens.
    auto *leftScroll = new QScrollArea(this);
    leftScroll->setObjectName(QStringLiteral("leftPanel"));
    leftScroll->setWidgetResizable(true);
    leftScroll->setFrameShape(QFrame::NoFrame);
    leftScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    leftScroll->setWidget(buildLeftPanel());
    leftScroll->setMinimumWidth(leftScroll->widget()->minimumSizeHint().width() + 16);
    // The Run controls stay below the scrolled part: visible without scrolling on a 1366x768 screen.
    auto *leftColumn = new QWidget(this);
    auto *leftColumnLayout = new QVBoxLayout(leftColumn);
    leftColumnLayout->setContentsMargins(6, 0, 6, 6);
    leftColumnLayout->setSpacing(4);
    leftColumnLayout->addWidget(leftScroll, 1);
    leftColumnLayout->addWidget(m_runGroup);
    // The log pane: every statement a run sent, with its timing, and every step of the other workers. It sits
    // below the views only, so the left column keeps the window's whole height for the workload and the
    // strategies (View > Log hides it).
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("logPane"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(20000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_rightSplitter = new QSplitter(Qt::Vertical, this);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    m_rightSplitter->addWidget(central);
    m_rightSplitter->addWidget(m_log);
    m_rightSplitter->setStretchFactor(0, 1);
    m_rightSplitter->setStretchFactor(1, 0);
    m_rightSplitter->setSizes({ 800, 130 });

    m_mainSplitter->addWidget(leftColumn);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setSizes({ 400, 1200 });
    setCentralWidget(m_mainSplitter);

    // Status bar: server; what is running, with its bar, percent, elapsed time, time left and Cancel.
    m_serverLabel = new QLabel(QStringLiteral("Not connected"), this);
    m_serverLabel->setObjectName(QStringLiteral("serverLabel"));
    m_serverLabel->setMaximumWidth(m_serverLabel->fontMetrics().averageCharWidth() * ServerLabelChars);
    m_jobProgress = new JobProgress(this);
    statusBar()->addWidget(m_serverLabel);
    statusBar()->addWidget(m_jobProgress, 1);
    // Cancel stops the job it shows: the run, else the apply, revert, demo build or read (an export has its own).
    connect(m_jobProgress, &JobProgress::cancelRequested, this, [this] {
        if (m_bench->isRunning()) {
            cancelRun();
            return;
        }
        for (JobLane *lane : { m_changes, m_reads }) {
            for (const JobInfo &job : lane->jobs())
                log(QStringLiteral("Cancelling: ") + job.what);
            lane->cancelAll();
        }
    });
    // The export's own progress and Cancel: an export runs beside a run or a connection.
    m_exportStatus = new JobProgress(this);
    m_exportStatus->setObjectName(QStringLiteral("exportStatus"));
    m_exportStatus->cancelButton()->setObjectName(QStringLiteral("exportCancel"));
    m_exportStatus->cancelButton()->setText(QStringLiteral("Cancel export"));
    m_exportStatus->cancelButton()->setToolTip(QStringLiteral("Stop the export; no file is written."));
    statusBar()->addPermanentWidget(m_exportStatus);
    m_export = new QFutureWatcher<Result<ExportResult>>(this);
    connect(m_export, &QFutureWatcherBase::progressValueChanged, this,
        [this](int value) { m_exportStatus->setProgress(value, ExportProgressMax, {}); });
    connect(m_export, &QFutureWatcherBase::progressTextChanged, this, [this](const QString &text) {
        m_exportStatus->setProgress(
            m_export->progressValue(), ExportProgressMax, QStringLiteral("Exporting %1: %2").arg(m_exportWhat, text));
    });
    connect(m_exportStatus, &JobProgress::cancelRequested, this, &MainWindow::cancelExport);
    connect(m_export, &QFutureWatcherBase::finished, this, &MainWindow::onExportFinished);

    buildActions();
    QMenu *viewMenu = menuBar()->addMenu(QStringLiteral("&View"));
    m_logAction = viewMenu->addAction(QStringLiteral("&Log"));
    m_logAction->setCheckable(true);
    m_logAction->setChecked(true);
    m_logAction->setToolTip(QStringLiteral("The statements and steps of every job, below the views; remembered."));
    connect(m_logAction, &QAction::toggled, m_log, &QWidget::setVisible);
    m_darkAction = viewMenu->addAction(QStringLiteral("&Dark palette"));
    m_darkAction->setCheckable(true);
    m_darkAction->setToolTip(QStringLiteral("Light text on dark backgrounds (widgets/theme.h); remembered."));
    connect(m_darkAction, &QAction::toggled, this, [](bool on) { applyDarkPalette(on); });

    // ---- jobs (workers/joblane.h) ----
    for (JobLane *lane : { m_reads, m_changes }) {
        connect(lane, &JobLane::started, this, [this, lane](const JobInfo &job) {
            log(job.what);
            // A run, apply, revert or demo build keeps the progress display while reads come and go.
            const bool behind = lane == m_reads && (m_changes->isBusy() || m_bench->isRunning());
            setBusy(behind ? QString() : job.what + QStringLiteral("..."), true);
        });
        connect(lane, &JobLane::progress, this,
            [this, lane](const JobInfo &, qint64 done, qint64 total, const QString &text) {
                if (lane == m_reads && (m_changes->isBusy() || m_bench->isRunning()))
                    return;
                m_jobProgress->setProgress(done, total, text);
            });
        connect(lane, &JobLane::finished, this, [this](const JobInfo &job, JobOutcome outcome) {
            if (outcome == JobOutcome::Cancelled)
                log(QStringLiteral("Cancelled: ") + job.what);
            setBusy({}, false);
        });
        connect(lane, &JobLane::busyChanged, this, &MainWindow::updateRunButtons);
    }
    connect(m_changes, &JobLane::finished, this, [this](const JobInfo &job, JobOutcome outcome) {
        ++m_changesEnded;
        // An apply or revert that did not complete may have left anything between the two states: read them.
        if ((job.kind == QLatin1String("apply") || job.kind == QLatin1String("revert")) && outcome != JobOutcome::Done)
            refreshStrategies();
    });
    connect(m_database, &DatabaseView::failed, this, [this](const QString &m) { error(m); });
    connect(m_history, &HistoryView::failed, this, [this](const QString &m) { error(m); });

    connect(m_bench, &BenchJob::started, this, [this] {
        m_runWarnings = 0;
        m_results->clear();
        m_plan->setSession(SessionResult());
        setBusy(QStringLiteral("Running..."), true);
        updateRunButtons();
    });
    connect(m_bench, &BenchJob::progress, m_jobProgress, &JobProgress::setProgress);
    connect(m_bench, &BenchJob::runFinished, this, [this](const StrategyRun &run) {
        m_results->addRun(run);
        m_plan->addRun(run);
        QString params = run.params.join(QStringLiteral(", "));
        if (params.size() > 300)
            params = params.left(300) + QStringLiteral("...");
        log(QStringLiteral("── %1 · %2")
                .arg(run.strategyId, run.workload.describe(m_workload->tagNames(run.workload.tagIds))));
        if (!run.sql.isEmpty()) {
            log(QStringLiteral("   SQL: ") + run.sql.simplified());
            log(QStringLiteral("   parameters: ") + params);
        }
        if (run.outcome == RunOutcome::Ok) {
            QStringList times;
            for (double t : run.timingsMs)
                times << QString::number(t, 'f', 2);
            log(QStringLiteral("   %1 warm-up + %2 measured runs (ms): %3")
                    .arg(run.warmupRuns)
                    .arg(run.timingsMs.size())
                    .arg(times.join(QStringLiteral(" "))));
            log(QStringLiteral("   p50 %1, p95 %2, prepared p50 %3, server %4, JIT %5, check %6")
                    .arg(formatMs(run.stats.p50Ms), formatMs(run.stats.p95Ms), formatPreparedMedian(run),
                        serverTimeWords(run), formatJitTime(run), checkWords(run.check)));
        } else {
            log(QStringLiteral("   %1: %2").arg(outcomeWords(run.outcome), run.error));
        }
        if (!run.note.isEmpty())
            log(QStringLiteral("   note: ") + run.note);
        if (run.footprint.bytes >= 0 || run.footprint.buildMs >= 0)
            m_strategies->setFootprint(run.strategyId, run.footprint.bytes, run.footprint.buildMs);
    });
    connect(m_bench, &BenchJob::finished, this, [this](const SessionResult &session) {
        setBusy({}, false);
        m_lastSession = session;
        m_exportAction->setEnabled(!m_lastSession.runs.isEmpty());
        m_results->setSession(session);
        m_plan->setSession(session);
        log(QStringLiteral("Session finished: %1 run(s). %2")
                .arg(session.runs.size())
                .arg(rankSession(session).sentence()));
        if (const QString busy = session.info.busyWarning(); !busy.isEmpty())
            log(QStringLiteral("Warning: ") + busy);
        bool cancelled = false;
        for (const StrategyRun &r : session.runs)
            cancelled = cancelled || r.outcome == RunOutcome::Cancelled;
        // A warning of the run (shown just before) says more than "cancelled": keep it.
        if (cancelled && !(!m_banner->isHidden() && m_banner->kind() == BannerWidget::Kind::Warning))
            m_banner->showMessage(BannerWidget::Kind::Info, QStringLiteral("The run was cancelled."),
                QStringLiteral("What it measured before is kept in Results and in the history."));
        m_history->refresh();
        refreshStrategies();
        updateRunButtons();
        Q_EMIT runCompleted(session);
    });
    connect(m_bench, &BenchJob::notice, this, [this](const QString &text) { log(text); });
    // The runner's warnings as they happen: every one in the log; the banner keeps the run's first (a later one
    // only adds to the count), and a busy machine is said by the Results summary instead.
    connect(m_bench, &BenchJob::warning, this, [this](const QString &text) {
        log(QStringLiteral("Warning: ") + text);
        if (SessionInfo::isBusyWarning(text))
            return;
        ++m_runWarnings;
        if (m_runWarnings == 1)
            m_firstRunWarning = text;
        m_banner->showMessage(BannerWidget::Kind::Warning, m_firstRunWarning,
            m_runWarnings == 1
                ? QStringLiteral("The log has every warning of the run.")
                : QStringLiteral("The log has this and %1 more warning(s) of the run.").arg(m_runWarnings - 1));
    });
    connect(m_bench, &BenchJob::failed, this, [this](const QString &message) {
        setBusy({}, false);
        error(message,
            QStringLiteral("The runs measured before are kept in Results and in the history. Check the server and run "
                           "again (F5)."));
        updateRunButtons();
        Q_EMIT runFailed(message);
    });

    connect(m_history, &HistoryView::exportRequested, this, [this](qint64 id) { exportHistorySession(id); });
    connect(m_history, &HistoryView::sessionOpened, this, [this](const SessionResult &s) {
        m_lastSession = s;
        m_exportAction->setEnabled(!m_lastSession.runs.isEmpty());
        m_results->setSession(s);
        m_plan->setSession(s);
        m_tabs->setCurrentWidget(m_results);
    });
    connect(m_results, &ResultsView::runActivated, this, [this](const QString &id, const QString &key) {
        if (m_plan->showRun(id, key))
            m_tabs->setCurrentWidget(m_plan);
    });
    connect(m_plan, &PlanView::importFileRequested, this, &MainWindow::importPlanFile);
    connect(m_plan, &PlanView::importClipboardRequested, this, &MainWindow::importPlanClipboard);

    // The catalog is listed from the start; each status is read once a server is connected.
    QList<StrategyRow> catalog;
    for (const auto &strategy : allStrategies()) {
        StrategyRow row;
        row.info = strategy->info();
        row.plannedObjects = strategy->plannedObjects();
        catalog << row;
    }
    m_strategies->setRows(catalog);
    refreshProfiles();
    if (m_options.restoreSettings)
        restoreState();
    else
        fitToScreen();
    // A server named on the command line or by the environment wins over the saved profile, as in psql; so does
    // --demo.
    if (m_options.start.kind == StartConnection::Kind::Server)
        m_profile->setCurrentIndex(1);
    else if (m_options.start.kind == StartConnection::Kind::Demo)
        m_profile->setCurrentIndex(0);
    updateRunButtons();
    m_history->refresh();
    if (m_options.connectAtStart)
        QMetaObject::invokeMethod(
            this,
            [this] {
                const ConnectionTarget target = currentTarget();
                if (isStartServer() && m_options.start.prompt == ConnectionRequest::Prompt::Always) {
                    // -W: the password is asked for before the first attempt, as psql does.
                    askForPassword(this, target.conninfo,
                        conninfoUser(target.conninfo, QProcessEnvironment::systemEnvironment()),
                        [this, target](const QString &password) {
                            ConnectionTarget t = target;
                            t.conninfo = withPassword(target.conninfo, password);
                            connectTo(t);
                        });
                    return;
                }
                connectTo(target);
            },
            Qt::QueuedConnection);
}

MainWindow::~MainWindow()
{
    // The job owns what it writes from; cancelled, it removes its temporary file on its pool thread. Not waited
    // for: a history export's loading step finishes on this thread (reportexport.h).
    m_export->future().cancel();
}

QWidget *MainWindow::buildLeftPanel()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(6, 6, 6, 6);

    // Connection: a bar across the top of the window, so the left column keeps its height for the workload and the
    // strategies.
    auto *bar = new QToolBar(QStringLiteral("Connection"), this);
    bar->setObjectName(QStringLiteral("connectionBar"));
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->toggleViewAction()->setEnabled(false); // the window is of no use without it
    auto *conn = new QWidget(bar);
    auto *connRow = new QHBoxLayout(conn);
    connRow->setContentsMargins(6, 2, 6, 2);
    auto *serverLabel = new QLabel(QStringLiteral("&Server"), conn);
    m_profile = new QComboBox(conn);
    m_profile->setObjectName(QStringLiteral("profile"));
    m_profile->setToolTip(
        QStringLiteral("The embedded demo, or a saved profile (Connection... makes one). "
                       "Passwords come from ~/.pgpass or service files; PlanSight never stores them."));
    m_profile->setMinimumContentsLength(28);
    m_profile->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    serverLabel->setBuddy(m_profile);
    connRow->addWidget(serverLabel);
    connRow->addWidget(m_profile);
    m_connectButton = new QPushButton(QStringLiteral("Connect"), conn);
    m_connectButton->setToolTip(QStringLiteral("Connect to the selected server (Ctrl+K)."));
    m_connectButton->setShortcut(QKeySequence(QStringLiteral("Ctrl+K")));
    m_connectButton->setObjectName(QStringLiteral("connectButton"));
    connRow->addWidget(m_connectButton);
    auto *test = new QPushButton(QStringLiteral("Test"), conn);
    test->setToolTip(QStringLiteral("Try the selected connection without switching to it."));
    auto *add = new QPushButton(QStringLiteral("Connection..."), conn);
    add->setToolTip(QStringLiteral(
        "Connect to a server: host, port, database, user, SSL mode, service or a URI; Test; saved profiles."));
    auto *remove = new QPushButton(QStringLiteral("Remove"), conn);
    auto *demoButton = m_demoButton = new QPushButton(QStringLiteral("Create demo..."), conn);
    demoButton->setObjectName(QStringLiteral("createDemoButton"));
    demoButton->setToolTip(QStringLiteral("Build (or rebuild) the embedded demo database: profile, scale, seed."));
    connRow->addWidget(test);
    connRow->addWidget(add);
    connRow->addWidget(remove);
    connRow->addWidget(demoButton);
    connRow->addStretch(1);
    bar->addWidget(conn);
    addToolBar(Qt::TopToolBarArea, bar);
    connect(m_connectButton, &QPushButton::clicked, this, [this] { connectTo(currentTarget()); });
    connect(test, &QPushButton::clicked, this, &MainWindow::testConnection);
    connect(add, &QPushButton::clicked, this, &MainWindow::addProfile);
    connect(remove, &QPushButton::clicked, this, &MainWindow::removeProfile);
    connect(demoButton, &QPushButton::clicked, this, &MainWindow::createDemo);

    // Workload.
    auto *wl = group(QStringLiteral("Workload"), panel);
    auto *wlLayout = new QVBoxLayout(wl);
    m_workload = new WorkloadEditor(wl);
    wlLayout->addWidget(m_workload);

    // Strategies.
    auto *st = group(QStringLiteral("Strategies"), panel);
    auto *stLayout = new QVBoxLayout(st);
    m_strategies = new StrategyListModel(this);
    m_strategyView = new QTableView(st);
    m_strategyView->setObjectName(QStringLiteral("strategyView"));
    m_strategyView->setModel(m_strategies);
    m_strategyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_strategyView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_strategyView->verticalHeader()->setVisible(false);
    m_strategyView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_strategyView->horizontalHeader()->setSectionResizeMode(StrategyListModel::StrategyColumn, QHeaderView::Stretch);
    m_strategyView->verticalHeader()->setDefaultSectionSize(m_strategyView->fontMetrics().height() + 6);
    m_strategyView->setWordWrap(false);
    m_strategyView->setMinimumHeight(m_strategyView->verticalHeader()->defaultSectionSize() * 6 + 8);
    stLayout->addWidget(m_strategyView, 1);
    auto *stButtons = new QHBoxLayout;
    m_applyButton = new QPushButton(QStringLiteral("Apply"), st);
    m_applyButton->setToolTip(QStringLiteral("Build the selected strategy's objects (Ctrl+Shift+A)."));
    m_applyButton->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+A")));
    m_applyButton->setObjectName(QStringLiteral("applyButton"));
    m_revertButton = new QPushButton(QStringLiteral("Revert"), st);
    m_revertButton->setToolTip(QStringLiteral("Remove the selected strategy's objects (Ctrl+Shift+R)."));
    m_revertButton->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+R")));
    m_revertButton->setObjectName(QStringLiteral("revertButton"));
    auto *refresh = new QPushButton(QStringLiteral("Refresh"), st);
    refresh->setToolTip(QStringLiteral("Read every strategy's status from the server again."));
    // The lock_timeout of every DDL statement of an apply or a revert, from these buttons and from a run that builds
    // or reverts strategies (docs/production.md, "Lock timeout"); the CLI's --lock-timeout.
    m_lockTimeout = new QSpinBox(st);
    m_lockTimeout->setObjectName(QStringLiteral("lockTimeout"));
    m_lockTimeout->setRange(0, 3600);
    m_lockTimeout->setValue(DefaultLockTimeoutMs / 1000);
    m_lockTimeout->setSuffix(QStringLiteral(" s"));
    m_lockTimeout->setSpecialValueText(QStringLiteral("no limit"));
    m_lockTimeout->setToolTip(QStringLiteral(
        "How long each DDL statement of an apply or a revert may wait for its lock (lock_timeout). A statement that "
        "waits longer fails, naming who holds the lock, instead of queueing the application's queries behind it; "
        "nothing half-built is left. 0: no limit."));
    auto *lockLabel = new QLabel(QStringLiteral("Lock timeout"), st);
    lockLabel->setBuddy(m_lockTimeout);
    lockLabel->setToolTip(m_lockTimeout->toolTip());
    stButtons->addWidget(m_applyButton);
    stButtons->addWidget(m_revertButton);
    stButtons->addStretch();
    stButtons->addWidget(lockLabel);
    stButtons->addWidget(m_lockTimeout);
    stButtons->addWidget(refresh);
    stLayout->addLayout(stButtons);
    // Settings variants (docs/settings.md): the selected strategy again, under setting overrides, as a row of its own.
    auto *variantRow = new QHBoxLayout;
    m_variantSettings = new QComboBox(st);
    m_variantSettings->setObjectName(QStringLiteral("variantSettings"));
    m_variantSettings->setEditable(true);
    m_variantSettings->setInsertPolicy(QComboBox::NoInsert);
    for (const SettingsPreset &p : settingsPresets())
        m_variantSettings->addItem(p.name);
    m_variantSettings->setCurrentIndex(0);
    m_variantSettings->lineEdit()->setPlaceholderText(QStringLiteral("jit=off;work_mem=64MB"));
    QString presetTips;
    for (const SettingsPreset &p : settingsPresets())
        presetTips += QStringLiteral("<br><b>%1</b>: %2").arg(p.name.toHtmlEscaped(), p.description.toHtmlEscaped());
    m_variantSettings->setToolTip(
        QStringLiteral("Setting overrides for a settings variant: name=value pairs separated by ';' "
                       "(random_page_cost=1.1;work_mem=64MB), or a preset:%1<br>Only settings that change plans or "
                       "speed: planner costs, enable_*, memory, parallelism, JIT (bench --settings).")
            .arg(presetTips));
    m_addVariantButton = new QPushButton(QStringLiteral("Add variant"), st);
    m_addVariantButton->setObjectName(QStringLiteral("addVariantButton"));
    m_addVariantButton->setToolTip(
        QStringLiteral("Add the selected strategy under these settings as a row of its own, \"baseline [jit=off]\": "
                       "the same objects and query, checked against the baseline like any other row."));
    m_removeVariantButton = new QPushButton(QStringLiteral("Remove"), st);
    m_removeVariantButton->setObjectName(QStringLiteral("removeVariantButton"));
    m_removeVariantButton->setToolTip(QStringLiteral("Remove the selected settings variant from the list."));
    auto *variantLabel = new QLabel(QStringLiteral("Settings"), st);
    variantLabel->setBuddy(m_variantSettings);
    variantLabel->setToolTip(m_variantSettings->toolTip());
    variantRow->addWidget(variantLabel);
    variantRow->addWidget(m_variantSettings, 1);
    variantRow->addWidget(m_addVariantButton);
    variantRow->addWidget(m_removeVariantButton);
    stLayout->addLayout(variantRow);
    const auto selectedId = [this] {
        const QModelIndex idx = m_strategyView->currentIndex();
        return idx.isValid() ? idx.siblingAtColumn(0).data(StrategyListModel::StrategyIdRole).toString() : QString();
    };
    connect(m_applyButton, &QPushButton::clicked, this, [this, selectedId] { applyStrategy(selectedId(), true); });
    connect(m_revertButton, &QPushButton::clicked, this, [this, selectedId] { applyStrategy(selectedId(), false); });
    connect(refresh, &QPushButton::clicked, this, &MainWindow::refreshStrategies);
    connect(m_addVariantButton, &QPushButton::clicked, this,
        [this, selectedId] { addSettingsVariant(selectedId(), m_variantSettings->currentText()); });
    connect(m_variantSettings->lineEdit(), &QLineEdit::returnPressed, this,
        [this, selectedId] { addSettingsVariant(selectedId(), m_variantSettings->currentText()); });
    connect(m_removeVariantButton, &QPushButton::clicked, this, [this, selectedId] {
        if (m_strategies->removeVariant(selectedId()))
            updateRunButtons();
    });
    connect(
        m_strategyView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::updateRunButtons);
    connect(m_strategies, &StrategyListModel::checksChanged, this, &MainWindow::updateRunButtons);

    // Run.
    auto *run = group(QStringLiteral("Run"), panel);
    auto *runLayout = new QVBoxLayout(run);
    auto *runForm = new QHBoxLayout;
    m_runs = new QSpinBox(run);
    m_runs->setObjectName(QStringLiteral("runs"));
    m_runs->setRange(1, 10000);
    m_runs->setValue(10);
    m_runs->setToolTip(QStringLiteral("Measured runs per strategy and workload."));
    m_warmup = new QSpinBox(run);
    m_warmup->setObjectName(QStringLiteral("warmup"));
    m_warmup->setRange(0, 1000);
    m_warmup->setValue(2);
    m_warmup->setToolTip(QStringLiteral("Untimed runs before measuring."));
    m_budget = new QSpinBox(run);
    m_budget->setObjectName(QStringLiteral("budget"));
    m_budget->setRange(0, 24 * 3600);
    m_budget->setValue(0);
    m_budget->setSuffix(QStringLiteral(" s"));
    m_budget->setSpecialValueText(QStringLiteral("none"));
    m_budget->setToolTip(
        QStringLiteral("Time budget per strategy and workload: once spent, its remaining warm-up and "
                       "measured runs are skipped (at least one run is made; the results say how many)."));
    m_cache = new QComboBox(run);
    m_cache->addItem(QStringLiteral("warm"), int(CacheState::Warm));
    m_cache->addItem(QStringLiteral("cold"), int(CacheState::Cold));
    m_cache->setToolTip(QStringLiteral("Cold restarts the embedded cluster before every measured run (demo only)."));
    runForm->addWidget(new QLabel(QStringLiteral("Runs"), run));
    runForm->addWidget(m_runs);
    runForm->addWidget(new QLabel(QStringLiteral("warm-up"), run));
    runForm->addWidget(m_warmup);
    runForm->addWidget(new QLabel(QStringLiteral("budget"), run));
    runForm->addWidget(m_budget);
    runForm->addWidget(new QLabel(QStringLiteral("cache"), run));
    runForm->addWidget(m_cache);
    runLayout->addLayout(runForm);
    // p2-redis's cache, as bench --cache-over, --cache-warm and --cache-bypass.
    auto *cacheForm = new QHBoxLayout;
    m_cacheOver = new QComboBox(run);
    m_cacheOver->setObjectName(QStringLiteral("cacheOver"));
    for (const auto &s : allStrategies())
        if (!s->id().startsWith(QLatin1String("p2-redis")))
            m_cacheOver->addItem(s->id(), s->id());
    m_cacheOver->setCurrentIndex(std::max(0, m_cacheOver->findData(QStringLiteral("baseline"))));
    m_cacheOver->setToolTip(QStringLiteral("The strategy p2-redis caches: a miss asks it (bench --cache-over)."));
    m_cacheWarm = new QSpinBox(run);
    m_cacheWarm->setObjectName(QStringLiteral("cacheWarm"));
    m_cacheWarm->setRange(0, 10000);
    m_cacheWarm->setSpecialValueText(QStringLiteral("none"));
    m_cacheWarm->setSuffix(QStringLiteral(" tags"));
    m_cacheWarm->setToolTip(QStringLiteral(
        "Before the runs, store in Redis the first page of each of this many most used tags (bench --cache-warm)."));
    m_cacheBypass = new QCheckBox(QStringLiteral("bypass"), run);
    m_cacheBypass->setObjectName(QStringLiteral("cacheBypass"));
    m_cacheBypass->setToolTip(
        QStringLiteral("p2-redis does not ask Redis: the inner strategy answers (bench --cache-bypass)."));
    cacheForm->addWidget(new QLabel(QStringLiteral("Redis over"), run));
    cacheForm->addWidget(m_cacheOver, 1);
    cacheForm->addWidget(new QLabel(QStringLiteral("warm"), run));
    cacheForm->addWidget(m_cacheWarm);
    cacheForm->addWidget(m_cacheBypass);
    runLayout->addLayout(cacheForm);
    auto *runButtons = new QHBoxLayout;
    m_runButton = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), QStringLiteral("Run (F5)"), run);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_cancelButton = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), QStringLiteral("Cancel (Esc)"), run);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_keepApplied = new QCheckBox(QStringLiteral("Keep applied"), run);
    m_keepApplied->setObjectName(QStringLiteral("keepApplied"));
    m_keepApplied->setToolTip(
        QStringLiteral("Keep strategies whose objects are their own (tables, views, copies: no other strategy's plan "
                       "can use them) applied after their runs, for the next strategies and sessions. Checked by "
                       "default on the embedded demo, unchecked elsewhere. Strategies that add indexes or columns to "
                       "the base tables are always applied, measured and reverted in turn."));
    connect(m_keepApplied, &QCheckBox::clicked, this, [this] { m_keepAppliedChosen = true; });
    runButtons->addWidget(m_keepApplied);
    runButtons->addWidget(m_runButton, 1);
    runButtons->addWidget(m_cancelButton, 1);
    runLayout->addLayout(runButtons);
    connect(m_runButton, &QPushButton::clicked, this, &MainWindow::startRun);
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelRun);

    m_leftSplitter = new QSplitter(Qt::Vertical, panel);
    m_leftSplitter->setObjectName(QStringLiteral("leftSplitter"));
    m_leftSplitter->addWidget(wl);
    m_leftSplitter->addWidget(st);
    m_leftSplitter->setChildrenCollapsible(false);
    // The workload keeps its natural height (its tag list scrolls); the strategies take the rest, so the whole
    // catalog is in view on a 1600x1000 window (tst_firstsight).
    m_leftSplitter->setStretchFactor(0, 0);
    m_leftSplitter->setStretchFactor(1, 1);
    // The workload at its natural height less the tag list's extra rows, the strategies the rest.
    m_leftSplitter->setSizes({ wl->sizeHint().height() - m_workload->tagListSpareHeight(), 10000 });
    layout->addWidget(m_leftSplitter, 1);
    m_runGroup = run; // laid out below the scrolled panel (see the constructor)
    panel->setMinimumWidth(360);
    return panel;
}

void MainWindow::buildActions()
{
    auto *file = menuBar()->addMenu(QStringLiteral("&File"));
    auto *importFile = file->addAction(QStringLiteral("&Import plan from file..."), this, &MainWindow::importPlanFile);
    importFile->setShortcut(QKeySequence::Open);
    auto *paste
        = file->addAction(QStringLiteral("Import plan from &clipboard"), this, &MainWindow::importPlanClipboard);
    paste->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+V")));
    auto *openExperiment = file->addAction(QStringLiteral("Open e&xperiment..."), this, [this] {
        m_tabs->setCurrentWidget(m_experiment);
        QMetaObject::invokeMethod(m_experiment->findChild<QPushButton *>(QStringLiteral("experimentOpen")), "click");
    });
    openExperiment->setStatusTip(QStringLiteral("Open an experiment directory (experiment.toml and its SQL) in the "
                                                "Experiment tab, to edit, save and run it."));
    file->addSeparator();
    m_exportAction = file->addAction(QStringLiteral("&Export report..."), this, &MainWindow::exportCurrentSession);
    m_exportAction->setObjectName(QStringLiteral("exportReportAction"));
    m_exportAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
    m_exportAction->setStatusTip(
        QStringLiteral("Write the current session as a PDF report, JSON or CSV (sessions in History: "
                       "select one and press Export)."));
    m_exportAction->setEnabled(false);
    file->addSeparator();
    auto *quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto *runMenu = menuBar()->addMenu(QStringLiteral("&Run"));
    m_runAction = runMenu->addAction(QStringLiteral("&Run"), this, &MainWindow::startRun);
    m_runAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_cancelAction = runMenu->addAction(QStringLiteral("&Cancel"), this, &MainWindow::cancelRun);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    runMenu->addSeparator();
    auto *whatIf = runMenu->addAction(QStringLiteral("&What-if index..."), this, &MainWindow::openWhatIf);
    whatIf->setObjectName(QStringLiteral("whatIfAction"));
    whatIf->setShortcut(QKeySequence(QStringLiteral("Ctrl+I")));
    whatIf->setStatusTip(QStringLiteral("The plan the planner would choose with an index that is not built yet, and "
                                        "its estimated size (HypoPG)."));
    runMenu->addSeparator();
    for (const PresetInfo &p : presets()) {
        auto *a = runMenu->addAction(
            QStringLiteral("Run preset %1").arg(p.name), this, [this, name = p.name] { runPreset(name); });
        a->setToolTip(p.description);
        m_presetActions << a;
    }
    auto *focusTags = new QAction(this);
    focusTags->setShortcut(QKeySequence::Find);
    connect(focusTags, &QAction::triggered, this, [this] {
        if (auto *search = m_workload->findChild<QWidget *>(QStringLiteral("tagSearch")))
            search->setFocus();
    });
    addAction(focusTags);
    for (int i = 0; i < 4; ++i) {
        auto *a = new QAction(this);
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        connect(a, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
        addAction(a);
    }
}

ConnectionTarget MainWindow::currentTarget() const
{
    ConnectionTarget t;
    t.name = m_profile->currentText();
    // The demo is the first entry; a server's connection string may be empty (libpq's defaults: PG* variables).
    t.isDemo = m_profile->currentIndex() <= 0;
    t.conninfo = m_profile->currentData().toString();
    t.mayAskPassword = !(isStartServer() && m_options.start.prompt == ConnectionRequest::Prompt::Never);
    t.demoRoot = m_options.demoRoot.isEmpty() ? LocalCluster::defaultRootDir() : m_options.demoRoot;
    if (!t.isDemo) {
        for (const ConnectionProfile &p : profiles::load())
            if (p.name == t.name) {
                t.redis = p.redis;
                t.replica = p.replica;
                t.search = p.search;
            }
    }
    return t;
}

void MainWindow::refreshProfiles()
{
    const QString current = m_profile->currentText();
    QSignalBlocker block(m_profile);
    m_profile->clear();
    m_profile->addItem(DemoName, QString());
    if (m_options.start.kind == StartConnection::Kind::Server)
        m_profile->addItem(m_options.start.name, m_options.start.conninfo);
    for (const ConnectionProfile &p : profiles::load())
        m_profile->addItem(p.name, p.conninfo());
    m_profile->setCurrentIndex(std::max(0, m_profile->findText(current)));
}

void MainWindow::addProfile()
{
    // The connection dialog (connectiondialog.h): fields or a URI, Test, saved profiles without passwords.
    ConnectionDialog dialog(this);
    if (m_profile->currentIndex() > 0)
        for (const ConnectionProfile &p : profiles::load())
            if (p.name == m_profile->currentText())
                dialog.setProfile(p);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ConnectionProfile p = dialog.profile();
    ConnectionTarget t = currentTarget();
    t.isDemo = false;
    t.name = p.name.isEmpty() ? displayConninfo(p.conninfo()) : p.name;
    t.conninfo = dialog.conninfoToConnect(); // with the password given in the dialog, in memory only
    t.redis = p.redis;
    t.replica = p.replica;
    t.search = p.search;
    if (!p.name.isEmpty()) {
        if (auto st = profiles::save(p); !st) {
            error(st.error().message, st.error().hint);
            return;
        }
        refreshProfiles();
        m_profile->setCurrentIndex(m_profile->findText(p.name));
    }
    connectTo(t);
}

bool MainWindow::isStartServer() const
{
    return m_options.start.kind == StartConnection::Kind::Server && m_profile->currentIndex() == 1;
}

void MainWindow::removeProfile()
{
    if (m_profile->currentIndex() <= 0 || isStartServer())
        return;
    profiles::remove(m_profile->currentText());
    refreshProfiles();
}

void MainWindow::connectToDemo()
{
    m_profile->setCurrentIndex(0);
    connectTo(currentTarget());
}

void MainWindow::connectTo(const ConnectionTarget &target)
{
    m_banner->dismiss();
    // p7-replica reads from the standby named with this server (strategies/replicastrategy.h); the demo's is its own.
    setReplicaConfig(ReplicaConfig { target.isDemo ? QString() : target.replica, replicaConfig().maxLagMs });
    // p10-search's server (strategies/searchstrategy.h): on the demo PlanSight's own beside the cluster (for the
    // window's apply, revert and runs alike), else the profile's.
    SearchConfig search;
    if (target.isDemo) {
        const QString root = target.demoRoot.isEmpty() ? LocalCluster::defaultRootDir() : target.demoRoot;
        search.serverRoot = QDir::cleanPath(QDir(root).absolutePath()) + QStringLiteral("/search");
    } else if (!target.search.isEmpty()) {
        if (auto endpoint = parseSearchAddress(target.search); endpoint)
            search.endpoint = endpoint.value();
    }
    setSearchConfig(search);
    m_reads->start<ServerInfo>(
        QStringLiteral("connect"), QStringLiteral("Connecting to %1").arg(target.name),
        [target](CancelToken *cancel, const ProgressFn &progress) { return probeServer(target, cancel, progress); },
        [this, target](const Result<ServerInfo> &r) {
            if (!r && r.error().code == errc::PasswordNeeded && !target.isDemo && target.mayAskPassword) {
                // The server asks for a password: the keychain's, or the password dialog's, then connect again.
                const QString user = conninfoUser(target.conninfo, QProcessEnvironment::systemEnvironment());
                askForPassword(this, target.conninfo, user, [this, target](const QString &password) {
                    ConnectionTarget t = target;
                    t.conninfo = withPassword(target.conninfo, password);
                    connectTo(t);
                });
                return;
            }
            r ? onServerInfo(r.value()) : error(r.error().toString());
        });
}

void MainWindow::testConnection()
{
    const ConnectionTarget target = currentTarget();
    m_reads->start<ServerInfo>(
        QStringLiteral("test-connection"), QStringLiteral("Testing %1").arg(target.name),
        [target](CancelToken *cancel, const ProgressFn &progress) { return probeServer(target, cancel, progress); },
        [this](const Result<ServerInfo> &r) {
            if (!r) {
                error(QStringLiteral("The connection test failed: ") + r.error().toString());
                return;
            }
            m_banner->showMessage(BannerWidget::Kind::Info,
                QStringLiteral("The connection works: %1, PostgreSQL %2.").arg(r->describe, r->serverVersion),
                r->hasGallerySchema
                    ? QStringLiteral("The gallery tables are there.")
                    : QStringLiteral("The gallery tables are missing: PlanSight needs a copy of the app's database."));
        });
}

void MainWindow::onServerInfo(const ServerInfo &info)
{
    if (info.target.isDemo && !info.demoReady) {
        // `plansight` with no arguments: the demo is created at the default scale when it is not there, and an
        // unfinished build is built again with the arguments it was started with.
        DemoOptions o;
        o.scale = m_options.demoScale;
        o.profile = m_options.demoProfile;
        if (info.demoRequested)
            o = *info.demoRequested;
        if (m_autoBuildTried) {
            error(QStringLiteral("The embedded demo database is not complete: nothing can be measured on it."),
                QStringLiteral("Create it with Create demo..., or: %1").arg(demoUpCommand(o)));
            return;
        }
        m_autoBuildTried = true;
        const QString root = info.target.demoRoot;
        m_banner->showMessage(BannerWidget::Kind::Info,
            QStringLiteral("Creating the embedded demo (%1).").arg(o.describe()),
            QStringLiteral("This happens once; Esc cancels. Progress is in the status bar."));
        m_changes->start<DemoBuildReport>(
            QStringLiteral("demo"), QStringLiteral("Building the demo database (%1)").arg(o.describe()),
            [root, o](CancelToken *cancel, const ProgressFn &progress) {
                return buildDemoDatabase(root, o, cancel, progress);
            },
            [this](const Result<DemoBuildReport> &r) { r ? onDemoBuilt(r.value()) : error(r.error().toString()); });
        return;
    }
    if (info.demoUnfinished) {
        // A half-built demo (no rows, or no indexes) must not be measured or counted.
        error(info.unfinishedMessage, info.unfinishedHint);
        return;
    }
    m_server = info;
    m_refresher.reset();
    m_refresher = std::make_unique<RefreshScheduler>(info.conninfo, RefreshIntervalSeconds, [this](const QString &e) {
        QMetaObject::invokeMethod(
            this, [this, e] { log(e); }, Qt::QueuedConnection);
    });
    if (!m_keepAppliedChosen)
        m_keepApplied->setChecked(info.target.isDemo);
    if (m_banner->kind() == BannerWidget::Kind::Info)
        m_banner->dismiss();
    // Short in the status bar (elided when it is still too long), everything in the tooltip.
    QString full = QStringLiteral("PostgreSQL %1 · %2").arg(info.serverVersion, info.database);
    full += info.target.isDemo ? QStringLiteral(" · embedded demo") : QStringLiteral(" · ") + info.describe;
    if (info.demo)
        full += QStringLiteral(" (%1)").arg(info.demo->describe());
    if (info.target.isDemo)
        full += QLatin1Char('\n') + info.describe;
    m_serverLabel->setText(
        m_serverLabel->fontMetrics().elidedText(shortServerText(info), Qt::ElideMiddle, m_serverLabel->maximumWidth()));
    m_serverLabel->setToolTip(full);
    log(QStringLiteral("Connected: %1, PostgreSQL %2").arg(info.describe, info.serverVersion));
    m_workload->setTags(info.tags);
    m_workload->setUsers(info.users, demo::AdminUserId);
    if (!info.hasGallerySchema)
        m_banner->showMessage(BannerWidget::Kind::Warning,
            QStringLiteral("This database has no gallery tables (content_items, content_tags, tags, users)."),
            QStringLiteral("Connect to a copy of the gallery app's database, or use the embedded demo."));
    m_database->setConnection(info.conninfo);
    m_database->refresh();
    refreshStrategies();
}

void MainWindow::refreshStrategies()
{
    if (!m_server)
        return;
    const QString conninfo = m_server->conninfo;
    const quint64 changesEnded = m_changesEnded;
    m_reads->start<QList<StrategyRow>>(
        QStringLiteral("strategy-status"), QStringLiteral("Reading strategy status"),
        [conninfo](
            CancelToken *cancel, const ProgressFn &progress) { return readStrategyStatus(conninfo, cancel, progress); },
        [this, changesEnded](const Result<QList<StrategyRow>> &r) {
            if (!r) {
                error(r.error().toString());
                return;
            }
            // A change that ended after this read began brought newer rows (or started a newer read).
            if (changesEnded != m_changesEnded)
                return;
            m_strategies->setRows(r.value());
            updateRunButtons();
            Q_EMIT strategiesChanged();
            if (m_server && !isRunning())
                Q_EMIT serverReady();
        });
}

void MainWindow::applyStrategy(const QString &id, bool apply)
{
    if (!m_server || id.isEmpty())
        return;
    if (isRunning() || isChanging()) {
        error(QStringLiteral("%1 cannot be %2 while %3.")
                  .arg(id, apply ? QStringLiteral("applied") : QStringLiteral("reverted"),
                      isRunning() ? QStringLiteral("a run measures the database")
                                  : QStringLiteral("another change runs")),
            QStringLiteral("Wait for it to finish, or cancel it (Esc)."));
        return;
    }
    const StrategyRow *row = m_strategies->row(id);
    if (!row)
        return;
    if (!row->info.needsObjects) {
        m_banner->showMessage(BannerWidget::Kind::Info,
            QStringLiteral("%1 only changes the query: there is nothing to %2.")
                .arg(id, apply ? QStringLiteral("apply") : QStringLiteral("revert")));
        return;
    }
    if (!m_server->target.isDemo) {
        const QStringList objects = apply ? row->plannedObjects : row->status.present;
        const QString text = apply ? QStringLiteral("Apply %1 on %2? PlanSight will create:\n\n%3")
                                         .arg(id, m_server->describe, objects.join(QLatin1Char('\n')))
                                   : QStringLiteral("Revert %1 on %2? PlanSight will drop:\n\n%3")
                                         .arg(id, m_server->describe, objects.join(QLatin1Char('\n')));
        if (QMessageBox::question(
                this, apply ? QStringLiteral("Apply a strategy") : QStringLiteral("Revert a strategy"), text)
            != QMessageBox::Yes)
            return;
    }
    const QString conninfo = m_server->conninfo;
    const int lockTimeout = lockTimeoutMs();
    m_changes->start<StrategyChange>(
        apply ? QStringLiteral("apply") : QStringLiteral("revert"),
        QStringLiteral("%1 %2").arg(apply ? QStringLiteral("Applying") : QStringLiteral("Reverting"), id),
        [conninfo, id, apply, lockTimeout](CancelToken *cancel, const ProgressFn &progress) {
            return changeStrategy(conninfo, id, apply, lockTimeout, cancel, progress);
        },
        [this](const Result<StrategyChange> &r) { r ? onStrategyChange(r.value()) : error(r.error().toString()); });
    updateRunButtons();
}

void MainWindow::onStrategyChange(const StrategyChange &c)
{
    m_strategies->setRows(c.rows);
    if (c.applied)
        m_strategies->setFootprint(c.strategyId, -1, c.elapsedMs);
    log(QStringLiteral("%1 %2 in %3")
            .arg(c.applied ? QStringLiteral("Applied") : QStringLiteral("Reverted"), c.strategyId,
                formatMs(c.elapsedMs)));
    if (const StrategyRow *row = m_strategies->row(c.strategyId))
        for (const QString &o : row->status.present)
            log(QStringLiteral("  ") + o);
    m_database->refresh();
    updateRunButtons();
    Q_EMIT strategiesChanged();
    if (m_server && !isRunning())
        Q_EMIT serverReady();
}

int MainWindow::lockTimeoutMs() const
{
    return m_lockTimeout->value() * 1000;
}

bool MainWindow::isRunning() const
{
    return m_bench->isRunning();
}

bool MainWindow::isChanging() const
{
    return m_changes->isBusy();
}

bool MainWindow::mayStartRun()
{
    if (isChanging()) {
        error(QStringLiteral("A strategy is being applied or reverted: a run cannot start now."),
            QStringLiteral("Wait for it to finish, or cancel it (Esc)."));
        return false;
    }
    if (!m_server) {
        error(
            QStringLiteral("Not connected."), QStringLiteral("Connect to the embedded demo or a saved profile first."));
        return false;
    }
    if (m_bench->isRunning())
        return false;
    return true;
}

bool MainWindow::startRun()
{
    if (!mayStartRun())
        return false;
    // p2-redis's cache: the connection's Redis address (the connection dialog) and the Run panel's choices.
    RedisCacheSettings redis;
    redis.config.innerId = m_cacheOver->currentData().toString();
    redis.config.bypass = m_cacheBypass->isChecked();
    redis.warmTopTags = m_cacheWarm->value();
    if (!m_server->target.redis.isEmpty()) {
        auto endpoint = parseRedisUrl(m_server->target.redis);
        if (!endpoint) {
            error(QStringLiteral("The Redis address of this connection is not valid: ") + endpoint.error().message,
                QStringLiteral("Correct it in the Connection dialog's Redis field."));
            return false;
        }
        redis.config.endpoint = endpoint.value();
    }
    const QStringList ids = m_strategies->checkedIds();
    if (ids.isEmpty()) {
        error(QStringLiteral("No strategy is checked."),
            QStringLiteral("Check the strategies to measure in the Strategies list."));
        return false;
    }
    // The service prepares the session (bench/service.h): the strategies from their ids, the workload or the
    // preset, and the strategies whose objects are missing, read from the states the Strategies list shows.
    BenchRequest request;
    request.target.conninfo = m_server->conninfo;
    request.target.isDemo = m_server->target.isDemo;
    request.target.demoRoot = m_server->target.demoRoot;
    request.strategyIds = ids;
    const QString preset = m_workload->preset();
    if (!preset.isEmpty() && preset != QLatin1String("canonical") && preset != QLatin1String("no-tag")) {
        request.options.presets << preset;
    } else {
        const Workload w = m_workload->workload();
        if (auto st = w.validate(); !st) {
            error(QStringLiteral("The workload is not valid: ") + st.error().message,
                QStringLiteral("Fix it in the Workload panel."));
            return false;
        }
        request.options.workloads << w;
    }
    request.options.runs = m_runs->value();
    request.options.warmupRuns = m_warmup->value();
    request.options.runBudgetMs = qint64(m_budget->value()) * 1000;
    request.options.cache = CacheState(m_cache->currentData().toInt());
    request.options.executor = m_options.executor;
    request.options.keepApplied = m_keepApplied->isChecked();
    request.options.lockTimeoutMs = lockTimeoutMs();
    BenchServerView view;
    view.state = [this](const Strategy &s) -> Result<StrategyState> {
        const StrategyRow *row = m_strategies->row(s.id());
        return row ? row->status.state : StrategyState::NotApplied;
    };
    auto plan = prepareBench(request, view);
    if (!plan) {
        error(plan.error().message, plan.error().hint);
        return false;
    }
    // Strategies whose objects are missing: built without asking on the demo; elsewhere only after a
    // confirmation naming every object.
    if (plan->needsConfirmation()) {
        const auto answer = QMessageBox::question(this, QStringLiteral("Create strategy objects"),
            QStringLiteral("These strategies are not applied on %1. Create their objects before measuring?\n\n%2\n\n"
                           "No: measure only the strategies that are ready.")
                .arg(m_server->describe, plan->objectsToConfirm().join(QLatin1Char('\n'))),
            QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel);
        if (answer == QMessageBox::Cancel)
            return false;
        plan->confirm(answer == QMessageBox::Yes);
    }
    m_banner->dismiss();
    log(QStringLiteral("Run: %1 on %2; strategies %3; %4 warm-up + %5 runs, %6 cache%7")
            .arg(m_workload->describe(), m_server->describe, ids.join(QStringLiteral(", ")))
            .arg(plan->options.warmupRuns)
            .arg(plan->options.runs)
            .arg(toString(plan->options.cache))
            .arg(plan->options.runBudgetMs > 0
                    ? QStringLiteral(", budget %1 s per strategy and workload").arg(plan->options.runBudgetMs / 1000)
                    : QString()));
    m_tabs->setCurrentWidget(m_results);
    m_bench->setRedisCache(redis);
    m_bench->start(plan.value(), m_options.historyPath);
    updateRunButtons();
    return true;
}

bool MainWindow::startExperimentRun(
    std::shared_ptr<const Experiment> experiment, std::function<bool(const QString &sql)> confirm)
{
    if (!mayStartRun())
        return false;
    // As plansight run builds its session (app/cli/run.cpp): the baseline and one strategy per variant, one workload
    // per parameter set, every variant torn down after its runs, no write probe (it is the gallery's).
    BenchPlan plan;
    plan.target.conninfo = m_server->conninfo;
    plan.target.isDemo = m_server->target.isDemo;
    plan.target.demoRoot = m_server->target.demoRoot;
    const auto strategies = experimentStrategies(experiment);
    for (const auto &s : strategies)
        plan.options.strategies << s;
    plan.options.workloads = experimentWorkloads(*experiment);
    plan.options.runs = m_runs->value();
    plan.options.warmupRuns = m_warmup->value();
    plan.options.runBudgetMs = qint64(m_budget->value()) * 1000;
    plan.options.executor = m_options.executor;
    plan.options.lockTimeoutMs = lockTimeoutMs();
    plan.options.measureWriteCost = false;
    plan.options.keepApplied = false;
    const ApplyContext context = ApplyContext::forTarget(plan.target.isDemo, plan.options.lockTimeoutMs);
    auto sql = experimentSetupText(strategies, context);
    if (!sql) {
        error(sql.error().message, sql.error().hint);
        return false;
    }
    // The SQL is the user's own: on a server that is not the demo it runs only once confirmed, shown verbatim.
    if (!plan.target.isDemo && !sql->isEmpty()) {
        bool yes = false;
        if (confirm) {
            yes = confirm(sql.value());
        } else {
            QMessageBox box(QMessageBox::Question, QStringLiteral("Run the experiment's SQL"),
                QStringLiteral("The variants' setup and teardown change %1, which is not the demo. Run them?")
                    .arg(m_server->describe),
                QMessageBox::Yes | QMessageBox::No, this);
            box.setDetailedText(sql.value());
            yes = box.exec() == QMessageBox::Yes;
        }
        if (!yes) {
            log(QStringLiteral("Experiment \"%1\" not run: its setup was not confirmed.").arg(experiment->title));
            return false;
        }
    }
    plan.options.applyMissing = true; // confirmed, or the demo
    m_banner->dismiss();
    log(QStringLiteral("Run experiment \"%1\" (%2) on %3: %4 variants, %5 workloads; %6 warm-up + %7 runs")
            .arg(experiment->title, QDir::toNativeSeparators(experiment->directory), m_server->describe)
            .arg(experiment->variants.size())
            .arg(experiment->workloads.size())
            .arg(plan.options.warmupRuns)
            .arg(plan.options.runs));
    m_tabs->setCurrentWidget(m_results);
    m_bench->start(plan, m_options.historyPath);
    updateRunButtons();
    return true;
}

void MainWindow::cancelRun()
{
    if (m_bench->isRunning()) {
        log(QStringLiteral("Cancelling the run..."));
        m_bench->cancel();
        return;
    }
    for (JobLane *lane : { m_changes, m_reads }) {
        for (const JobInfo &job : lane->jobs())
            log(QStringLiteral("Cancelling: ") + job.what);
        lane->cancelAll();
    }
    cancelExport();
}

void MainWindow::setExportDialog(ExportDialog dialog)
{
    m_exportDialog = std::move(dialog);
}

QString MainWindow::suggestedExportPath(qint64 sessionId) const
{
    const QString dir
        = !m_exportDir.isEmpty() ? m_exportDir : QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString filter
        = m_exportFilter.isEmpty() ? exportFilter(ExportFormat::Pdf, defaultPageSize()) : m_exportFilter;
    const auto format = exportRequestFrom(QStringLiteral("name"), filter, defaultPageSize());
    const QString name
        = sessionId >= 0 ? QStringLiteral("plansight-session-%1").arg(sessionId) : QStringLiteral("plansight-session");
    return QDir(dir).filePath(name + QLatin1Char('.') + fileExtension(format ? format->format : ExportFormat::Pdf));
}

std::optional<ExportRequest> MainWindow::askExportPath(const QString &suggestedPath)
{
    if (m_exportDialog)
        return m_exportDialog(suggestedPath);
    QString filter = m_exportFilter.isEmpty() ? exportFilter(ExportFormat::Pdf, defaultPageSize()) : m_exportFilter;
    const QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export report"), suggestedPath, exportFilters().join(QStringLiteral(";;")), &filter);
    if (path.isEmpty())
        return std::nullopt;
    auto request = exportRequestFrom(path, filter, defaultPageSize());
    if (!request) {
        error(request.error().message);
        return std::nullopt;
    }
    m_exportFilter = filter;
    m_exportDir = QFileInfo(request->path).absolutePath();
    return request.value();
}

bool MainWindow::exportCurrentSession()
{
    if (m_lastSession.runs.isEmpty()) {
        error(QStringLiteral("There is no session to export yet."),
            QStringLiteral("Run the strategies (F5), or open a session in History and export it from there."));
        return false;
    }
    const auto request = askExportPath(suggestedExportPath(m_lastSession.info.id));
    if (!request)
        return false;
    startExport(request.value());
    return true;
}

bool MainWindow::exportHistorySession(qint64 id)
{
    const auto request = askExportPath(suggestedExportPath(id));
    if (!request)
        return false;
    startExport(request.value(), id);
    return true;
}

void MainWindow::startExport(const ExportRequest &request, std::optional<qint64> historyId)
{
    if (m_export->isRunning()) {
        log(QStringLiteral("Cancelling the export of %1: a new export replaces it.").arg(m_exportWhat));
        m_export->future().cancel(); // its signals stop here: the watcher follows the new job
    }
    const qint64 id = historyId ? *historyId : m_lastSession.info.id;
    m_exportWhat = id >= 0 ? QStringLiteral("session %1").arg(id) : QStringLiteral("the current session");
    log(QStringLiteral("Exporting %1 as %2 to %3").arg(m_exportWhat, toString(request.format), request.path));
    m_exportStatus->start(QStringLiteral("Exporting %1...").arg(m_exportWhat));
    m_export->setFuture(historyId ? plansight::gui::exportHistorySession(m_history->historyPath(), *historyId, request)
                                  : exportSession(m_lastSession, request));
}

void MainWindow::cancelExport()
{
    if (!m_export->isRunning())
        return;
    log(QStringLiteral("Cancelling the export of %1...").arg(m_exportWhat));
    m_exportStatus->setProgress(m_export->progressValue(), ExportProgressMax,
        QStringLiteral("Cancelling the export of %1...").arg(m_exportWhat));
    m_export->future().cancel();
}

void MainWindow::onExportFinished()
{
    m_exportStatus->stop();
    const QFuture<Result<ExportResult>> job = m_export->future();
    // A cancel that came after the file was in place still has its result: the file is there, say so.
    if (job.resultCount() == 0) {
        log(QStringLiteral("The export of %1 was cancelled; no file was written.").arg(m_exportWhat));
        m_banner->showMessage(BannerWidget::Kind::Info,
            QStringLiteral("The export of %1 was cancelled; no file was written.").arg(m_exportWhat));
        Q_EMIT exportCancelled();
        return;
    }
    const Result<ExportResult> outcome = job.resultAt(0);
    if (!outcome) {
        const QString message = outcome.error().toString();
        error(message, QStringLiteral("Choose another file or folder and export again (File > Export report...)."));
        Q_EMIT exportFailed(message);
        return;
    }
    const ExportResult &r = outcome.value();
    const QString what = r.format == ExportFormat::Pdf
        ? QStringLiteral("the PDF report of %1 (%2 pages)").arg(m_exportWhat).arg(r.pages)
        : QStringLiteral("%1 as %2").arg(m_exportWhat, toString(r.format));
    log(QStringLiteral("Wrote %1 to %2").arg(what, r.path));
    m_banner->showMessage(BannerWidget::Kind::Info, QStringLiteral("Wrote %1 to %2.").arg(what, r.path));
    Q_EMIT exportWritten(r);
}

void MainWindow::runPreset(const QString &preset)
{
    m_workload->choosePreset(preset);
    startRun();
}

void MainWindow::setBusy(const QString &text, bool busy)
{
    const bool anyBusy = busy || m_bench->isRunning() || m_reads->isBusy() || m_changes->isBusy();
    if (busy && !text.isEmpty())
        m_jobProgress->start(text); // a new job: its clock starts now
    else if (!anyBusy)
        m_jobProgress->stop();
    updateRunButtons();
}

void MainWindow::updateRunButtons()
{
    const bool running = m_bench->isRunning();
    // An apply, revert or demo build runs (or waits): nothing else may change the database until it has ended.
    const bool changing = m_changes->isBusy();
    const bool ready = m_server.has_value() && !running && !changing;
    m_runButton->setEnabled(ready && !m_strategies->checkedIds().isEmpty());
    m_runAction->setEnabled(ready);
    for (QAction *a : std::as_const(m_presetActions))
        a->setEnabled(ready);
    m_demoButton->setEnabled(!running && !changing);
    m_cancelButton->setEnabled(running || changing || m_reads->isBusy());
    const QModelIndex idx = m_strategyView->currentIndex();
    const bool objects = idx.isValid() && idx.siblingAtColumn(0).data(StrategyListModel::NeedsObjectsRole).toBool();
    const auto state = StrategyState(idx.siblingAtColumn(0).data(StrategyListModel::StateRole).toInt());
    m_experiment->setRunEnabled(ready);
    m_applyButton->setEnabled(ready && objects && state != StrategyState::Applied);
    m_revertButton->setEnabled(ready && objects && state != StrategyState::NotApplied);
    const QString selected
        = idx.isValid() ? idx.siblingAtColumn(0).data(StrategyListModel::StrategyIdRole).toString() : QString();
    m_addVariantButton->setEnabled(!running && idx.isValid() && !m_strategies->isVariant(selected));
    m_removeVariantButton->setEnabled(!running && m_strategies->isVariant(selected));
}

bool MainWindow::addSettingsVariant(const QString &strategyId, const QString &overrides)
{
    auto added = m_strategies->addVariant(strategyId, overrides);
    if (!added) {
        error(added.error().message,
            added.error().hint.isEmpty()
                ? QStringLiteral("Select a strategy, then write name=value overrides or a preset.")
                : added.error().hint);
        return false;
    }
    m_banner->dismiss();
    log(QStringLiteral("Settings variant %1 added: it runs with the checked strategies.").arg(added.value()));
    for (int r = 0; r < m_strategies->rowCount(); ++r)
        if (m_strategies->index(r, 0).data(StrategyListModel::StrategyIdRole).toString() == added.value())
            m_strategyView->setCurrentIndex(m_strategies->index(r, 0));
    updateRunButtons();
    return true;
}

void MainWindow::log(const QString &line)
{
    m_log->appendPlainText(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz  ")) + line);
}

void MainWindow::error(const QString &message, const QString &whatToDo)
{
    log(QStringLiteral("Error: ") + message);
    m_banner->showMessage(BannerWidget::Kind::Error, message, whatToDo);
}

void MainWindow::createDemo()
{
    if (isRunning() || isChanging())
        return;
    DemoCreateDialog dialog(
        m_changes, m_options.demoRoot.isEmpty() ? LocalCluster::defaultRootDir() : m_options.demoRoot, this);
    if (m_server && m_server->demo) {
        DemoOptions o;
        o.profile = m_server->demo->profile;
        o.scale = m_server->demo->scale;
        o.seed = m_server->demo->seed;
        dialog.setOptions(o);
    }
    connect(&dialog, &DemoCreateDialog::built, this, &MainWindow::onDemoBuilt);
    dialog.exec();
}

void MainWindow::onDemoBuilt(const DemoBuildReport &r)
{
    log(QStringLiteral("Demo built: %1 in %2").arg(r.options.describe(), formatMs(r.totalSeconds * 1000)));
    connectToDemo();
}

void MainWindow::openWhatIf()
{
    if (!m_server) {
        error(QStringLiteral("Connect to a database first: the what-if asks its planner."));
        return;
    }
    if (!m_whatIf) {
        m_whatIf = new WhatIfDialog(this);
        connect(m_whatIf, &WhatIfDialog::predictRequested, this, [this](const WhatIfRequest &request) {
            if (!m_server)
                return m_whatIf->showError(QStringLiteral("Not connected."));
            if (isRunning())
                return m_whatIf->showError(
                    QStringLiteral("A run is measuring this database; predict when it has finished."));
            const QString conninfo = m_server->conninfo;
            m_whatIf->setBusy(true);
            m_changes->start<WhatIfResult>(
                QStringLiteral("whatif"), QStringLiteral("Predicting the plan with hypothetical indexes"),
                [conninfo, request](
                    CancelToken *cancel, const ProgressFn &) { return predictWhatIf(conninfo, request, cancel); },
                [this](const Result<WhatIfResult> &r) {
                    if (!m_whatIf)
                        return;
                    if (r) {
                        m_whatIf->showResult(r.value());
                        log(QStringLiteral("What-if: %1").arg(r->verdict()));
                    } else {
                        m_whatIf->showError(r.error().toString());
                    }
                });
        });
    }
    m_whatIf->setWorkload(m_workload->workload(), m_workload->describe());
    m_whatIf->show();
    m_whatIf->raise();
    m_whatIf->activateWindow();
}

void MainWindow::importPlanFile()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Import an EXPLAIN plan"), {},
        QStringLiteral("Plans (*.json *.txt *.log *.sql);;All files (*)"));
    if (path.isEmpty())
        return;
    m_reads->start<ImportedPlan>(
        QStringLiteral("plan-import"), QStringLiteral("Reading %1").arg(path),
        [path](CancelToken *, const ProgressFn &) -> Result<ImportedPlan> {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                return Error::make(errc::Io, QStringLiteral("%1 could not be opened: %2").arg(path, f.errorString()));
            return importPlan(QFileInfo(path).fileName(), f.readAll());
        },
        [this](const Result<ImportedPlan> &r) { r ? onPlanImported(r.value()) : error(r.error().toString()); });
}

void MainWindow::importPlanClipboard()
{
    const QByteArray text = QApplication::clipboard()->text().toUtf8();
    m_reads->start<ImportedPlan>(
        QStringLiteral("plan-import"), QStringLiteral("Reading the plan from the clipboard"),
        [text](CancelToken *, const ProgressFn &) { return importPlan(QStringLiteral("clipboard"), text); },
        [this](const Result<ImportedPlan> &r) { r ? onPlanImported(r.value()) : error(r.error().toString()); });
}

void MainWindow::onPlanImported(const ImportedPlan &p)
{
    m_plan->addImportedPlan(p.source, p.plan, p.text);
    m_tabs->setCurrentWidget(m_plan);
    log(QStringLiteral("Imported a plan of %1 nodes from %2").arg(p.plan.size()).arg(p.source));
}

void MainWindow::fitToScreen()
{
    // 1600 x 1000 where the screen has room; on a smaller one, nearly all of it, centred.
    const QScreen *s = screen() ? screen() : QGuiApplication::primaryScreen();
    if (!s) {
        resize(1600, 1000);
        return;
    }
    const QRect avail = s->availableGeometry();
    const QSize size(std::min(1600, avail.width() * 96 / 100), std::min(1000, avail.height() * 92 / 100));
    resize(size);
    move(avail.center() - QPoint(size.width() / 2, size.height() / 2));
}

void MainWindow::restoreState()
{
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        fitToScreen();
    QMainWindow::restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_darkAction->setChecked(s.value(QStringLiteral("view/dark"), false).toBool());
    m_logAction->setChecked(s.value(QStringLiteral("view/log"), true).toBool());
    m_rightSplitter->restoreState(s.value(QStringLiteral("window/rightSplitter")).toByteArray());
    m_mainSplitter->restoreState(s.value(QStringLiteral("window/mainSplitter")).toByteArray());
    m_leftSplitter->restoreState(s.value(QStringLiteral("window/leftSplitter")).toByteArray());
    m_results->splitter()->restoreState(s.value(QStringLiteral("window/resultsSplitter")).toByteArray());
    m_plan->splitter()->restoreState(s.value(QStringLiteral("window/planSplitter")).toByteArray());
    const int profile = m_profile->findText(s.value(QStringLiteral("connection/profile")).toString());
    if (profile >= 0)
        m_profile->setCurrentIndex(profile);
    const QString preset = s.value(QStringLiteral("workload/preset")).toString();
    const auto json = QJsonDocument::fromJson(s.value(QStringLiteral("workload/json")).toByteArray());
    if (!preset.isEmpty())
        m_workload->choosePreset(preset);
    else if (json.isObject())
        if (auto w = Workload::fromJson(json.object()); w)
            m_workload->setWorkload(w.value());
    m_strategies->setVariantIds(s.value(QStringLiteral("strategies/variants")).toStringList());
    if (s.contains(QStringLiteral("strategies/checked")))
        m_strategies->setCheckedIds(s.value(QStringLiteral("strategies/checked")).toStringList());
    else {
        QStringList all;
        for (const auto &st : allStrategies())
            all << st->id();
        m_strategies->setCheckedIds(all);
    }
    m_runs->setValue(s.value(QStringLiteral("run/runs"), 10).toInt());
    m_warmup->setValue(s.value(QStringLiteral("run/warmup"), 2).toInt());
    m_budget->setValue(s.value(QStringLiteral("run/budget"), 0).toInt());
    m_lockTimeout->setValue(s.value(QStringLiteral("run/lockTimeout"), DefaultLockTimeoutMs / 1000).toInt());
    const int over = m_cacheOver->findData(s.value(QStringLiteral("run/cacheOver")).toString());
    if (over >= 0)
        m_cacheOver->setCurrentIndex(over);
    m_cacheWarm->setValue(s.value(QStringLiteral("run/cacheWarm"), 0).toInt());
    m_cacheBypass->setChecked(s.value(QStringLiteral("run/cacheBypass"), false).toBool());
    m_results->setLogScale(s.value(QStringLiteral("results/log"), false).toBool());
    m_history->setFilterText(s.value(QStringLiteral("history/filter")).toString());
    m_exportDir = s.value(QStringLiteral("export/dir")).toString();
    m_exportFilter = s.value(QStringLiteral("export/filter")).toString();
    if (!exportFilters().contains(m_exportFilter))
        m_exportFilter.clear();
}

void MainWindow::saveState()
{
    if (!m_options.restoreSettings)
        return;
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), QMainWindow::saveState());
    s.setValue(QStringLiteral("view/dark"), m_darkAction->isChecked());
    s.setValue(QStringLiteral("window/mainSplitter"), m_mainSplitter->saveState());
    s.setValue(QStringLiteral("window/rightSplitter"), m_rightSplitter->saveState());
    s.setValue(QStringLiteral("view/log"), m_logAction->isChecked());
    s.setValue(QStringLiteral("window/leftSplitter"), m_leftSplitter->saveState());
    s.setValue(QStringLiteral("window/resultsSplitter"), m_results->splitter()->saveState());
    s.setValue(QStringLiteral("window/planSplitter"), m_plan->splitter()->saveState());
    s.setValue(QStringLiteral("connection/profile"), m_profile->currentText());
    s.setValue(QStringLiteral("workload/preset"), m_workload->preset());
    s.setValue(
        QStringLiteral("workload/json"), QJsonDocument(m_workload->workload().toJson()).toJson(QJsonDocument::Compact));
    s.setValue(QStringLiteral("strategies/checked"), m_strategies->checkedIds());
    s.setValue(QStringLiteral("strategies/variants"), m_strategies->variantIds());
    s.setValue(QStringLiteral("run/runs"), m_runs->value());
    s.setValue(QStringLiteral("run/warmup"), m_warmup->value());
    s.setValue(QStringLiteral("run/budget"), m_budget->value());
    s.setValue(QStringLiteral("run/lockTimeout"), m_lockTimeout->value());
    s.setValue(QStringLiteral("run/cacheOver"), m_cacheOver->currentData().toString());
    s.setValue(QStringLiteral("run/cacheWarm"), m_cacheWarm->value());
    s.setValue(QStringLiteral("run/cacheBypass"), m_cacheBypass->isChecked());
    s.setValue(QStringLiteral("results/log"), m_results->logScale());
    s.setValue(QStringLiteral("history/filter"), m_history->filterText());
    s.setValue(QStringLiteral("export/dir"), m_exportDir);
    s.setValue(QStringLiteral("export/filter"), m_exportFilter);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    // Workers and the bench job cancel their requests (and the job waits for its session to end in its
    // destructor); nothing half-written reaches the history (one transaction per run).
    m_bench->cancel();
    event->accept();
}

} // namespace plansight::gui
