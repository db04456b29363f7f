// The text parser's hand-written readings (plan/plantext_p.h) against the regular expressions they stand for, on
// every line of every stored text plan and on random lines made of the pieces EXPLAIN lines are made of (with the
// shapes that trip a reading: a second "..", missing figures, tabs, Unicode spaces, text around).

#include "plan/plantext_p.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

#include <cstring>

using namespace plansight::planinternal;

namespace {

QStringList storedLines()
{
    QStringList out;
    const QDir dir(QStringLiteral(PLANSIGHT_TEST_DATA "/plans"));
    for (const QString &name : dir.entryList(QDir::Files)) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(name));
        for (const QByteArray &line : f.readAll().split('\n')) {
            const QString l = QString::fromUtf8(line);
            out << l << l.trimmed();
            if (l.trimmed().startsWith(QLatin1String("->")))
                out << l.trimmed().mid(2).trimmed();
        }
    }
    return out;
}

QStringList randomLines(int count)
{
    static const char *const pieces[] = { "Seq Scan on t", "->  ", "  ", " ", "\t", "\v", "(cost=", "0.00", "..", "...",
        "1.5", "1e5", "-2", "+", " rows=", "rows=", "12", " width=", "4", ")", "(actual", " time=", "time=", "0.010",
        "0.020", " loops=", "1", "(never executed)", "Filter: ", "Filter", ":", ": ", "x", "Sort Method",
        "  Memory: 25kB", "  Disk: 1kB", "Worker ", "0", "7:", "Buckets: 1024 (originally 16)", "  Batches: 1", "a-b",
        "A/B", "\xc2\xa0", "\xe2\x80\x83", "é", "Key Name With Spaces", "q", "  Hits: 3", "\r" };
    QRandomGenerator rng(20261203);
    QStringList out;
    for (int i = 0; i < count; ++i) {
        QByteArray l;
        for (int k = int(rng.bounded(12)); k >= 0; --k)
            l += pieces[rng.bounded(int(std::size(pieces)))];
        out << QString::fromUtf8(l);
    }
    return out;
}

QStringList allLines()
{
    return storedLines() + randomLines(200000);
}

} // namespace

class TestPlanText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keyValueAndWorkerLines()
    {
        const QRegularExpression keyValue(QStringLiteral("^[A-Z][A-Za-z0-9 /\\-]{0,60}:(?:\\s|$)"));
        const QRegularExpression worker(QStringLiteral("^Worker \\d+:"));
        QStringList lines = allLines();
        lines << QStringLiteral("A") + QString(60, QLatin1Char('b')) + QStringLiteral(": x")
              << QStringLiteral("A") + QString(61, QLatin1Char('b')) + QStringLiteral(": x") << QStringLiteral("A:")
              << QStringLiteral("A:\n") << QStringLiteral("Worker :") << QStringLiteral("Worker 12:");
        for (const QString &l : std::as_const(lines)) {
            QCOMPARE(isKeyValue(l), keyValue.match(l).hasMatch());
            QCOMPARE(isWorkerLine(l), worker.match(l).hasMatch());
        }
    }

    void propertiesOnOneLine()
    {
        const QRegularExpression sep(QStringLiteral("\\s{2,}(?=[A-Z][A-Za-z \\-]*:)"));
        for (const QString &l : allLines()) {
            const QStringList parts = l.split(sep);
            const KeyValueParts got = keyValuePairs(l);
            QCOMPARE(got.size(), parts.size());
            for (qsizetype i = 0; i < parts.size(); ++i) {
                const qsizetype colon = parts[i].indexOf(QLatin1Char(':'));
                const QString key = colon < 0 ? parts[i].trimmed() : parts[i].left(colon).trimmed();
                const QString value = colon < 0 ? QString() : parts[i].mid(colon + 1).trimmed();
                QCOMPARE(got[i].first.toString(), key);
                QCOMPARE(got[i].second.toString(), value);
            }
        }
    }

    // When a reading decides, it decides as the expression: the same start and figures; it leaves no line the
    // expression matches undecided... except the shapes it hands over (nullopt), which the parser gives the expression.
    void nodeFigures()
    {
        const QRegularExpression cost(
            QStringLiteral("\\(cost=([0-9.eE+\\-]+)\\.\\.([0-9.eE+\\-]+)\\s+rows=([0-9.eE+\\-]+)\\s+width=(\\d+)\\)"));
        const QRegularExpression actual(
            QStringLiteral("\\(actual\\s*(?:time=([0-9.]+)\\.\\.([0-9.]+)\\s*)?rows=([0-9.]+)\\s+loops=([0-9.]+)\\)"));
        int decided = 0, handedOver = 0;
        for (const QString &l : allLines()) {
            CostFigures c;
            const auto mc = cost.match(l);
            if (const auto fast = matchCostFast(l, c); fast.has_value()) {
                ++decided;
                QCOMPARE(*fast, mc.hasMatch());
                if (*fast) {
                    QCOMPARE(c.start, mc.capturedStart());
                    QCOMPARE(c.startup.toString(), mc.captured(1));
                    QCOMPARE(c.total.toString(), mc.captured(2));
                    QCOMPARE(c.rows.toString(), mc.captured(3));
                    QCOMPARE(c.width.toString(), mc.captured(4));
                }
            } else {
                ++handedOver;
            }
            ActualFigures a;
            const auto ma = actual.match(l);
            if (const auto fast = matchActualFast(l, a); fast.has_value()) {
                QCOMPARE(*fast, ma.hasMatch());
                if (*fast) {
                    QCOMPARE(a.start, ma.capturedStart());
                    QCOMPARE(a.startupTime.toString(), ma.captured(1));
                    QCOMPARE(a.totalTime.toString(), ma.captured(2));
                    QCOMPARE(a.rows.toString(), ma.captured(3));
                    QCOMPARE(a.loops.toString(), ma.captured(4));
                }
            }
        }
        QVERIFY(decided > handedOver); // the usual shapes are decided by hand
    }

    // Node descriptions: joins and index scans read by hand, against their expressions.
    void descriptions()
    {
        const QRegularExpression join(
            QStringLiteral("^(Nested Loop|Hash|Merge)(?: (Left|Right|Full|Semi|Anti|Right Semi|Right Anti))? Join$"));
        const QRegularExpression indexScan(
            QStringLiteral("^(Index Scan|Index Only Scan)( Backward)? using (\"(?:[^\"]|\"\")*\"|\\S+)(?: on (.+))?$"));
        static const char *const pieces[]
            = { "Index Scan", "Index Only Scan", "Index", " Backward", " using ", "using", "idx", "\"q\"\"x\"", "\"",
                  " on ", "on", "public.t", " t1", " ", "  ", "\t", "\xc2\xa0", "\xe2\x80\x83", "Hash", "Nested Loop",
                  "Merge", " Right", " Semi", " Anti", " Left", " Full", " Join", "Join", "x", "\r", "\n" };
        QStringList texts = storedLines();
        QRandomGenerator rng(20261203);
        auto piece = [&rng] { return QByteArray(pieces[rng.bounded(int(std::size(pieces)))]); };
        auto oneOf = [&rng](std::initializer_list<const char *> options) {
            return QByteArray(options.begin()[rng.bounded(int(options.size()))]);
        };
        for (int i = 0; i < 200000; ++i) {
            QByteArray l;
            switch (rng.bounded(3)) {
            case 0: // pieces in any order
                for (int k = int(rng.bounded(8)); k >= 0; --k)
                    l += piece();
                break;
            case 1: // a join, perhaps with something wrong in it
                l = oneOf({ "Nested Loop", "Hash", "Merge", "Hash Left" })
                    + oneOf(
                        { "", " Left", " Right", " Full", " Semi", " Anti", " Right Semi", " Right Anti", " Outer" })
                    + oneOf({ " Join", " Join", "Join", " Join " });
                break;
            default: // an index scan, perhaps with something wrong in it
                l = oneOf({ "Index Scan", "Index Only Scan", "Index  Scan" }) + oneOf({ "", " Backward", "Backward" })
                    + oneOf({ " using ", " using  ", " using" }) + oneOf({ "idx", "\"q x\"", "\"q\"\"x\"", "i\"x", "" })
                    + oneOf({ "", " on public.t t1", " on t", " on ", " on  t", "  on t", " t" });
                break;
            }
            if (rng.bounded(3) == 0)
                l.insert(rng.bounded(int(l.size()) + 1), piece());
            texts << QString::fromUtf8(l);
        }
        int joins = 0, scans = 0, handedOver = 0;
        for (const QString &t : std::as_const(texts)) {
            JoinWords j;
            const auto mj = join.match(t);
            QVERIFY2(matchJoin(t, j) == mj.hasMatch(), t.toUtf8().toPercentEncoding().constData());
            if (mj.hasMatch()) {
                ++joins;
                QCOMPARE(j.kind.toString(), mj.captured(1));
                QCOMPARE(j.type.toString(), mj.captured(2));
            }
            IndexScanWords w;
            const auto mi = indexScan.match(t);
            const auto fast = matchIndexScanFast(t, w);
            if (!fast.has_value()) {
                ++handedOver;
                continue;
            }
            QVERIFY2(*fast == mi.hasMatch(), qPrintable(t));
            if (*fast) {
                ++scans;
                QCOMPARE(w.type.toString(), mi.captured(1));
                QCOMPARE(w.backward.toString(), mi.captured(2));
                QCOMPARE(w.index.toString(), mi.captured(3));
                QCOMPARE(w.relation.toString(), mi.captured(4));
            }
        }
        qInfo("joins %d, index scans %d, handed over %d", joins, scans, handedOver);
        QVERIFY(joins > 100 && scans > 100 && handedOver > 100); // each shape was met
    }

    // Numbers: the same double (to the bit) and the same verdict as QString::toDouble.
    void numbersAsQt()
    {
        QStringList texts { QStringLiteral("0"), QStringLiteral("-0"), QStringLiteral("-0.0"), QStringLiteral("00"),
            QStringLiteral("007"), QStringLiteral("0.29"), QStringLiteral("1234.560"), QStringLiteral(".5"),
            QStringLiteral("5."), QStringLiteral("1e5"), QStringLiteral("inf"), QStringLiteral("nan"),
            QStringLiteral("+1"), QStringLiteral("1,000"), QStringLiteral(""), QStringLiteral("-"),
            QStringLiteral("12345678901234567890123456789012345678901234567890123456789012345.5"),
            QStringLiteral("0.1000000000000000055511151231257827021181583404541015625"),
            QStringLiteral("9007199254740993"), QStringLiteral("1.7976931348623157e308"), QStringLiteral("٣") };
        QRandomGenerator rng(11);
        for (int i = 0; i < 200000; ++i) {
            QString s = rng.bounded(4) == 0 ? QStringLiteral("-") : QString();
            for (int k = int(rng.bounded(1, 18)); k > 0; --k)
                s += QChar(u'0' + char16_t(rng.bounded(10)));
            if (rng.bounded(2))
                s += QLatin1Char('.');
            for (int k = int(rng.bounded(0, 18)); k > 0; --k)
                s += QChar(u'0' + char16_t(rng.bounded(10)));
            texts << s;
        }
        for (const QString &s : std::as_const(texts)) {
            bool okQt = false, ok = false;
            const double qt = s.toDouble(&okQt);
            const double d = textToDouble(s, &ok);
            QCOMPARE(ok, okQt);
            QVERIFY2(std::memcmp(&d, &qt, sizeof d) == 0, qPrintable(s));
        }
    }
};

QTEST_GUILESS_MAIN(TestPlanText)
#include "tst_plantext.moc"
