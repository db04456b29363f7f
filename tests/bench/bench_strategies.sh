#!/bin/sh
# Strategy benchmark: `plansight bench --strategies all` on the canonical, multi-tag and deep-page presets of
# the embedded demo at one scale, printed as the Markdown that BENCHMARKS.md ("Strategies") records, with the
# machine it ran on. Not a pass/fail test: it measures.
#
#   tests/bench/bench_strategies.sh [SCALE] [RUNS] [WARMUP] [BUDGET]   (defaults: 0.1, 20, 2 and 60 s per workload)
#
# Environment: PLANSIGHT (the binary; default build/dev/app/plansight), PLANSIGHT_BENCH_DIR (the demo's data
# directory; default /tmp/plansight-bench-<scale>, built when absent), PLANSIGHT_HISTORY (where the sessions
# are recorded; default the user's history). Applying the strategies on a fresh demo takes minutes at scale
# 0.1 (x-topn copies the junction); they stay applied for later runs.
set -eu
scale=${1:-0.1}
runs=${2:-20}
warmup=${3:-2}
budget=${4:-60}
bin=${PLANSIGHT:-build/dev/app/plansight}
dir=${PLANSIGHT_BENCH_DIR:-/tmp/plansight-bench-$scale}
out=${PLANSIGHT_BENCH_OUT:-$dir/results}

[ -x "$bin" ] || { echo "bench_strategies: no plansight binary at $bin (set PLANSIGHT)" >&2; exit 2; }
mkdir -p "$out"
"$bin" demo up --data-dir "$dir" --scale "$scale" >/dev/null

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
pg=$("$bin" demo status --data-dir "$dir" | sed -n 's/^demo database: //p')
echo "### Scale $scale ($(date -u +%Y-%m-%d), up to $runs measured runs after $warmup warm-ups within $budget s per workload, warm cache)"
echo
echo "Machine: $(nproc) cores ($cpu), $mem RAM, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start."
echo "Data: $pg."
echo
# One session for the three presets: each strategy is applied once, measured on every workload, and (without
# HypoPG's hide_index) reverted before the next. The time budget keeps a 7 s baseline at scale 1 from taking
# 20 runs x 5 workloads; the runs it cut are named in the notes under each table.
echo '```'
"$bin" bench --data-dir "$dir" --strategies all --preset canonical --preset multi-tag --preset deep-page \
    --runs "$runs" --warmup "$warmup" --budget "$budget" --timeout-ms 600000 --json "$out/session.json" \
    --note "bench_strategies.sh scale $scale" || true
echo '```'
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
