#!/usr/bin/env bash
# Sets up the machine, builds Tairitsu and runs the demo host program.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cmake --preset dev
cmake --build --preset dev --target demo tairitsu_fixtures
./build/dev/examples/demo ./build/dev/fixtures/showcase.wasm
