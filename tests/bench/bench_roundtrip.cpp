// Where a strategy's client time goes (issue #15; docs/architecture.md, "Prepared statements"): for each strategy
// and each workload of a preset, on a database where the strategies are applied (the embedded demo), the median of
// N executions of
//   - the protocol's floor: SELECT 1 with one bound value (PQexecParams), a round trip that does nothing;
//   - the statement sent each time, through libpq directly, cut at three points: sending it (PQsendQueryParams
//     returns), waiting for the first byte of the answer (the server parses, plans, executes), receiving and
//     parsing the rows (until PQisBusy is false), then PlanSight's own decoding of the page ("source:id" keys);
//   - the same through PgSession::exec, as the runner times it (its wrapper's cost is the difference);
//   - the statement prepared once, cut the same way (PQsendQueryPrepared);
// beside the EXPLAIN ANALYZE's planning and execution times. Figures go to BENCHMARKS.md ("Client time").
//
//   bench_roundtrip --dsn DSN [--strategy ID]... [--preset NAME] [--runs N]

#include "pg/pgsession.h"
#include "session/statistics.h"
#include "session/workload.h"
#include "strategies/strategy.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <poll.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace plansight;

namespace {

void out(const QString &text)
{
    fputs(text.toUtf8().constData(), stdout);
    fflush(stdout);
}

double ms(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

// One execution through libpq, cut at its points (ms from the start).
struct Cut {
    double sent = 0, firstByte = 0, received = 0, decoded = 0;
    bool ok = false;
};

struct Params {
    std::vector<QByteArray> storage;
    std::vector<const char *> values;
    explicit Params(const QVariantList &params)
    {
        storage.reserve(params.size());
        for (const QVariant &p : params) {
            if (p.isNull()) {
                values.push_back(nullptr);
                continue;
            }
            storage.push_back(
                p.typeId() == QMetaType::QStringList ? toPgArrayLiteral(p.toStringList()) : p.toString().toUtf8());
            values.push_back(storage.back().constData());
        }
    }
};

// Waits for the answer of what was sent, cut at the first byte and the last, then decodes the page.
Cut receive(PGconn *c, const QElapsedTimer &t, Cut cut)
{
    bool first = true;
    while (PQisBusy(c)) {
        pollfd pfd { PQsocket(c), POLLIN, 0 };
        if (::poll(&pfd, 1, 60000) <= 0)
            return cut;
        if (first) {
            cut.firstByte = ms(t);
            first = false;
        }
        if (!PQconsumeInput(c))
            return cut;
    }
    if (first)
        cut.firstByte = ms(t);
    cut.received = ms(t);
    PGresult *r = PQgetResult(c);
    QStringList keys;
    bool ok = r && PQresultStatus(r) == PGRES_TUPLES_OK;
    if (ok) {
        const int src = PQfnumber(r, "source"), id = PQfnumber(r, "id");
        for (int i = 0; i < PQntuples(r); ++i)
            keys.append(QString::fromUtf8(PQgetvalue(r, i, src), PQgetlength(r, i, src)) + QLatin1Char(':')
                + QString::fromUtf8(PQgetvalue(r, i, id), PQgetlength(r, i, id)));
    }
    cut.decoded = ms(t);
    PQclear(r);
    while ((r = PQgetResult(c)))
        PQclear(r);
    cut.ok = ok;
    return cut;
}

Cut sentEachTime(PGconn *c, const QString &sql, const QVariantList &params)
{
    QElapsedTimer t;
    t.start();
    const QByteArray text = sql.toUtf8();
    Params p(params);
    Cut cut;
    if (!PQsendQueryParams(c, text.constData(), int(p.values.size()), nullptr, p.values.data(), nullptr, nullptr, 0))
        return cut;
    cut.sent = ms(t);
    return receive(c, t, cut);
}

Cut prepared(PGconn *c, const QVariantList &params)
{
    QElapsedTimer t;
    t.start();
    Params p(params);
    Cut cut;
    if (!PQsendQueryPrepared(c, "bench_roundtrip", int(p.values.size()), p.values.data(), nullptr, nullptr, 0))
        return cut;
    cut.sent = ms(t);
    return receive(c, t, cut);
}

struct Split {
    double sent = 0, wait = 0, receive = 0, decode = 0, total = 0;
};

Split medianSplit(const QList<Cut> &cuts)
{
    QList<double> sent, wait, recv, decode, total;
    for (const Cut &c : cuts) {
        sent << c.sent;
        wait << c.firstByte - c.sent;
        recv << c.received - c.firstByte;
        decode << c.decoded - c.received;
        total << c.decoded;
    }
    return { median(sent), median(wait), median(recv), median(decode), median(total) };
}

QString f3(double v)
{
    return QString::number(v, 'f', 3);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({ QStringLiteral("dsn"), QStringLiteral("The database (a demo with the strategies applied)."),
        QStringLiteral("DSN") });
    p.addOption({ QStringLiteral("strategy"), QStringLiteral("A strategy id (repeatable; default baseline)."),
        QStringLiteral("ID") });
    p.addOption({ QStringLiteral("preset"), QStringLiteral("A workload preset (default canonical)."),
        QStringLiteral("NAME"), QStringLiteral("canonical") });
    p.addOption({ QStringLiteral("runs"), QStringLiteral("Executions per measurement (default 200)."),
        QStringLiteral("N"), QStringLiteral("200") });
    p.process(app);
    const int runs = std::max(5, p.value(QStringLiteral("runs")).toInt());
    QStringList ids = p.values(QStringLiteral("strategy"));
    if (ids.isEmpty())
        ids << QStringLiteral("baseline");

    auto session = PgSession::connect(p.value(QStringLiteral("dsn")));
    if (!session) {
        fprintf(stderr, "bench_roundtrip: %s\n", qPrintable(session.error().toString()));
        return 1;
    }
    PgSession &s = *session.value();
    PGconn *c = s.raw();
    auto workloads = resolvePreset(p.value(QStringLiteral("preset")), s);
    if (!workloads) {
        fprintf(stderr, "bench_roundtrip: %s\n", qPrintable(workloads.error().toString()));
        return 1;
    }
    out(QStringLiteral("PostgreSQL %1, %2 executions each, medians in ms\n").arg(s.serverVersion()).arg(runs));

    // The protocol's floor: a round trip that does nothing.
    QList<Cut> floor;
    for (int i = 0; i < runs + 10; ++i) {
        const Cut cut = sentEachTime(c, QStringLiteral("SELECT $1::int AS id, 'x'::text AS source"), { 1 });
        if (i >= 10)
            floor << cut;
    }
    const Split fl = medianSplit(floor);
    out(QStringLiteral("floor (SELECT 1 row, bound value): total %1 = send %2 + wait %3 + receive %4 + decode %5\n")
            .arg(f3(fl.total), f3(fl.sent), f3(fl.wait), f3(fl.receive), f3(fl.decode)));

    for (const QString &id : std::as_const(ids)) {
        auto strategy = strategyById(id);
        if (!strategy) {
            fprintf(stderr, "bench_roundtrip: no strategy %s\n", qPrintable(id));
            return 2;
        }
        for (const Workload &w : workloads.value()) {
            auto q = strategy->query(s, w);
            if (!q) {
                fprintf(stderr, "bench_roundtrip: %s: %s\n", qPrintable(id), qPrintable(q.error().toString()));
                return 1;
            }
            if (!q->explainable()) {
                out(QStringLiteral("%1 · %2: answers outside SQL, nothing to cut\n").arg(id, w.name));
                continue;
            }
            QList<Cut> sent, prep;
            QList<double> wrapped, planning, execution;
            PGresult *r = PQprepare(c, "bench_roundtrip", q->sql.toUtf8().constData(), int(q->params.size()), nullptr);
            const bool preparedOk = PQresultStatus(r) == PGRES_COMMAND_OK;
            PQclear(r);
            for (int i = 0; i < runs + 10; ++i) {
                const Cut a = sentEachTime(c, q->sql, q->params);
                const Cut b = preparedOk ? prepared(c, q->params) : Cut();
                QElapsedTimer t;
                t.start();
                auto viaSession = s.exec(q->sql, q->params);
                const double wrappedMs = ms(t);
                if (!a.ok || !viaSession) {
                    fprintf(stderr, "bench_roundtrip: %s failed\n", qPrintable(id));
                    return 1;
                }
                if (i < 10)
                    continue;
                sent << a;
                if (b.ok)
                    prep << b;
                wrapped << wrappedMs;
                if (i % 10 == 0) {
                    auto plan
                        = s.exec(QStringLiteral("EXPLAIN (ANALYZE, VERBOSE, BUFFERS, SETTINGS, FORMAT JSON) ") + q->sql,
                            q->params);
                    if (plan && plan->rows() == 1) {
                        const QJsonObject top = QJsonDocument::fromJson(plan->bytes(0, 0)).array().first().toObject();
                        planning << top.value(QLatin1String("Planning Time")).toDouble();
                        execution << top.value(QLatin1String("Execution Time")).toDouble();
                    }
                }
            }
            (void)s.exec(QStringLiteral("DEALLOCATE bench_roundtrip"));
            const Split a = medianSplit(sent), b = medianSplit(prep);
            out(QStringLiteral("%1 · %2\n").arg(id, w.name));
            out(QStringLiteral("  EXPLAIN ANALYZE: planning %1 + execution %2 = server %3\n")
                    .arg(f3(median(planning)), f3(median(execution)), f3(median(planning) + median(execution))));
            out(QStringLiteral("  sent each time: total %1 = send %2 + wait %3 + receive %4 + decode %5; through "
                               "PgSession::exec %6\n")
                    .arg(f3(a.total), f3(a.sent), f3(a.wait), f3(a.receive), f3(a.decode), f3(median(wrapped))));
            if (preparedOk)
                out(QStringLiteral("  prepared once:  total %1 = send %2 + wait %3 + receive %4 + decode %5\n")
                        .arg(f3(b.total), f3(b.sent), f3(b.wait), f3(b.receive), f3(b.decode)));
        }
    }
    return 0;
}
