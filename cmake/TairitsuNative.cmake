# The native library: Wasmtime's C API plus Tairitsu's few additions, built by
# cargo from native/ (a Rust staticlib). The release build is slow on small
# machines, so its target directory lives outside the build tree and is shared
# by every checkout on the machine: cargo rebuilds only what a change of
# native/ or of its lockfile touches, and keeps the rest.
#
# Provides the imported target tairitsu::native (library + C/C++ headers).

find_program(CARGO cargo HINTS "$ENV{CARGO_HOME}/bin" "$ENV{HOME}/.cargo/bin" REQUIRED)

set(_native_dir "${PROJECT_SOURCE_DIR}/native")

if(DEFINED ENV{XDG_CACHE_HOME} AND NOT "$ENV{XDG_CACHE_HOME}" STREQUAL "")
  set(_cache_root "$ENV{XDG_CACHE_HOME}/tairitsu")
else()
  set(_cache_root "$ENV{HOME}/.cache/tairitsu")
endif()
set(TAIRITSU_NATIVE_CACHE_DIR "${_cache_root}" CACHE PATH
    "Where the cargo build of native/ is kept between builds")
set(_target_dir "${TAIRITSU_NATIVE_CACHE_DIR}/native")
set(_native_lib "${_target_dir}/release/libtairitsu_native.a")

# Wasmtime's headers come from the wasmtime-c-api-impl crate that cargo resolved.
execute_process(
  COMMAND "${CARGO}" metadata --locked --format-version 1 --manifest-path "${_native_dir}/Cargo.toml"
  OUTPUT_VARIABLE _metadata
  RESULT_VARIABLE _metadata_result
  ERROR_VARIABLE _metadata_error)
if(NOT _metadata_result EQUAL 0)
  message(FATAL_ERROR "cargo metadata failed for native/: ${_metadata_error}")
endif()
string(JSON _package_count LENGTH "${_metadata}" packages)
math(EXPR _last "${_package_count} - 1")
set(_capi_manifest "")
foreach(i RANGE ${_last})
  string(JSON _name GET "${_metadata}" packages ${i} name)
  if(_name STREQUAL "wasmtime-c-api-impl")
    string(JSON _capi_manifest GET "${_metadata}" packages ${i} manifest_path)
  elseif(_name STREQUAL "wasmtime-wasi-http")
    string(JSON _wasi_http_manifest GET "${_metadata}" packages ${i} manifest_path)
    get_filename_component(_wasi_http_dir "${_wasi_http_manifest}" DIRECTORY)
    # The wasi:http WIT (and its deps) that the server implements, for guests.
    set(TAIRITSU_WASI_HTTP_WIT_DIR "${_wasi_http_dir}/wit" CACHE INTERNAL "wasi:http WIT of native/'s wasmtime-wasi-http")
  endif()
endforeach()
if(NOT _capi_manifest)
  message(FATAL_ERROR "wasmtime-c-api-impl is not among native/'s dependencies")
endif()
get_filename_component(_capi_dir "${_capi_manifest}" DIRECTORY)

# conf.h records which features the C API was built with; they are the ones
# native/Cargo.toml enables on wasmtime-c-api-impl.
file(READ "${_native_dir}/Cargo.toml" _cargo_toml)
string(REGEX MATCH "wasmtime-c-api-impl = {[^}]*}" _capi_dep "${_cargo_toml}")
string(REGEX MATCHALL "\"[a-z0-9-]+\"" _features "${_capi_dep}")
foreach(_feature IN LISTS _features)
  string(REPLACE "\"" "" _feature "${_feature}")
  string(REPLACE "-" "_" _feature "${_feature}")
  string(TOUPPER "${_feature}" _feature)
  set(WASMTIME_FEATURE_${_feature} ON)
endforeach()
set(_generated_include "${CMAKE_BINARY_DIR}/native-include")
configure_file("${_capi_dir}/include/wasmtime/conf.h.in" "${_generated_include}/wasmtime/conf.h")

add_custom_target(tairitsu_native_build
  COMMAND ${CMAKE_COMMAND} -E env "CARGO_TARGET_DIR=${_target_dir}"
          "${CARGO}" build --release --locked --manifest-path "${_native_dir}/Cargo.toml"
  BYPRODUCTS "${_native_lib}"
  WORKING_DIRECTORY "${_native_dir}"
  COMMENT "Building native/ (Wasmtime ${TAIRITSU_WASMTIME_VERSION}) with cargo into ${_target_dir}"
  USES_TERMINAL)

find_package(Threads REQUIRED)
add_library(tairitsu_native STATIC IMPORTED GLOBAL)
set_target_properties(tairitsu_native PROPERTIES IMPORTED_LOCATION "${_native_lib}")
# The library with its own headers: tairitsu_native_base.h needs nothing
# else; tairitsu_native.h needs Wasmtime's, from tairitsu_wasmtime_headers.
target_include_directories(tairitsu_native INTERFACE "${_native_dir}/include")
target_link_libraries(tairitsu_native INTERFACE Threads::Threads ${CMAKE_DL_LIBS} m rt)
add_dependencies(tairitsu_native tairitsu_native_build)
add_library(tairitsu::native ALIAS tairitsu_native)
add_library(tairitsu_wasmtime_headers INTERFACE)
target_include_directories(tairitsu_wasmtime_headers INTERFACE "${_generated_include}" "${_capi_dir}/include")
# For the install rules: the library and the header directories to ship.
set(TAIRITSU_NATIVE_LIBRARY "${_native_lib}")
set(TAIRITSU_NATIVE_INCLUDE_DIRS "${_generated_include}/" "${_capi_dir}/include/" "${_native_dir}/include/")
