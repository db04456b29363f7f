// Long jobs tell how long (docs/architecture.md, "Long jobs"):
// - a strategy's index build reports its phase and a rising share from pg_stat_progress_create_index, read from a
//   second connection (pg/indexprogress.h), and a cancel during the build still stops it and leaves nothing;
// - `plansight bench` prints its progress with percent and elapsed time: a line every few seconds into a pipe, and
//   on a terminal one line rewritten in place that never grows wider than the terminal.

#include "benchhelpers.h"
#include "pg/indexprogress.h"
#include "strategies/schemastrategy.h"
#include "testcluster.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <mutex>

using namespace plansight;
using plansight::test::TestCluster;

namespace {

const QString Db = QStringLiteral("progress");

// A strategy whose one step builds an index that takes a few seconds whatever the machine: its expression sleeps
// 1 ms per row (an IMMUTABLE wrapper around pg_sleep), over a table of wide rows (a few per block), so the table
// scan moves block by block while the watch polls.
class SlowIndexStrategy : public SchemaStrategy {
public:
    StrategyInfo info() const override
    {
        StrategyInfo i;
        i.id = QStringLiteral("t-slowindex");
        i.title = QStringLiteral("A slow index");
        return i;
    }
    QList<SchemaObject> objects() const override
    {
        return { { SchemaObject::Kind::Index, QStringLiteral("ps_t_slowindex_idx"), QStringLiteral("progress_rows") } };
    }
    Result<StrategyQuery> query(PgSession &, const Workload &) override { return StrategyQuery {}; }

protected:
    QList<Step> applySteps() const override { return { { QStringLiteral("index"), QStringLiteral("slow index") } }; }
    QString stepSql(const QString &sqlName) const override
    {
        if (sqlName == QLatin1String("revert"))
            return QStringLiteral("DROP INDEX IF EXISTS public.ps_t_slowindex_idx;");
        return QStringLiteral("CREATE INDEX ps_t_slowindex_idx ON public.progress_rows (public.progress_slow(id));");
    }
};

struct Report {
    qint64 done, total;
    QString text;
};

// Every line a terminal would show at the end: the text between carriage returns and new lines.
QStringList screenSegments(const QString &out)
{
    return out.split(QRegularExpression(QStringLiteral("[\r\n]")), Qt::SkipEmptyParts);
}

} // namespace

class TestProgress : public QObject {
    Q_OBJECT

    std::unique_ptr<PgSession> connect()
    {
        auto s = TestCluster::get()->connect(Db);
        if (!s)
            qFatal("no connection to the test database");
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!TestCluster::get())
            QSKIP(qPrintable(TestCluster::reason()));
        QVERIFY(TestCluster::get()->cluster().ensureDatabase(Db).ok());
        auto s = connect();
        QVERIFY(
            s->execScript(
                 QStringLiteral("DROP TABLE IF EXISTS progress_rows;"
                                "CREATE OR REPLACE FUNCTION progress_slow(int) RETURNS int LANGUAGE sql IMMUTABLE "
                                "AS $$ SELECT $1 + 0 * length(pg_sleep(0.001)::text) $$;"
                                "CREATE TABLE progress_rows (id int, pad text);"
                                "INSERT INTO progress_rows SELECT g, repeat('x', 1000) FROM generate_series(1, 3000) g;"
                                "ANALYZE progress_rows;"))
                .ok());
    }

    // Words and shares from the view's phases: a pure function, checked without a server.
    void progressWordsFromThePhase()
    {
        IndexBuildProgress p;
        p.command = QStringLiteral("CREATE INDEX");
        p.table = QStringLiteral("content_tags");
        p.phase = QStringLiteral("building index: scanning table");
        p.blocksDone = 43;
        p.blocksTotal = 100;
        QCOMPARE(p.words(), QStringLiteral("building index on content_tags: scanning table 43%"));
        const double scanning = p.fraction();
        p.index = QStringLiteral("ps_x");
        QCOMPARE(p.words(), QStringLiteral("building index ps_x: scanning table 43%"));
        p.phase = QStringLiteral("building index: sorting live tuples");
        QCOMPARE(p.words(), QStringLiteral("building index ps_x: sorting live tuples"));
        const double sorting = p.fraction();
        p.phase = QStringLiteral("building index: loading tuples in tree");
        p.tuplesDone = 10;
        p.tuplesTotal = 1000;
        const double loading = p.fraction();
        QVERIFY(scanning < sorting && sorting < loading && loading < 1.0);
        // A concurrent build keeps the second half for its validation.
        p.command = QStringLiteral("CREATE INDEX CONCURRENTLY");
        QVERIFY(p.fraction() < 0.5);
        p.phase = QStringLiteral("index validation: scanning table");
        QVERIFY(p.fraction() >= 0.7);
        p.phase = QStringLiteral("waiting for writers before build");
        QCOMPARE(p.fraction(), 0.0);
        QCOMPARE(p.words(), QStringLiteral("building index ps_x: waiting for writers before build"));
    }

    void indexBuildTellsItsPhaseAndARisingShare()
    {
        auto s = connect();
        SlowIndexStrategy strategy;
        QVERIFY(strategy.revert(*s, nullptr).ok());
        std::mutex mutex;
        QList<Report> reports;
        const Status st = strategy.apply(*s, nullptr, [&](qint64 done, qint64 total, const QString &text) {
            std::lock_guard lock(mutex);
            reports.append({ done, total, text });
        });
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().toString()));
        QList<double> shares;
        for (const Report &r : std::as_const(reports)) {
            if (!r.text.startsWith(QLatin1String("building index")))
                continue;
            QVERIFY2(r.text.contains(QLatin1String("on progress_rows: scanning table")), qPrintable(r.text));
            QVERIFY(r.total > 0);
            shares.append(double(r.done) / double(r.total));
        }
        QVERIFY2(shares.size() >= 2, qPrintable(QString::number(shares.size())));
        for (int i = 1; i < shares.size(); ++i)
            QVERIFY(shares[i] >= shares[i - 1]);
        QVERIFY(shares.last() > shares.first());
        QVERIFY(shares.last() < 1.0);
        QCOMPARE(reports.last().text, QStringLiteral("done"));
        QVERIFY(strategy.revert(*s, nullptr).ok());
    }

    // A cancel during the build (here at its first progress report, from the watch's thread) stops the statement;
    // the build is rolled back and the watch ends with it.
    void cancelDuringTheBuildStillWorks()
    {
        auto s = connect();
        SlowIndexStrategy strategy;
        CancelToken cancel;
        const Status st = strategy.apply(*s, &cancel, [&](qint64, qint64, const QString &text) {
            if (text.startsWith(QLatin1String("building index")))
                cancel.cancel();
        });
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, errc::Cancelled);
        QVERIFY(cancel.isCancelled());
        waitForCancelCallbacks(&cancel);
        s->resetCancel();
        auto now = strategy.status(*s);
        QVERIFY(now.ok());
        QVERIFY(now->state == StrategyState::NotApplied);
    }

    // Into a pipe: "progress: ... · N% · m:ss elapsed" lines, no carriage return.
    void benchPrintsProgressLinesIntoAPipe()
    {
        QCOMPARE(test::buildTinyDemo(QStringLiteral("progress_demo")), QString());
        QTemporaryDir dir;
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), dir.path());
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(PLANSIGHT_BINARY),
            QStringList { QStringLiteral("bench"), QStringLiteral("--dsn"),
                TestCluster::get()->conninfo(QStringLiteral("progress_demo")), QStringLiteral("--strategies"),
                QStringLiteral("baseline"), QStringLiteral("--runs"), QStringLiteral("2"), QStringLiteral("--warmup"),
                QStringLiteral("0"), QStringLiteral("--no-history") });
        QVERIFY(p.waitForFinished(120000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        QVERIFY2(!err.contains(QLatin1Char('\r')), qPrintable(err));
        static const QRegularExpression line(
            QStringLiteral("^progress: .+ · \\d+% · \\d+:\\d\\d elapsed"), QRegularExpression::MultilineOption);
        QVERIFY2(line.match(err).hasMatch(), qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("baseline")), qPrintable(err));
    }

    // On a terminal 60 columns wide (script(1) gives the bench a pseudo-terminal; $COLUMNS its width): every state
    // of the progress line fits in 59 columns, the line is rewritten in place (carriage returns), and the table
    // after it starts on a line of its own.
    void benchRewritesOneLineThatFitsTheTerminal()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
            QSKIP("script(1) is not installed");
        QCOMPARE(test::buildTinyDemo(QStringLiteral("progress_demo")), QString());
        QTemporaryDir dir;
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), dir.path());
        env.insert(QStringLiteral("COLUMNS"), QStringLiteral("60"));
        p.setProcessEnvironment(env);
        const QString command
            = QStringLiteral("stty cols 60 2>/dev/null; '%1' bench --dsn '%2' --strategies baseline "
                             "--runs 3 --warmup 0 --no-history")
                  .arg(QStringLiteral(PLANSIGHT_BINARY), TestCluster::get()->conninfo(QStringLiteral("progress_demo")));
        p.start(QStringLiteral("script"), { QStringLiteral("-qfec"), command, QStringLiteral("/dev/null") });
        QVERIFY(p.waitForFinished(120000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(p.exitCode() == 0, qPrintable(out));
        QVERIFY2(out.contains(QLatin1Char('\r')), qPrintable(out));
        int progressStates = 0;
        for (const QString &segment : screenSegments(out)) {
            if (!segment.contains(QLatin1String(" elapsed")))
                continue;
            ++progressStates;
            QVERIFY2(segment.trimmed().size() <= 59, qPrintable(segment));
        }
        QVERIFY2(progressStates >= 2, qPrintable(out));
        // The table's header starts a line: the progress line was ended first.
        QVERIFY2(QRegularExpression(QStringLiteral("(^|\n)PlanSight ")).match(out).hasMatch(), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestProgress)
#include "tst_progress.moc"
