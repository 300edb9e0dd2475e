#!/usr/bin/env bash
# Installs everything Tairitsu needs to build and test on a fresh Debian 12
# machine: compilers, libraries, the WebAssembly guest toolchain, and the Rust
# tools. Safe to run again: what is already there is skipped.
set -euo pipefail

WASM_TOOLS_VERSION=1.254.2
WIT_BINDGEN_VERSION=0.63.0

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libssl-dev libgtest-dev libgmock-dev nlohmann-json3-dev libbenchmark-dev libcli11-dev
  clang-19 lld-19 clang-format-19 clang-tidy-19 wasi-libc libclang-rt-19-dev-wasm32
  libc++-19-dev-wasm32 libc++abi-19-dev-wasm32
  libcurl4-openssl-dev
  python3-venv
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "setup: cargo (Rust >= 1.95) is required; install it with rustup" >&2
    exit 1
  fi
fi

cargo_tool() {  # name crate version
  local have
  have=$("$1" --version 2>/dev/null | awk '{print $2}') || true
  if [ "$have" != "$3" ]; then
    echo "setup: cargo install $2@$3"
    cargo install --locked --quiet "$2@$3"
  fi
}
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cargo_tool wasm-tools wasm-tools "$WASM_TOOLS_VERSION"
cargo_tool wit-bindgen wit-bindgen-cli "$WIT_BINDGEN_VERSION"
