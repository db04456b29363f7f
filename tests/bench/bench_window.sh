#!/bin/sh
# The window's start-up time and the event loop's longest stall during a run (BENCHMARKS.md, "The window").
#
#   tests/bench/bench_window.sh [BUILD_DIR [LAUNCHES [SCALE]]]     defaults: build/dev 5 0.01
#
# Uses its own demo in /tmp/plansight-bench-window (built at SCALE first, not timed). Start-up: LAUNCHES launches
# of the window on that demo, each printing when it is shown and when it is connected (plansight --probe-timing),
# the first after dropping the page cache when run as root (a cold start), the rest warm. Stall: one run of the
# canonical preset with every strategy, 10 runs each, watched by a 10 ms timer on the GUI thread.
# Runs under xvfb-run; prints the machine's load, since a busy machine makes every figure slower.
set -eu
build=${1:-build/dev}
launches=${2:-5}
scale=${3:-0.01}
bin=$build/app/plansight
data=/tmp/plansight-bench-window
export PLANSIGHT_DATA_DIR=$data
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/runtime-$(id -u)}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
"$bin" demo up --scale "$scale" >/dev/null
"$bin" demo down >/dev/null

window() {
    xvfb-run -a -s '-screen 0 1600x1000x24' "$bin" --no-settings --data-dir "$data/demo" \
        --history "$data/history.sqlite" --probe-timing "$@"
}

i=1
while [ "$i" -le "$launches" ]; do
    kind=warm
    if [ "$i" -eq 1 ] && [ "$(id -u)" -eq 0 ]; then
        sync && echo 3 >/proc/sys/vm/drop_caches && kind=cold
    fi
    start=$(date +%s%N)
    out=$(window)
    wall=$(( ($(date +%s%N) - start) / 1000000 ))
    shown=$(echo "$out" | awk '/^probe shown/ {print $3}')
    ready=$(echo "$out" | awk '/^probe ready/ {print $3}')
    echo "start-up $i ($kind): shown ${shown} ms, connected ${ready} ms after main(); process wall ${wall} ms (with xvfb-run and the demo's start and stop)"
    i=$((i + 1))
done

out=$(window --run-preset canonical --runs 10)
echo "$out" | awk '/^probe stall-max/ {m=$3} /^probe stalls-over-50ms/ {n=$3} /^probe run/ {r=$3}
    END {printf "event loop during a run of every strategy (%s ms): longest stall %s ms, %s stalls over 50 ms\n", r, m, n}'
"$bin" demo down >/dev/null 2>&1 || true
