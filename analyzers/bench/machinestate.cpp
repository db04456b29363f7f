#include "bench/machinestate.h"

#include <QFile>
#include <QList>
#include <QThread>
#include <cstdlib>

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

} // namespace plansight
