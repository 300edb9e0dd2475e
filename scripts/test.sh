#!/usr/bin/env bash
# Sets up the machine, builds Tairitsu with its tests, and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cmake --preset dev
cmake --build --preset dev
ctest --preset dev
