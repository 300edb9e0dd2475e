#!/usr/bin/env bash
# Sets up the machine, builds Tairitsu with its tests, and runs the whole suite:
# the format check, the release build (with the installed-package test), the
# same tests under AddressSanitizer and UndefinedBehaviorSanitizer, and a
# short run of each fuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
scripts/format.sh --check
for preset in dev sanitize; do
  cmake --preset "$preset"
  cmake --build --preset "$preset"
  ctest --preset "$preset"
done
scripts/fuzz.sh 20
