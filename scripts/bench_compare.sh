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
rounds=${BENCH_ROUNDS:-7}
# The two programs take turns, $rounds times; each figure is the median over
# the rounds, so that a slow moment of a shared machine does not decide a ratio.
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds" >&2
  ./build/dev/bench/tairitsu_bench --benchmark_filter='^compare/' --benchmark_min_time=0.3 \
    --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_out="build/dev/bench/compare-$round.json" --benchmark_out_format=json >/dev/null
  "$target_dir/release/examples/wasmtime_baseline" "$guest" build/dev/fixtures/stream_echo.wasm \
    > "build/dev/bench/baseline-$round.tsv"
done

python3 - "$rounds" <<'PY'
import json, re, statistics, sys
rounds = int(sys.argv[1])
unit = {"ns": 1, "us": 1e3, "ms": 1e6}
tr, rr = {}, {}
for k in range(1, rounds + 1):
    data = json.load(open(f"build/dev/bench/compare-{k}.json"))
    for b in data["benchmarks"]:  # medians of 3 repetitions (the Rust side: medians of 20 batches)
        if b.get("aggregate_name", "median") != "median": continue
        name = re.sub(r"/iterations:\d+(/real_time$)?", "", b.get("run_name", b["name"]).removeprefix("compare/"))
        tr.setdefault(name, []).append(b["real_time"] * unit[b["time_unit"]])
        if "bytes_per_container" in b: tr.setdefault("density/tairitsu", []).append(b["bytes_per_container"])
        if "bytes_per_suspended_call" in b:
            tr.setdefault("suspended/bytes", []).append(b["bytes_per_suspended_call"])
            tr.setdefault("suspended/ms", []).append(b["ms_to_answer_all"])
        if "items_per_second" in b:
            tr.setdefault(f"threads/tairitsu-{name.rsplit(':', 1)[-1]}", []).append(b["items_per_second"])
    for line in open(f"build/dev/bench/baseline-{k}.tsv"):
        name, value, _ = line.rstrip("\n").split("\t")
        rr.setdefault(name, []).append(float(value))
T, R = tr, rr  # per-round figures; the table shows their medians

def med(src, name): return statistics.median(src[name])
def ratios(src, name, bsrc, base): return [a / b for a, b in zip(src[name], bsrc[base])]
# A figure and its baseline are measured in the same round, minutes apart at
# most; the machine's speed drifts more between rounds than within one. So a
# ratio is the median of the rounds' own ratios (paired), not the ratio of
# the two medians.
def paired(src, name, bsrc, base): return statistics.median(ratios(src, name, bsrc, base))
def per_round(src, name, bsrc, base):  # the ratio in each round, lowest and highest
    r = ratios(src, name, bsrc, base)
    return f"{min(r):.3g}-{max(r):.3g}"
def ns(v): return f"{v:,.0f} ns" if v < 1e5 else f"{v/1e3:,.1f} us" if v < 1e8 else f"{v/1e6:,.1f} ms"
rows = [  # figure, its source, baseline, its source, target ratio (figure/baseline <= target)
    ("add/tairitsu-typed", T, "add/rust-typed", R, 1.5),
    ("add/tairitsu-value", T, "add/rust-func", R, 1.2),
    ("mix/tairitsu-value", T, "mix/rust-func", R, 1.2),
    ("add/tairitsu-wave", T, "add/tairitsu-value", T, 3.0),
    ("add/native-cpp", T, "add/rust-typed", R, None),
    ("echo-1k/tairitsu-typed", T, "echo-1k/rust-typed", R, None),
    ("echo-bytes-64k/tairitsu-typed", T, "echo-bytes-64k/rust-typed", R, 1.1),
    ("round-trip/tairitsu-typed", T, "round-trip/rust-typed", R, None),
    ("instantiate/tairitsu", T, "instantiate/rust-instance-pre", R, 1.3),
    ("instantiate/rust-linker", R, "instantiate/rust-instance-pre", R, None),
    ("image/tairitsu-precompiled", T, "image/tairitsu-compile", T, 1 / 20),
    ("image/tairitsu-precompiled", T, "image/rust-deserialize", R, 1.1),
    ("image/rust-deserialize", R, "image/rust-compile", R, None),
    ("stream-echo-64m/tairitsu", T, "stream-echo-64m/rust-pipes", R, 1.25),
    ("async-host-call/tairitsu-async", T, "async-host-call/tairitsu-plain", T, None),
]
print(f"{data['context']['date']}  {data['context']['num_cpus']} CPUs  {rounds} alternating rounds: values are medians,"
      " ratios the median of each round's own ratio (rounds: its lowest and highest)")
print(f"{'figure':32} {'value':>12}  {'baseline':32} {'value':>12} {'ratio':>8} {'rounds':>15}  target")
for name, src, base, bsrc, target in rows:
    v, bv = med(src, name), med(bsrc, base)
    ratio = paired(src, name, bsrc, base)
    verdict = "" if target is None else (f"<= {target:g}x " + ("met" if ratio <= target else "MISSED"))
    print(f"{name:32} {ns(v):>12}  {base:32} {ns(bv):>12} {ratio:>7.3g}x {per_round(src, name, bsrc, base):>15}  {verdict}")
d, dr = med(T, "density/tairitsu"), med(R, "density/rust")
print(f"{'density/tairitsu':32} {d/1024:>9.1f} KiB  {'density/rust':32} {dr/1024:>9.1f} KiB {paired(T, 'density/tairitsu', R, 'density/rust'):>7.3g}x "
      f"{per_round(T, 'density/tairitsu', R, 'density/rust'):>15}  "
      f"<= 64 KiB beyond a {med(R, 'density/rust-linear-memory')/1024:.0f} KiB linear memory " + ("met" if d <= 64 * 1024 else "MISSED"))
s = med(T, "suspended/bytes")
print(f"{'suspended-10k/tairitsu':32} {s/1024:>9.1f} KiB per waiting call, all answered in {med(T, 'suspended/ms'):.0f} ms"
      f"  <= 64 KiB " + ("met" if s <= 64 * 1024 else "MISSED"))
for who, src in (("tairitsu", T), ("rust", R)):
    one, two = f"threads/{who}-1", f"threads/{who}-2"
    ratio = paired(src, two, src, one)
    target = "  >= 1.8x " + ("met" if ratio >= 1.8 else "MISSED") if who == "tairitsu" else ""
    print(f"{two:32} {med(src, two)/1e6:>8.2f} M/s  {one:32} {med(src, one)/1e6:>8.2f} M/s {ratio:>7.3g}x "
          f"{per_round(src, two, src, one):>15}{target}")
PY
