#!/usr/bin/env bash
# PlanSight's one set-up script for Debian 12.
#   packaging/setup.sh deps          install the Debian packages PlanSight needs (idempotent, quick when present)
#   packaging/setup.sh build         deps + configure + build (preset dev, in build/dev)
#   packaging/setup.sh run           build + start the embedded demo + open PlanSight on it
#   packaging/setup.sh test          build + run the whole ctest suite
#   packaging/setup.sh package       deps + the Debian package of the stripped Release build (preset release,
#                                    in build/release): build/release/plansight_VERSION_ARCH.deb
#   packaging/setup.sh install-test  validate the desktop files, build the package, install it, run the installed
#                                    plansight (--version, explain, man, bash completion), remove it (CI runs it)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

PACKAGES=(
  build-essential cmake pkg-config
  qt6-base-dev qt6-base-dev-tools libgl-dev libqcustomplot-dev qtkeychain-qt6-dev
  libpq-dev libsqlite3-dev sqlite3 zlib1g-dev
  postgresql-15 postgresql-contrib postgresql-15-hypopg postgresql-15-rum postgresql-15-cron
  redis-server libhiredis-dev libtomlplusplus-dev
  xapian-tools libxapian-dev
  clang clang-format libclang-rt-14-dev
  xvfb xauth poppler-utils fonts-dejavu-core
  ccache help2man desktop-file-utils appstream bash-completion man-db
)

deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "setup: installing ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ccache (installed by deps) keeps a second build, the Release one or the next run's, cheap. CMake reads the
# variable when it configures a new build directory.
use_ccache() {
  if [ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ] && command -v ccache >/dev/null; then
    export CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR="${CCACHE_BASEDIR:-$here}"
  fi
}

build() {
  deps
  use_ccache
  cmake --preset dev >/dev/null
  cmake --build --preset dev -j "$(nproc)"
}

package() {
  deps
  use_ccache
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)"
  rm -f build/release/plansight_*.deb
  (cd build/release && cpack -G DEB >/dev/null)
  ls build/release/plansight_*.deb
}

# Runs "$@" as root (sudo when needed).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_test() {
  deps
  local started=$SECONDS
  echo "install-test: desktop-file-validate and appstreamcli validate --pedantic"
  desktop-file-validate packaging/io.github.plansight.plansight.desktop
  appstreamcli validate --pedantic --no-net packaging/io.github.plansight.plansight.metainfo.xml

  package
  local deb
  deb=$(ls build/release/plansight_*.deb)
  echo "install-test: $deb"
  dpkg-deb --field "$deb" Package Version Depends Recommends Suggests
  local files
  files=$(dpkg-deb --contents "$deb" | awk '{ print $6 }')
  local want
  for want in ./usr/bin/plansight ./usr/share/applications/io.github.plansight.plansight.desktop \
      ./usr/share/metainfo/io.github.plansight.plansight.metainfo.xml \
      ./usr/share/icons/hicolor/scalable/apps/io.github.plansight.plansight.svg \
      ./usr/share/doc/plansight/copyright ./usr/share/bash-completion/completions/plansight \
      ./usr/share/man/man1/plansight.1.gz ./usr/share/man/man1/plansight-explain.1.gz; do
    grep -qx -- "$want" <<<"$files" || { echo "install-test: $want is missing from $deb" >&2; return 1; }
  done
  # Build and fuzz tools are for the development setup, not for the package (redis-server and xapian-tools are
  # recommended: the p2-redis and p10-search strategies run their servers on the demo).
  if dpkg-deb --field "$deb" Depends Recommends | grep -Eq 'clang|cmake|-dev\b|build-essential|xvfb'; then
    echo "install-test: the package depends on a development tool" >&2
    return 1
  fi
  local staged
  staged=$(mktemp -d)
  dpkg-deb -x "$deb" "$staged"
  if readelf -S --wide "$staged/usr/bin/plansight" | grep -q '\.symtab'; then
    echo "install-test: /usr/bin/plansight is not stripped" >&2
    return 1
  fi
  appstreamcli validate-tree --pedantic --no-net "$staged"
  rm -rf "$staged"

  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "./$deb" >/dev/null
  local rc=0
  installed_checks || rc=$?
  as_root dpkg --remove plansight >/dev/null
  [ ! -e /usr/bin/plansight ] || { echo "install-test: /usr/bin/plansight is still there after removal" >&2; rc=1; }
  echo "install-test: $((SECONDS - started)) s"
  if [ $rc -eq 0 ]; then echo "install-test: 1 passed, 0 failed"; else echo "install-test: 0 passed, 1 failed"; fi
  return $rc
}

# What a user of the installed package does first, in an empty home, where nothing may be written. Each step
# says what failed (this runs where `set -e` does not apply).
installed_checks() {
  local home version out
  home=$(mktemp -d)
  version=$(sed -n -E 's/^project\(PlanSight VERSION ([0-9.]+).*/\1/p' CMakeLists.txt)
  out=$(HOME=$home /usr/bin/plansight --version)
  [ "$out" = "plansight $version" ] || { echo "install-test: plansight --version said '$out'" >&2; return 1; }
  out=$(HOME=$home /usr/bin/plansight explain tests/data/plans/pg15_gallery_baseline.json --no-color) \
    && grep -q 'self-check ok' <<<"$out" || { echo "install-test: plansight explain failed: $out" >&2; return 1; }
  out=$(HOME=$home /usr/bin/plansight history list) && grep -q 'No session recorded yet' <<<"$out" \
    || { echo "install-test: plansight history list failed: $out" >&2; return 1; }
  [ -z "$(ls -A "$home")" ] || { echo "install-test: plansight wrote into an empty home:" >&2; find "$home" >&2; return 1; }
  rmdir "$home"
  man -w plansight plansight-demo plansight-explain >/dev/null || { echo "install-test: a manual page is missing" >&2; return 1; }
  bash packaging/completion-test.sh /usr/share/bash-completion/completions/plansight /usr/bin/plansight \
    || { echo "install-test: the bash completion failed" >&2; return 1; }
  echo "install-test: the installed plansight $version: --version, explain, history list, man and completion work"
}

case "${1:-}" in
  deps) deps ;;
  build) build ;;
  run)
    build
    shift
    exec build/dev/app/plansight "$@"
    ;;
  test)
    build
    shift
    exec ctest --test-dir build/dev --output-on-failure -j "$(nproc)" "$@"
    ;;
  package) package ;;
  install-test) install_test ;;
  *)
    echo "usage: packaging/setup.sh deps|build|run|test|package|install-test" >&2
    exit 2
    ;;
esac
