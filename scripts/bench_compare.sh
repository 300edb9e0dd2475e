#!/usr/bin/env bash
# Tairitsu against Wasmtime's own Rust API, same guest (tests/fixtures/bench_guest),
# same engine settings, one table. Builds bench/tairitsu_bench and
# native/examples/wasmtime_baseline.rs, runs both back to back, and prints each
# figure with its baseline and the ratio to the target.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cmake --preset dev >/dev/null
cmake --build --preset dev --target tairitsu_bench tairitsu_fixtures
# The Rust program is built in the same cargo target directory as native/ (the
# one this build was configured with), not necessarily the default one.
cache_dir=$(sed -n 's/^TAIRITSU_NATIVE_CACHE_DIR:PATH=//p' build/dev/CMakeCache.txt)
target_dir="$cache_dir/native"
(cd native && CARGO_TARGET_DIR="$target_dir" cargo build --release --locked --quiet --example wasmtime_baseline)

guest=build/dev/fixtures/bench_guest.wasm
rounds=${BENCH_ROUNDS:-3}
# The two programs take turns, $rounds times; each figure is the median over
# the rounds, so that a slow moment of a shared machine does not decide a ratio.
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds" >&2
  ./build/dev/bench/tairitsu_bench --benchmark_filter='^compare/' --benchmark_min_time=0.3 \
    --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_out="build/dev/bench/compare-$round.json" --benchmark_out_format=json >/dev/null
  "$target_dir/release/examples/wasmtime_baseline" "$guest" > "build/dev/bench/baseline-$round.tsv"
done

python3 - "$rounds" <<'PY'
import json, statistics, sys
rounds = int(sys.argv[1])
unit = {"ns": 1, "us": 1e3, "ms": 1e6}
tr, rr = {}, {}
for k in range(1, rounds + 1):
    data = json.load(open(f"build/dev/bench/compare-{k}.json"))
    for b in data["benchmarks"]:  # medians of 3 repetitions (the Rust side: medians of 20 batches)
        if b.get("aggregate_name", "median") != "median": continue
        name = b.get("run_name", b["name"]).removeprefix("compare/")
        tr.setdefault(name, []).append(b["real_time"] * unit[b["time_unit"]])
        if "bytes_per_container" in b: tr.setdefault("density/tairitsu", []).append(b["bytes_per_container"])
        if "items_per_second" in b:
            tr.setdefault(f"threads/tairitsu-{name.rsplit(':', 1)[-1]}", []).append(b["items_per_second"])
    for line in open(f"build/dev/bench/baseline-{k}.tsv"):
        name, value, _ = line.rstrip("\n").split("\t")
        rr.setdefault(name, []).append(float(value))
t = {k: statistics.median(v) for k, v in tr.items()}
r = {k: statistics.median(v) for k, v in rr.items()}

def ns(v): return f"{v:,.0f} ns" if v < 1e5 else f"{v/1e3:,.1f} us" if v < 1e8 else f"{v/1e6:,.1f} ms"
rows = [  # figure, value, baseline name, baseline value, target ratio (figure/baseline <= target), what
    ("add/tairitsu-typed", t["add/tairitsu-typed"], "add/rust-typed", r["add/rust-typed"], 1.5),
    ("add/tairitsu-value", t["add/tairitsu-value"], "add/rust-func", r["add/rust-func"], 1.2),
    ("add/tairitsu-wave", t["add/tairitsu-wave"], "add/tairitsu-value", t["add/tairitsu-value"], 3.0),
    ("add/native-cpp", t["add/native-cpp"], "add/rust-typed", r["add/rust-typed"], None),
    ("echo-1k/tairitsu-typed", t["echo-1k/tairitsu-typed"], "echo-1k/rust-typed", r["echo-1k/rust-typed"], None),
    ("echo-bytes-64k/tairitsu-typed", t["echo-bytes-64k/tairitsu-typed"], "echo-bytes-64k/rust-typed", r["echo-bytes-64k/rust-typed"], None),
    ("round-trip/tairitsu-typed", t["round-trip/tairitsu-typed"], "round-trip/rust-typed", r["round-trip/rust-typed"], None),
    ("instantiate/tairitsu", t["instantiate/tairitsu"], "instantiate/rust-instance-pre", r["instantiate/rust-instance-pre"], 1.3),
    ("instantiate/rust-linker", r["instantiate/rust-linker"], "instantiate/rust-instance-pre", r["instantiate/rust-instance-pre"], None),
    ("image/tairitsu-precompiled", t["image/tairitsu-precompiled"], "image/tairitsu-compile", t["image/tairitsu-compile"], 1 / 20),
    ("image/rust-deserialize", r["image/rust-deserialize"], "image/rust-compile", r["image/rust-compile"], None),
]
print(f"{data['context']['date']}  {data['context']['num_cpus']} CPUs  medians of {rounds} alternating rounds")
print(f"{'figure':32} {'value':>12}  {'baseline':32} {'value':>12} {'ratio':>8}  target")
for name, v, base, bv, target in rows:
    ratio = v / bv
    verdict = "" if target is None else (f"<= {target:g}x " + ("met" if ratio <= target else "MISSED"))
    print(f"{name:32} {ns(v):>12}  {base:32} {ns(bv):>12} {ratio:>7.3g}x  {verdict}")
d, dr = t["density/tairitsu"], r["density/rust"]
print(f"{'density/tairitsu':32} {d/1024:>9.1f} KiB  {'density/rust':32} {dr/1024:>9.1f} KiB {d/dr:>7.3g}x  "
      f"<= 64 KiB beyond a {r['density/rust-linear-memory']/1024:.0f} KiB linear memory " + ("met" if d <= 64 * 1024 else "MISSED"))
for who, one, two in (("tairitsu", t["threads/tairitsu-1"], t["threads/tairitsu-2"]), ("rust", r["threads/rust-1"], r["threads/rust-2"])):
    ratio = two / one
    target = "  >= 1.8x " + ("met" if ratio >= 1.8 else "MISSED") if who == "tairitsu" else ""
    print(f"{'threads/' + who + '-2':32} {two/1e6:>8.2f} M/s  {'threads/' + who + '-1':32} {one/1e6:>8.2f} M/s {ratio:>7.3g}x{target}")
PY
