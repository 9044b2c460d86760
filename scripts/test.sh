#!/usr/bin/env bash
# Sets up and runs every test: unit tests (GoogleTest) and integration tests (pytest, real
# redis-server, redis-cli, Python and Node clients) on a normal build, then again under
# AddressSanitizer + UndefinedBehaviorSanitizer, then each fuzz target for a bounded time.
#   FUZZ_SECONDS=30 (per target; 0 skips fuzzing)   SANITIZE=1 (0 skips the sanitizer run)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== build"
scripts/build.sh build
echo "== command table is current"
/usr/bin/python3 tools/gen_command_table.py --check
echo "== tests"
(cd build && ctest --output-on-failure --timeout 1500)

if [ "${SANITIZE:-1}" != 0 ]; then
  echo "== build (ASan + UBSan)"
  scripts/build.sh build-asan -DSTDNET_SANITIZE=ON -DSTDNET_BENCH=OFF
  echo "== tests (ASan + UBSan)"
  # A small quarantine: freed buffers are not kept around, so memory bounds still hold.
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=32 \
     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure --timeout 1500)
fi

if [ "${FUZZ_SECONDS:-30}" != 0 ]; then
  echo "== fuzz (${FUZZ_SECONDS:-30}s per target)"
  fuzz/run.sh build-fuzz "${FUZZ_SECONDS:-30}"
fi
echo "== all tests passed"
