// The bench service seen through the window (issue #11): a runner warning reaches the window's banner and log as
// it happens, and travels with the results (JSON, report); one multi-workload session names the same winner for
// each workload in the window, the CLI's table, the JSON and the PDF. The timings come from an executor with known
// values (bench/measure.h), so the winners are known in advance; pages and plans are the server's.

#include "bannerwidget.h"
#include "benchhelpers.h"
#include "mainwindow.h"
#include "present/ranking.h"
#include "present/sessionjson.h"
#include "report/reportcontent.h"
#include "resultstablemodel.h"
#include "resultsview.h"
#include "strategylistmodel.h"
#include "testcluster.h"
#include "windowhelpers.h"

#include <QCheckBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;
using namespace plansight::gui;

namespace {

const QString Db = QStringLiteral("gallery"); // the embedded demo's database (the window connects to it)

// Deep pages: p5-prejoin is the fastest at page 10, p6-cursor at page 100; at page 1000 nobody is faster.
double deepPageMs(const StrategyRun &r)
{
    if (r.strategyId == QLatin1String("p5-prejoin") && r.workload.page == 10)
        return 2.0;
    if (r.strategyId == QLatin1String("p6-cursor") && r.workload.page == 100)
        return 2.0;
    return 10.0;
}

// What the one rule must say for a deep-page workload: the planned winner, unless the tiny demo has no rows there
// (an empty baseline page proves nothing).
QString expectedWinner(const QList<const StrategyRun *> &runs)
{
    for (const StrategyRun *r : runs) {
        if (r->strategyId == QLatin1String("baseline") && r->pageKeys.isEmpty())
            return QString();
    }
    const int page = runs.first()->workload.page;
    return page == 10 ? QStringLiteral("p5-prejoin") : page == 100 ? QStringLiteral("p6-cursor") : QString();
}

// Runs `plansight` with `args`; its standard output, or nullopt when it failed.
std::optional<QString> cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(PLANSIGHT_BINARY), args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        qWarning("plansight %s: %s", qPrintable(args.join(QLatin1Char(' '))), p.readAllStandardError().constData());
        return std::nullopt;
    }
    return QString::fromUtf8(p.readAllStandardOutput());
}

QString noSpace(QString s)
{
    s.remove(QRegularExpression(QStringLiteral("\\s+")));
    return s;
}

} // namespace

class TestBenchWindow : public QObject {
    Q_OBJECT

    // A window connected to the test cluster's demo, recording into m_dir's history, timing with `executor`.
    std::unique_ptr<MainWindow> window(std::shared_ptr<RunExecutor> executor = {})
    {
        return test::windowOnTestDemo(m_history, std::move(executor));
    }

    QTemporaryDir m_dir;
    QString m_history;

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        QCoreApplication::setOrganizationName(QStringLiteral("PlanSightTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_benchwindow"));
        QVERIFY(m_dir.isValid());
        m_history = m_dir.filePath(QStringLiteral("history.sqlite"));
        const QString built = test::buildTinyDemo(Db);
        QVERIFY2(built.isEmpty(), qPrintable(built));
    }

    // A strategy left applied by an earlier session is reverted before measuring on the demo; the runner says so,
    // and the window shows it in the banner and the log while the session runs; it stays with the results.
    void aRunnerWarningShowsInTheBannerAndTheLog()
    {
        QVERIFY(test::offGuiThread([] {
            auto session = test::TestCluster::get()->connect(Db);
            return session && strategyById(QStringLiteral("p4-indexes"))->apply(*session, nullptr, {}).ok();
        }));
        auto w = window();
        QVERIFY(w);
        w->strategyModel()->setCheckedIds({ QStringLiteral("baseline") });
        w->runsSpin()->setValue(2);
        w->warmupSpin()->setValue(0);
        QSignalSpy completed(w.get(), &MainWindow::runCompleted);
        QSignalSpy failed(w.get(), &MainWindow::runFailed);
        w->runPreset(QStringLiteral("canonical"));
        QVERIFY(completed.wait(120000));
        QVERIFY(failed.isEmpty());

        const QString expected = QStringLiteral("p4-indexes was applied");
        QCOMPARE(w->banner()->kind(), BannerWidget::Kind::Warning);
        QVERIFY2(w->banner()->text().contains(expected), qPrintable(w->banner()->text()));
        const QString log = w->logPane()->toPlainText();
        QVERIFY2(log.contains(QStringLiteral("Warning: ") + expected), qPrintable(log));
        // The warning travels with the results: in the session, its JSON and its report.
        const SessionResult &s = w->lastSession();
        QVERIFY(
            std::any_of(s.warnings.begin(), s.warnings.end(), [&](const QString &t) { return t.contains(expected); }));
        const QJsonArray json = toJson(s).value(QStringLiteral("warnings")).toArray();
        QVERIFY(std::any_of(
            json.begin(), json.end(), [&](const QJsonValue &v) { return v.toString().contains(expected); }));
        auto back = sessionFromJson(toJson(s));
        QVERIFY(back.ok());
        QCOMPARE(back->warnings, s.warnings);
        const ReportContent report = buildReportContent(s);
        QVERIFY(std::any_of(
            report.warnings.begin(), report.warnings.end(), [&](const QString &t) { return t.contains(expected); }));
        // ... and the PDF lists it (plansight report --from-json, read back with pdftotext).
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            return;
        const QString jsonPath = m_dir.filePath(QStringLiteral("warned.json"));
        QFile f(jsonPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(toJson(s)).toJson());
        f.close();
        const QString pdf = m_dir.filePath(QStringLiteral("warned.pdf"));
        QVERIFY(
            cli({ QStringLiteral("report"), QStringLiteral("--from-json"), jsonPath, QStringLiteral("--pdf"), pdf }));
        QProcess text;
        text.start(QStringLiteral("pdftotext"), { pdf, QStringLiteral("-") });
        QVERIFY(text.waitForFinished(60000));
        const QString pdfText = noSpace(QString::fromUtf8(text.readAllStandardOutput()));
        QVERIFY2(pdfText.contains(QLatin1String("Warningsofthesession")), qPrintable(pdfText.left(2000)));
        QVERIFY2(pdfText.contains(noSpace(expected)), qPrintable(pdfText.left(2000)));
    }

    // Issue #13: "Keep applied" near Run is checked on the demo (the runner's default there) and reaches the runner:
    // unchecked, a strategy with objects of its own (x-topn) is reverted after its runs; checked, it stays.
    void theKeepAppliedBoxFollowsTheServerAndReachesTheRunner()
    {
        auto stateOfTopn = [] {
            QString state;
            (void)test::offGuiThread([&] {
                auto session = test::TestCluster::get()->connect(Db);
                auto st = session ? strategyById(QStringLiteral("x-topn"))->status(*session)
                                  : Result<StrategyStatus>(Error::make(errc::Connection, QStringLiteral("no session")));
                state = st ? toString(st->state) : st.error().message;
                return true;
            });
            return state;
        };
        auto w = window();
        QVERIFY(w);
        auto *keep = w->findChild<QCheckBox *>(QStringLiteral("keepApplied"));
        QVERIFY(keep);
        QVERIFY(keep->isChecked());
        w->strategyModel()->setCheckedIds({ QStringLiteral("baseline"), QStringLiteral("x-topn") });
        w->runsSpin()->setValue(2);
        w->warmupSpin()->setValue(0);
        for (const bool kept : { false, true }) {
            if (keep->isChecked() != kept)
                keep->click();
            QSignalSpy completed(w.get(), &MainWindow::runCompleted);
            w->runPreset(QStringLiteral("canonical"));
            QVERIFY(completed.wait(120000));
            QCOMPARE(stateOfTopn(), kept ? QStringLiteral("applied") : QStringLiteral("not applied"));
        }
        (void)test::offGuiThread([] {
            auto session = test::TestCluster::get()->connect(Db);
            return session && strategyById(QStringLiteral("x-topn"))->revert(*session, nullptr).ok();
        });
    }

    // The done criterion of issue #11: one multi-workload session, the same winner per workload everywhere.
    void oneSessionNamesTheSameWinnerPerWorkloadEverywhere()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
        auto w = window(std::make_shared<test::FixedExecutor>(deepPageMs));
        QVERIFY(w);
        w->strategyModel()->setCheckedIds(
            { QStringLiteral("baseline"), QStringLiteral("p5-prejoin"), QStringLiteral("p6-cursor") });
        w->runsSpin()->setValue(5);
        w->warmupSpin()->setValue(0);
        QSignalSpy completed(w.get(), &MainWindow::runCompleted);
        QSignalSpy failed(w.get(), &MainWindow::runFailed);
        w->runPreset(QStringLiteral("deep-page"));
        QVERIFY(completed.wait(300000));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        const SessionResult session = w->lastSession();
        QVERIFY(session.info.id >= 0);

        // The rule's verdict per workload (in session order), and what the known timings make of it.
        const Ranking ranking = rankSession(session);
        QCOMPARE(ranking.workloads.size(), 3);
        QStringList winners;
        for (const WorkloadRanking &wr : ranking.workloads) {
            QList<const StrategyRun *> runs;
            for (const StrategyRun &r : session.runs)
                if (r.workload.key() == wr.workloadKey)
                    runs << &r;
            QCOMPARE(runs.size(), 3);
            const QString winner = wr.winner ? wr.winner->strategyId : QString();
            QCOMPARE(winner, expectedWinner(runs));
            winners << winner;
        }
        // The session has a workload with a winner and one without (page 1000: nobody is faster).
        QVERIFY2(!winners.first().isEmpty(), "the tiny demo has no page 10");
        QVERIFY(winners.last().isEmpty());

        // The window: the results table's winner rows (bold, "The winner" in the tooltip).
        const ResultsTableModel *model = w->resultsView()->tableModel();
        QCOMPARE(model->rowCount(), session.runs.size());
        for (int i = 0; i < ranking.workloads.size(); ++i) {
            QStringList marked;
            for (int row = 0; row < model->rowCount(); ++row) {
                const QModelIndex idx = model->index(row, ResultsTableModel::StrategyColumn);
                const StrategyRun &r = session.runs.at(idx.data(ResultsTableModel::RunIndexRole).toInt());
                const bool bold = idx.data(Qt::FontRole).value<QFont>().bold();
                QCOMPARE(bold, idx.data(Qt::ToolTipRole).toString().contains(QLatin1String("The winner")));
                if (r.workload.key() == ranking.workloads[i].workloadKey && bold)
                    marked << r.strategyId;
            }
            QCOMPARE(marked, winners[i].isEmpty() ? QStringList() : QStringList { winners[i] });
        }

        // The JSON (`plansight history export --json`): winners by workload key.
        const QString id = QString::number(session.info.id);
        const QString json = cli({ QStringLiteral("history"), QStringLiteral("export"), id, QStringLiteral("--json"),
                                     QStringLiteral("--history"), m_history })
                                 .value_or(QString());
        QVERIFY(!json.isEmpty());
        const QJsonObject byKey
            = QJsonDocument::fromJson(json.toUtf8()).object().value(QStringLiteral("winners")).toObject();
        for (int i = 0; i < ranking.workloads.size(); ++i)
            QCOMPARE(
                byKey.value(ranking.workloads[i].workloadKey).toObject().value(QStringLiteral("winner")).toString(),
                winners[i]);

        // The CLI's table (`plansight history show`): one verdict line per workload, in order.
        const QString table
            = cli({ QStringLiteral("history"), QStringLiteral("show"), id, QStringLiteral("--history"), m_history })
                  .value_or(QString());
        QStringList verdicts;
        for (const QString &line : table.split(QLatin1Char('\n')))
            if (line.startsWith(QLatin1String("Verdict (")))
                verdicts << line;
        QCOMPARE(verdicts.size(), 3);
        for (int i = 0; i < verdicts.size(); ++i) {
            if (winners[i].isEmpty())
                QVERIFY2(!verdicts[i].contains(QLatin1String(" is the fastest with")), qPrintable(verdicts[i]));
            else
                QVERIFY2(verdicts[i].contains(QStringLiteral("): %1 is the fastest with").arg(winners[i])),
                    qPrintable(verdicts[i]));
        }

        // The PDF (`plansight report`, read back with pdftotext): the answer names each workload's verdict, in order.
        const QString pdf = m_dir.filePath(QStringLiteral("session.pdf"));
        QVERIFY(cli({ QStringLiteral("report"), QStringLiteral("--session"), id, QStringLiteral("--history"), m_history,
            QStringLiteral("--pdf"), pdf }));
        QProcess text;
        text.start(QStringLiteral("pdftotext"), { pdf, QStringLiteral("-") });
        QVERIFY(text.waitForFinished(60000));
        const QString pdfText = noSpace(QString::fromUtf8(text.readAllStandardOutput()));
        // The first page's recommendation: one line per workload, "<workload>: <the ranking's sentence>", which
        // names the winner ("<winner> is the fastest with the baseline's rows: ...") or says why there is none.
        qsizetype from = pdfText.indexOf(QStringLiteral("Recommendation"));
        QVERIFY2(from >= 0, qPrintable(pdfText.left(2000)));
        for (int i = 0; i < ranking.workloads.size(); ++i) {
            const QString name = noSpace(ranking.workloads[i].workloadName + QStringLiteral(":"));
            const qsizetype at = pdfText.indexOf(name, from);
            QVERIFY2(at >= 0, qPrintable(pdfText.mid(from, 1500)));
            const QString paragraph = pdfText.mid(at + name.size(), 300);
            if (winners[i].isEmpty())
                QVERIFY2(paragraph.startsWith(QLatin1String("Nowinner"))
                        || paragraph.startsWith(QLatin1String("Noclear"))
                        || paragraph.startsWith(QLatin1String("Thebaselineisfastest")),
                    qPrintable(paragraph));
            else
                QVERIFY2(paragraph.startsWith(winners[i] + QLatin1String("isthefastestwiththebaseline")),
                    qPrintable(paragraph));
            from = at + 1;
        }
    }
};

QTEST_MAIN(TestBenchWindow)
#include "tst_benchwindow.moc"
