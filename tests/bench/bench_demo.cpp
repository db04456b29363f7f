// Demo generation benchmark: seconds per phase (schema, data, indexes, analyze), rows per second and disk used,
// for one scale and profile, on a fresh embedded cluster (or an existing one with --data-dir). Figures go to
// BENCHMARKS.md ("Demo generation").
//
//   bench_demo [--scale F] [--profile genonaut|longtail] [--seed N] [--connections N] [--data-dir DIR] [--json]

#include "gallery/demogenerator.h"
#include "pg/localcluster.h"
#include "pg/pgsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QLocale>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>

using namespace plansight;

namespace {

void out(const QString &text)
{
    fputs(text.toUtf8().constData(), stdout);
    fflush(stdout);
}

QString machine()
{
    QString cpu;
    QFile f(QStringLiteral("/proc/cpuinfo"));
    if (f.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.startsWith("model name")) {
                cpu = QString::fromUtf8(line.mid(line.indexOf(':') + 1)).trimmed();
                break;
            }
        }
    }
    qint64 memKb = 0;
    QFile m(QStringLiteral("/proc/meminfo"));
    if (m.open(QIODevice::ReadOnly)) {
        const QByteArray first = m.readLine();
        memKb = first.simplified().split(' ').value(1).toLongLong();
    }
    return QStringLiteral("%1 cores (nproc), %2, %3 GiB RAM, %4")
        .arg(QThread::idealThreadCount())
        .arg(cpu)
        .arg(double(memKb) / 1024 / 1024, 0, 'f', 1)
        .arg(QSysInfo::prettyProductName());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption(
        { QStringLiteral("scale"), QStringLiteral("Scale factor."), QStringLiteral("F"), QStringLiteral("0.01") });
    p.addOption({ QStringLiteral("profile"), QStringLiteral("genonaut or longtail."), QStringLiteral("P"),
        QStringLiteral("genonaut") });
    p.addOption(
        { QStringLiteral("seed"), QStringLiteral("Seed."), QStringLiteral("N"), QString::number(demo::DefaultSeed) });
    p.addOption({ QStringLiteral("connections"), QStringLiteral("Loading connections."), QStringLiteral("N"),
        QStringLiteral("2") });
    p.addOption({ QStringLiteral("data-dir"),
        QStringLiteral("Cluster directory to use and keep (default: a temporary one, removed at the end)."),
        QStringLiteral("DIR") });
    p.addOption({ QStringLiteral("json"), QStringLiteral("Print the build report as JSON.") });
    p.process(app);

    DemoOptions o;
    bool ok = false;
    o.scale = p.value(QStringLiteral("scale")).toDouble(&ok);
    auto profile = demoProfileFromString(p.value(QStringLiteral("profile")));
    o.seed = p.value(QStringLiteral("seed")).toULongLong();
    o.connections = p.value(QStringLiteral("connections")).toInt();
    if (!ok || !profile) {
        fputs("bench_demo: bad --scale or --profile\n", stderr);
        return 2;
    }
    o.profile = profile.value();

    QTemporaryDir tmp(QStringLiteral("/tmp/plansight-bench-XXXXXX"));
    const bool keep = p.isSet(QStringLiteral("data-dir"));
    // The server's user (as root) must get through the temporary directory.
    QFile::setPermissions(tmp.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeOther);
    LocalCluster cluster(keep ? p.value(QStringLiteral("data-dir")) : tmp.path() + QStringLiteral("/cluster"));
    if (auto st = cluster.start(); !st) {
        fprintf(stderr, "bench_demo: %s\n", qPrintable(st.error().toString()));
        return 1;
    }
    const QString db = QStringLiteral("bench_demo");
    if (auto st = cluster.ensureDatabase(db); !st) {
        fprintf(stderr, "bench_demo: %s\n", qPrintable(st.error().toString()));
        return 1;
    }
    auto session = PgSession::connect(cluster.conninfo(db));
    if (!session) {
        fprintf(stderr, "bench_demo: %s\n", qPrintable(session.error().toString()));
        return 1;
    }
    out(QStringLiteral("machine: %1\nserver: PostgreSQL %2\nbuilding: %3, %4 connections\n")
            .arg(machine(), session.value()->serverVersion(), o.describe())
            .arg(o.connections));
    QString last;
    auto report = buildDemo(*session.value(), o, nullptr, [&](qint64, qint64, const QString &text) {
        if (text.section(QLatin1Char(':'), 0, 0) != last.section(QLatin1Char(':'), 0, 0))
            fprintf(stderr, "\n");
        last = text;
        fprintf(stderr, "\r  %-110s", qPrintable(text.left(110)));
    });
    fprintf(stderr, "\n");
    if (!report) {
        fprintf(stderr, "bench_demo: %s\n", qPrintable(report.error().toString()));
        if (!keep)
            (void)cluster.destroy();
        return 1;
    }
    const QLocale en(QLocale::English);
    const DemoBuildReport &r = report.value();
    out(QStringLiteral("rows: %1 (content_items %2, content_items_auto %3, content_tags %4)\n")
            .arg(en.toString(r.counts.totalRows()), en.toString(r.counts.regularItems), en.toString(r.counts.autoItems),
                en.toString(r.counts.contentTags)));
    for (const DemoPhase &ph : r.phases)
        out(QStringLiteral("  %1: %2 s\n").arg(ph.name, -8).arg(ph.seconds, 0, 'f', 2));
    QList<DemoPhase> slowest = r.steps;
    std::sort(
        slowest.begin(), slowest.end(), [](const DemoPhase &a, const DemoPhase &b) { return a.seconds > b.seconds; });
    for (const DemoPhase &st : slowest.mid(0, 6))
        out(QStringLiteral("    %1 %2 s\n").arg(st.name, -40).arg(st.seconds, 0, 'f', 2));
    out(QStringLiteral("total: %1 s, data %2 rows/s, database %3 MiB\n")
            .arg(r.totalSeconds, 0, 'f', 2)
            .arg(en.toString(qint64(r.rowsPerSecond)))
            .arg(en.toString(r.databaseBytes / (1024 * 1024))));
    auto sizes = session.value()->exec(
        QStringLiteral("SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c "
                       "WHERE c.relname IN ('content_tags', 'content_items_auto', 'content_items') ORDER BY 2 DESC"));
    if (sizes) {
        for (int i = 0; i < sizes->rows(); ++i)
            out(QStringLiteral("  %1: heap+toast %2 MiB, indexes %3 MiB\n")
                    .arg(sizes->value(i, 0), -20)
                    .arg(en.toString(sizes->toLongLong(i, 1) / (1024 * 1024)))
                    .arg(en.toString(sizes->toLongLong(i, 2) / (1024 * 1024))));
    }
    if (p.isSet(QStringLiteral("json")))
        out(QString::fromUtf8(QJsonDocument(r.toJson()).toJson()));
    session.value().reset();
    if (!keep)
        (void)cluster.destroy();
    return 0;
}
