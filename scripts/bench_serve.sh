#!/usr/bin/env bash
# `tairitsu serve` against `wasmtime serve` 48.0.8 on the same C hello-world
# handler (tests/fixtures/http/hello.c), with the same engine settings: fuel,
# epoch interruption with a 60 s deadline per request (tairitsu serve's
# default), the pooling allocator, no access log. Loaded by wrk on loopback
# in alternating rounds.
#
# wasmtime-cli is built once with `cargo install --locked` (about 40 minutes
# on two cores) into ~/.cache/tairitsu/wasmtime-cli-48.0.8, never by the
# test command. Every load is bounded: BENCH_SECONDS (5) per round, BENCH_ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
command -v wrk >/dev/null || { sudo apt-get install -y -qq wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null; }
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cmake --preset dev >/dev/null
cmake --build --preset dev --target tairitsu_command tairitsu_fixtures

cache="${XDG_CACHE_HOME:-$HOME/.cache}/tairitsu/wasmtime-cli-48.0.8"
wasmtime="$cache/bin/wasmtime"
if [ ! -x "$wasmtime" ]; then
  echo "bench_serve: building wasmtime-cli 48.0.8 into $cache (once; about 40 minutes)" >&2
  cargo install --locked --quiet wasmtime-cli@48.0.8 --root "$cache"
fi

guest=build/dev/fixtures/http_hello.wasm
rounds=${BENCH_ROUNDS:-3}
seconds=${BENCH_SECONDS:-5}
connections=${BENCH_CONNECTIONS:-16}
out=build/dev/bench/serve
mkdir -p "$out"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts a server (the rest of the arguments) on $port, loads it, stops it:
# one line "requests_per_second p99_ms rss_kib".
measure() {
  local port=$1; shift
  "$@" >/dev/null 2>"$out/server.err" &
  local pid=$!
  for _ in $(seq 200); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.05
  done
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/" >"$out/wrk.txt"
  local rss
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"
  wait "$pid" || true
  python3 - "$out/wrk.txt" "$rss" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", text).groups()
p99 = float(value) * {"us": 1e-3, "ms": 1, "s": 1e3}[unit]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors: sys.exit(f"bench_serve: {errors.group(1)} failed responses:\n{text}")
print(f"{rps:.0f} {p99:.2f} {sys.argv[2]}")
PY
}

: >"$out/rounds.txt"
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds" >&2
  port=$(free_port)
  t=$(measure "$port" build/dev/tairitsu serve --quiet --addr "127.0.0.1:$port" "$guest")
  port=$(free_port)
  w=$(measure "$port" "$wasmtime" serve -O pooling-allocator=y -W fuel=4611686018427387903 -W timeout=60s \
        --addr "127.0.0.1:$port" "$guest")
  echo "$t $w" >>"$out/rounds.txt"
done

python3 - "$out/rounds.txt" "$connections" "$seconds" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
col = lambda i: [r[i] for r in rows]
rps = statistics.median(r[0] / r[3] for r in rows)
p99 = statistics.median(r[1] / r[4] for r in rows)
print(f"wrk -t2 -c{sys.argv[2]} -d{sys.argv[3]}s, {len(rows)} alternating rounds (medians; ratios paired per round)")
print(f"{'server':24} {'req/s':>10} {'p99 ms':>8} {'peak RSS':>10}")
print(f"{'tairitsu serve':24} {statistics.median(col(0)):>10,.0f} {statistics.median(col(1)):>8.2f} {statistics.median(col(2))/1024:>7.1f} MiB")
print(f"{'wasmtime serve 48.0.8':24} {statistics.median(col(3)):>10,.0f} {statistics.median(col(4)):>8.2f} {statistics.median(col(5))/1024:>7.1f} MiB")
print(f"req/s ratio {rps:.2f}x (target >= 1.3x: {'met' if rps >= 1.3 else 'MISSED'}), "
      f"p99 ratio {p99:.2f}x (target <= 1.0x: {'met' if p99 <= 1.0 else 'MISSED'})")
PY
