#!/usr/bin/env bash
# Whole-process time of `tairitsu run --invoke` on an image whose precompiled
# artifact is in the store, against the same call on the .wasm file (compiled
# at every run). Prints the mean of N runs of each and their ratio.
#   scripts/bench_cli.sh [N]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-20}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cmake --build --preset dev --target tairitsu_command tairitsu_fixtures >/dev/null
bin=build/dev/tairitsu
export TAIRITSU_HOME
TAIRITSU_HOME=$(mktemp -d)
trap 'rm -rf "$TAIRITSU_HOME"' EXIT
mean_ms() {  # command... -> mean wall time in ms over n runs
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$n"); do "$@" >/dev/null; done
  end=$(date +%s%N)
  echo $(( (end - start) / n / 1000000 ))
}
for guest in adder showcase; do
  file=build/dev/fixtures/$guest.wasm
  "$bin" load "$file" "$guest:bench" >/dev/null
  call='add(1, 2)'
  stored=$(mean_ms "$bin" run --trap-unknown-imports --invoke "$call" "$guest:bench")
  fresh=$(mean_ms "$bin" run --trap-unknown-imports --invoke "$call" "$file")
  echo "$guest ($(stat -c %s "$file") bytes): stored image ${stored} ms, fresh file ${fresh} ms, fresh/stored $(python3 -c "print(f'{$fresh/max($stored,1):.2f}')")x"
done
