#include "strategies/schemastrategy.h"

#include "pg/indexprogress.h"
#include "plan/plandiff.h"
#include "strategies/extensions.h"
#include "util/sqlfiles.h"

#include <QElapsedTimer>

namespace plansight {

namespace {

Error cancelledError()
{
    return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
}

Result<SchemaObject::Kind> kindFromString(const QString &s)
{
    using K = SchemaObject::Kind;
    for (K k : { K::Table, K::Index, K::Trigger, K::Function, K::Column }) {
        if (toString(k) == s)
            return k;
    }
    return Error::make(errc::Internal, QStringLiteral("Unknown catalog object kind '%1'.").arg(s));
}

// After a failure inside a transaction: leave the session usable and outside any transaction. The
// session's cancel flag is reset so the ROLLBACK can be sent; the caller's token still says cancelled.
void rollBack(PgSession &session)
{
    session.resetCancel();
    (void)session.exec(QStringLiteral("ROLLBACK"));
}

} // namespace

QString toString(SchemaObject::Kind kind)
{
    switch (kind) {
    case SchemaObject::Kind::Table:
        return QStringLiteral("table");
    case SchemaObject::Kind::Index:
        return QStringLiteral("index");
    case SchemaObject::Kind::Trigger:
        return QStringLiteral("trigger");
    case SchemaObject::Kind::Function:
        return QStringLiteral("function");
    case SchemaObject::Kind::Column:
        return QStringLiteral("column");
    }
    return QString();
}

QString SchemaObject::describe() const
{
    if (kind == Kind::Column)
        return QStringLiteral("column public.%1.%2").arg(table, name);
    QString s = toString(kind) + QStringLiteral(" public.") + name;
    if (kind == Kind::Function)
        s += QStringLiteral("()");
    if (!table.isEmpty())
        s += QStringLiteral(" on public.") + table;
    return s;
}

Result<QList<CatalogObject>> catalogObjectsWithPrefix(PgSession &session, const QString &prefix)
{
    auto r = session.exec(sql(QStringLiteral("strategies/catalog_objects")), { QVariant(prefix + QLatin1Char('_')) });
    if (!r)
        return r.error();
    QList<CatalogObject> out;
    for (int i = 0; i < r->rows(); ++i) {
        auto kind = kindFromString(r->value(i, 0));
        if (!kind)
            return kind.error();
        out << CatalogObject { SchemaObject { *kind, r->value(i, 1), r->value(i, 2) }, r->toBool(i, 3) };
    }
    return out;
}

Status runInTransaction(
    PgSession &session, const QList<SqlStep> &steps, CancelToken *cancel, const std::function<void(int)> &afterStep)
{
    CancelScope scope(cancel, [&session] { session.cancel(); });
    if (cancel && cancel->isCancelled())
        return cancelledError();
    if (auto r = session.exec(QStringLiteral("BEGIN")); !r)
        return r.error();
    // DROP ... IF EXISTS of an absent object is not news; keep the user's terminal free of those notices.
    if (auto r = session.exec(QStringLiteral("SET LOCAL client_min_messages = warning")); !r) {
        rollBack(session);
        return r.error();
    }
    for (int i = 0; i < steps.size(); ++i) {
        if (cancel && cancel->isCancelled()) {
            rollBack(session);
            return cancelledError();
        }
        if (auto st = session.execScript(steps[i].sql); !st) {
            Error e = st.error();
            rollBack(session);
            if (cancel && cancel->isCancelled())
                return cancelledError();
            e.message = QStringLiteral("%1 failed: %2").arg(steps[i].label, e.message);
            return e;
        }
        if (afterStep)
            afterStep(i + 1);
    }
    if (auto r = session.exec(QStringLiteral("COMMIT")); !r) {
        rollBack(session);
        return (cancel && cancel->isCancelled()) ? cancelledError() : r.error();
    }
    return {};
}

QStringList SchemaStrategy::plannedObjects() const
{
    QStringList out;
    for (const SchemaObject &o : objects())
        out << o.describe();
    for (const QString &name : extensions())
        out << QStringLiteral("extension %1, when it is not installed (dropped again on revert)").arg(name);
    return out;
}

QStringList SchemaStrategy::indexNames() const
{
    QStringList out;
    for (const SchemaObject &o : objects()) {
        if (o.kind == SchemaObject::Kind::Index)
            out << QStringLiteral("public.") + o.name;
    }
    return out;
}

QString SchemaStrategy::stepSql(const QString &sqlName) const
{
    return sql(QStringLiteral("strategies/%1/%2").arg(id(), sqlName));
}

QString SchemaStrategy::revertSql() const
{
    return stepSql(QStringLiteral("revert"));
}

Result<StrategyStatus> SchemaStrategy::status(PgSession &session) const
{
    auto found = catalogObjectsWithPrefix(session, objectPrefix(id()));
    if (!found)
        return found.error();
    // One strategy's prefix may start another's (ps_p9_partition_ and ps_p9_partition_hash_): objects of the longer
    // one are not this strategy's.
    QStringList ids;
    for (const auto &s : allStrategies())
        ids << s->id();
    if (ids.contains(id()))
        found->removeIf([&](const CatalogObject &c) { return strategyOwningObject(c.object.name, ids) != id(); });
    StrategyStatus st;
    QStringList unusable;
    QStringList unexpected;
    const QList<SchemaObject> expected = objects();
    for (const SchemaObject &o : expected) {
        auto it = std::find_if(found->begin(), found->end(), [&](const CatalogObject &c) { return c.object == o; });
        if (it == found->end()) {
            st.missing << o.describe();
            continue;
        }
        st.present << o.describe();
        if (!it->usable)
            unusable << o.describe();
    }
    for (const CatalogObject &c : *found) {
        if (!expected.contains(c.object))
            unexpected << c.object.describe();
    }
    if (st.present.isEmpty() && unexpected.isEmpty()) {
        st.state = StrategyState::NotApplied;
        return st;
    }
    QStringList problems;
    if (!st.missing.isEmpty())
        problems << QStringLiteral("%1 of %2 objects missing").arg(st.missing.size()).arg(expected.size());
    if (!unusable.isEmpty())
        problems << QStringLiteral("not usable: %1").arg(unusable.join(QLatin1String(", ")));
    if (!unexpected.isEmpty())
        problems << QStringLiteral("unexpected objects with its prefix: %1").arg(unexpected.join(QLatin1String(", ")));
    st.state = problems.isEmpty() ? StrategyState::Applied : StrategyState::Broken;
    st.detail = problems.isEmpty()
        ? QStringLiteral("all %1 objects present").arg(expected.size())
        : problems.join(QLatin1String("; ")) + QStringLiteral("; apply again to rebuild, or revert");
    return st;
}

Status SchemaStrategy::apply(
    PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context)
{
    // Index builds tell how far they are from a second connection (pg/indexprogress.h).
    IndexProgressReporter report(progress);
    auto current = status(session);
    if (!current)
        return current.error();
    if (current->state == StrategyState::Applied) {
        report(1, 1, QStringLiteral("%1 is already applied").arg(id()));
        return {};
    }
    if (current->state == StrategyState::Broken) {
        // A half-present strategy (someone dropped an index, an old version): rebuild from scratch.
        report(0, 1, QStringLiteral("%1 is incomplete (%2); removing it first").arg(id(), current->detail));
        if (auto st = revert(session, cancel, context); !st)
            return st;
    }

    auto plan = plannedDdl(context);
    if (!plan)
        return plan.error();
    const QList<DdlStep> &steps = plan->steps;
    const qint64 total = steps.size();
    QElapsedTimer timer;
    timer.start();
    report(0, total, steps.value(0).label);
    bool committed = false;
    auto watch = report.watch(session);
    const Status st = runDdlPlan(
        session, plan.value(), cancel,
        [&](int done) { report(done, total, done < total ? steps[done].label : QStringLiteral("done")); }, &committed);
    watch.reset();
    if (!st) {
        // What was committed before the failure (the transaction before a VACUUM, the indexes built concurrently
        // before the one that failed) is not the strategy apply() promises, so it is undone. The revert runs once
        // the cancel callback is gone, with a fresh state (revertAfterCancel), and its failure is part of the error.
        Error e = st.error();
        if (committed) {
            if (auto undone = revertAfterCancel(*this, session, cancel, context); !undone) {
                e.message = e.message + QLatin1Char(' ') + undone.error().message;
                e.hint = undone.error().hint;
            }
        }
        return e;
    }
    m_lastBuildMs.store(double(timer.nsecsElapsed()) / 1e6);
    return {};
}

Result<DdlPlan> SchemaStrategy::plannedDdl(const ApplyContext &context) const
{
    DdlPlan plan { context.lockTimeoutMs, {} };
    for (const QString &name : extensions()) {
        plan.steps << DdlStep { QStringLiteral("Creating the extension %1 when it is not installed").arg(name),
            { createExtensionSql(name, QStringLiteral("for ") + id()) }, true };
    }
    for (const Step &s : applySteps()) {
        const QStringList statements = splitSqlStatements(stepSql(s.sqlName));
        if (!(context.production && s.concurrentlyOnProduction)) {
            plan.steps << DdlStep { s.label, statements, s.inTransaction };
            continue;
        }
        DdlStep step { s.label, {}, false };
        for (const QString &statement : statements) {
            auto concurrent = concurrentIndexStatement(statement);
            if (!concurrent)
                return concurrent.error();
            step.statements << concurrent.value();
        }
        plan.steps << step;
    }
    return plan;
}

Result<DdlPlan> SchemaStrategy::plannedRevertDdl(const ApplyContext &context) const
{
    DdlPlan plan { context.lockTimeoutMs, {} };
    plan.steps << DdlStep { QStringLiteral("Reverting %1").arg(id()), splitSqlStatements(revertSql()), true };
    for (const QString &name : extensions()) {
        if (!context.keepExtensions.contains(name))
            plan.steps << DdlStep { QStringLiteral("Dropping the extension %1 when PlanSight created it").arg(name),
                { dropExtensionIfCreatedSql(name) }, true };
    }
    return plan;
}

Status compactTables(PgSession &session, const StrategyInfo &info, CancelToken *cancel)
{
    if (info.rewritesTables.isEmpty())
        return {};
    if (cancel && cancel->isCancelled())
        return cancelledError();
    Status result;
    {
        CancelScope scope(cancel, [&session] { session.cancel(); });
        for (const QString &table : info.rewritesTables) {
            if (cancel && cancel->isCancelled()) {
                result = cancelledError();
                break;
            }
            // The names are the strategy's own constants (StrategyInfo), never input; VACUUM takes no parameter.
            if (auto r = session.exec(QStringLiteral("VACUUM (FULL, ANALYZE) ") + table); !r) {
                Error e = r.error();
                e.message
                    = QStringLiteral("Compacting %1 after reverting %2 failed: %3").arg(table, info.id, e.message);
                result = (cancel && cancel->isCancelled()) ? cancelledError() : e;
                break;
            }
        }
    }
    if (cancel && cancel->isCancelled())
        session.resetCancel(); // our own cancel: the session stays usable
    return result;
}

QString notCompactedMessage(const StrategyInfo &info, const QString &why)
{
    const QString tables = info.rewritesTables.join(QStringLiteral(", "));
    return QStringLiteral(
        "%1 is reverted, but %2 were not compacted (%3): they stay about four times their size and slow "
        "whatever is measured on them next. Finish it with `%4` (it compacts them on the demo) or "
        "VACUUM (FULL, ANALYZE) %2.")
        .arg(info.id, tables, why, revertCommand(info.id));
}

QString revertCommand(const QString &id)
{
    return QStringLiteral("plansight strategies revert ") + id;
}

void waitForCancelCallbacks(CancelToken *token)
{
    if (!token)
        return;
    // add() takes the token's lock, which cancel() holds while it runs the callbacks: once add() returns, every
    // callback of an earlier cancel() has finished (a PQcancel it sent has been answered).
    const int id = token->add([] {});
    token->remove(id);
}

Status revertAfterCancel(
    Strategy &strategy, PgSession &session, CancelToken *cancel, const ApplyContext &context, int timeoutMs)
{
    const QString id = strategy.id();
    auto leftOver = [&](const Error &why) {
        // A lock_timeout keeps its SQLSTATE (55P03): the caller may wait for the holder and try again.
        const bool keepCode = why.code == errc::Connection || why.code == QLatin1String("55P03");
        return Error::make(keepCode ? why.code : QStringLiteral("PSLEFT"),
            QStringLiteral("%1 could not be removed again and may be left in the database: %2").arg(id, why.message),
            why.detail,
            // An experiment's variant is not in the catalog: its own message says what to remove.
            strategyById(id) ? QStringLiteral("Remove it with: %1").arg(revertCommand(id)) : QString());
    };
    Error last;
    for (int attempt = 0; attempt < 3; ++attempt) {
        waitForCancelCallbacks(cancel);
        session.resetCancel();
        if (!session.isAlive())
            return leftOver(Error::make(errc::Connection, QStringLiteral("the connection is closed.")));
        if (PQtransactionStatus(session.raw()) != PQTRANS_IDLE)
            (void)session.exec(QStringLiteral("ROLLBACK"));
        auto saved = session.exec(QStringLiteral("SELECT current_setting('statement_timeout')"));
        if (!saved) {
            last = saved.error();
            continue;
        }
        if (auto st = session.setStatementTimeout(timeoutMs); !st) {
            last = st.error();
            continue;
        }
        Status st = strategy.revert(session, nullptr, context);
        session.resetCancel();
        (void)session.setSetting(QStringLiteral("statement_timeout"), saved->value(0, 0));
        if (st) {
            session.resetCancel();
            return {};
        }
        last = st.error();
        if (!last.isCancel())
            break;
    }
    session.resetCancel();
    return leftOver(last);
}

Status SchemaStrategy::revert(PgSession &session, CancelToken *cancel, const ApplyContext &context)
{
    ApplyContext revertContext = context;
    // An extension another applied strategy of the catalog declares stays.
    for (const QString &name : extensions()) {
        for (const auto &other : allStrategies()) {
            const auto *schema = dynamic_cast<const SchemaStrategy *>(other.get());
            if (!schema || other->id() == id() || !schema->extensions().contains(name))
                continue;
            auto st = other->status(session);
            if (!st)
                return st.error();
            if (st->state != StrategyState::NotApplied)
                revertContext.keepExtensions << name;
        }
    }
    auto plan = plannedRevertDdl(revertContext);
    if (!plan)
        return plan.error();
    return runDdlPlan(session, plan.value(), cancel);
}

} // namespace plansight
