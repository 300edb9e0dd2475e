# `cmake --install`: headers, the libraries (the native static library too,
# so consumers need no Rust), the `tairitsu` and `tairitsu-bindgen` programs,
# a CMake package (find_package(tairitsu CONFIG REQUIRED) gives
# tairitsu::tairitsu and tairitsu_bindgen()) and a pkg-config file.
#
# Wasmtime's C API headers go to include/tairitsu/wasmtime/, on the include
# path only of tairitsu::guest_init (for users of tairitsu/guest_init.hpp).

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TAIRITSU_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/tairitsu")

install(DIRECTORY include/tairitsu DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS tairitsu tairitsu_guest_init tairitsu_registry tairitsu_text_calls tairitsu_engine tairitsu_wit tairitsu_commands
                tairitsu_values tairitsu_base EXPORT tairitsuTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS tairitsu-bindgen EXPORT tairitsuTargets RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(TARGETS tairitsu_command RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(FILES "${TAIRITSU_NATIVE_LIBRARY}" DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(DIRECTORY ${TAIRITSU_NATIVE_INCLUDE_DIRS} DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/tairitsu/wasmtime"
        FILES_MATCHING PATTERN "*.h" PATTERN "*.hh")

install(EXPORT tairitsuTargets NAMESPACE tairitsu:: DESTINATION "${TAIRITSU_INSTALL_CMAKEDIR}")
configure_package_config_file(cmake/tairitsuConfig.cmake.in "${CMAKE_CURRENT_BINARY_DIR}/tairitsuConfig.cmake"
                              INSTALL_DESTINATION "${TAIRITSU_INSTALL_CMAKEDIR}"
                              PATH_VARS CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/tairitsuConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/tairitsuConfig.cmake"
              "${CMAKE_CURRENT_BINARY_DIR}/tairitsuConfigVersion.cmake"
              cmake/TairitsuBindgen.cmake
        DESTINATION "${TAIRITSU_INSTALL_CMAKEDIR}")

configure_file(cmake/tairitsu.pc.in "${CMAKE_CURRENT_BINARY_DIR}/tairitsu.pc" @ONLY)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/tairitsu.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
