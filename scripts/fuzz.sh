#!/usr/bin/env bash
# Builds the fuzzers (clang, ASan, UBSan): the three text parsers, the
# command line's argument handling and the store's index reader, and runs
# each for a fixed time, starting from the seed corpus in tests/fuzz/corpus/. New inputs
# go to a scratch directory; a crashing input is written to build/fuzz/.
#   scripts/fuzz.sh [SECONDS_PER_FUZZER]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
for format in wave ron json cli index; do
  scratch=$(mktemp -d)
  log="build/fuzz/fuzz_${format}.log"
  status=0
  dict=()
  if [ -f "tests/fuzz/${format}.dict" ]; then dict=("-dict=../../tests/fuzz/${format}.dict"); fi
  (cd build/fuzz && "./tests/fuzz/fuzz_${format}" -max_total_time="$seconds" -max_len=4096 \
     -print_final_stats=1 "${dict[@]}" "$scratch" "../../tests/fuzz/corpus/${format}") >"$log" 2>&1 || status=$?
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  echo "fuzz_${format}: ${seconds}s, ${runs} inputs, exit ${status}"
  rm -rf "$scratch"
  if [ "$status" -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|round trip|canonical|cannot print' "$log" | head -20 >&2
    echo "fuzz_${format} found a failure; see $log" >&2
    exit 1
  fi
done
