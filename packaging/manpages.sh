#!/bin/sh
# Writes the manual pages of plansight (plansight.1) and of each verb (plansight-VERB.1), gzipped, into OUTDIR,
# with help2man from the program's own --help: they say what the built program does.
#
#   packaging/manpages.sh BINARY OUTDIR VERSION
set -eu

binary=$1
out=$2
version=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v help2man >/dev/null || { echo "manpages.sh: help2man is missing (apt-get install help2man)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$out"
mkdir -p "$out"
# Nothing the pages are made from may depend on the machine that builds them.
export HOME="$work/home" LC_ALL=C.UTF-8 QT_QPA_PLATFORM=offscreen
unset PLANSIGHT_DATA_DIR PLANSIGHT_HISTORY XDG_DATA_HOME XDG_STATE_HOME XDG_CONFIG_HOME

verbs=$("$binary" --help | awk '/^Verbs:/ { inside = 1; next } inside && /^$/ { exit } inside { print $1 }')
[ -n "$verbs" ] || { echo "manpages.sh: $binary --help lists no verb" >&2; exit 1; }

see_also=$(for v in $verbs; do printf '.BR plansight\\-%s (1),\n' "$v"; done)
cat >"$work/plansight.h2m" <<EOF
[FILES]
.TP
.I ~/.config/plansight/plansight.conf
the window's settings (\$XDG_CONFIG_HOME/plansight).
.TP
.I ~/.local/share/plansight/history.sqlite
the benchmark history (\$XDG_DATA_HOME/plansight; \$PLANSIGHT_HISTORY or \\-\\-history choose another file).
.TP
.I ~/.local/state/plansight/demo
the embedded demo cluster (\$XDG_STATE_HOME/plansight/demo; /var/lib/plansight/demo as root;
\$PLANSIGHT_DATA_DIR or \\-\\-data\\-dir choose another directory).
[SEE ALSO]
$see_also
.BR psql (1)
EOF

# plansight itself: its --help lists the verbs.
help2man --no-info --version-string="$version" --section=1 --source="PlanSight $version" \
    --name="measure PostgreSQL query optimization strategies side by side" \
    --include="$work/plansight.h2m" --output="$work/plansight.1" "$binary"

# One page per verb: help2man runs a wrapper named plansight-VERB that calls `plansight VERB`.
for v in $verbs; do
    summary=$("$binary" --help | awk -v v="$v" '$1 == v { $1 = ""; sub(/^ +/, ""); print; exit }')
    printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$binary" "$v" >"$work/plansight-$v"
    chmod +x "$work/plansight-$v"
    printf '[SEE ALSO]\n.BR plansight (1)\n' >"$work/$v.h2m"
    help2man --no-info --no-discard-stderr --version-string="$version" --section=1 --source="PlanSight $version" \
        --name="$(printf '%s' "$summary" | sed 's/^./\L&/')" --include="$work/$v.h2m" \
        --output="$work/plansight-$v.1" "$work/plansight-$v"
    # The usage line names the command as the user types it.
    sed -i "s|$work/plansight-$v|plansight $v|g" "$work/plansight-$v.1"
done

for page in "$work"/*.1; do
    gzip -9n <"$page" >"$out/$(basename "$page").gz"
done
ls "$out"
