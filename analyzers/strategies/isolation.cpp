#include "strategies/isolation.h"

#include "strategies/schemastrategy.h"
#include "util/sqlfiles.h"

namespace plansight {

namespace {

struct HypoState {
    QString installed;
    bool available = false;
    bool canHide = false;
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
    if (state->installed.isEmpty()) {
        if (!state->available) {
            report.message = QStringLiteral("HypoPG is not installed on the server, so other strategies' indexes cannot be "
                                            "hidden; apply, measure and revert the strategies one at a time.");
            return report;
        }
        if (!mayCreateExtension) {
            report.message = QStringLiteral("HypoPG is available but not installed in this database and creating it was "
                                            "not confirmed; apply, measure and revert the strategies one at a time.");
            return report;
        }
        if (auto r = session.exec(QStringLiteral("CREATE EXTENSION IF NOT EXISTS hypopg")); !r) {
            report.message = QStringLiteral("HypoPG could not be installed (%1); apply, measure and revert the strategies "
                                            "one at a time.")
                                 .arg(r.error().message);
            return report;
        }
        state = hypoState(session);
        if (!state)
            return state.error();
    }
    report.hypopgVersion = state->installed;
    if (!state->canHide) {
        report.message = QStringLiteral("HypoPG %1 cannot hide indexes (hypopg_hide_index needs HypoPG 1.4 or later); apply, "
                                        "measure and revert the strategies one at a time.")
                             .arg(state->installed);
        return report;
    }
    if (auto r = session.exec(QStringLiteral("SELECT hypopg_unhide_all_indexes()")); !r)
        return r.error();
    for (const auto &s : applied) {
        if (!s || s->id() == underTest.id())
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
        report.message = QStringLiteral("%1 changes the content tables themselves (a column), which hiding indexes cannot "
                                        "undo; revert it to measure %2 in isolation.")
                             .arg(report.mustRevert.join(QLatin1String(", ")), underTest.id());
    return report;
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
