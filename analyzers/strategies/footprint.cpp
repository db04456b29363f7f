#include "strategies/footprint.h"

#include "present/format.h"
#include "session/statistics.h"
#include "strategies/refresh.h"
#include "strategies/schemastrategy.h"
#include "util/sqlfiles.h"

#include <QElapsedTimer>

#include <algorithm>

namespace plansight {

namespace {

Error cancelled()
{
    return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
}

// Leaves the session outside a transaction and usable, whatever happened.
void rollBack(PgSession &session)
{
    session.resetCancel();
    (void)session.exec(QStringLiteral("ROLLBACK"));
}

} // namespace

namespace {

Result<Footprint> ownFootprint(PgSession &session, const Strategy &strategy)
{
    Footprint f;
    f.objects = strategy.plannedObjects();
    f.buildMs = strategy.lastBuildMs();
    if (const auto *refreshed = dynamic_cast<const RefreshableStrategy *>(&strategy)) {
        auto state = refreshed->refreshState(session);
        if (!state)
            return state.error();
        f.refreshMs = state->lastRefreshMs;
        f.staleness = state->describe();
    }
    if (const QList<CreatedObject> created = strategy.createdObjects(); !created.isEmpty()) {
        f.objects.clear();
        f.bytes = 0;
        for (const CreatedObject &o : created) {
            f.objects << o.describe();
            f.bytes += o.bytes;
        }
        return f;
    }
    f.bytes = 0;
    if (auto outside = strategy.outsideStorage(session)) {
        f.objects << (outside->bytes >= 0 ? QStringLiteral("%1: %2").arg(outside->what, formatBytes(outside->bytes))
                                          : QStringLiteral("%1: size not known").arg(outside->what));
        f.bytes = std::max<qint64>(0, outside->bytes);
    }
    const auto *schema = dynamic_cast<const SchemaStrategy *>(&strategy);
    if (!schema)
        return f;
    const QList<SchemaObject> objects = schema->objects();
    QStringList ownTables;
    for (const SchemaObject &o : objects) {
        if (o.kind == SchemaObject::Kind::Table)
            ownTables << o.name;
    }
    qint64 bytes = f.bytes;
    for (const SchemaObject &o : objects) {
        Result<PgResult> r = Error {};
        if (o.kind == SchemaObject::Kind::Table) {
            r = session.exec(sql(QStringLiteral("strategies/relation_size")),
                { QVariant(QStringLiteral("public.") + o.name), QVariant(true) });
        } else if (o.kind == SchemaObject::Kind::Index && !ownTables.contains(o.table)) {
            r = session.exec(sql(QStringLiteral("strategies/relation_size")),
                { QVariant(QStringLiteral("public.") + o.name), QVariant(false) });
        } else if (o.kind == SchemaObject::Kind::Column) {
            r = session.exec(QStringLiteral("SELECT coalesce(sum(pg_column_size(%1)), 0) FROM public.%2")
                                 .arg(session.quoteIdentifier(o.name), session.quoteIdentifier(o.table)));
        } else {
            continue; // triggers and functions; indexes of its own tables are in the tables' total
        }
        if (!r)
            return r.error();
        if (r->rows() == 1 && !r->isNull(0, 0))
            bytes += r->toLongLong(0, 0);
    }
    f.bytes = bytes;
    return f;
}

} // namespace

Result<Footprint> measureFootprint(PgSession &session, const Strategy &strategy)
{
    auto f = ownFootprint(session, strategy);
    if (!f)
        return f;
    // What it reads of the strategies it uses (StrategyInfo::uses), when they are applied, is part of its cost.
    for (const QString &id : strategy.info().uses) {
        auto used = strategyById(id);
        if (!used)
            continue;
        auto st = used->status(session);
        if (!st)
            return st.error();
        if (st->state != StrategyState::Applied)
            continue;
        auto theirs = ownFootprint(session, *used);
        if (!theirs)
            return theirs.error();
        for (const QString &o : std::as_const(theirs->objects))
            f->objects << QStringLiteral("%1 (of %2)").arg(o, id);
        f->bytes = std::max<qint64>(0, f->bytes) + std::max<qint64>(0, theirs->bytes);
    }
    return f;
}

Result<double> measureWriteCost(PgSession &session, const QList<std::shared_ptr<Strategy>> &takeAway,
    CancelToken *cancel, const WriteCostOptions &options)
{
    if (options.repetitions < 1 || options.tagsPerItem < 1 || options.samples < 1)
        return Error::make(errc::Input, QStringLiteral("The write cost needs at least one repetition and one tag."));
    auto inputs = session.exec(sql(QStringLiteral("strategies/probe_inputs")), { options.tagsPerItem });
    if (!inputs)
        return inputs.error();
    if (inputs->rows() != 1 || inputs->isNull(0, 0))
        return Error::make(errc::Missing, QStringLiteral("The write cost needs at least one user in the users table."));
    const QString creator = inputs->value(0, 0);
    QString tagText = inputs->value(0, 1); // {a,b,...}
    tagText = tagText.mid(1, tagText.size() - 2);
    const QStringList tags = tagText.isEmpty() ? QStringList() : tagText.split(QLatin1Char(','));

    CancelScope scope(cancel, [&session] { session.cancel(); });
    auto step = [&](const QString &name, const QVariantList &params) -> Result<PgResult> {
        if (cancel && cancel->isCancelled())
            return cancelled();
        return session.exec(sql(QStringLiteral("strategies/") + name), params);
    };
    if (auto r = session.exec(QStringLiteral("BEGIN")); !r)
        return r.error();
    auto fail = [&](const Error &e) -> Result<double> {
        rollBack(session);
        return (cancel && cancel->isCancelled()) ? cancelled() : e;
    };
    if (auto r = session.exec(QStringLiteral("SET LOCAL client_min_messages = warning")); !r)
        return fail(r.error());
    for (const auto &s : takeAway) {
        const auto *schema = dynamic_cast<const SchemaStrategy *>(s.get());
        if (!schema)
            continue;
        if (auto st = session.execScript(schema->revertSql()); !st)
            return fail(st.error());
    }
    QList<double> times;
    for (int i = 0; i < options.repetitions; ++i) {
        QElapsedTimer t;
        t.start();
        auto item = step(QStringLiteral("probe_item"), { creator });
        if (!item)
            return fail(item.error());
        const int id = item->value(0, 0).toInt();
        if (auto r = step(QStringLiteral("probe_tags"), { id, QVariant(tags) }); !r)
            return fail(r.error());
        if (auto r = step(QStringLiteral("probe_delete_tags"), { id }); !r)
            return fail(r.error());
        if (auto r = step(QStringLiteral("probe_delete_item"), { id }); !r)
            return fail(r.error());
        times << double(t.nsecsElapsed()) / 1e6;
    }
    rollBack(session);
    return plansight::median(times);
}

Status measureWriteCosts(PgSession &session, const Strategy &strategy, Footprint &footprint, CancelToken *cancel,
    const WriteCostOptions &options)
{
    // "With" keeps the strategy and the applied strategies it uses (StrategyInfo::uses): their triggers are part of
    // what its answers cost the writes.
    const QStringList uses = strategy.info().uses;
    QList<std::shared_ptr<Strategy>> applied;
    QList<std::shared_ptr<Strategy>> others;
    bool isApplied = false;
    bool usesApplied = false;
    for (const auto &s : allStrategies()) {
        if (!s->info().needsObjects)
            continue;
        auto st = s->status(session);
        if (!st)
            return st.error();
        if (st->state == StrategyState::NotApplied)
            continue;
        applied << s;
        if (s->id() == strategy.id())
            isApplied = true;
        else if (uses.contains(s->id()))
            usesApplied = true;
        else
            others << s;
    }
    if (strategy.info().needsObjects && !isApplied)
        return Error::make(errc::Input,
            QStringLiteral("The write cost of %1 is measured with it applied; apply it first.").arg(strategy.id()));
    const bool createsObjects = (strategy.info().needsObjects && !strategy.plannedObjects().isEmpty()) || usesApplied;
    QList<double> with, without;
    for (int i = 0; i < options.samples; ++i) {
        // Alternating which side goes first keeps a slow drift of the machine from favouring one side.
        for (int side = 0; side < 2; ++side) {
            const bool measureWith = (side == 0) == (i % 2 == 0);
            if (measureWith && !createsObjects)
                continue;
            auto ms = measureWriteCost(session, measureWith ? others : applied, cancel, options);
            if (!ms)
                return ms.error();
            (measureWith ? with : without) << ms.value();
        }
    }
    if (!createsObjects)
        with = without; // the same schema: the same cost, by construction
    summarizeWriteCosts(with, without, footprint);
    return {};
}

void summarizeWriteCosts(const QList<double> &withMs, const QList<double> &withoutMs, Footprint &footprint)
{
    auto fill = [](const QList<double> &v, double &mid, double &low, double &high) {
        if (v.isEmpty()) {
            mid = low = high = -1;
            return;
        }
        mid = quantile(v, 0.5);
        low = quantile(v, 0.25);
        high = quantile(v, 0.75);
    };
    fill(withMs, footprint.writeMs, footprint.writeLowMs, footprint.writeHighMs);
    fill(withoutMs, footprint.baselineWriteMs, footprint.baselineWriteLowMs, footprint.baselineWriteHighMs);
    footprint.writeSamples = int(std::min(withMs.size(), withoutMs.size()));
}

} // namespace plansight
