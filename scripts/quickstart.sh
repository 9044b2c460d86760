#!/usr/bin/env bash
# Sets everything up and runs stdnetd on 127.0.0.1:6380 in front of a redis-server on
# 127.0.0.1:6379 that it starts itself (unless one is already running there). Ctrl-C stops both.
#   redis-cli -p 6380 SET greeting hello   # stored as app1:greeting
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release --target stdnetd -j"$(nproc)"
redis_pid=""
if ! redis-cli -p 6379 PING >/dev/null 2>&1; then
  redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
    --loglevel warning &
  redis_pid=$!
  trap '[ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null' EXIT
  for _ in $(seq 50); do redis-cli -p 6379 PING >/dev/null 2>&1 && break; sleep 0.1; done
fi
echo "stdnetd: clients connect to 127.0.0.1:6380 (namespace app1); Ctrl-C to stop"
build-release/stdnetd --config stdnet.example.toml
