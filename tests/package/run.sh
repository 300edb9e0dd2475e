#!/usr/bin/env bash
# Installs a build of Tairitsu into a temporary prefix, builds the consumer
# project in tests/package against it (find_package, tairitsu_bindgen), and
# runs it on the bench guest. Also checks the pkg-config file.
#   tests/package/run.sh BUILD_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
prefix="$(mktemp -d)"
work="$(mktemp -d)"
trap 'rm -rf "$prefix" "$work"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
# Consumers get no cargo registry on their include path.
if grep -rq "cargo/registry" "$prefix/lib/cmake/tairitsu" "$prefix/lib/pkgconfig"; then
  echo "package: the installed package points into the cargo registry" >&2
  exit 1
fi
cmake -S "$here" -B "$work" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work" >/dev/null
"$work/package_consumer" "$build/fixtures/bench_guest.wasm"
"$work/guest_init_consumer" "$build/fixtures/bench_guest.wasm"
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs tairitsu >/dev/null
"$prefix/bin/tairitsu" --help >/dev/null
echo "package: installed, found, generated, built and ran"
