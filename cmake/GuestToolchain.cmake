# Tools that build WebAssembly guests from source: clang for wasm32-wasi with
# Debian's wasi-libc, wasm-tools and wit-bindgen (installed by scripts/setup.sh).

find_program(TAIRITSU_WASI_CC NAMES clang-19 clang HINTS /usr/lib/llvm-19/bin
             DOC "clang that targets wasm32-wasi")
find_program(TAIRITSU_WASI_CXX NAMES clang++-19 clang++ HINTS /usr/lib/llvm-19/bin
             DOC "clang++ that targets wasm32-wasi (with libc++ for wasm32)")
find_program(TAIRITSU_WASM_TOOLS wasm-tools HINTS "$ENV{CARGO_HOME}/bin" "$ENV{HOME}/.cargo/bin")
find_program(TAIRITSU_WIT_BINDGEN wit-bindgen HINTS "$ENV{CARGO_HOME}/bin" "$ENV{HOME}/.cargo/bin")
set(TAIRITSU_FIXTURE_DIR "${CMAKE_BINARY_DIR}/fixtures" CACHE PATH "Where guest fixtures are built")
