#include "plan/plannode.h"
#include "plan/jsontape_p.h"

#include <algorithm>

namespace plansight {

PlanBuffers &PlanBuffers::operator-=(const PlanBuffers &o)
{
    sharedHit -= o.sharedHit;
    sharedRead -= o.sharedRead;
    sharedDirtied -= o.sharedDirtied;
    sharedWritten -= o.sharedWritten;
    localHit -= o.localHit;
    localRead -= o.localRead;
    localDirtied -= o.localDirtied;
    localWritten -= o.localWritten;
    tempRead -= o.tempRead;
    tempWritten -= o.tempWritten;
    return *this;
}

PlanBuffers &PlanBuffers::operator+=(const PlanBuffers &o)
{
    present = present || o.present;
    sharedHit += o.sharedHit;
    sharedRead += o.sharedRead;
    sharedDirtied += o.sharedDirtied;
    sharedWritten += o.sharedWritten;
    localHit += o.localHit;
    localRead += o.localRead;
    localDirtied += o.localDirtied;
    localWritten += o.localWritten;
    tempRead += o.tempRead;
    tempWritten += o.tempWritten;
    return *this;
}

PlanBuffers PlanBuffers::clampedAtZero() const
{
    PlanBuffers b = *this;
    for (qint64 *v : { &b.sharedHit, &b.sharedRead, &b.sharedDirtied, &b.sharedWritten, &b.localHit, &b.localRead,
             &b.localDirtied, &b.localWritten, &b.tempRead, &b.tempWritten })
        *v = std::max<qint64>(0, *v);
    return b;
}

PlanIoTimings &PlanIoTimings::operator-=(const PlanIoTimings &o)
{
    sharedReadMs -= o.sharedReadMs;
    sharedWriteMs -= o.sharedWriteMs;
    localReadMs -= o.localReadMs;
    localWriteMs -= o.localWriteMs;
    tempReadMs -= o.tempReadMs;
    tempWriteMs -= o.tempWriteMs;
    return *this;
}

PlanIoTimings PlanIoTimings::clampedAtZero() const
{
    PlanIoTimings t = *this;
    for (double *v :
        { &t.sharedReadMs, &t.sharedWriteMs, &t.localReadMs, &t.localWriteMs, &t.tempReadMs, &t.tempWriteMs })
        *v = std::max(0.0, *v);
    return t;
}

QString toString(HintKind kind)
{
    switch (kind) {
    case HintKind::EstimateOff:
        return QStringLiteral("estimate-off");
    case HintKind::RowsRemoved:
        return QStringLiteral("rows-removed");
    case HintKind::SortSpill:
        return QStringLiteral("sort-spill");
    case HintKind::HashSpill:
        return QStringLiteral("hash-spill");
    case HintKind::HeapFetches:
        return QStringLiteral("heap-fetches");
    case HintKind::SeqScanInLoop:
        return QStringLiteral("seq-scan-in-loop");
    case HintKind::Inconsistent:
        return QStringLiteral("inconsistent");
    case HintKind::WorkersUneven:
        return QStringLiteral("workers-uneven");
    }
    return QStringLiteral("unknown");
}

QJsonObject PlanNode::fields() const
{
    const auto [t, object] = planinternal::PlanSource::locate(source.get(), sourceObject);
    return t ? t->toQJsonObject(object, "Plans") : QJsonObject();
}

QJsonValue PlanNode::field(QStringView key) const
{
    const auto [t, object] = planinternal::PlanSource::locate(source.get(), sourceObject);
    if (!t)
        return QJsonValue(QJsonValue::Undefined);
    const QByteArray k = key.toUtf8();
    const quint32 v = t->member(object, std::string_view(k.constData(), size_t(k.size())));
    return v == 0 ? QJsonValue(QJsonValue::Undefined) : t->toQJson(v);
}

bool PlanNode::anyText(const std::function<bool(const QString &)> &visit) const
{
    const auto [t, object] = planinternal::PlanSource::locate(source.get(), sourceObject);
    if (!t || !t->isObject(object))
        return false;
    for (quint32 k = t->first(object); k < t->skip(object); k = t->skip(k + 1)) {
        if (t->equals(k, "Plans") || t->equals(k, "Workers") || t->equals(k, "Subplan Name"))
            continue;
        const quint32 v = k + 1;
        if (t->isString(v)) {
            if (visit(t->string(v)))
                return true;
        } else if (t->isArray(v)) {
            for (quint32 e = t->first(v); e < t->skip(v); e = t->skip(e))
                if (t->isString(e) && visit(t->string(e)))
                    return true;
        }
    }
    return false;
}

QString PlanNode::displayType() const
{
    QString t;
    if (nodeType == QLatin1String("Aggregate")) {
        if (strategy == QLatin1String("Hashed"))
            t = QStringLiteral("HashAggregate");
        else if (strategy == QLatin1String("Sorted"))
            t = QStringLiteral("GroupAggregate");
        else if (strategy == QLatin1String("Mixed"))
            t = QStringLiteral("MixedAggregate");
        else
            t = QStringLiteral("Aggregate");
    } else if (nodeType == QLatin1String("SetOp")) {
        t = strategy == QLatin1String("Hashed") ? QStringLiteral("HashSetOp") : QStringLiteral("SetOp");
        if (!command.isEmpty())
            t += QLatin1Char(' ') + command;
    } else if (nodeType == QLatin1String("ModifyTable") && !operation.isEmpty()) {
        t = operation;
    } else if (isJoin() && !joinType.isEmpty() && joinType != QLatin1String("Inner")) {
        if (nodeType == QLatin1String("Nested Loop"))
            t = QStringLiteral("Nested Loop ") + joinType + QStringLiteral(" Join");
        else
            t = nodeType.section(QLatin1Char(' '), 0, 0) + QLatin1Char(' ') + joinType + QStringLiteral(" Join");
    } else if (nodeType == QLatin1String("Custom Scan") && !customPlanProvider.isEmpty()) {
        t = nodeType + QStringLiteral(" (") + customPlanProvider + QLatin1Char(')');
    } else {
        t = nodeType;
        if (scanDirection == QLatin1String("Backward")
            && (nodeType == QLatin1String("Index Scan") || nodeType == QLatin1String("Index Only Scan")))
            t += QStringLiteral(" Backward");
    }
    if (partialMode == QLatin1String("Partial") || partialMode == QLatin1String("Finalize"))
        t = partialMode + QLatin1Char(' ') + t;
    if (parallelAware)
        t = QStringLiteral("Parallel ") + t;
    if (asyncCapable)
        t = QStringLiteral("Async ") + t;
    return t;
}

QString PlanNode::objectText() const
{
    QString rel;
    if (!relationName.isEmpty()) {
        rel = schema.isEmpty() ? relationName : schema + QLatin1Char('.') + relationName;
        if (!alias.isEmpty() && alias != relationName)
            rel += QLatin1Char(' ') + alias;
    }
    if (nodeType == QLatin1String("Bitmap Index Scan"))
        return indexName.isEmpty() ? QString() : QStringLiteral("on ") + indexName;
    if (!indexName.isEmpty())
        return QStringLiteral("using ") + indexName + (rel.isEmpty() ? QString() : QStringLiteral(" on ") + rel);
    if (!rel.isEmpty())
        return QStringLiteral("on ") + rel;
    auto named = [this](const QString &name) -> QString {
        QString s = QStringLiteral("on ") + name;
        if (!alias.isEmpty() && alias != name)
            s += QLatin1Char(' ') + alias;
        return s;
    };
    if (!cteName.isEmpty())
        return named(cteName);
    if (!functionName.isEmpty())
        return named(functionName);
    if (!tuplestoreName.isEmpty())
        return named(tuplestoreName);
    if (!alias.isEmpty())
        return QStringLiteral("on ") + alias;
    return {};
}

QString PlanNode::label() const
{
    const QString obj = objectText();
    return obj.isEmpty() ? displayType() : displayType() + QLatin1Char(' ') + obj;
}

bool PlanNode::isScan() const
{
    return nodeType.endsWith(QLatin1String("Scan"));
}

bool PlanNode::isJoin() const
{
    return nodeType == QLatin1String("Nested Loop") || nodeType == QLatin1String("Hash Join")
        || nodeType == QLatin1String("Merge Join");
}

double Plan::totalMs() const
{
    if (executionMs >= 0)
        return executionMs;
    if (!nodes.empty())
        return std::max(0.0, nodes.front().metrics.inclusiveMs);
    return 0;
}

double Plan::triggersMs() const
{
    double t = 0;
    for (const PlanTrigger &tr : triggers)
        if (tr.timeMs > 0)
            t += tr.timeMs;
    return t;
}

} // namespace plansight
