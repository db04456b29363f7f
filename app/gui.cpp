// `plansight` without a verb: the main window. It takes the command line's connection options (cli/common.h:
// --dsn, -h, -p, -U, -d, -W, -w, --demo, --data-dir) and, without them, PGHOST, PGDATABASE or PGSERVICE, as psql
// does (pg/conninfo.h, resolveConnection()): such a server is connected at start, over the saved profile, and
// says so on stderr. Otherwise the last profile, the embedded demo by default (created at the default scale when
// it is missing, with progress in the window).
//
// Hidden options for packaging/screenshots.sh and smoke tests:
//   --screenshot-dir DIR   after the run below, save a PNG of each view (results, plan, database, history) and quit
//   --open-experiment DIR  once connected, open this experiment in the Experiment editor; with --screenshot-dir, the
//                          editor's picture (experiment-editor.png) is saved too
//   --run-preset NAME      once connected, run this preset with the checked strategies
//   --strategies A,B,...   check these strategies (default: the saved checks, else all); a settings variant's id
//                          ("baseline [jit=off]") adds it to the list
//   --runs N               measured runs per strategy
//   --demo-scale S         the scale the demo is created at when missing
//   --history PATH         the history file
//   --no-settings          neither read nor write QSettings (clean, reproducible window)
//   --dark                 the dark palette (widgets/theme.h), for the dark screenshots
//   --probe-timing         for tests/bench/bench_window.sh: print "probe shown MS" when the window is first shown
//                          and "probe ready MS" when it is connected (ms since this function started), then quit;
//                          with --run-preset, measure the event loop's stalls during the run instead (a 10 ms
//                          timer whose late ticks are stalls), print "probe stall-max MS", "probe stalls-over-50ms N"
//                          and "probe run MS", then quit

#include "cli/common.h"
#include "experimenteditor.h"
#include "mainwindow.h"
#include "pg/conninfo.h"
#include "pg/localcluster.h"
#include "planview.h"
#include "resultsview.h"
#include "strategies/replicastrategy.h"
#include "strategies/settingsvariantstrategy.h"
#include "strategylistmodel.h"
#include "theme.h"
#include "workloadeditor.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace plansight;

namespace {

// A 10 ms timer on the GUI thread: a tick later than due is the event loop stalled for that long.
class StallWatch : public QObject {
public:
    explicit StallWatch(QObject *parent) : QObject(parent)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(IntervalMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.elapsed();
            const qint64 stall = now - m_last - IntervalMs;
            m_last = now;
            m_max = std::max(m_max, stall);
            m_over50 += stall > 50 ? 1 : 0;
        });
    }
    void start()
    {
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    qint64 maxStallMs() const { return m_max; }
    int stallsOver50Ms() const { return m_over50; }
    qint64 elapsedMs() const { return m_clock.elapsed(); }

private:
    static constexpr int IntervalMs = 10;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0, m_max = 0;
    int m_over50 = 0;
};

bool saveViews(gui::MainWindow &window, const QString &dir, bool experiment)
{
    QDir().mkpath(dir);
    QStringList names { QStringLiteral("results"), QStringLiteral("plan"), QStringLiteral("database"),
        QStringLiteral("history") };
    QList<QWidget *> views;
    for (int i = 0; i < names.size(); ++i)
        views << window.tabs()->widget(i);
    if (experiment) {
        names << QStringLiteral("experiment-editor");
        views << window.experimentEditor();
    }
    bool ok = true;
    for (int i = 0; i < names.size(); ++i) {
        window.tabs()->setCurrentWidget(views[i]);
        // Let layouts, charts and tables settle before grabbing.
        for (int k = 0; k < 5; ++k) {
            QCoreApplication::processEvents();
            QThread::msleep(40);
        }
        const QString path = QDir(dir).filePath(QStringLiteral("%1.png").arg(names[i]));
        if (!window.grab().save(path)) {
            fprintf(stderr, "plansight: could not write %s\n", qPrintable(path));
            ok = false;
        } else {
            fprintf(stdout, "%s\n", qPrintable(path));
        }
    }
    window.tabs()->setCurrentIndex(0);
    return ok;
}

// What the window connects to at start, from resolveConnection()'s answer, said on stderr as the command line says
// it (a terminal that started the window shows which server it took).
gui::StartConnection startConnection(const ResolvedConnection &resolved, const ConnectionRequest &request)
{
    gui::StartConnection start;
    start.prompt = request.prompt;
    if (resolved.useDemo) {
        start.kind = request.demo ? gui::StartConnection::Kind::Demo : gui::StartConnection::Kind::LastProfile;
        return start;
    }
    start.kind = gui::StartConnection::Kind::Server;
    start.conninfo = resolved.conninfo;
    start.name = resolved.conninfo.isEmpty()
        ? resolved.source
        : QStringLiteral("%1 (%2)").arg(displayConninfo(resolved.conninfo), resolved.source);
    fprintf(stderr, "plansight: the window connects to %s, as psql would (--demo opens the embedded demo)\n",
        qPrintable(cli::chosenServerWords(resolved)));
    return start;
}

// Settings an earlier PlanSight saved in ~/.config/PlanSight/plansight.conf are copied once to where they go now.
void adoptEarlierSettings()
{
    const QString now = QSettings().fileName();
    const QString before = QSettings(
        QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("PlanSight"), QStringLiteral("plansight"))
                               .fileName();
    if (before == now || QFileInfo::exists(now) || !QFileInfo::exists(before))
        return;
    if (QDir().mkpath(QFileInfo(now).absolutePath()))
        QFile::copy(before, now);
}

} // namespace

namespace {
QtMessageHandler g_previousHandler = nullptr;

// While QApplication starts: a platform plugin that cannot reach its display is fatal in Qt (abort, exit
// code 134, a message about plugins). Say what happened and exit with 1 instead.
void onStartupMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type != QtFatalMsg) {
        if (g_previousHandler)
            g_previousHandler(type, context, message);
        else
            fprintf(stderr, "%s\n", qPrintable(message));
        return;
    }
    Q_UNUSED(message);
    fprintf(stderr,
        "plansight: the window cannot open: no usable display was found (DISPLAY=%s, WAYLAND_DISPLAY=%s, "
        "QT_QPA_PLATFORM=%s).\n  hint: Check that display, or use the command line: plansight --help\n",
        qgetenv("DISPLAY").constData(), qgetenv("WAYLAND_DISPLAY").constData(), qgetenv("QT_QPA_PLATFORM").constData());
    fflush(stderr);
    std::_Exit(1);
}
} // namespace

int runGui(int argc, char **argv)
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    g_previousHandler = qInstallMessageHandler(onStartupMessage);
    QApplication app(argc, argv);
    qInstallMessageHandler(g_previousHandler);
    // Settings go to $XDG_CONFIG_HOME/plansight/plansight.conf (~/.config/plansight; QSettings names the
    // directory after the organization). The desktop file is named after the AppStream id (packaging/).
    QApplication::setApplicationName(QStringLiteral("plansight"));
    QApplication::setOrganizationName(QStringLiteral("plansight"));
    QApplication::setApplicationDisplayName(QStringLiteral("PlanSight"));
    QApplication::setApplicationVersion(QStringLiteral(PLANSIGHT_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.plansight.plansight"));

    QCommandLineParser parser;
    cli::addConnectionOptions(parser);
    const QCommandLineOption shots(QStringLiteral("screenshot-dir"),
        QStringLiteral("Save a PNG of each view after the run and quit."), QStringLiteral("DIR"));
    const QCommandLineOption preset(
        QStringLiteral("run-preset"), QStringLiteral("Run this preset once connected."), QStringLiteral("NAME"));
    const QCommandLineOption strategies(
        QStringLiteral("strategies"), QStringLiteral("Check these strategies."), QStringLiteral("IDS"));
    const QCommandLineOption runs(
        QStringLiteral("runs"), QStringLiteral("Measured runs per strategy."), QStringLiteral("N"));
    const QCommandLineOption scale(
        QStringLiteral("demo-scale"), QStringLiteral("Scale of a demo created at start."), QStringLiteral("S"));
    const QCommandLineOption history(
        QStringLiteral("history"), QStringLiteral("The history file."), QStringLiteral("PATH"));
    const QCommandLineOption noSettings(
        QStringLiteral("no-settings"), QStringLiteral("Do not read or write saved settings."));
    const QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Use the dark palette."));
    const QCommandLineOption probe(
        QStringLiteral("probe-timing"), QStringLiteral("Print start-up and event-loop timings, then quit."));
    const QCommandLineOption openExperiment(QStringLiteral("open-experiment"),
        QStringLiteral("Open this experiment in the editor once connected."), QStringLiteral("DIR"));
    for (const auto &o : { shots, preset, strategies, runs, scale, history, noSettings, dark, probe, openExperiment }) {
        QCommandLineOption hidden = o;
        hidden.setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(hidden);
    }
    int exitCode = 0;
    if (!cli::parseArgs(parser, QCoreApplication::arguments(),
            QStringLiteral("PlanSight: measure PostgreSQL optimization strategies side by side. Without options "
                           "the window opens on the last profile, the embedded demo by default."),
            exitCode))
        return exitCode;
    const ConnectionRequest request = cli::connectionRequestFromOptions(parser);
    auto resolved = resolveConnection(request, QProcessEnvironment::systemEnvironment());
    if (!resolved)
        return cli::fail(resolved.error());

    if (parser.isSet(dark))
        gui::applyDarkPalette(true);
    if (!parser.isSet(noSettings))
        adoptEarlierSettings();
    gui::MainWindowOptions options;
    options.demoRoot = cli::demoRootFromOptions(parser);
    options.start = startConnection(resolved.value(), request);
    options.historyPath = parser.value(history);
    options.restoreSettings = !parser.isSet(noSettings);
    if (parser.isSet(scale)) {
        bool ok = false;
        options.demoScale = parser.value(scale).toDouble(&ok);
        if (!ok || options.demoScale < demo::MinScale || options.demoScale > demo::MaxScale) {
            fprintf(
                stderr, "plansight: --demo-scale must be a number between %g and %g\n", demo::MinScale, demo::MaxScale);
            return 2;
        }
    }
    gui::MainWindow window(options);
    if (!options.restoreSettings)
        window.resize(1600, 1000);
    if (parser.isSet(strategies)) {
        // A settings variant's id ("baseline [jit=off]", docs/settings.md) adds that variant to the list first.
        QStringList ids;
        for (const QString &id : parser.value(strategies).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            auto variant = std::dynamic_pointer_cast<SettingsVariantStrategy>(strategyById(id));
            if (!variant) {
                ids << id.trimmed();
                continue;
            }
            auto added = window.strategyModel()->addVariant(
                variant->inner()->id(), formatSettingOverrides(variant->overrides()));
            ids << (added ? added.value() : variant->id());
        }
        window.strategyModel()->setCheckedIds(ids);
    } else if (!options.restoreSettings) {
        QStringList all;
        for (const auto &s : allStrategies())
            all << s->id();
        window.strategyModel()->setCheckedIds(all);
    }
    if (parser.isSet(runs))
        window.runsSpin()->setValue(parser.value(runs).toInt());
    window.show();

    if (parser.isSet(probe)) {
        QTimer::singleShot(0, &window, [&sinceStart] {
            fprintf(stdout, "probe shown %lld\n", sinceStart.elapsed());
            fflush(stdout);
        });
        auto *watch = new StallWatch(&window);
        const bool measureRun = parser.isSet(preset);
        QObject::connect(&window, &gui::MainWindow::serverReady, &window, [&sinceStart, watch, measureRun] {
            static bool once = false;
            if (once)
                return;
            once = true;
            fprintf(stdout, "probe ready %lld\n", sinceStart.elapsed());
            fflush(stdout);
            if (measureRun)
                watch->start();
            else
                QCoreApplication::exit(0);
        });
        QObject::connect(&window, &gui::MainWindow::runCompleted, &window, [watch] {
            fprintf(stdout, "probe stall-max %lld\nprobe stalls-over-50ms %d\nprobe run %lld\n", watch->maxStallMs(),
                watch->stallsOver50Ms(), watch->elapsedMs());
            fflush(stdout);
            QCoreApplication::exit(0);
        });
        QObject::connect(&window, &gui::MainWindow::runFailed, &window, [](const QString &message) {
            fprintf(stderr, "plansight: the run failed: %s\n", qPrintable(message));
            QCoreApplication::exit(1);
        });
    }

    const QString shotDir = parser.value(shots);
    const bool experiment = parser.isSet(openExperiment);
    if (experiment) {
        const QString dir = parser.value(openExperiment);
        auto opened = std::make_shared<bool>(false);
        QObject::connect(&window, &gui::MainWindow::serverReady, &window, [&window, dir, opened] {
            if (*opened)
                return;
            *opened = true;
            if (auto st = window.experimentEditor()->open(dir); !st) {
                fprintf(stderr, "plansight: %s\n", qPrintable(st.error().message));
                QCoreApplication::exit(1);
            }
        });
    }
    if (parser.isSet(preset)) {
        const QString name = parser.value(preset);
        auto started = std::make_shared<bool>(false);
        QObject::connect(&window, &gui::MainWindow::serverReady, &window, [&window, name, started] {
            if (*started)
                return;
            *started = true;
            window.runPreset(name);
        });
        if (!shotDir.isEmpty()) {
            QObject::connect(&window, &gui::MainWindow::runCompleted, &window, [&window, shotDir, experiment] {
                // The Database view refreshes after a run (strategy objects changed); wait for it briefly.
                QTimer::singleShot(3000, &window, [&window, shotDir, experiment] {
                    const bool ok = saveViews(window, shotDir, experiment);
                    QCoreApplication::exit(ok ? 0 : 1);
                });
            });
            QObject::connect(&window, &gui::MainWindow::runFailed, &window, [](const QString &message) {
                fprintf(stderr, "plansight: the run failed: %s\n", qPrintable(message));
                QCoreApplication::exit(1);
            });
        }
    } else if (!shotDir.isEmpty()) {
        QObject::connect(&window, &gui::MainWindow::serverReady, &window, [&window, shotDir, experiment] {
            QTimer::singleShot(2000, &window, [&window, shotDir, experiment] {
                QCoreApplication::exit(saveViews(window, shotDir, experiment) ? 0 : 1);
            });
        });
    }
    const int rc = app.exec();
    // The embedded demo cluster runs while the window is open and is stopped on exit (README.md, "The embedded demo").
    stopOwnedStandbys(); // p7-replica's standby on the demo, first: it streams from the demo
    if (window.server() && window.server()->target.isDemo) {
        LocalCluster cluster(window.server()->target.demoRoot);
        if (auto st = cluster.stop(); !st)
            fprintf(
                stderr, "plansight: the demo cluster could not be stopped: %s\n", qPrintable(st.error().toString()));
    }
    return rc;
}
