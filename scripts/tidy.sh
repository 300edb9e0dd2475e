#!/usr/bin/env bash
# Runs clang-tidy-19 with .clang-tidy over Tairitsu's own sources, using the
# compile commands of a configured build (default build/dev). Prints the
# findings; exits non-zero when there are any.
#   scripts/tidy.sh [BUILD_DIR] [FILE...]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/dev}"
shift || true
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(git ls-files 'src/*.cpp')
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy-19 -p "$build" --quiet >"$out" 2>/dev/null || true
findings=$(grep -cE 'warning:|error:' "$out" || true)
grep -E -A3 'warning:|error:' "$out" || true
echo "tidy: ${#files[@]} files, ${findings} findings"
[ "$findings" -eq 0 ]
