#!/usr/bin/env bash
# Installs everything stdnet needs to build, run, test and benchmark, from Debian 12 packages and
# (for the Node client tests) the npm registry. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
PACKAGES=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libuv1-dev libhiredis-dev libtomlplusplus-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev libssl-dev
  redis-server redis-tools nutcracker
  python3 python3-redis python3-pytest python3-matplotlib
  tmux procps
)
# Node and npm for the Node client tests: Debian's, unless a Node.js with npm is already there
# (e.g. nodesource's nodejs, which conflicts with Debian's npm package).
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(nodejs npm); fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Node test clients (ioredis, redis) for the integration tests.
if [ -f tests/integration/node/package.json ] && [ ! -d tests/integration/node/node_modules ]; then
  (cd tests/integration/node && npm install --no-audit --no-fund --silent)
fi
