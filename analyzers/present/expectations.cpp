#include "present/expectations.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>

#include <cmath>

namespace plansight {

namespace {

const QStringList Recommendations { QStringLiteral("now"), QStringLiteral("soon"), QStringLiteral("later"),
    QStringLiteral("skip") };

// Collects the first problem, as "<member> <what is wrong>".
struct Reader {
    QString error;
    bool failed() const { return !error.isEmpty(); }
    void fail(const QString &path, const QString &what)
    {
        if (error.isEmpty())
            error = path + QLatin1Char(' ') + what;
    }
    QString text(const QJsonObject &o, const QString &path, const char *key, bool required)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        const QString where = path + QLatin1String(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(where, QStringLiteral("is missing"));
            return {};
        }
        if (!v.isString() || (required && v.toString().trimmed().isEmpty())) {
            fail(where, QStringLiteral("is not a text"));
            return {};
        }
        return v.toString().trimmed();
    }
    double number(const QJsonObject &o, const QString &path, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < 0) {
            fail(path + QLatin1String(key), QStringLiteral("is missing or not a number of at least 0"));
            return 0;
        }
        return v.toDouble();
    }
};

QString number(double v)
{
    return QLocale::c().toString(v, 'g', 4);
}

} // namespace

const ReviewProposal *ReviewExpectations::forStrategy(const QString &strategyId) const
{
    for (const ReviewProposal &p : proposals)
        if (p.strategies.contains(strategyId) || (!p.missStrategy.isEmpty() && p.missStrategy == strategyId))
            return &p;
    return nullptr;
}

Result<ReviewExpectations> expectationsFromJson(const QByteArray &json, const QString &origin)
{
    auto bad = [&](const QString &what) {
        return Error::make(errc::Input, QStringLiteral("The expectations file %1 is malformed: %2.").arg(origin, what),
            {}, QStringLiteral("See docs/gallery.md, \"The verdict\", for its format."));
    };
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError)
        return bad(QStringLiteral("it is not JSON (%1 at offset %2)").arg(pe.errorString()).arg(pe.offset));
    if (!doc.isObject())
        return bad(QStringLiteral("it is not a JSON object"));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("format")).toString() != QLatin1String("plansight-expectations"))
        return Error::make(errc::Input,
            QStringLiteral("%1 is not a PlanSight expectations file (no \"format\": \"plansight-expectations\").")
                .arg(origin));
    const int version = root.value(QLatin1String("format_version")).toInt(0);
    if (version != 1)
        return Error::make(errc::Input,
            QStringLiteral("The expectations file %1 has format version %2; this PlanSight reads version 1.")
                .arg(origin)
                .arg(version));

    Reader rd;
    ReviewExpectations out;
    out.review = rd.text(root, {}, "review", true);
    if (root.contains(QLatin1String("workload")))
        out.defaultWorkload = rd.text(root, {}, "workload", true);
    const QJsonValue proposals = root.value(QLatin1String("proposals"));
    if (!proposals.isArray() || proposals.toArray().isEmpty())
        rd.fail(QStringLiteral("proposals"), QStringLiteral("is missing or not a non-empty array"));
    QSet<QString> ids, strategies;
    const QJsonArray arr = proposals.toArray();
    for (qsizetype i = 0; i < arr.size() && !rd.failed(); ++i) {
        const QString path = QStringLiteral("proposals[%1].").arg(i);
        if (!arr.at(i).isObject()) {
            rd.fail(path.chopped(1), QStringLiteral("is not an object"));
            break;
        }
        const QJsonObject o = arr.at(i).toObject();
        ReviewProposal p;
        p.id = rd.text(o, path, "id", true);
        p.title = rd.text(o, path, "title", true);
        if (!p.id.isEmpty() && ids.contains(p.id))
            rd.fail(path + QLatin1String("id"), QStringLiteral("repeats %1").arg(p.id));
        ids.insert(p.id);
        const QJsonValue s = o.value(QLatin1String("strategies"));
        if (!s.isArray() || s.toArray().isEmpty())
            rd.fail(path + QLatin1String("strategies"), QStringLiteral("is missing or not a non-empty array of ids"));
        for (const QJsonValue &v : s.toArray()) {
            if (!v.isString() || v.toString().trimmed().isEmpty()) {
                rd.fail(path + QLatin1String("strategies"), QStringLiteral("is not an array of strategy ids"));
                break;
            }
            const QString id = v.toString().trimmed();
            if (strategies.contains(id))
                rd.fail(path + QLatin1String("strategies"),
                    QStringLiteral("names %1, which another proposal names too").arg(id));
            strategies.insert(id);
            p.strategies << id;
        }
        p.missStrategy = rd.text(o, path, "miss_strategy", false);
        const QJsonValue e = o.value(QLatin1String("expected"));
        p.workload = out.defaultWorkload;
        if (e.isObject()) {
            const QJsonObject eo = e.toObject();
            const QString ep = path + QLatin1String("expected.");
            p.hasExpectedTime = true;
            p.expectedText = rd.text(eo, ep, "text", true);
            p.expectedLowMs = rd.number(eo, ep, "low_ms");
            p.expectedHighMs = rd.number(eo, ep, "high_ms");
            if (!rd.failed() && p.expectedHighMs < p.expectedLowMs)
                rd.fail(ep + QLatin1String("high_ms"), QStringLiteral("is below low_ms"));
            if (eo.contains(QLatin1String("workload")))
                p.workload = rd.text(eo, ep, "workload", true);
            if (eo.contains(QLatin1String("from_page"))) {
                const QJsonValue fp = eo.value(QLatin1String("from_page"));
                if (!fp.isDouble() || fp.toDouble() < 1 || fp.toDouble() != std::floor(fp.toDouble()))
                    rd.fail(ep + QLatin1String("from_page"), QStringLiteral("is not a page number from 1"));
                p.fromPage = fp.toInt(1);
            }
        } else if (!e.isNull() && !e.isUndefined()) {
            rd.fail(path + QLatin1String("expected"), QStringLiteral("is neither an object nor null"));
        }
        p.confidence = rd.text(o, path, "confidence", false);
        p.complexity = rd.text(o, path, "complexity", false);
        p.recommendation = rd.text(o, path, "recommendation", true);
        if (!p.recommendation.isEmpty() && !Recommendations.contains(p.recommendation))
            rd.fail(path + QLatin1String("recommendation"),
                QStringLiteral("is \"%1\", not one of now, soon, later, skip").arg(p.recommendation));
        p.reason = rd.text(o, path, "reason", p.recommendation == QLatin1String("skip"));
        if (!rd.failed() && !p.hasExpectedTime && p.recommendation != QLatin1String("skip"))
            rd.fail(path + QLatin1String("expected"),
                QStringLiteral("is missing: a proposal the review did not skip needs its expected time"));
        out.proposals << p;
    }
    if (rd.failed())
        return bad(rd.error);
    return out;
}

Result<ReviewExpectations> loadExpectationsFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::make(
            errc::Io, QStringLiteral("Cannot read the expectations file %1: %2.").arg(path, f.errorString()));
    return expectationsFromJson(f.readAll(), path);
}

const ReviewExpectations &builtinExpectations()
{
    static const ReviewExpectations builtin = [] {
        const QString path = QStringLiteral(":/review/genonaut-review.json");
        auto r = loadExpectationsFile(path);
        if (!r)
            qFatal("%s", qPrintable(r.error().message));
        return std::move(r).value();
    }();
    return builtin;
}

QString formatExpectedRange(double lowMs, double highMs)
{
    const bool seconds = highMs >= 1000;
    const double div = seconds ? 1000.0 : 1.0;
    const QString unit = seconds ? QStringLiteral(" s") : QStringLiteral(" ms");
    if (lowMs <= 0)
        return QStringLiteral("under ") + number(highMs / div) + unit;
    if (lowMs == highMs)
        return number(highMs / div) + unit;
    return QStringLiteral("%1-%2").arg(number(lowMs / div), number(highMs / div)) + unit;
}

} // namespace plansight
