#!/usr/bin/env bash
# Builds a Python guest component with componentize-py, through a cache.
#   scripts/build_python_guest.sh WIT_DIR WORLD APP_DIR MODULE OUT
# WIT_DIR holds the world WORLD (with its deps/); APP_DIR holds MODULE.py.
#
# componentize-py is installed once into a venv under
# ${XDG_CACHE_HOME:-$HOME/.cache}/tairitsu. The finished component is cached
# there too, under the sha256 of its inputs (every file under APP_DIR and
# WIT_DIR, WORLD, MODULE and the componentize-py version), so a rebuild with
# nothing changed copies it instead of spending ~20 s on componentize-py.
set -euo pipefail

COMPONENTIZE_PY_VERSION=0.25.1

die() { echo "build_python_guest: $*" >&2; exit 1; }

[ $# -eq 5 ] || die "usage: $0 WIT_DIR WORLD APP_DIR MODULE OUT"
wit_dir=$1 world=$2 app_dir=$3 module=$4 out=$5
[ -d "$wit_dir" ] || die "no WIT directory $wit_dir"
[ -d "$app_dir" ] || die "no application directory $app_dir"
[ -f "$app_dir/$module.py" ] || die "no module $app_dir/$module.py"

cache="${XDG_CACHE_HOME:-$HOME/.cache}/tairitsu"
venv="$cache/venv-componentize-py-$COMPONENTIZE_PY_VERSION"
mkdir -p "$cache/guests"

# Every regular file under DIR as "relative-path sha256", in a fixed order.
list_files() {
  (cd "$1" && find . -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 \
    | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}
hash=$({
  echo "componentize-py $COMPONENTIZE_PY_VERSION"
  echo "world $world"
  echo "module $module"
  echo "app:"; list_files "$app_dir"
  echo "wit:"; list_files "$wit_dir"
} | sha256sum | cut -d' ' -f1)
cached="$cache/guests/$hash.wasm"

if [ ! -f "$cached" ]; then
  if [ ! -x "$venv/bin/componentize-py" ]; then
    echo "build_python_guest: installing componentize-py $COMPONENTIZE_PY_VERSION into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv" \
      || die "could not create a venv with 'python3 -m venv' (on Debian install the python3-venv package)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "componentize-py==$COMPONENTIZE_PY_VERSION" \
      || { rm -rf "$venv"; die "pip could not install componentize-py==$COMPONENTIZE_PY_VERSION"; }
  fi
  echo "build_python_guest: componentize-py $world from $app_dir/$module.py" >&2
  tmp=$(mktemp "$cache/guests/.$hash.XXXXXX")
  app=$(mktemp -d)  # a copy, as componentize-py leaves __pycache__ in the app directory
  trap 'rm -rf "$tmp" "$app"' EXIT
  chmod "$(printf '%o' $((0666 & ~$(umask))))" "$tmp"  # mktemp makes it 0600
  cp -R "$app_dir/." "$app"
  "$venv/bin/componentize-py" -d "$wit_dir" -w "$world" componentize "$module" -p "$app" -o "$tmp" \
    || die "componentize-py failed for $app_dir/$module.py (world $world)"
  mv -f "$tmp" "$cached"  # same directory, so atomic
fi

mkdir -p "$(dirname "$out")"
cp -f "$cached" "$out.tmp"
mv -f "$out.tmp" "$out"
