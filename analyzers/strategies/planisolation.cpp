#include "strategies/planisolation.h"

#include "pg/pgsession.h"
#include "plan/plandiff.h"
#include "plan/planparser.h"
#include "util/sqlfiles.h"

namespace plansight {

namespace {

QString kindWord(PlanObject::Kind kind)
{
    return kind == PlanObject::Kind::Index ? QStringLiteral("index") : QStringLiteral("table");
}

} // namespace

QList<PlanObject> objectsRead(const Plan &plan)
{
    QList<PlanObject> out;
    auto add = [&](PlanObject o) {
        if (!o.name.isEmpty() && !out.contains(o))
            out.append(std::move(o));
    };
    for (const PlanNode &n : plan.nodes) {
        add(PlanObject { PlanObject::Kind::Relation, n.schema, n.relationName });
        add(PlanObject { PlanObject::Kind::Index, n.schema, n.indexName });
    }
    return out;
}

QString ForeignObject::describe() const
{
    const QString what = kindWord(object.kind) + QLatin1Char(' ') + object.qualified();
    if (!owner.isEmpty())
        return QStringLiteral("%1 of %2").arg(what, owner);
    return QStringLiteral("%1, which is neither in the base schema nor the strategy's own").arg(what);
}

QList<ForeignObject> foreignObjects(
    const QList<PlanObject> &read, const QString &strategyId, const QStringList &strategyIds, const BaseObjects &base)
{
    QStringList ids = strategyIds;
    if (!ids.contains(strategyId))
        ids.append(strategyId);
    QList<ForeignObject> out;
    for (const PlanObject &o : read) {
        // An object in a strategy's own schema (ps_<id>) belongs to that strategy whatever its name.
        QString owner = o.schema.isEmpty() ? QString() : strategyOwningObject(o.schema, ids);
        if (owner.isEmpty())
            owner = strategyOwningObject(o.name, ids);
        if (owner == strategyId)
            continue;
        if (!owner.isEmpty()) {
            out.append(ForeignObject { o, owner });
            continue;
        }
        if (isStrategyObject(o.name) || (!o.schema.isEmpty() && isStrategyObject(o.schema))) {
            // A strategy's prefix, but no strategy known here: still not base.
            out.append(ForeignObject { o, QString() });
            continue;
        }
        if (!base.isEmpty() && !base.contains(o.name.toLower()))
            out.append(ForeignObject { o, QString() });
    }
    return out;
}

namespace {

QString listed(const QList<ForeignObject> &foreign)
{
    QStringList what;
    for (const ForeignObject &f : foreign)
        what << f.describe();
    return what.join(QStringLiteral(", "));
}

} // namespace

QString notIsolatedByPlanMessage(const QString &strategyId, const QList<ForeignObject> &foreign)
{
    return QStringLiteral("The plan read %1, so the timings are not %2's alone; not ranked.")
        .arg(listed(foreign), strategyId);
}

QString flagIfPlanNotIsolated(
    StrategyRun &run, const QStringList &strategyIds, const BaseObjects &base, const QString &ownerId)
{
    if (run.planJson.isEmpty())
        return {};
    auto plan = parseJsonPlan(run.planJson);
    if (!plan)
        return {};
    const QString own = ownerId.isEmpty() ? run.strategyId : ownerId;
    const QList<ForeignObject> foreign = foreignObjects(objectsRead(plan.value()), own, strategyIds, base);
    if (foreign.isEmpty())
        return {};
    const QString message = notIsolatedByPlanMessage(run.strategyId, foreign);
    if (run.outcome == RunOutcome::Ok) {
        run.outcome = RunOutcome::NotIsolated;
        run.error = message;
    } else if (run.outcome == RunOutcome::NotIsolated) {
        run.error = QStringLiteral("The plan read %1. %2").arg(listed(foreign), run.error);
    } else {
        return {};
    }
    return QStringLiteral("%1 on %2: %3").arg(run.strategyId, run.workload.name, message);
}

Result<BaseObjects> readBaseObjects(PgSession &session)
{
    auto r = session.exec(sql(QStringLiteral("strategies/base_objects")));
    if (!r)
        return r.error();
    BaseObjects out;
    for (int i = 0; i < r->rows(); ++i)
        out.insert(r->value(i, 0));
    return out;
}

} // namespace plansight
