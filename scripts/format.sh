#!/usr/bin/env bash
# Formats Tairitsu's C++ with clang-format-19 and .clang-format, or with
# --check only reports what is not formatted (and fails). Guest sources in
# tests/fixtures/ (C for wasm32) and generated golden files are left as they are.
#   scripts/format.sh [--check]
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files --cached --others --exclude-standard 'src/*.cpp' 'src/*.hpp' 'include/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'examples/*.cpp' \
          'examples/*.hpp' 'tools/*.cpp' 'bench/*.cpp' 'bench/*.hpp' | grep -v -e '^tests/fixtures/' -e '/golden/')
if [ "${1:-}" = "--check" ]; then
  clang-format-19 --dry-run --Werror $files
  echo "format: $(echo "$files" | wc -l) files as .clang-format wants them"
else
  clang-format-19 -i $files
fi
