# C++ bindings from WIT as part of a build (in Tairitsu's tree, and installed
# with the package: find_package(tairitsu) includes this file).
#
#   tairitsu_bindgen(<target> WIT <file-or-dir> HEADER <name.hpp>
#                    [WORLD <world>] [NAMESPACE <c++ namespace>])
#
# Runs tairitsu-bindgen when the WIT changes, writes
# ${CMAKE_CURRENT_BINARY_DIR}/tairitsu_bindgen/<target>/<name.hpp>, and adds that
# directory to <target>'s include path, so that `#include "<name.hpp>"` works.

function(tairitsu_bindgen target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "WIT;WORLD;NAMESPACE;HEADER" "")
  if(NOT arg_WIT OR NOT arg_HEADER)
    message(FATAL_ERROR "tairitsu_bindgen(${target}): WIT and HEADER are required")
  endif()
  get_filename_component(_wit "${arg_WIT}" ABSOLUTE)
  set(_dir "${CMAKE_CURRENT_BINARY_DIR}/tairitsu_bindgen/${target}")
  set(_header "${_dir}/${arg_HEADER}")
  if(IS_DIRECTORY "${_wit}")
    file(GLOB_RECURSE _wit_files CONFIGURE_DEPENDS "${_wit}/*.wit")
  else()
    set(_wit_files "${_wit}")
  endif()
  set(_args "${_wit}" -o "${_header}")
  if(arg_WORLD)
    list(APPEND _args --world "${arg_WORLD}")
  endif()
  if(arg_NAMESPACE)
    list(APPEND _args --namespace "${arg_NAMESPACE}")
  endif()
  # In Tairitsu's own tree the generator is built first; installed, it is there.
  set(_generator_dep "")
  if(TARGET tairitsu-bindgen)
    set(_generator_dep tairitsu-bindgen)
  endif()
  add_custom_command(
    OUTPUT "${_header}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${_dir}"
    COMMAND "$<TARGET_FILE:tairitsu::bindgen>" ${_args}
    DEPENDS ${_wit_files} ${_generator_dep}
    COMMENT "Generating ${arg_HEADER} from WIT${arg_WORLD}"
    VERBATIM)
  target_sources(${target} PRIVATE "${_header}")
  target_include_directories(${target} PRIVATE "${_dir}")
endfunction()
