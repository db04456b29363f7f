#!/bin/sh
# The plan engine beside PEV2's (docs/architecture.md, "Plans against PEV2"): bench_plan on its generated plans, then
# PEV2 1.21's parser under node on the same files (tests/bench/pev2/bench_pev2.mjs). Not part of ctest or .ci/run.
#
#   tests/bench/bench_plan_pev2.sh [BUILD_DIR [RUNS]]     defaults: build/dev 5
#
# Needs node (18 or later) and npm: the first run installs PEV2 as pinned in tests/bench/pev2/package-lock.json into
# tests/bench/pev2/node_modules (not committed). Prints the machine's load before and after: on a busy machine every
# figure is slower.
set -eu
build=${1:-build/dev}
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
PLANSIGHT_BENCH_SAVE=$dir "$build/tests/bench/bench_plan" "$runs"
if [ ! -d "$here/pev2/node_modules/pev2" ]; then
    (cd "$here/pev2" && npm ci --no-audit --no-fund >/dev/null)
fi
node "$here/pev2/bench_pev2.mjs" "$dir" "$runs"
echo "machine after: load $(cut -d' ' -f1-3 /proc/loadavg)"
