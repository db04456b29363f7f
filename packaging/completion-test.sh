#!/usr/bin/env bash
# Checks the bash completion against the program it completes: every verb of `plansight --help` and every long
# option of each `plansight VERB --help` is offered, and so are actions, strategy ids and option values.
#
#   packaging/completion-test.sh COMPLETION_FILE PLANSIGHT_BINARY
set -uo pipefail

completion=$1
binary=$(realpath "$2")
source /usr/share/bash-completion/bash_completion || { echo "completion-test: bash-completion is missing" >&2; exit 1; }
source "$completion"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# The completion calls `plansight` as typed: put the binary under test first in PATH.
ln -s "$binary" "$dir/plansight"
PATH=$dir:$PATH

failed=0
passed=0

# complete LINE: what the completion offers for LINE (the word being completed is the last one; a trailing space
# starts a new, empty word).
complete_line() {
  COMP_LINE=$1
  COMP_POINT=${#COMP_LINE}
  read -r -a COMP_WORDS <<<"$COMP_LINE"
  [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _plansight plansight "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}"
}

expect() {
  local line=$1
  shift
  local offered want
  offered=$(complete_line "$line")
  for want in "$@"; do
    if ! grep -qx -- "$want" <<<"$offered"; then
      echo "completion-test: '$line' does not offer '$want'; it offers: $(tr '\n' ' ' <<<"$offered")" >&2
      failed=$((failed + 1))
      return
    fi
  done
  passed=$((passed + 1))
}

verbs=$(plansight --help | awk '/^Verbs:/ { inside = 1; next } inside && /^$/ { exit } inside { print $1 }')
[ -n "$verbs" ] || { echo "completion-test: plansight --help lists no verb" >&2; exit 1; }
# shellcheck disable=SC2086
expect "plansight " $verbs
expect "plansight --" --help --version
for verb in $verbs; do
  options=$(plansight "$verb" --help | sed -n -E 's/^  (-[[:alnum:]?], )?(--[[:alnum:]-]+)( <[^>]*>)?.*/\2\3/p' | sed -E 's/ <.*/=/')
  # shellcheck disable=SC2086
  expect "plansight $verb --" $options
done
expect "plansight demo " up down status load
# demo load takes a directory (of the app's exports).
mkdir "$dir/exports"
cd "$dir" && expect "plansight demo load " exports && cd - >/dev/null
expect "plansight history " list show export delete
expect "plansight experiment " new
# run and experiment new take a directory; --from-plan a file.
cd "$dir" && expect "plansight run " exports && expect "plansight experiment new " exports &&
  touch plan.json && expect "plansight experiment new --from-plan " plan.json &&
  expect "plansight experiment new --from-plan plan.json --query " plan.json && cd - >/dev/null
expect "plansight strategies " list status apply revert
expect "plansight strategies apply " all baseline p4-indexes x-topn
expect "plansight bench --strategies p4-indexes,x-" p4-indexes,x-topn
expect "plansight bench --preset " canonical deep-cursor rare-tag
expect "plansight bench --settings " jit-off no-parallel jit=off max_parallel_workers_per_gather=0
expect "plansight bench --settings jit=off;work" 'jit=off;work_mem='
expect "plansight demo --profile " genonaut longtail
expect "plansight report --page-size " a4 letter
expect "plansight bench --pdf-page-size " a4 letter
expect "plansight bench --match " any all
expect "plansight whatif --strategy " baseline p4-indexes x-topn
expect "plansight whatif --query " baseline p4-indexes x-topn
expect "plansight whatif --preset " canonical rare-tag

echo "completion-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
