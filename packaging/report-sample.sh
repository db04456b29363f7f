#!/bin/sh
# Makes docs/report-sample/: a real `plansight bench` session on the embedded demo (every strategy, the canonical,
# multi-tag and deep-page presets), its PDF report, and PNG pictures of its first pages (pdftoppm, poppler-utils).
#
#   packaging/report-sample.sh [BUILD_DIR]        (default: build/dev)
#
# Environment: PLANSIGHT_SAMPLE_SCALE (demo scale, default 0.1), PLANSIGHT_SAMPLE_DATA (the demo's directory,
# default /tmp/plansight-report-sample, reused between calls), PLANSIGHT_SAMPLE_PDF (a session's PDF already
# written: only the pictures are made), PLANSIGHT_SAMPLE_PAGES (default 3).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/dev}
binary=$build/app/plansight
out=$here/docs/report-sample
pages=${PLANSIGHT_SAMPLE_PAGES:-3}
command -v pdftoppm >/dev/null || { echo "report-sample.sh: pdftoppm is missing (apt-get install poppler-utils)" >&2; exit 1; }

pdf=${PLANSIGHT_SAMPLE_PDF:-}
if [ -z "$pdf" ]; then
    [ -x "$binary" ] || { echo "report-sample.sh: $binary is missing; build first" >&2; exit 1; }
    scale=${PLANSIGHT_SAMPLE_SCALE:-0.1}
    data=${PLANSIGHT_SAMPLE_DATA:-/tmp/plansight-report-sample}
    pdf=$data/report.pdf
    "$binary" demo up --data-dir "$data" --scale "$scale" >/dev/null
    "$binary" bench --data-dir "$data" --strategies all --preset canonical --preset multi-tag --preset deep-page \
        --runs 10 --warmup 2 --budget 30 --yes --no-history --pdf "$pdf" --note "docs/report-sample, scale $scale"
fi

mkdir -p "$out"
rm -f "$out"/page-*.png
# 110 dpi: an A4 page is 910 pixels wide, readable at full size in a browser.
pdftoppm -r 110 -png -f 1 -l "$pages" "$pdf" "$out/page"
ls -l "$out"
