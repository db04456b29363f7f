#include "bench/machinestate.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QList>
#include <QThread>
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <unistd.h>

namespace plansight {

void parseMachineState(const QByteArray &loadavg, const QByteArray &meminfo, int cpuCount, MachineState &m)
{
    m.cpuCount = cpuCount;
    const QList<QByteArray> f = loadavg.simplified().split(' ');
    if (f.size() >= 3) {
        bool ok1 = false, ok5 = false, ok15 = false;
        const double l1 = f.at(0).toDouble(&ok1), l5 = f.at(1).toDouble(&ok5), l15 = f.at(2).toDouble(&ok15);
        if (ok1 && ok5 && ok15) {
            m.load1 = l1;
            m.load5 = l5;
            m.load15 = l15;
            m.valid = true;
        }
    }
    for (const QByteArray &line : meminfo.split('\n')) {
        const QList<QByteArray> parts = line.simplified().split(' ');
        if (parts.size() < 2)
            continue;
        bool ok = false;
        const qint64 kb = parts.at(1).toLongLong(&ok);
        if (!ok)
            continue;
        if (parts.at(0) == "MemTotal:")
            m.memTotalKb = kb;
        else if (parts.at(0) == "MemAvailable:")
            m.memAvailableKb = kb;
    }
}

MachineState readMachineState()
{
    MachineState m;
    m.at = QDateTime::currentDateTimeUtc();
    QByteArray loadavg, meminfo;
    if (QFile f(QStringLiteral("/proc/loadavg")); f.open(QIODevice::ReadOnly))
        loadavg = f.readAll();
    if (QFile f(QStringLiteral("/proc/meminfo")); f.open(QIODevice::ReadOnly))
        meminfo = f.readAll();
    parseMachineState(loadavg, meminfo, QThread::idealThreadCount(), m);
    if (!m.valid) {
        double l[3];
        if (getloadavg(l, 3) == 3) {
            m.load1 = l[0];
            m.load5 = l[1];
            m.load15 = l[2];
            m.valid = true;
        }
    }
    return m;
}

bool parseProcStat(const QByteArray &stat, qint64 &total, qint64 &busy)
{
    for (const QByteArray &line : stat.split('\n')) {
        const QList<QByteArray> f = line.simplified().split(' ');
        if (f.isEmpty() || f.at(0) != "cpu" || f.size() < 5)
            continue;
        // user nice system idle iowait irq softirq steal (guest time is already counted in user)
        qint64 ticks[8] = {};
        for (int i = 1; i < f.size() && i <= 8; ++i) {
            bool ok = false;
            ticks[i - 1] = f.at(i).toLongLong(&ok);
            if (!ok)
                return false;
        }
        total = 0;
        for (qint64 t : ticks)
            total += t;
        busy = total - ticks[3] - ticks[4];
        return true;
    }
    return false;
}

bool parseProcPidStat(const QByteArray &line, ProcStat &out)
{
    // "pid (comm) state ppid ... utime stime cutime cstime ...": comm may hold spaces and parentheses.
    const qsizetype open = line.indexOf('('), close = line.lastIndexOf(')');
    if (open <= 0 || close < open)
        return false;
    bool ok = false;
    out.pid = line.left(open).trimmed().toLongLong(&ok);
    if (!ok)
        return false;
    out.comm = line.mid(open + 1, close - open - 1);
    const QList<QByteArray> f = line.mid(close + 1).simplified().split(' ');
    if (f.size() < 15) // state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
        return false;
    out.ppid = f.at(1).toLongLong(&ok);
    if (!ok)
        return false;
    out.ticks = 0;
    for (int i = 11; i <= 14; ++i) {
        const qint64 t = f.at(i).toLongLong(&ok);
        if (!ok)
            return false;
        out.ticks += t;
    }
    return true;
}

namespace {

std::optional<ProcStat> readProcPidStat(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    ProcStat p;
    if (!f.open(QIODevice::ReadOnly) || !parseProcPidStat(f.readAll(), p))
        return std::nullopt;
    return p;
}

} // namespace

CpuSample readCpuSample(qint64 serverBackendPid)
{
    CpuSample s;
    QFile stat(QStringLiteral("/proc/stat"));
    if (!stat.open(QIODevice::ReadOnly) || !parseProcStat(stat.readAll(), s.total, s.busy))
        return s;
    QHash<qint64, ProcStat> procs;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &e : entries) {
        bool numeric = false;
        const qint64 pid = e.toLongLong(&numeric);
        if (numeric)
            if (auto p = readProcPidStat(pid))
                procs.insert(pid, *p);
    }
    // The server is local when the backend is a postgres process here whose parent is a postgres process.
    if (const auto backend = procs.constFind(serverBackendPid);
        serverBackendPid > 0 && backend != procs.cend() && backend->comm == "postgres") {
        if (const auto postmaster = procs.constFind(backend->ppid);
            postmaster != procs.cend() && postmaster->comm == "postgres")
            s.postmasterPid = postmaster->pid;
    }
    const qint64 self = getpid();
    for (const ProcStat &p : std::as_const(procs)) {
        // Walk up to PID 1; a process is own when the walk meets PlanSight or the postmaster.
        qint64 at = p.pid;
        for (int depth = 0; at > 1 && depth < 64; ++depth) {
            if (at == self || at == s.postmasterPid) {
                s.own += p.ticks;
                break;
            }
            const auto it = procs.constFind(at);
            if (it == procs.cend())
                break;
            at = it->ppid;
        }
    }
    s.valid = true;
    return s;
}

double otherCpuShare(const CpuSample &start, const CpuSample &end)
{
    if (!start.valid || !end.valid || start.postmasterPid != end.postmasterPid)
        return -1; // a restarted server took its children's ticks with it: the own share cannot be told
    const qint64 total = end.total - start.total;
    if (total <= 0)
        return -1;
    const qint64 other = (end.busy - start.busy) - (end.own - start.own);
    return std::clamp(double(other) / double(total), 0.0, 1.0);
}

} // namespace plansight
