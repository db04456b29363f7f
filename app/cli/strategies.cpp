// plansight strategies list|status|apply ID...|revert ID... [--dsn DSN | --demo] [--yes] [--dry-run] [--lock-timeout S]

#include "cli/common.h"
#include "cli/progress.h"
#include "cli/verb.h"

#include "gallery/demogenerator.h"
#include "pg/localcluster.h"
#include "strategies/footprint.h"
#include "strategies/replicastrategy.h"
#include "strategies/safety.h"
#include "strategies/searchstrategy.h"
#include "strategies/strategy.h"

#include <algorithm>

namespace plansight::cli {

namespace {

// "all" or a list of ids; an unknown id is a usage error naming it and the known ones.
Result<QList<std::shared_ptr<Strategy>>> strategiesFromArgs(const QStringList &ids)
{
    if (ids.isEmpty())
        return Error::make(errc::Input, QStringLiteral("Name at least one strategy, or all."));
    if (ids.size() == 1 && ids.first() == QLatin1String("all"))
        return allStrategies();
    QList<std::shared_ptr<Strategy>> out;
    for (const QString &id : ids) {
        auto s = strategyById(id);
        if (!s) {
            QStringList known;
            for (const auto &k : allStrategies())
                known << k->id();
            return Error::make(errc::Input, QStringLiteral("There is no strategy '%1'.").arg(id), QString(),
                QStringLiteral("Known strategies: %1.").arg(known.join(QLatin1String(", "))));
        }
        if (!out.contains(s))
            out << s;
    }
    return out;
}

int list()
{
    QList<QStringList> rows;
    for (const auto &s : allStrategies()) {
        const StrategyInfo i = s->info();
        rows.append({ i.id, i.proposal, QString::number(s->plannedObjects().size()), i.title });
    }
    printOut(textTable(
        { QStringLiteral("ID"), QStringLiteral("REVIEW"), QStringLiteral("OBJECTS"), QStringLiteral("TITLE") }, rows,
        { false, false, true, false }, stdoutTableWidth()));
    return ExitOk;
}

int status(PgSession &session, const QList<std::shared_ptr<Strategy>> &strategies)
{
    bool broken = false;
    qsizetype idWidth = 0;
    for (const auto &s : strategies)
        idWidth = std::max(idWidth, s->id().size());
    for (const auto &s : strategies) {
        auto st = s->status(session);
        if (!st)
            return fail(st.error());
        broken = broken || st->state == StrategyState::Broken;
        QString line = QStringLiteral("%1 %2 %3")
                           .arg(s->id(), -int(idWidth))
                           .arg(toString(st->state), -12)
                           .arg(st->detail)
                           .trimmed()
            + QLatin1Char('\n');
        // A strategy not applied lacks all its objects by definition; only a partial one lists what it lacks.
        if (st->state != StrategyState::NotApplied)
            for (const QString &m : st->missing)
                line += QStringLiteral("    missing: %1\n").arg(m);
        printOut(line);
    }
    return broken ? ExitFailure : ExitOk;
}

// The connection's database is PlanSight's demo (the embedded one, or a database a demo build made).
Result<bool> isDemoTarget(const Connection &conn)
{
    if (conn.isDemo)
        return true;
    return isPlanSightDemo(*conn.session);
}

// --dry-run: the DDL each strategy would run, from its own plan; nothing is changed and no lock is taken.
int dryRun(Connection &conn, const QList<std::shared_ptr<Strategy>> &strategies, int lockTimeoutMs, bool apply)
{
    auto demo = isDemoTarget(conn);
    if (!demo)
        return fail(demo.error());
    const ApplyContext context = ApplyContext::forTarget(demo.value(), lockTimeoutMs);
    QString out = QStringLiteral("-- Dry run on %1 (%2): nothing is changed.\n")
                      .arg(conn.label,
                          demo.value() ? QStringLiteral("PlanSight's demo: indexes built inside the transaction")
                                       : QStringLiteral("not the demo: CREATE INDEX CONCURRENTLY where the strategy "
                                                        "allows it"));
    for (const auto &s : strategies) {
        auto st = s->status(*conn.session);
        if (!st)
            return fail(st.error());
        auto text = dryRunText(*s, st->state, context, apply);
        if (!text)
            return fail(text.error());
        out += text.value();
    }
    printOut(out);
    return ExitOk;
}

int apply(Connection &conn, const QList<std::shared_ptr<Strategy>> &strategies, bool confirmed, int lockTimeoutMs)
{
    PgSession &session = *conn.session;
    auto isDemo = isDemoTarget(conn);
    if (!isDemo)
        return fail(isDemo.error());
    const bool demo = isDemo.value();
    const ApplyContext context = ApplyContext::forTarget(demo, lockTimeoutMs);
    QList<std::shared_ptr<Strategy>> toBuild;
    for (const auto &s : strategies) {
        auto st = s->status(session);
        if (!st)
            return fail(st.error());
        if (st->state != StrategyState::Applied)
            toBuild << s;
    }
    const QStringList objects = objectsToConfirm(toBuild);
    if (!demo && !objects.isEmpty() && !confirmed) {
        QString text = QStringLiteral("%1 is not PlanSight's demo database. Applying would create these objects:\n")
                           .arg(conn.label);
        for (const QString &o : objects)
            text += QStringLiteral("  %1\n").arg(o);
        printOut(text);
        return fail(Error::make(QStringLiteral("PSCONFIRM"),
            QStringLiteral("Nothing was created: re-run with --yes to create the objects listed above.")));
    }
    CancelToken &cancel = interruptToken();
    for (const auto &s : strategies) {
        const bool build = toBuild.contains(s);
        ProgressPrinter printer; // cli/progress.h; index builds tell how far they are
        auto progress = [&](qint64 done, qint64 total, const QString &text) {
            printer(done, total, s->id() + QStringLiteral(": ") + text);
        };
        const Status applied = s->apply(session, &cancel, progress, context);
        printer.finish();
        if (!applied)
            return fail(applied.error());
        // Applied, even when Ctrl-C came after its last step: say so, then stop before the next one.
        waitForCancelCallbacks(&cancel);
        session.resetCancel();
        auto f = measureFootprint(session, *s);
        if (!f)
            return fail(f.error());
        QString line = QStringLiteral("%1 applied").arg(s->id(), -14);
        if (!build)
            line += QStringLiteral(" (already)");
        else if (f->buildMs >= 0)
            line += QStringLiteral(" in %1").arg(formatMs(f->buildMs));
        if (f->refreshMs >= 0)
            line += QStringLiteral(", one refresh %1").arg(formatMs(f->refreshMs));
        line += QStringLiteral(", %1 objects, %2\n").arg(f->objects.size()).arg(formatBytes(f->bytes));
        printOut(line);
        if (cancel.isCancelled())
            return fail(Error::make(errc::Cancelled, QStringLiteral("Cancelled.")));
    }
    return ExitOk;
}

int revert(const Connection &conn, const QList<std::shared_ptr<Strategy>> &strategies, int lockTimeoutMs)
{
    auto demo = isDemoTarget(conn);
    if (!demo)
        return fail(demo.error());
    const ApplyContext context = ApplyContext::forTarget(demo.value(), lockTimeoutMs);
    CancelToken &cancel = interruptToken();
    for (const auto &s : strategies) {
        if (auto st = s->revert(*conn.session, &cancel, context); !st)
            return fail(st.error());
        printOut(QStringLiteral("%1 reverted\n").arg(s->id(), -14));
        const StrategyInfo info = s->info();
        if (info.rewritesTables.isEmpty())
            continue;
        const QString tables = info.rewritesTables.join(QStringLiteral(", "));
        if (!conn.isDemo) {
            printOut(QStringLiteral("%1 note: apply rewrote every row of %2; they keep the dead row versions until "
                                    "VACUUM FULL, which locks them (not run on a server that is not the demo)\n")
                         .arg(QString(), -14)
                         .arg(tables));
            continue;
        }
        if (auto st = compactTables(*conn.session, info, &cancel); !st)
            return fail(Error::make(st.error().code,
                notCompactedMessage(info, st.error().isCancel() ? QStringLiteral("cancelled") : st.error().message)));
        printOut(QStringLiteral("%1 compacted %2\n").arg(QString(), -14).arg(tables));
    }
    return ExitOk;
}

int runStrategies(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, status, apply or revert"));
    parser.addPositionalArgument(QStringLiteral("ids"), QStringLiteral("Strategy ids, or all (status: default all)."),
        QStringLiteral("[ID...]"));
    addConnectionOptions(parser);
    parser.addOption({ QStringLiteral("yes"),
        QStringLiteral("Confirm creating the listed objects on a server that is not PlanSight's demo.") });
    parser.addOption({ QStringLiteral("no-wait"),
        QStringLiteral(
            "apply, revert: when another PlanSight session is measuring or changing this database, fail at once "
            "instead of waiting for it.") });
    addChangeOptions(parser);
    parser.addOption({ QStringLiteral("search"),
        QStringLiteral("The search server p10-search indexes into: a xapian-tcpsrv --writable at HOST:PORT (default on "
                       "the embedded demo: a server of its own; elsewhere none)."),
        QStringLiteral("HOST:PORT") });
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral("List the optimization strategies, or show, apply or revert them on a server."), rc))
        return rc;
    QStringList pos = parser.positionalArguments();
    if (pos.isEmpty())
        return usageError(QStringLiteral("strategies needs an action: list, status, apply or revert"));
    const QString action = pos.takeFirst();
    if (action == QLatin1String("list")) {
        if (!pos.isEmpty())
            return usageError(QStringLiteral("strategies list takes no ids"));
        return list();
    }
    if (action != QLatin1String("status") && action != QLatin1String("apply") && action != QLatin1String("revert"))
        return usageError(
            QStringLiteral("unknown strategies action '%1': use list, status, apply or revert").arg(action));
    if (action == QLatin1String("status") && pos.isEmpty())
        pos << QStringLiteral("all");
    const bool changes = action == QLatin1String("apply") || action == QLatin1String("revert");
    if (!changes && (parser.isSet(QStringLiteral("dry-run")) || parser.isSet(QStringLiteral("lock-timeout"))))
        return usageError(QStringLiteral("--dry-run and --lock-timeout go with apply and revert"));
    auto lockTimeout = lockTimeoutFromOptions(parser);
    if (!lockTimeout)
        return fail(lockTimeout.error());
    auto strategies = strategiesFromArgs(pos);
    if (!strategies)
        return fail(strategies.error());
    SearchConfig search;
    if (parser.isSet(QStringLiteral("search"))) {
        auto endpoint = parseSearchAddress(parser.value(QStringLiteral("search")));
        if (!endpoint)
            return fail(endpoint.error());
        search.endpoint = endpoint.value();
    }
    auto conn = connectFromOptions(parser);
    if (!conn)
        return fail(conn.error());
    // p10-search's index: --search, or on the embedded demo PlanSight's own server beside the cluster.
    if (!search.endpoint.isValid() && conn->isDemo)
        search.serverRoot = LocalCluster(demoRootFromOptions(parser)).rootDir() + QStringLiteral("/search");
    if (search.endpoint.isValid() || !search.serverRoot.isEmpty())
        setSearchConfig(search);
    // Only a demo whose build finished: an unfinished one lacks rows or indexes.
    if (auto st = requireFinishedDemo(*conn->session, conn->isDemo); !st)
        return fail(st.error());
    if (action == QLatin1String("status"))
        return status(*conn->session, *strategies);
    if (parser.isSet(QStringLiteral("dry-run")))
        return dryRun(conn.value(), *strategies, lockTimeout.value(), action == QLatin1String("apply"));
    // One PlanSight session at a time changes a database (strategies/safety.h); released when the connection closes.
    if (auto st = acquireDatabaseLock(*conn->session, !parser.isSet(QStringLiteral("no-wait")), &interruptToken(),
            [](const QString &text) {
                fputs((QStringLiteral("plansight: ") + text + QLatin1Char('\n')).toUtf8().constData(), stderr);
            });
        !st)
        return fail(st.error());
    const int result = action == QLatin1String("apply")
        ? apply(conn.value(), *strategies, parser.isSet(QStringLiteral("yes")), lockTimeout.value())
        : revert(conn.value(), *strategies, lockTimeout.value());
    stopOwnedStandbys(); // p7-replica's standby on the demo runs while a session uses it; bench starts it again
    return result;
}

} // namespace

PLANSIGHT_CLI_VERB(
    strategies, "strategies", "List strategies, or show, apply or revert them on a server", runStrategies);

} // namespace plansight::cli
