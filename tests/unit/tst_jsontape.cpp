// The plan engine's JSON reader: it must read exactly what Qt's JSON parser reads (values, escapes, numbers),
// refuse what is not JSON with one sentence, and keep every node's keys for PlanNode::fields().

#include "plan/jsontape_p.h"
#include "plan/planparser.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace plansight;
using planinternal::JsonTape;

namespace {

Result<std::shared_ptr<const JsonTape>> parse(const QByteArray &text)
{
    return JsonTape::parse(text, 0, text.size());
}

// A random JSON value: nested objects and arrays, strings with escapes and non-ASCII text, numbers of every
// shape JSON allows.
QJsonValue randomValue(QRandomGenerator &rng, int depth)
{
    const int kind = int(rng.bounded(depth > 4 ? 5 : 7));
    switch (kind) {
    case 0:
        return QJsonValue(QJsonValue::Null);
    case 1:
        return rng.bounded(2) == 1;
    case 2: {
        const double choices[] = { 0, -0.5, 1e-7, 123456789012.0, 3.14159, -42, 1e300, 2.5e-300 };
        return rng.bounded(2) ? choices[rng.bounded(8)] : double(rng.bounded(1000000)) / 1000;
    }
    case 3:
    case 4: {
        static const QString pieces[] = { QStringLiteral("Seq Scan"), QStringLiteral("\"quoted\""),
            QStringLiteral("back\\slash"), QStringLiteral("tab\tand\nnewline"), QStringLiteral("é ü ß"),
            QStringLiteral("日本語"), QString(QChar(0x01)), QStringLiteral("😀"), QStringLiteral("/"), QString() };
        QString s;
        for (int i = int(rng.bounded(4)); i > 0; --i)
            s += pieces[rng.bounded(10)];
        return s;
    }
    case 5: {
        QJsonArray a;
        for (int i = int(rng.bounded(5)); i > 0; --i)
            a.append(randomValue(rng, depth + 1));
        return a;
    }
    default: {
        QJsonObject o;
        for (int i = int(rng.bounded(6)); i > 0; --i)
            o.insert(QStringLiteral("key %1 ").arg(i) + randomValue(rng, 5).toString(), randomValue(rng, depth + 1));
        return o;
    }
    }
}

// The error's sentence, for a failed check's message (QVERIFY2 builds the message even when the check passes).
template<typename T>
QString why(const Result<T> &r)
{
    return r.ok() ? QString() : r.error().message;
}

} // namespace

class TestJsonTape : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Random documents, written by Qt (compact and indented): the tape gives back the same values.
    void readsWhatQtWrites()
    {
        QRandomGenerator rng(20261127);
        for (int i = 0; i < 300; ++i) {
            QJsonObject doc;
            doc.insert(QStringLiteral("value"), randomValue(rng, 0));
            const QJsonDocument::JsonFormat format = i % 2 ? QJsonDocument::Indented : QJsonDocument::Compact;
            const QByteArray text = QJsonDocument(doc).toJson(format);
            auto tape = parse(text);
            QVERIFY2(tape.ok(), qPrintable(why(tape) + QLatin1Char(' ') + QString::fromUtf8(text)));
            QCOMPARE(tape.value()->toQJson(0), QJsonValue(doc));
        }
    }

    void decodesEscapesAndNumbers_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QJsonValue>("expected");
        QTest::newRow("escapes") << QByteArray("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"]")
                                 << QJsonValue(QStringLiteral("a\"b\\c/d\b\f\n\r\t"));
        QTest::newRow("BMP escape") << QByteArray("[\"caf\\u00e9 \\u65e5\"]") << QJsonValue(QStringLiteral("café 日"));
        QTest::newRow("surrogate pair") << QByteArray("[\"\\ud83d\\ude00\"]") << QJsonValue(QStringLiteral("😀"));
        QTest::newRow("lone surrogate") << QByteArray("[\"a\\ud800b\"]") << QJsonValue(QStringLiteral("a\uFFFDb"));
        QTest::newRow("raw UTF-8") << QByteArray("[\"Größe\"]") << QJsonValue(QStringLiteral("Größe"));
        QTest::newRow("negative exponent") << QByteArray("[-1.5e-3]") << QJsonValue(-0.0015);
        QTest::newRow("capital E, plus") << QByteArray("[2E+2]") << QJsonValue(200.0);
        QTest::newRow("zero") << QByteArray("[0]") << QJsonValue(0.0);
        QTest::newRow("too small is zero") << QByteArray("[1e-999]") << QJsonValue(0.0);
        QTest::newRow("false") << QByteArray("[false]") << QJsonValue(false);
        QTest::newRow("null") << QByteArray("[null]") << QJsonValue(QJsonValue::Null);
    }
    void decodesEscapesAndNumbers()
    {
        QFETCH(QByteArray, json);
        QFETCH(QJsonValue, expected);
        auto tape = parse(json);
        QVERIFY2(tape.ok(), qPrintable(why(tape)));
        QCOMPARE(tape.value()->toQJson(JsonTape::first(0)), expected);
    }

    // Numbers as EXPLAIN writes them (short plain decimals, read by hand) and longer ones (std::from_chars): the
    // same double as Qt's reader (==: exact, except that Qt reads the integer "-0" as 0, the tape as -0).
    void numbersAsQt()
    {
        QRandomGenerator rng(20261203);
        QByteArray json = "[";
        for (int i = 0; i < 100000; ++i) {
            QByteArray n = rng.bounded(4) == 0 ? "-" : "";
            if (rng.bounded(5) == 0) {
                n += '0';
            } else {
                n += char('1' + rng.bounded(9));
                for (int k = int(rng.bounded(0, 17)); k > 0; --k)
                    n += char('0' + rng.bounded(10));
            }
            if (rng.bounded(2)) {
                n += '.';
                for (int k = int(rng.bounded(1, 18)); k > 0; --k)
                    n += char('0' + rng.bounded(10));
            }
            if (rng.bounded(10) == 0)
                n += "e" + QByteArray::number(int(rng.bounded(-20, 20)));
            json += (i ? "," : "") + n;
        }
        json += "]";
        auto tape = parse(json);
        QVERIFY2(tape.ok(), qPrintable(why(tape)));
        const QJsonArray qt = QJsonDocument::fromJson(json).array();
        QCOMPARE(qsizetype(tape.value()->size(0)), qt.size());
        quint32 e = JsonTape::first(0);
        for (const QJsonValue v : qt) {
            const double mine = tape.value()->number(e), theirs = v.toDouble();
            QVERIFY2(mine == theirs,
                qPrintable(QString::fromLatin1(tape.value()->raw(e).data(), qsizetype(tape.value()->raw(e).size()))));
            e = tape.value()->skip(e);
        }
    }

    void tooLargeNumbersAreInfinite()
    {
        auto tape = parse("[1e999, -1e999]");
        QVERIFY(tape.ok());
        QVERIFY(std::isinf(tape.value()->number(1)) && tape.value()->number(1) > 0);
        QVERIFY(std::isinf(tape.value()->number(2)) && tape.value()->number(2) < 0);
    }

    void refusesWhatIsNotJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated object") << QByteArray("{\"a\": 1, \"b\": ") << "truncated";
        QTest::newRow("truncated string") << QByteArray("{\"a\": \"abc") << "truncated";
        QTest::newRow("truncated literal") << QByteArray("[tr") << "truncated";
        QTest::newRow("truncated escape") << QByteArray("[\"ab\\u00") << "truncated";
        QTest::newRow("trailing comma") << QByteArray("[1, 2, ]") << "a value was expected at byte 7";
        QTest::newRow("missing colon") << QByteArray("{\"a\" 1}") << "':' was expected";
        QTest::newRow("unquoted key") << QByteArray("{a: 1}") << "a key in double quotes";
        QTest::newRow("leading zero") << QByteArray("[01]") << "a comma or ']'";
        QTest::newRow("bare minus") << QByteArray("[-]") << "malformed number";
        QTest::newRow("dot without digits") << QByteArray("[1.]") << "malformed number";
        QTest::newRow("control character") << QByteArray("[\"a\tb\"]") << "control character";
        QTest::newRow("unknown escape") << QByteArray("[\"\\x41\"]") << "unknown escape";
        QTest::newRow("short unicode escape") << QByteArray("[\"\\u12G4\"]") << "four hexadecimal digits";
        QTest::newRow("unknown word") << QByteArray("[nil]") << "unknown word";
        QTest::newRow("two documents") << QByteArray("{} {}") << "text follows";
        QTest::newRow("mismatched bracket") << QByteArray("{\"a\": [1}") << "a comma or ']'";
        QByteArray deep(JsonTape::maxNesting + 1, '[');
        QTest::newRow("nested too deeply") << deep << "nests too deeply";
    }
    void refusesWhatIsNotJson()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        auto tape = parse(json);
        QVERIFY(!tape.ok());
        QCOMPARE(tape.error().code, errc::Input);
        QVERIFY2(tape.error().message.contains(expected), qPrintable(tape.error().message));
        QVERIFY(tape.error().message.endsWith(QLatin1Char('.')));
    }

    // Nesting up to the limit is read (a plan of maxPlanDepth nodes needs twice that).
    void nestingUpToTheLimitIsRead()
    {
        QVERIFY(JsonTape::maxNesting > 2 * maxPlanDepth);
        const QByteArray deep = QByteArray(JsonTape::maxNesting, '[') + QByteArray(JsonTape::maxNesting, ']');
        auto tape = parse(deep);
        QVERIFY2(tape.ok(), qPrintable(why(tape)));
        QCOMPARE(tape.value()->skip(0), quint32(JsonTape::maxNesting));
    }

    // Error offsets count from the start of the JSON, not of the text around it.
    void offsetsCountFromTheJson()
    {
        const QByteArray text = "LOG:  plan: [1, x]";
        auto tape = JsonTape::parse(text, 12, text.size());
        QVERIFY(!tape.ok());
        QVERIFY2(tape.error().message.contains(QLatin1String("at byte 4")), qPrintable(tape.error().message));
    }

    // The tape keeps its own copy of text that it does not own (QByteArray::fromRawData).
    void outlivesRawInput()
    {
        std::shared_ptr<const JsonTape> tape;
        {
            auto *buffer = new std::string("{\"Node Type\": \"Seq Scan\"}");
            auto parsed = parse(QByteArray::fromRawData(buffer->data(), qsizetype(buffer->size())));
            QVERIFY(parsed.ok());
            tape = parsed.value();
            std::fill(buffer->begin(), buffer->end(), 'x');
            delete buffer;
        }
        QCOMPARE(tape->string(tape->member(0, "Node Type")), QStringLiteral("Seq Scan"));
    }

    void membersAndSizes()
    {
        auto tape = parse("{\"a\": [1, {\"b\": 2}, []], \"c\": {}, \"d\": \"x\"}");
        QVERIFY(tape.ok());
        const JsonTape &t = *tape.value();
        QCOMPARE(t.size(0), quint32(3));
        const quint32 a = t.member(0, "a");
        QVERIFY(t.isArray(a));
        QCOMPARE(t.size(a), quint32(3));
        QCOMPARE(t.size(t.member(0, "c")), quint32(0));
        QCOMPARE(t.string(t.member(0, "d")), QStringLiteral("x"));
        QCOMPARE(t.member(0, "b"), quint32(0)); // only direct members
        QCOMPARE(t.objectCount(), quint32(3));
        QCOMPARE(t.toQJsonObject(0, "a"),
            (QJsonObject { { QStringLiteral("c"), QJsonObject() }, { QStringLiteral("d"), QStringLiteral("x") } }));
    }

    // Every node of every stored plan: fields() is exactly the node's object as Qt reads it, minus "Plans".
    void nodeFieldsAreTheInputsKeys()
    {
        const QDir dir(QStringLiteral(PLANSIGHT_TEST_DATA "/plans"));
        int checked = 0;
        for (const QString &name : dir.entryList({ QStringLiteral("*.json") }, QDir::Files)) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray text = f.readAll();
            const QJsonDocument doc = QJsonDocument::fromJson(text);
            if (doc.isNull())
                continue; // psql-framed copies: their JSON is checked through the plain files
            auto plan = parsePlan(text);
            QVERIFY2(plan.ok(), qPrintable(name + QLatin1String(": ") + why(plan)));
            // Walk Qt's tree in pre-order next to the plan's nodes.
            QJsonObject top = doc.isArray() ? doc.array().first().toObject() : doc.object();
            std::vector<QJsonObject> stack {
                top.contains(QLatin1String("Plan")) ? top.value(QLatin1String("Plan")).toObject() : top
            };
            int id = 0;
            while (!stack.empty()) {
                QJsonObject o = stack.back();
                stack.pop_back();
                const QJsonArray children = o.value(QLatin1String("Plans")).toArray();
                for (qsizetype c = children.size() - 1; c >= 0; --c)
                    stack.push_back(children.at(c).toObject());
                o.remove(QLatin1String("Plans"));
                QVERIFY2(id < plan->size(), qPrintable(name));
                QCOMPARE(plan->node(id).fields(), o);
                for (auto it = o.begin(); it != o.end(); ++it)
                    QCOMPARE(plan->node(id).field(it.key()), it.value());
                ++id;
                ++checked;
            }
            QCOMPARE(id, plan->size());
            if (top.contains(QLatin1String("Plan"))) {
                top.remove(QLatin1String("Plan"));
                QCOMPARE(plan->topFields, top);
            }
        }
        QVERIFY(checked > 50);
    }
};

QTEST_GUILESS_MAIN(TestJsonTape)
#include "tst_jsontape.moc"
