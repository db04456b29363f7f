#include "strategies/isolation.h"

#include "strategies/extensions.h"
#include "strategies/schemastrategy.h"
#include "util/sqlfiles.h"

namespace plansight {

namespace {

struct HypoState {
    QString installed;
    bool available = false;
    bool canHide = false;
    QString availableVersion;
    bool ours = false;
    // The version CREATE EXTENSION would install has hypopg_hide_index (1.4.0 and later).
    bool availableCanHide() const
    {
        const QStringList parts = availableVersion.split(QLatin1Char('.'));
        const int major = parts.value(0).toInt();
        const int minor = parts.value(1).toInt();
        return available && (major > 1 || (major == 1 && minor >= 4));
    }
};

Result<HypoState> hypoState(PgSession &session)
{
    auto r = session.exec(sql(QStringLiteral("strategies/hypopg_state")));
    if (!r)
        return r.error();
    HypoState s;
    s.installed = r->isNull(0, 0) ? QString() : r->value(0, 0);
    s.available = r->toBool(0, 1);
    s.canHide = r->toBool(0, 2);
    s.availableVersion = r->value(0, 3);
    s.ours = r->toBool(0, 4);
    return s;
}

} // namespace

Result<IsolationReport> isolateStrategy(PgSession &session, const Strategy &underTest,
    const QList<std::shared_ptr<Strategy>> &applied, bool mayCreateExtension)
{
    IsolationReport report;
    for (const auto &s : applied) {
        const auto *schema = dynamic_cast<const SchemaStrategy *>(s.get());
        if (!schema || s->id() == underTest.id())
            continue;
        for (const SchemaObject &o : schema->objects()) {
            if (o.kind == SchemaObject::Kind::Column) {
                report.mustRevert << s->id();
                break;
            }
        }
    }
    auto state = hypoState(session);
    if (!state)
        return state.error();
    bool somethingToHide = false;
    for (const auto &s : applied) {
        if (s && s->id() != underTest.id() && !underTest.info().uses.contains(s->id()) && !s->indexNames().isEmpty())
            somethingToHide = true;
    }
    if (state->installed.isEmpty() && !somethingToHide) {
        report.isolated = report.mustRevert.isEmpty();
        if (!report.isolated)
            report.message = QStringLiteral("%1 changes the content tables themselves (a column), which hiding indexes "
                                            "cannot undo; revert it to measure %2 in isolation.")
                                 .arg(report.mustRevert.join(QLatin1String(", ")), underTest.id());
        return report;
    }
    if (state->installed.isEmpty()) {
        if (!state->available) {
            report.message
                = QStringLiteral("HypoPG is not installed on the server, so other strategies' indexes cannot be "
                                 "hidden; apply, measure and revert the strategies one at a time.");
            return report;
        }
        if (!mayCreateExtension) {
            report.message
                = QStringLiteral("HypoPG is available but not installed in this database and creating it was "
                                 "not confirmed; apply, measure and revert the strategies one at a time.");
            return report;
        }
        if (!state->availableCanHide()) {
            report.message = QStringLiteral(
                "The server's HypoPG %1 cannot hide indexes (hypopg_hide_index needs HypoPG 1.4 or "
                "later), so it is not installed; apply, measure and revert the strategies one at a time.")
                                 .arg(state->availableVersion);
            return report;
        }
        // Created with PlanSight's mark, which lets a later session drop it even when this one is killed before its
        // end (strategies/extensions.h).
        auto created = ensureExtension(session, QStringLiteral("hypopg"), true, QStringLiteral("for a benchmark"));
        if (!created) {
            report.message
                = QStringLiteral("HypoPG could not be installed (%1); apply, measure and revert the strategies "
                                 "one at a time.")
                      .arg(created.error().message);
            return report;
        }
        report.createdExtension = created.value();
        state = hypoState(session);
        if (!state)
            return state.error();
    }
    report.hypopgVersion = state->installed;
    if (!state->canHide) {
        report.message
            = QStringLiteral("HypoPG %1 cannot hide indexes (hypopg_hide_index needs HypoPG 1.4 or later); apply, "
                             "measure and revert the strategies one at a time.")
                  .arg(state->installed);
        return report;
    }
    if (auto r = session.exec(QStringLiteral("SELECT hypopg_unhide_all_indexes()")); !r)
        return r.error();
    // The strategies whose objects `underTest` reads (StrategyInfo::uses) stay visible to its runs.
    const QStringList uses = underTest.info().uses;
    for (const auto &s : applied) {
        if (!s || s->id() == underTest.id() || uses.contains(s->id()))
            continue;
        for (const QString &index : s->indexNames()) {
            auto r = session.exec(sql(QStringLiteral("strategies/hypopg_hide")), { index });
            if (!r)
                return r.error();
            if (r->toBool(0, 0))
                report.hidden << index;
        }
    }
    report.isolated = report.mustRevert.isEmpty();
    if (!report.isolated)
        report.message
            = QStringLiteral("%1 changes the content tables themselves (a column), which hiding indexes cannot "
                             "undo; revert it to measure %2 in isolation.")
                  .arg(report.mustRevert.join(QLatin1String(", ")), underTest.id());
    return report;
}

bool changesOtherPlans(const Strategy &strategy)
{
    if (!strategy.info().needsObjects)
        return false;
    const auto *schema = dynamic_cast<const SchemaStrategy *>(&strategy);
    if (!schema)
        return true;
    const QString prefix = objectPrefix(strategy.id()) + QLatin1Char('_');
    for (const SchemaObject &o : schema->objects()) {
        const bool onBaseTable = !o.table.isEmpty() && !o.table.startsWith(prefix);
        if (onBaseTable && (o.kind == SchemaObject::Kind::Index || o.kind == SchemaObject::Kind::Column))
            return true;
    }
    return false;
}

bool addsColumns(const Strategy &strategy)
{
    const auto *schema = dynamic_cast<const SchemaStrategy *>(&strategy);
    if (!schema)
        return false;
    for (const SchemaObject &o : schema->objects()) {
        if (o.kind == SchemaObject::Kind::Column)
            return true;
    }
    return false;
}

Result<bool> canHideIndexes(PgSession &session, bool mayCreateExtension)
{
    auto state = hypoState(session);
    if (!state)
        return state.error();
    if (!state->installed.isEmpty())
        return state->canHide;
    return mayCreateExtension && state->availableCanHide();
}

Result<bool> dropHypopgIfCreated(PgSession &session)
{
    return dropExtensionIfCreated(session, QStringLiteral("hypopg"));
}

Status endIsolation(PgSession &session)
{
    auto state = hypoState(session);
    if (!state)
        return state.error();
    if (!state->canHide)
        return {};
    auto r = session.exec(QStringLiteral("SELECT hypopg_unhide_all_indexes()"));
    if (!r)
        return r.error();
    return {};
}

} // namespace plansight
