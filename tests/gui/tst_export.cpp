// File > Export report... (issue #11): the window writes a session as a PDF report, as JSON or as CSV through
// its export job (reportexport.h), for the current session and for a session picked in History, with progress and
// cancel. The PDF is checked as a reader would check it (pdftotext, pdffonts); JSON and CSV are read back; a
// cancelled or failed export leaves no file, not even a half-written one, and keeps a file that was there.
// `plansight bench --pdf` writes the report in its own process (issue #11: it used to start a second plansight).

#include "../unit/historysamples.h"
#include "bannerwidget.h"
#include "history/historystore.h"
#include "historyview.h"
#include "mainwindow.h"
#include "present/sessionjson.h"
#include "report/reportcontent.h"
#include "reportexport.h"
#include "testcluster.h"
#include "valuetablemodel.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QLabel>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QToolButton>
#include <mutex>

using namespace plansight;
using namespace plansight::gui;

namespace {

struct Tool {
    int exitCode = -1;
    QString out;
    QString err;
};

Tool run(const QString &program, const QStringList &args,
    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(), int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    Tool t;
    if (!p.waitForFinished(timeoutMs))
        return t;
    t.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    t.out = QString::fromUtf8(p.readAllStandardOutput());
    t.err = QString::fromUtf8(p.readAllStandardError());
    return t;
}

QString pdfText(const QString &pdf)
{
    return run(QStringLiteral("pdftotext"), { pdf, QStringLiteral("-") }).out.simplified();
}

// Every font row of `pdffonts`, and whether it says the font is embedded ("emb" column).
QList<std::pair<QString, bool>> pdfFonts(const QString &pdf)
{
    QList<std::pair<QString, bool>> fonts;
    const Tool t = run(QStringLiteral("pdffonts"), { pdf });
    const QStringList lines = t.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).mid(2); // header and rule
    const QRegularExpression row(QStringLiteral("\\s(yes|no)\\s+(yes|no)\\s+(yes|no)\\s+\\d+\\s+\\d+\\s*$"));
    for (const QString &line : lines) {
        const auto m = row.match(line);
        fonts.append({ line, m.hasMatch() && m.captured(1) == QLatin1String("yes") });
    }
    return fonts;
}

// The hidden temporary files an export writes next to its target.
QStringList partFiles(const QString &dir)
{
    return QDir(dir).entryList({ QStringLiteral(".*.part"), QStringLiteral("*.pdf.*") }, QDir::Files | QDir::Hidden);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Restores the export hook when a test ends, even a failed one.
struct HookGuard {
    ~HookGuard() { testing::setExportStepHook({}); }
};

} // namespace

class TestExport : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_history;
    qint64 m_id = -1; // the sample session in m_history
    SessionResult m_session; // as recorded (with its history id)

    std::unique_ptr<MainWindow> window()
    {
        MainWindowOptions options;
        options.historyPath = m_history;
        options.connectAtStart = false;
        options.restoreSettings = false;
        auto w = std::make_unique<MainWindow>(options);
        w->resize(1400, 900);
        w->show();
        return w;
    }

    // A window showing the sample session as its current session (opened from History, as a user would).
    std::unique_ptr<MainWindow> windowWithSession()
    {
        auto w = window();
        if (!QTest::qWaitFor([&] { return w->historyView()->sessionsModel()->rowCount() == 1; }, 30000))
            return nullptr;
        QSignalSpy opened(w->historyView(), &HistoryView::sessionOpened);
        w->historyView()->openSession(m_id);
        if (!opened.wait(30000))
            return nullptr;
        return w;
    }

    // Gives `w` a dialog that answers `path` with `filter`, as if the user had typed it.
    static void answerDialog(MainWindow &w, const QString &path, const QString &filter, QString *suggested = nullptr)
    {
        w.setExportDialog([path, filter, suggested](const QString &s) -> std::optional<ExportRequest> {
            if (suggested)
                *suggested = s;
            auto r = exportRequestFrom(path, filter);
            return r ? std::optional<ExportRequest>(r.value()) : std::nullopt;
        });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("PlanSightTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_export"));
        m_history = m_dir.filePath(QStringLiteral("history.sqlite"));
        auto store = HistoryStore::open(m_history);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        m_session = test::sampleSession();
        auto began = store->beginSession(m_session.info);
        QVERIFY(began.ok());
        m_id = began.value();
        for (const StrategyRun &r : m_session.runs)
            QVERIFY(store->addRun(m_id, r).ok());
        QVERIFY(store->finishSession(m_id).ok());
        auto loaded = store->loadSession(m_id);
        QVERIFY(loaded.ok());
        m_session = loaded.value();
    }

    void requestFollowsTheExtensionThenTheFilter_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("pageSize");
        const QStringList f = exportFilters();
        QCOMPARE(f.size(), 4);
        QTest::newRow("pdf, A4") << "/t/r.pdf" << f[0] << "/t/r.pdf" << int(ExportFormat::Pdf) << int(QPageSize::A4);
        QTest::newRow("pdf, Letter") << "/t/r.pdf" << f[1] << "/t/r.pdf" << int(ExportFormat::Pdf)
                                     << int(QPageSize::Letter);
        QTest::newRow("extension wins over the filter")
            << "/t/r.JSON" << f[0] << "/t/r.JSON" << int(ExportFormat::Json) << int(QPageSize::A4);
        QTest::newRow("csv") << "/t/r.csv" << f[3] << "/t/r.csv" << int(ExportFormat::Csv) << int(QPageSize::A4);
        QTest::newRow("no extension: the filter's")
            << "/t/r" << f[2] << "/t/r.json" << int(ExportFormat::Json) << int(QPageSize::A4);
        QTest::newRow("other extension: the filter's appended")
            << "/t/r.2026-11-24" << f[1] << "/t/r.2026-11-24.pdf" << int(ExportFormat::Pdf) << int(QPageSize::Letter);
    }
    void requestFollowsTheExtensionThenTheFilter()
    {
        QFETCH(QString, fileName);
        QFETCH(QString, filter);
        QFETCH(QString, path);
        QFETCH(int, format);
        QFETCH(int, pageSize);
        const auto r = exportRequestFrom(fileName, filter, QPageSize::A4);
        QVERIFY(r.ok());
        QCOMPARE(r->path, path);
        QCOMPARE(int(r->format), format);
        if (r->format == ExportFormat::Pdf)
            QCOMPARE(int(r->pdf.pageSize), pageSize);
    }

    void emptyNameIsRefused()
    {
        QCOMPARE(exportRequestFrom(QString(), exportFilters().first()).error().code, errc::Input);
    }

    void paperFollowsTheLocale()
    {
        QCOMPARE(defaultPageSize(QLocale(QLocale::English, QLocale::UnitedStates)), QPageSize::Letter);
        QCOMPARE(defaultPageSize(QLocale(QLocale::German, QLocale::Germany)), QPageSize::A4);
    }

    // The acceptance test of issue #11: File > Export report... writes the PDF of the session in the window.
    void windowExportsThePdfOfTheCurrentSession()
    {
        auto w = windowWithSession();
        QVERIFY(w);
        QCOMPARE(w->lastSession().info.id, m_id);
        QVERIFY(w->exportAction()->isEnabled());
        // The action is in the File menu.
        bool inFileMenu = false;
        for (QAction *menu : w->menuBar()->actions())
            if (menu->menu() && menu->text().remove(QLatin1Char('&')) == QLatin1String("File"))
                inFileMenu = menu->menu()->actions().contains(w->exportAction());
        QVERIFY(inFileMenu);

        const QString pdf = m_dir.filePath(QStringLiteral("window.pdf"));
        QString suggested;
        answerDialog(*w, pdf, exportFilters().at(0), &suggested);
        QSignalSpy written(w.get(), &MainWindow::exportWritten);
        QSignalSpy failed(w.get(), &MainWindow::exportFailed);
        QSignalSpy finished(w->exportWatcher(), &QFutureWatcherBase::finished);
        QSignalSpy progress(w->exportWatcher(), &QFutureWatcherBase::progressTextChanged);
        w->exportAction()->trigger();
        QVERIFY(w->findChild<QWidget *>(QStringLiteral("exportStatus"))->isVisible()); // until the job's finished()
        QVERIFY(finished.wait(60000));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(written.size(), 1);
        QVERIFY(!w->isExporting());
        QVERIFY(!w->findChild<QWidget *>(QStringLiteral("exportStatus"))->isVisible());
        QVERIFY(suggested.endsWith(QStringLiteral("plansight-session-%1.pdf").arg(m_id)));
        QVERIFY(!progress.isEmpty());

        const ExportResult r = written.first().first().value<ExportResult>();
        QCOMPARE(r.path, pdf);
        QVERIFY(r.format == ExportFormat::Pdf);
        QCOMPARE(r.sessionId, m_id);
        QVERIFY(r.pages >= 3);
        QCOMPARE(r.bytes, QFileInfo(pdf).size());
        QVERIFY(w->banner()->text().contains(pdf));
        QCOMPARE(w->banner()->kind(), BannerWidget::Kind::Info);
        QVERIFY(partFiles(m_dir.path()).isEmpty());

        // What a reader sees: the title, every strategy, the verdict.
        const QString text = pdfText(pdf);
        const ReportContent content = buildReportContent(m_session);
        QVERIFY2(text.contains(content.title), qPrintable(text.left(2000)));
        for (const StrategyRun &run : m_session.runs)
            QVERIFY2(text.contains(run.strategyId), qPrintable(run.strategyId));
        QVERIFY(!content.summaries.isEmpty());
        for (const ReportWorkloadSummary &s : content.summaries) {
            QVERIFY(!s.verdict.isEmpty());
            QVERIFY2(text.contains(s.verdict.simplified()), qPrintable(s.verdict));
        }
        // Every font is embedded.
        const auto fonts = pdfFonts(pdf);
        QVERIFY(!fonts.isEmpty());
        for (const auto &[line, embedded] : fonts)
            QVERIFY2(embedded, qPrintable(QStringLiteral("not embedded: ") + line));
        // A4 as chosen.
        QVERIFY(run(QStringLiteral("pdfinfo"), { pdf }).out.contains(QStringLiteral("(A4)")));
    }

    // History: the selected session's Export... button, to JSON (read back whole) and CSV (its header and rows).
    void historyExportsTheSelectedSessionAsJsonAndCsv()
    {
        auto w = window();
        QTRY_VERIFY_WITH_TIMEOUT(w->historyView()->sessionsModel()->rowCount() == 1, 30000);
        QVERIFY(!w->exportAction()->isEnabled()); // no current session yet
        auto *table = w->historyView()->findChild<QTableView *>(QStringLiteral("historyTable"));
        auto *button = w->historyView()->findChild<QPushButton *>(QStringLiteral("historyExport"));
        QVERIFY(table && button);
        QVERIFY(!button->isEnabled());
        table->selectRow(0);
        QVERIFY(button->isEnabled());

        const QString json = m_dir.filePath(QStringLiteral("history-export"));
        answerDialog(*w, json, exportFilters().at(2)); // no extension: the JSON filter's
        QSignalSpy written(w.get(), &MainWindow::exportWritten);
        QSignalSpy failed(w.get(), &MainWindow::exportFailed);
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(written.wait(60000));
        QVERIFY(failed.isEmpty());
        const ExportResult r = written.first().first().value<ExportResult>();
        QCOMPARE(r.path, json + QStringLiteral(".json"));
        QVERIFY(r.format == ExportFormat::Json);
        QCOMPARE(r.sessionId, m_id);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(readAll(r.path), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        auto back = sessionFromJson(doc.object());
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        const QString diff = test::diffSessions(back.value(), m_session);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QVERIFY(!back->runs.at(0).planJson.isEmpty()); // with the plans

        const QString csv = m_dir.filePath(QStringLiteral("history-export.csv"));
        answerDialog(*w, csv, exportFilters().at(0)); // the extension decides
        QVERIFY(w->historyView()->exportSelected());
        QVERIFY(written.wait(60000));
        QCOMPARE(written.size(), 2);
        QVERIFY(written.last().first().value<ExportResult>().format == ExportFormat::Csv);
        const QStringList lines = QString::fromUtf8(readAll(csv)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(!lines.isEmpty());
        QCOMPARE(lines.first(),
            QStringLiteral("session_id,strategy,workload,workload_key,cache,result_check,outcome,run,ms"));
        qsizetype rows = 0; // one per measured run; a strategy that measured nothing still has its line
        for (const StrategyRun &run : m_session.runs)
            rows += std::max<qsizetype>(1, run.timingsMs.size());
        QCOMPARE(lines.size() - 1, rows);
        QVERIFY(lines.at(1).startsWith(QString::number(m_id) + QLatin1Char(',')));
        QVERIFY(partFiles(m_dir.path()).isEmpty());
    }

    void historyExportOfAMissingSessionFailsInTheBanner()
    {
        auto w = window();
        const QString pdf = m_dir.filePath(QStringLiteral("missing-session.pdf"));
        answerDialog(*w, pdf, exportFilters().at(0));
        QSignalSpy failed(w.get(), &MainWindow::exportFailed);
        QVERIFY(w->exportHistorySession(m_id + 1000));
        QVERIFY(failed.wait(60000));
        QCOMPARE(w->banner()->kind(), BannerWidget::Kind::Error);
        QVERIFY(!QFile::exists(pdf));
    }

    // Cancel in the middle of writing the pages: the target never appears (its pages went to a hidden temporary
    // file next to it, which is removed), and a file that was there before is left as it was.
    void cancelledExportLeavesNoFile_data()
    {
        QTest::addColumn<bool>("existing");
        QTest::newRow("new file") << false;
        QTest::newRow("existing file is kept") << true;
    }
    void cancelledExportLeavesNoFile()
    {
        QFETCH(bool, existing);
        HookGuard guard;
        auto w = windowWithSession();
        QVERIFY(w);
        const QString pdf = m_dir.filePath(QStringLiteral("cancelled-%1.pdf").arg(existing));
        const QByteArray before = "an earlier report\n";
        if (existing) {
            QFile f(pdf);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(before);
        }
        // The worker stops at page 2 until the test has cancelled.
        QSemaphore paused, resume;
        QStringList steps; // written by the worker, read once the job has ended
        std::mutex stepsMutex;
        testing::setExportStepHook([&](const QString &step) {
            {
                std::lock_guard lock(stepsMutex);
                steps << step;
            }
            if (step.startsWith(QLatin1String("Writing page 2 of"))) {
                paused.release();
                resume.acquire();
            }
        });
        answerDialog(*w, pdf, exportFilters().at(0));
        QSignalSpy cancelled(w.get(), &MainWindow::exportCancelled);
        QSignalSpy written(w.get(), &MainWindow::exportWritten);
        QVERIFY(w->exportCurrentSession());
        QVERIFY(paused.tryAcquire(1, 60000));
        // Mid-write: the pages go to a hidden file beside the target; the target is untouched.
        QVERIFY(!partFiles(m_dir.path()).isEmpty());
        QCOMPARE(QFile::exists(pdf), existing);
        auto *cancel = w->findChild<QToolButton *>(QStringLiteral("exportCancel"));
        QVERIFY(cancel && cancel->isVisible());
        QTest::mouseClick(cancel, Qt::LeftButton);
        resume.release();
        QVERIFY(cancelled.wait(60000));
        QVERIFY(written.isEmpty());
        QVERIFY(!w->isExporting());
        QVERIFY(w->banner()->text().contains(QStringLiteral("cancelled")));
        // The job has ended (its future is finished); nothing of it is left.
        QTRY_VERIFY_WITH_TIMEOUT(partFiles(m_dir.path()).isEmpty(), 10000);
        QCOMPARE(QFile::exists(pdf), existing);
        if (existing)
            QCOMPARE(readAll(pdf), before);
        QFile::remove(pdf);
        // The cancel was taken between pages: the job painted at most the page after the pause, and never got to
        // putting the file in place.
        std::lock_guard lock(stepsMutex);
        const QString last = steps.last();
        QVERIFY2(
            last.startsWith(QLatin1String("Writing page 2 of")) || last.startsWith(QLatin1String("Writing page 3 of")),
            qPrintable(steps.join(QLatin1String(" | "))));
        QVERIFY(!last.contains(QLatin1String(" in place")));
    }

    void unwritableFolderFailsInTheBannerAndWritesNothing()
    {
        auto w = windowWithSession();
        QVERIFY(w);
        const QString pdf = m_dir.filePath(QStringLiteral("no-such-folder/report.pdf"));
        answerDialog(*w, pdf, exportFilters().at(0));
        QSignalSpy failed(w.get(), &MainWindow::exportFailed);
        QVERIFY(w->exportCurrentSession());
        QVERIFY(failed.wait(60000));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("does not exist")),
            qPrintable(failed.first().first().toString()));
        QCOMPARE(w->banner()->kind(), BannerWidget::Kind::Error);
        QVERIFY(!QFile::exists(pdf));
    }

    void nothingToExportSaysSo()
    {
        auto w = window();
        bool asked = false;
        w->setExportDialog([&](const QString &) -> std::optional<ExportRequest> {
            asked = true;
            return std::nullopt;
        });
        QVERIFY(!w->exportCurrentSession());
        QVERIFY(!asked);
        QCOMPARE(w->banner()->kind(), BannerWidget::Kind::Error);
        QVERIFY(w->banner()->text().contains(QStringLiteral("no session to export")));
    }

    // A second export replaces the first: the watcher follows the new job, so only its outcome is reported.
    void secondExportSupersedesTheFirst()
    {
        auto w = windowWithSession();
        QVERIFY(w);
        QSignalSpy written(w.get(), &MainWindow::exportWritten);
        QSignalSpy cancelled(w.get(), &MainWindow::exportCancelled);
        QSignalSpy finished(w->exportWatcher(), &QFutureWatcherBase::finished);
        const QString first = m_dir.filePath(QStringLiteral("first.pdf")),
                      second = m_dir.filePath(QStringLiteral("second.pdf"));
        w->startExport(exportRequestFrom(first, exportFilters().at(0)).value());
        w->startExport(exportRequestFrom(second, exportFilters().at(1)).value());
        QVERIFY(written.wait(60000));
        // Both jobs have ended; whatever the first one reported would have been delivered by now.
        QVERIFY(QThreadPool::globalInstance()->waitForDone(60000));
        QCoreApplication::processEvents();
        QCOMPARE(written.size(), 1);
        QCOMPARE(finished.size(), 1);
        QVERIFY(cancelled.isEmpty());
        QCOMPARE(written.first().first().value<ExportResult>().path, second);
        QVERIFY(run(QStringLiteral("pdfinfo"), { second }).out.contains(QStringLiteral("(letter)")));
    }

    // The job on its own: progress goes up to the end, the result names the pages pdfinfo counts.
    void jobReportsProgressAndItsResult()
    {
        const QString pdf = m_dir.filePath(QStringLiteral("job.pdf"));
        QFutureWatcher<Result<ExportResult>> watcher;
        QList<int> values;
        connect(&watcher, &QFutureWatcherBase::progressValueChanged, this, [&](int v) { values << v; });
        QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
        watcher.setFuture(exportSession(m_session, exportRequestFrom(pdf, exportFilters().at(0)).value()));
        QVERIFY(finished.wait(60000));
        QCOMPARE(watcher.future().resultCount(), 1);
        const Result<ExportResult> r = watcher.future().resultAt(0);
        QVERIFY(r.ok());
        QVERIFY(!values.isEmpty());
        QCOMPARE(values.last(), ExportProgressMax);
        QVERIFY(std::is_sorted(values.begin(), values.end()));
        const Tool info = run(QStringLiteral("pdfinfo"), { pdf });
        QVERIFY2(info.out.contains(QRegularExpression(QStringLiteral("Pages:\\s+%1\\n").arg(r->pages))),
            qPrintable(info.out));
    }

    // `plansight bench --pdf` paints the report in its own process, on a real server (the embedded demo at a tiny
    // scale, built by `plansight demo up`).
    void benchWritesThePdfInItsOwnProcess()
    {
        if (!LocalCluster::findBinDir().ok())
            QSKIP("the PostgreSQL server binaries are not installed");
        QTemporaryDir data;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), data.path());
        env.insert(QStringLiteral("PLANSIGHT_HISTORY"), data.filePath(QStringLiteral("history.sqlite")));
        const Tool up = run(QStringLiteral(PLANSIGHT_BINARY),
            { QStringLiteral("demo"), QStringLiteral("up"), QStringLiteral("--scale"), QStringLiteral("0.001") }, env,
            600000);
        QVERIFY2(up.exitCode == 0, qPrintable(up.err));
        const QString pdf = data.filePath(QStringLiteral("bench.pdf"));
        QString program = QStringLiteral(PLANSIGHT_BINARY);
        QStringList args { QStringLiteral("bench"), QStringLiteral("--strategies"),
            QStringLiteral("baseline,p4-indexes"), QStringLiteral("--runs"), QStringLiteral("2"),
            QStringLiteral("--warmup"), QStringLiteral("0"), QStringLiteral("--no-history"), QStringLiteral("--pdf"),
            pdf, QStringLiteral("--pdf-page-size"), QStringLiteral("letter") };
        // Where strace is installed, it lists every program the bench starts: pg_ctl, never plansight again.
        const QString strace = QStandardPaths::findExecutable(QStringLiteral("strace"));
        const QString execs = data.filePath(QStringLiteral("execve.log"));
        if (!strace.isEmpty()) {
            args = QStringList { QStringLiteral("-f"), QStringLiteral("-qq"), QStringLiteral("-e"),
                QStringLiteral("trace=execve"), QStringLiteral("-o"), execs, program }
                + args;
            program = strace;
        }
        const Tool bench = run(program, args, env, 600000);
        run(QStringLiteral(PLANSIGHT_BINARY), { QStringLiteral("demo"), QStringLiteral("down") }, env);
        QVERIFY2(bench.exitCode == 0, qPrintable(bench.err));
        QVERIFY2(!bench.err.contains(QStringLiteral("refused")), qPrintable(bench.err));
        if (!strace.isEmpty()) {
            const QString log = QString::fromUtf8(readAll(execs));
            const QString self = QFileInfo(QStringLiteral(PLANSIGHT_BINARY)).fileName();
            const auto started = log.count(QRegularExpression(QStringLiteral("execve\\(\"[^\"]*/%1\"").arg(self)));
            QVERIFY2(started == 1, qPrintable(log));
        } else {
            qInfo("strace is not installed: only the report itself is checked");
        }
        const QString text = pdfText(pdf);
        QVERIFY2(
            text.contains(QStringLiteral("Which strategy makes the gallery query fast?")), qPrintable(text.left(2000)));
        QVERIFY(text.contains(QStringLiteral("p4-indexes")));
        QVERIFY(run(QStringLiteral("pdfinfo"), { pdf }).out.contains(QStringLiteral("(letter)")));
        for (const auto &[line, embedded] : pdfFonts(pdf))
            QVERIFY2(embedded, qPrintable(line));
    }
};

QTEST_MAIN(TestExport)
#include "tst_export.moc"
