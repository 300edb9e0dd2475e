#!/usr/bin/env bash
# Builds and runs the benchmarks, then prints each figure with its ratio to
# the baseline measured in the same run (the Value call for calls; WAVE for text).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cmake --preset dev >/dev/null
cmake --build --preset dev --target tairitsu_bench tairitsu_fixtures
out=build/dev/bench/results.json
./build/dev/bench/tairitsu_bench --benchmark_min_time=0.5 --benchmark_out="$out" \
  --benchmark_out_format=json "$@" >/dev/null
python3 - "$out" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
rows = {b["name"]: b for b in data["benchmarks"]}
def ns(b): return b["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]]
print(f"{data['context']['date']}  {data['context']['num_cpus']} CPUs  {data['context'].get('mhz_per_cpu', '?')} MHz")
print(f"{'benchmark':40} {'time':>12} {'ratio':>8}  baseline")
for name, b in rows.items():
    group = name.rsplit("/", 1)[0]
    base = {"call": group + "/value", "text": group + "/wave", "dispatch": "dispatch/command"}[name.split("/")[0]]
    t = ns(b)
    unit = f"{t:,.0f} ns" if t < 1e5 else f"{t/1e3:,.1f} us"
    ratio = t / ns(rows[base]) if base in rows else float("nan")
    print(f"{name:40} {unit:>12} {ratio:>7.2f}x  {base}")
PY
