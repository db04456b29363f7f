#!/bin/sh
# Strategy benchmark: `plansight bench --strategies all` on the canonical, multi-tag and deep-page presets of
# the embedded demo at one scale, printed as the Markdown that BENCHMARKS.md ("Strategies") records, with the
# machine it ran on. Not a pass/fail test: it measures.
#
#   tests/bench/bench_strategies.sh [SCALE] [RUNS] [WARMUP]        (defaults: 0.1, 20 and 2)
#
# Environment: PLANSIGHT (the binary; default build/dev/app/plansight), PLANSIGHT_BENCH_DIR (the demo's data
# directory; default /tmp/plansight-bench-<scale>, built when absent), PLANSIGHT_HISTORY (where the sessions
# are recorded; default the user's history). Applying the strategies on a fresh demo takes minutes at scale
# 0.1 (x-topn copies the junction); they stay applied for later runs.
set -eu
scale=${1:-0.1}
runs=${2:-20}
warmup=${3:-2}
bin=${PLANSIGHT:-build/dev/app/plansight}
dir=${PLANSIGHT_BENCH_DIR:-/tmp/plansight-bench-$scale}
out=${PLANSIGHT_BENCH_OUT:-$dir/results}

[ -x "$bin" ] || { echo "bench_strategies: no plansight binary at $bin (set PLANSIGHT)" >&2; exit 2; }
mkdir -p "$out"
"$bin" demo up --data-dir "$dir" --scale "$scale" >/dev/null

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
pg=$("$bin" demo status --data-dir "$dir" | sed -n 's/^demo database: //p')
echo "### Scale $scale ($(date -u +%Y-%m-%d), $runs measured runs after $warmup warm-ups, warm cache)"
echo
echo "Machine: $(nproc) cores ($cpu), $mem RAM, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start."
echo "Data: $pg."
echo
for preset in canonical multi-tag deep-page; do
    echo '```'
    "$bin" bench --data-dir "$dir" --strategies all --preset "$preset" --runs "$runs" --warmup "$warmup" \
        --timeout-ms 600000 --json "$out/$preset.json" --note "bench_strategies.sh scale $scale" || true
    echo '```'
    echo
done
