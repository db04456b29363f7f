// `explain --json`'s writer (JsonWriter, planJsonText): byte for byte what Qt writes for the same document, on random
// documents, on values read from the JSON tape, and on every stored plan; and, for every stored plan (JSON and text),
// the same bytes as before the writer and the text parser were rewritten (tests/data/plan-json, written by the
// QJsonObject-based code of 2026-12-03). After an intended change of the document or of a plan's figures, rewrite
// those files with PLANSIGHT_UPDATE_GOLDEN=1 and read the diff.

#include "plan/jsontape_p.h"
#include "plan/jsonwriter_p.h"
#include "plan/planformat.h"
#include "plan/planparser.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>

using namespace plansight;
using planinternal::JsonTape;
using planinternal::JsonWriter;

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

double randomNumber(QRandomGenerator &rng)
{
    static const double special[] = { 0.0, -0.0, 1.0, -1.0, 0.29, 1234.56, 0.001, 0.0009999, 1e-4, 1.2e-4, 1e-7,
        2.5e-300, 1e15, 1e16, 1e20, 1e300, 9007199254740992.0, 9007199254740993.0, -9007199254740992.0,
        9007199254740991.5, 123456789012345678.0, 9223372036854775808.0, -9223372036854775808.0, 0.1 + 0.2,
        std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
        std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max() };
    switch (rng.bounded(4)) {
    case 0:
        return special[rng.bounded(int(std::size(special)))];
    case 1: // any magnitude, any digits
        return (rng.bounded(2) ? -1 : 1) * rng.generateDouble() * std::pow(10.0, int(rng.bounded(40)) - 20);
    case 2: // as PostgreSQL prints times and costs
        return double(rng.bounded(100000000)) / 1000;
    default: // whole numbers
        return double(qint64(rng.generate64() >> rng.bounded(64)));
    }
}

QString randomText(QRandomGenerator &rng)
{
    static const QString pieces[] = { QStringLiteral("Seq Scan"), QStringLiteral("\"quoted\""),
        QStringLiteral("back\\slash"), QStringLiteral("tab\tand\nnewline\r"), QStringLiteral("é ü ß"),
        QStringLiteral("日本語"), QString(QChar(0x01)), QString(QChar(0x1F)), QString(QChar(0x7F)), QStringLiteral("😀"),
        QString(QChar(0xD800)), QString(QChar(0xDC00)), QString(QChar(0xFFFE)), QStringLiteral("/"), QString(),
        QStringLiteral("a_b"), QStringLiteral("Z"), QStringLiteral("Ａ") };
    QString s;
    for (int i = int(rng.bounded(4)); i > 0; --i)
        s += pieces[rng.bounded(int(std::size(pieces)))];
    return s;
}

QJsonValue randomValue(QRandomGenerator &rng, int depth)
{
    switch (rng.bounded(depth > 4 ? 5 : 7)) {
    case 0:
        return QJsonValue(QJsonValue::Null);
    case 1:
        return rng.bounded(2) == 1;
    case 2:
        return randomNumber(rng);
    case 3:
    case 4:
        return randomText(rng);
    case 5: {
        QJsonArray a;
        for (int i = int(rng.bounded(5)); i > 0; --i)
            a.append(randomValue(rng, depth + 1));
        return a;
    }
    default: {
        QJsonObject o;
        for (int i = int(rng.bounded(6)); i > 0; --i)
            o.insert(randomText(rng), randomValue(rng, depth + 1));
        return o;
    }
    }
}

QByteArray written(const QJsonValue &v, JsonWriter::Format format)
{
    JsonWriter w(format, 16);
    w.value(v);
    return w.take();
}

QStringList storedPlans()
{
    return QDir(QStringLiteral(PLANSIGHT_TEST_DATA "/plans")).entryList(QDir::Files, QDir::Name);
}

} // namespace

class TestPlanJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Random documents: every shape of number, text with escapes, lone surrogates and non-ASCII, empty containers,
    // keys in QJsonObject's order.
    void writesWhatQtWrites()
    {
        QRandomGenerator rng(20261203);
        for (int i = 0; i < 2000; ++i) {
            const QJsonValue v = randomValue(rng, 0);
            const QJsonDocument doc = v.isObject() ? QJsonDocument(v.toObject())
                : v.isArray()                      ? QJsonDocument(v.toArray())
                                                   : QJsonDocument(QJsonArray { v });
            const QJsonValue top = v.isObject() || v.isArray() ? v : QJsonValue(QJsonArray { v });
            QCOMPARE(written(top, JsonWriter::Format::Indented), doc.toJson(QJsonDocument::Indented));
            QCOMPARE(written(top, JsonWriter::Format::Compact), doc.toJson(QJsonDocument::Compact));
        }
    }

    // Numbers one by one: as QJsonValue(double) is written, for a million doubles of every magnitude.
    void numbersAsQt()
    {
        QRandomGenerator rng(42);
        for (int i = 0; i < 1000000; ++i) {
            const double d = randomNumber(rng);
            JsonWriter w(JsonWriter::Format::Compact, 16);
            w.beginArray();
            w.number(d);
            w.endArray();
            QCOMPARE(w.take(), QJsonDocument(QJsonArray { d }).toJson(QJsonDocument::Compact));
        }
    }

    // Values read from the tape (the nodes' fields): as QJsonValue holds them, so duplicate keys keep the last value,
    // escaped and non-ASCII keys sort as Qt sorts them, and numbers written as they stand are Qt's own digits.
    void tapeValuesAsQt()
    {
        // JSON texts (written with C escapes: moc does not read raw string literals).
        const QByteArray texts[] = {
            QByteArrayLiteral("{\"b\": 1, \"a\": 2, \"b\": 3, \"a b\": [1.50, 0.29, 0.001, 0.0001, 0.00012, -0, -0.0, "
                              "25.0, 1e3, 1E-7]}"),
            QByteArrayLiteral(
                "{\"\\u00e9\": \"x\", \"Z\": \"\\ud83d\\ude00\", \"\\uff21\": 1, \"\\ud800\": \"lone\", \"\xc3"
                "\xa9"
                "\": \"dup\", \"k\": \"\\\"\\\\/\\b\\f\\n\\r\\t\"}"),
            QByteArrayLiteral(
                "[123456789012345, 1234567890123456, 12345678901234567890, 0.123456789012345, 0.1234567890123456, "
                "-12.5, 100.010, 9007199254740993, 1e999, -1e999, 1e-999, \"\\u0001\", \"\xc3"
                "\xa9"
                "\\u00e9\", {}, [], [{}], null]"),
            QByteArrayLiteral("{\"Plans\": [1], \"Node Type\": \"Seq Scan\", \"Output\": [\"a\", \"b\"], \"Workers\": "
                              "[{\"Worker Number\": 0}]}"),
        };
        for (const QByteArray &text : texts) {
            auto tape = JsonTape::parse(text, 0, text.size());
            QVERIFY2(tape.ok(), qPrintable(tape.ok() ? QString() : tape.error().message));
            const JsonTape &t = *tape.value();
            const QJsonValue qt = t.toQJson(0);
            JsonWriter w(JsonWriter::Format::Indented);
            w.tapeValue(t, 0);
            QCOMPARE(
                w.take(), qt.isObject() ? QJsonDocument(qt.toObject()).toJson() : QJsonDocument(qt.toArray()).toJson());
            if (t.isObject(0)) { // a node's fields leave "Plans" out
                JsonWriter fields(JsonWriter::Format::Compact);
                fields.tapeValue(t, 0, "Plans");
                QCOMPARE(fields.take(), QJsonDocument(t.toQJsonObject(0, "Plans")).toJson(QJsonDocument::Compact));
            }
        }
        // Random documents through the tape.
        QRandomGenerator rng(7);
        for (int i = 0; i < 500; ++i) {
            QJsonObject o;
            for (int k = int(rng.bounded(8)); k > 0; --k)
                o.insert(randomText(rng), randomValue(rng, 1));
            const QByteArray text = QJsonDocument(o).toJson(QJsonDocument::Compact);
            auto tape = JsonTape::parse(text, 0, text.size());
            QVERIFY(tape.ok());
            JsonWriter w(JsonWriter::Format::Indented);
            w.tapeValue(*tape.value(), 0);
            const QByteArray whole = w.take();
            QCOMPARE(whole, QJsonDocument(tape.value()->toQJsonObject(0)).toJson());
            // Streamed in pieces of 16 bytes: the same text.
            QByteArray pieces;
            JsonWriter streamed(
                JsonWriter::Format::Indented, [&pieces](const char *d, qsizetype n) { pieces.append(d, n); }, 16);
            streamed.tapeValue(*tape.value(), 0);
            streamed.finish();
            QCOMPARE(pieces, whole);
        }
    }

    // Every stored plan: the writer's text is what Qt writes for the same document, and toJson() reads it back.
    void storedPlansAsQt_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : storedPlans())
            QTest::newRow(qPrintable(name)) << name;
    }
    void storedPlansAsQt()
    {
        QFETCH(QString, name);
        auto plan = parsePlan(readFile(QStringLiteral(PLANSIGHT_TEST_DATA "/plans/") + name));
        QVERIFY2(plan.ok(), qPrintable(plan.ok() ? QString() : plan.error().message));
        const QByteArray text = planJsonText(plan.value());
        const QJsonDocument doc = QJsonDocument::fromJson(text);
        QVERIFY(doc.isObject());
        // Qt writes a whole number beyond 2^53 held as a double as "2e+16", but reads that back as an integer and
        // writes 20000000000000000: lines may differ by that only.
        const QList<QByteArray> ours = text.split('\n'), qts = doc.toJson(QJsonDocument::Indented).split('\n');
        QCOMPARE(ours.size(), qts.size());
        for (qsizetype i = 0; i < ours.size(); ++i) {
            if (ours[i] == qts[i])
                continue;
            const qsizetype colon = ours[i].lastIndexOf(':');
            QVERIFY2(colon > 0 && ours[i].left(colon) == qts[i].left(colon), ours[i].constData());
            const QByteArray a = ours[i].mid(colon + 1).trimmed(), b = qts[i].mid(colon + 1).trimmed();
            bool okA = false, okB = false;
            QCOMPARE(
                a.chopped(a.endsWith(',') ? 1 : 0).toDouble(&okA), b.chopped(b.endsWith(',') ? 1 : 0).toDouble(&okB));
            QVERIFY2(okA && okB && a.contains("e+"), ours[i].constData());
        }
        QCOMPARE(toJson(plan.value()), doc.object());
        QCOMPARE(doc.object().value(QLatin1String("node_count")).toInt(), plan->size());
        // As `explain --json` writes it, in pieces: the same text.
        QByteArray streamed;
        writePlanJson(plan.value(), [&streamed](const char *d, qsizetype n) { streamed.append(d, n); });
        QCOMPARE(streamed, text);
    }

    // Every stored plan, JSON and text: the same bytes as before (tests/data/plan-json).
    void storedPlansUnchanged_data() { storedPlansAsQt_data(); }
    void storedPlansUnchanged()
    {
        QFETCH(QString, name);
        auto plan = parsePlan(readFile(QStringLiteral(PLANSIGHT_TEST_DATA "/plans/") + name));
        QVERIFY(plan.ok());
        const QByteArray text = planJsonText(plan.value());
        const QString golden = QStringLiteral(PLANSIGHT_TEST_DATA "/plan-json/") + name + QStringLiteral(".json");
        if (qEnvironmentVariableIsSet("PLANSIGHT_UPDATE_GOLDEN")) {
            QFile out(golden);
            QVERIFY(out.open(QIODevice::WriteOnly) && out.write(text) == text.size());
            return;
        }
        const QByteArray expected = readFile(golden);
        if (text != expected) {
            const QList<QByteArray> a = text.split('\n'), b = expected.split('\n');
            qsizetype line = 0;
            while (line < a.size() && line < b.size() && a[line] == b[line])
                ++line;
            QFAIL(qPrintable(QStringLiteral("%1 differs from %2 from line %3: \"%4\" instead of \"%5\"")
                                 .arg(name, golden)
                                 .arg(line + 1)
                                 .arg(QString::fromUtf8(a.value(line)), QString::fromUtf8(b.value(line)))));
        }
    }
};

QTEST_GUILESS_MAIN(TestPlanJson)
#include "tst_planjson.moc"
