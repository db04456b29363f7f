#pragma once

// The state of the machine PlanSight runs on (load, CPUs, memory), recorded with every benchmark session so
// that a reader can tell timings measured on a busy machine. Reads /proc (Linux); elsewhere getloadavg and
// QThread::idealThreadCount, and the memory stays unknown.

#include "session/results.h"

namespace plansight {

// Reads the machine's state now. valid == false when not even the load average could be read.
MachineState readMachineState();

// Parses /proc/loadavg and /proc/meminfo texts into `m` (for the tests); sets valid when the load was read.
void parseMachineState(const QByteArray &loadavg, const QByteArray &meminfo, int cpuCount, MachineState &m);

// The CPU time the whole machine spent, and the part PlanSight's own work spent, at one moment, in clock ticks.
// Own work is the process trees rooted at PlanSight and at the local server's postmaster (its backends and
// parallel workers): a session's own parallel query raises the load average above the CPU count on a 2-CPU
// machine, which is not other work competing with it. valid == false where /proc cannot be read.
struct CpuSample {
    bool valid = false;
    qint64 total = 0; // every CPU's ticks since boot (/proc/stat "cpu": user ... steal)
    qint64 busy = 0; // total minus idle and iowait
    qint64 own = 0; // user + system ticks of the own process trees, with their reaped children's
    qint64 postmasterPid = 0; // the local server's postmaster counted as own (0: none); a restart changes it
};

// Reads the sample now. `serverBackendPid` is the PostgreSQL backend PlanSight talks to (PQbackendPID), 0 if
// none: when it is a local postgres process, its parent (the postmaster) and that tree count as own.
CpuSample readCpuSample(qint64 serverBackendPid);

// The share (0 to 1) of the machine's CPU capacity that other processes used between two samples, or -1 when it
// cannot be told (a sample invalid, no time between them).
double otherCpuShare(const CpuSample &start, const CpuSample &end);

// Parses /proc/stat's text into the machine's total and busy ticks (for the tests); false when it has no "cpu"
// line.
bool parseProcStat(const QByteArray &stat, qint64 &total, qint64 &busy);
// Parses a /proc/PID/stat line: the parent's pid, the command name and utime + stime + cutime + cstime.
struct ProcStat {
    qint64 pid = 0, ppid = 0;
    QByteArray comm;
    qint64 ticks = 0;
};
bool parseProcPidStat(const QByteArray &line, ProcStat &out);

} // namespace plansight
