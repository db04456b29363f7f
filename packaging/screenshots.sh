#!/bin/sh
# Starts PlanSight under Xvfb on the embedded demo, runs the canonical preset with every strategy, and saves a PNG of
# each view (results, plan, database, history, and the Experiment editor with examples/gallery open) into
# docs/screenshots/.
#
#   packaging/screenshots.sh [BUILD_DIR]        (default: build/dev)
#
# Environment: PLANSIGHT_SCREENSHOT_SCALE (demo scale, default 0.01), PLANSIGHT_SCREENSHOT_DATA (the demo's
# directory, default a throw-away one under /tmp, reused between calls), PLANSIGHT_SCREENSHOT_RUNS (default 10),
# PLANSIGHT_SCREENSHOT_DARK=1 (the dark palette; the pictures go to docs/screenshots/dark/).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/dev}
binary=$build/app/plansight
[ -x "$binary" ] || { echo "screenshots.sh: $binary is missing; build first (cmake --build $build --target plansight)" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "screenshots.sh: xvfb-run is missing (apt-get install xvfb)" >&2; exit 1; }

scale=${PLANSIGHT_SCREENSHOT_SCALE:-0.01}
runs=${PLANSIGHT_SCREENSHOT_RUNS:-10}
data=${PLANSIGHT_SCREENSHOT_DATA:-/tmp/plansight-screenshots}
out=$here/docs/screenshots
dark=
if [ "${PLANSIGHT_SCREENSHOT_DARK:-0}" = 1 ]; then
    out=$out/dark
    dark=--dark
fi
mkdir -p "$out" "$data"
history=$(mktemp -d)/history.sqlite
trap 'rm -rf "$(dirname "$history")"' EXIT

# A fixed window size, the Fusion style and a light palette make the pictures reproducible.
QT_QPA_PLATFORM=xcb QT_STYLE_OVERRIDE=Fusion PLANSIGHT_DATA_DIR="$data" \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$binary" --no-settings --data-dir "$data" --history "$history" \
    --demo-scale "$scale" --runs "$runs" --run-preset canonical --screenshot-dir "$out" \
    --open-experiment "$here/examples/gallery" $dark

# Stop the demo cluster the window started (it keeps running otherwise, as the GUI leaves it for the next start).
"$binary" demo down --data-dir "$data" >/dev/null 2>&1 || true
ls -l "$out"/*.png
