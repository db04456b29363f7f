#include "pg/indexprogress.h"

#include "util/sqlfiles.h"

#include <QStringList>

#include <algorithm>

namespace plansight {

namespace {

const QString BuildingPrefix = QStringLiteral("building index");
const QString ValidationPrefix = QStringLiteral("index validation");

double share(qint64 done, qint64 total)
{
    if (total <= 0)
        return -1;
    return std::clamp(double(done) / double(total), 0.0, 1.0);
}

// The part of the phase after "building index: " or "index validation: ", else the phase itself.
QString stepOf(const QString &phase)
{
    const int colon = phase.indexOf(QLatin1String(": "));
    return colon >= 0 ? phase.mid(colon + 2) : phase;
}

// Where `from` + `span` x the phase's counter lands on the whole build (the phase's counter missing: `from`).
double within(double from, double span, double phaseShare)
{
    return from + span * std::max(0.0, phaseShare);
}

} // namespace

double IndexBuildProgress::phaseFraction() const
{
    const QString step = stepOf(phase);
    if (step.contains(QLatin1String("sort")) || phase.startsWith(QLatin1String("waiting"))
        || phase == QLatin1String("initializing"))
        return -1;
    if (step.contains(QLatin1String("loading")))
        return share(tuplesDone, tuplesTotal);
    // Scanning the table or an index (and access methods' own single-phase builds): blocks, else tuples.
    const double blocks = share(blocksDone, blocksTotal);
    return blocks >= 0 ? blocks : share(tuplesDone, tuplesTotal);
}

double IndexBuildProgress::fraction() const
{
    const bool concurrent = command.contains(QLatin1String("CONCURRENTLY"));
    // A plain build is the build part alone; a concurrent one builds in [0, 0.5) and validates in [0.5, 1).
    const double buildSpan = concurrent ? 0.5 : 1.0;
    const double p = phaseFraction();
    const QString step = stepOf(phase);
    if (phase.startsWith(BuildingPrefix)) {
        if (step.contains(QLatin1String("loading")))
            return buildSpan * within(0.8, 0.2, p);
        if (step.contains(QLatin1String("sort")))
            return buildSpan * 0.7;
        return buildSpan * within(0.0, 0.7, p);
    }
    if (phase.startsWith(ValidationPrefix)) {
        if (step.contains(QLatin1String("scanning index")))
            return within(0.5, 0.15, p);
        if (step.contains(QLatin1String("sort")))
            return 0.65;
        return within(0.7, 0.25, p);
    }
    if (phase == QLatin1String("waiting for writers before validation"))
        return 0.5;
    if (phase == QLatin1String("waiting for old snapshots"))
        return 0.95;
    if (phase.startsWith(QLatin1String("waiting for readers")))
        return 0.98;
    return 0; // initializing, waiting for writers before build
}

QString IndexBuildProgress::words() const
{
    const QString which = !index.isEmpty() ? QStringLiteral("index ") + index
        : !table.isEmpty()                 ? QStringLiteral("index on ") + table
                                           : QStringLiteral("index");
    QString text
        = QStringLiteral("building %1: %2").arg(which, phase.startsWith(BuildingPrefix) ? stepOf(phase) : phase);
    if (const double p = phaseFraction(); p >= 0)
        text += QStringLiteral(" %1%").arg(int(p * 100));
    return text;
}

Result<IndexBuildProgress> readIndexBuildProgress(PgSession &session, int pid)
{
    auto r = session.exec(sql(QStringLiteral("pg/index_progress")), { QVariant(pid) });
    if (!r)
        return r.error();
    IndexBuildProgress p;
    if (r->rows() == 0)
        return p;
    p.phase = r->value(0, "phase");
    p.command = r->value(0, "command");
    p.blocksDone = r->value(0, "blocks_done").toLongLong();
    p.blocksTotal = r->value(0, "blocks_total").toLongLong();
    p.tuplesDone = r->value(0, "tuples_done").toLongLong();
    p.tuplesTotal = r->value(0, "tuples_total").toLongLong();
    p.index = r->value(0, "index_name");
    p.table = r->value(0, "table_name");
    return p;
}

IndexBuildWatch::IndexBuildWatch(PgSession &building, Report report, int intervalMs)
    : m_conninfo(building.sameTargetConninfo(
        // The watch names itself and bounds its own connect (PgSession::Options).
        { QStringLiteral("application_name"), QStringLiteral("fallback_application_name"),
            QStringLiteral("connect_timeout") })),
      m_pid(building.raw() ? PQbackendPID(building.raw()) : 0), m_report(std::move(report)),
      m_intervalMs(std::max(1, intervalMs))
{
    if (m_pid > 0 && m_report)
        m_thread = std::thread([this] { run(); });
}

IndexBuildWatch::~IndexBuildWatch()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        if (m_poller)
            m_poller->cancel(); // a poll in flight ends now
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void IndexBuildWatch::run()
{
    auto stopped = [this](std::unique_lock<std::mutex> &lock) {
        return m_wake.wait_for(lock, std::chrono::milliseconds(m_intervalMs), [this] { return m_stop; });
    };
    {
        std::unique_lock lock(m_mutex);
        if (stopped(lock))
            return;
    }
    PgSession::Options options;
    options.applicationName = QStringLiteral("PlanSight index progress");
    options.connectTimeoutSeconds = 3;
    options.statementTimeoutMs = 2000;
    options.cancelGraceMs = 500;
    auto connected = PgSession::connect(m_conninfo, options);
    if (!connected)
        return; // no progress to tell; the build goes on
    std::unique_ptr<PgSession> poller = std::move(connected.value());
    {
        std::lock_guard lock(m_mutex);
        if (m_stop)
            return;
        m_poller = poller.get();
    }
    for (;;) {
        auto p = readIndexBuildProgress(*poller, m_pid);
        std::unique_lock lock(m_mutex);
        if (m_stop || !p)
            break;
        if (!p->phase.isEmpty()) {
            lock.unlock();
            m_report(p.value());
            lock.lock();
        }
        if (stopped(lock))
            break;
    }
    std::lock_guard lock(m_mutex);
    m_poller = nullptr;
}

void IndexProgressReporter::operator()(qint64 done, qint64 total, const QString &text)
{
    std::lock_guard lock(m_mutex);
    m_done = done;
    m_total = total;
    m_text = text;
    if (m_progress)
        m_progress(done, total, text);
}

void IndexProgressReporter::indexReport(const IndexBuildProgress &p)
{
    std::lock_guard lock(m_mutex);
    const qint64 permille = qint64(p.fraction() * 1000);
    // The step's own text was said when it began; the build's words say more, and lines are short.
    if (m_total > 0)
        m_progress(m_done * 1000 + permille, m_total * 1000, p.words());
    else
        m_progress(permille, 1000, p.words());
}

std::unique_ptr<IndexBuildWatch> IndexProgressReporter::watch(PgSession &building, int intervalMs)
{
    if (!m_progress)
        return {};
    return std::make_unique<IndexBuildWatch>(
        building, [this](const IndexBuildProgress &p) { indexReport(p); }, intervalMs);
}

} // namespace plansight
