#include "present/sessionjson.h"

#include "present/ranking.h"
#include "present/verdict.h"
#include "session/jsonread.h"

#include <QJsonArray>

namespace plansight {

using namespace json;

QJsonObject toJson(const SessionResult &session, bool withPlans, const ReviewExpectations *expectations)
{
    QJsonArray results;
    for (const StrategyRun &r : session.runs)
        results.append(toJson(r, withPlans));

    QJsonObject o;
    o.insert(QStringLiteral("format"), QStringLiteral("plansight-session"));
    o.insert(QStringLiteral("format_version"), 1);
    o.insert(QStringLiteral("session"), toJson(session.info));
    const Ranking ranking = rankSession(session);
    o.insert(QStringLiteral("winner"),
        ranking.winner ? QJsonValue(ranking.winner->strategyId) : QJsonValue(QJsonValue::Null));
    QJsonObject winners;
    for (const WorkloadRanking &w : ranking.workloads) {
        QJsonObject e;
        e.insert(QStringLiteral("workload"), w.workloadName);
        e.insert(QStringLiteral("winner"), w.winner ? QJsonValue(w.winner->strategyId) : QJsonValue(QJsonValue::Null));
        e.insert(QStringLiteral("verdict"), toString(w.verdict));
        e.insert(QStringLiteral("reason"), w.sentence());
        winners.insert(w.workloadKey, e);
    }
    o.insert(QStringLiteral("winners"), winners);
    o.insert(
        QStringLiteral("verdict"), toJson(buildVerdict(session, expectations ? *expectations : builtinExpectations())));
    o.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(session.warnings));
    o.insert(QStringLiteral("results"), results);
    return o;
}

Result<SessionResult> sessionFromJson(const QJsonObject &json)
{
    if (json.value(QLatin1String("format")).toString() != QLatin1String("plansight-session"))
        return Error::make(errc::Input,
            QStringLiteral("This is not a PlanSight session file (no \"format\": "
                           "\"plansight-session\")."));
    const int version = json.value(QLatin1String("format_version")).toInt(0);
    if (version != 1)
        return Error::make(errc::Input,
            QStringLiteral("The session file has format version %1; this PlanSight reads version 1.").arg(version), {},
            QStringLiteral("Use a newer PlanSight to read it."));
    JsonReader rd;
    SessionResult out;
    const QJsonObject s = rd.object(json, {}, "session");
    if (rd.failed())
        return Error::make(errc::Input, QStringLiteral("The session file is malformed: %1.").arg(rd.error));
    auto info = sessionInfoFromJson(s, QStringLiteral("session"));
    if (!info)
        return info.error();
    out.info = std::move(info).value();
    // "warnings" came with issue #11: a file written before has none.
    const QJsonValue warnings = json.value(QLatin1String("warnings"));
    if (!warnings.isUndefined() && !warnings.isNull()) {
        const QJsonArray arr = warnings.toArray();
        for (const QJsonValue &w : arr) {
            if (!warnings.isArray() || !w.isString()) {
                rd.fail({}, "warnings", "is not an array of texts");
                break;
            }
            out.warnings.append(w.toString());
        }
        if (!warnings.isArray() && !rd.failed())
            rd.fail({}, "warnings", "is not an array of texts");
    }
    const QJsonValue results = json.value(QLatin1String("results"));
    if (!results.isArray() && !rd.failed())
        rd.fail({}, "results", "is missing or not an array");
    if (rd.failed())
        return Error::make(errc::Input, QStringLiteral("The session file is malformed: %1.").arg(rd.error));
    const QJsonArray arr = results.toArray();
    for (qsizetype i = 0; i < arr.size(); ++i) {
        const QString path = QStringLiteral("results[%1]").arg(i);
        if (!arr.at(i).isObject())
            return Error::make(
                errc::Input, QStringLiteral("The session file is malformed: %1 is not an object.").arg(path));
        auto r = runFromJson(arr.at(i).toObject(), path);
        if (!r)
            return r.error();
        out.runs.append(std::move(r).value());
    }
    return out;
}

} // namespace plansight
