#!/usr/bin/env bash
# PlanSight's one set-up script for Debian 12.
#   packaging/setup.sh deps    install the Debian packages PlanSight needs (idempotent, quick when present)
#   packaging/setup.sh build   deps + configure + build (preset dev, in build/dev)
#   packaging/setup.sh run     build + start the embedded demo + open PlanSight on it
#   packaging/setup.sh test    build + run the whole ctest suite
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

PACKAGES=(
  build-essential cmake pkg-config
  qt6-base-dev qt6-base-dev-tools libgl-dev libqcustomplot-dev qtkeychain-qt6-dev
  libpq-dev libsqlite3-dev sqlite3 zlib1g-dev
  postgresql-15 postgresql-contrib postgresql-15-hypopg postgresql-15-rum
  redis-server
  clang libclang-rt-14-dev
  xvfb xauth poppler-utils fonts-dejavu-core
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

build() {
  deps
  cmake --preset dev >/dev/null
  cmake --build --preset dev -j "$(nproc)"
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
  *)
    echo "usage: packaging/setup.sh deps|build|run|test" >&2
    exit 2
    ;;
esac
