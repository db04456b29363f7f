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

} // namespace plansight
