#!/bin/sh
# Builds the libFuzzer targets into BUILD_DIR and runs each for SECONDS (default 30).
#   fuzz/run.sh BUILD_DIR [SECONDS]
# Needs clang with libFuzzer. Inputs that libFuzzer finds interesting go to BUILD_DIR/fuzz-corpus
# (the seed corpora in fuzz/corpus/ are only read); a crashing input is written to
# BUILD_DIR/fuzz-artifacts/ and the script exits non-zero. Set JOBS to change build parallelism.
set -eu

if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [SECONDS_PER_TARGET]" >&2
  exit 2
fi
mkdir -p "$1"
build=$(cd "$1" && pwd)
seconds=${2:-30}
src=$(cd "$(dirname "$0")/.." && pwd)
targets="request_parser_fuzz reply_scanner_fuzz config_fuzz rewrite_fuzz"

if [ ! -f "$build/CMakeCache.txt" ]; then
  generator=""
  if command -v ninja >/dev/null 2>&1; then generator="-G Ninja"; fi
  # shellcheck disable=SC2086  # $generator is deliberately split
  CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S "$src" -B "$build" $generator \
    -DSTDNET_FUZZ=ON -DSTDNET_TESTS=OFF -DSTDNET_BENCH=OFF
fi
# shellcheck disable=SC2086  # $targets is a list
cmake --build "$build" --target $targets -j "${JOBS:-2}"

mkdir -p "$build/fuzz-artifacts"
status=0
for target in $targets; do
  corpus="$build/fuzz-corpus/$target"
  mkdir -p "$corpus"
  dict=""
  case $target in
    config_fuzz) dict="-dict=$src/fuzz/toml.dict" ;;
    *) dict="-dict=$src/fuzz/resp.dict" ;;
  esac
  echo "== $target: ${seconds}s"
  # Run from the build directory: the config loader resolves script paths relative to it.
  if ! (cd "$build" && "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 "$dict" \
      -artifact_prefix="$build/fuzz-artifacts/$target-" "$corpus" "$src/fuzz/corpus/$target"); then
    echo "== $target FAILED; reproduce with: $build/fuzz/$target $build/fuzz-artifacts/$target-*" >&2
    status=1
  fi
done
exit $status
