# CfzInstall.cmake - what `cmake --install` and `cpack -G DEB` ship
# (included by the top-level CMakeLists.txt).  Layout, under the prefix:
#   bin/cfz                                   the driver
#   <libdir>/libcfz_harness.a                 the harness
#   <libdir>/cfz/libcfz_cmp_pass.so           the compare plugin for clang
#                                             (when built: CfzCmpPlugin.cmake)
#   include/cfz.h, include/cfz_types.h        its API
#   <libdir>/cmake/cfz/                       find_package(cfz CONFIG)
#   <libdir>/pkgconfig/cfz.pc                 pkg-config, relocatable
#   share/man/man1/cfz*.1[.gz]                man pages (docs/man/)
#   share/bash-completion/completions/cfz     bash completion
#   share/doc/cfz/                            README.md and docs/*.md
# docs/build.md lists the same paths; tests/install/ checks them.

include(CMakePackageConfigHelpers)

set(CFZ_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cfz)

install(TARGETS cfz EXPORT cfzTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS cfz_harness cfz_harness_whole EXPORT cfzTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
if(CFZ_HAVE_CMP_PLUGIN)
  install(TARGETS cfz_cmp_pass EXPORT cfzTargets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/cfz)
  set(CFZ_PC_CMP_PLUGIN "\${libdir}/cfz/libcfz_cmp_pass.so")
else()
  set(CFZ_PC_CMP_PLUGIN "")
endif()
install(FILES lib/harness/cfz.h lib/common/cfz_types.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# The CMake package: the same cfzConfig.cmake and CfzTarget.cmake in the build
# tree (next to the build tree's cfzTargets.cmake) and in the install.
install(EXPORT cfzTargets NAMESPACE cfz:: DESTINATION ${CFZ_CMAKE_DIR})
export(EXPORT cfzTargets NAMESPACE cfz:: FILE ${PROJECT_BINARY_DIR}/cfzTargets.cmake)
configure_file(cmake/cfzConfig.cmake.in ${PROJECT_BINARY_DIR}/cfzConfig.cmake @ONLY)
configure_file(cmake/CfzTarget.cmake ${PROJECT_BINARY_DIR}/CfzTarget.cmake COPYONLY)
# 0.x: a newer minor version may break the interface.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cfzConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cfzConfig.cmake
              ${PROJECT_BINARY_DIR}/cfzConfigVersion.cmake
              cmake/CfzTarget.cmake
        DESTINATION ${CFZ_CMAKE_DIR})

# pkg-config: paths relative to the .pc file (${pcfiledir}), so a moved
# install, or a .deb unpacked elsewhere, still works.
set(CFZ_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  # Absolute directories given by hand: not relocatable.
  set(CFZ_PC_PREFIX_FROM_PCDIR "")
  set(CFZ_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(CFZ_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH CFZ_PC_PREFIX_FROM_PCDIR /prefix/${CFZ_PC_DIR} /prefix)
  string(REGEX REPLACE "/$" "" CFZ_PC_PREFIX_FROM_PCDIR "${CFZ_PC_PREFIX_FROM_PCDIR}")
  set(CFZ_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(CFZ_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
cfz_coverage_flags(clang_flags Clang)
cfz_coverage_flags(gcc_flags GNU)
list(JOIN clang_flags " " CFZ_PC_COVERAGE_CLANG)
list(JOIN gcc_flags " " CFZ_PC_COVERAGE_GCC)
configure_file(cmake/cfz.pc.in ${PROJECT_BINARY_DIR}/cfz.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cfz.pc DESTINATION ${CFZ_PC_DIR})

# Man pages (docs/man/, checked against --help by tests/man/), compressed as
# Debian installs them when gzip is there.
set(CFZ_MAN_PAGES cfz cfz-run cfz-minimize cfz-corpus cfz-test cfz-plot cfz-cover)
find_program(CFZ_GZIP gzip)
set(man_files "")
foreach(page ${CFZ_MAN_PAGES})
  set(src ${PROJECT_SOURCE_DIR}/docs/man/${page}.1)
  if(CFZ_GZIP)
    set(out ${PROJECT_BINARY_DIR}/man/${page}.1.gz)
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E copy ${src} ${PROJECT_BINARY_DIR}/man/${page}.1
      COMMAND ${CFZ_GZIP} -9 -n -f ${PROJECT_BINARY_DIR}/man/${page}.1
      DEPENDS ${src} VERBATIM)
    list(APPEND man_files ${out})
  else()
    list(APPEND man_files ${src})
  endif()
endforeach()
add_custom_target(cfz_man ALL DEPENDS ${man_files})
install(FILES ${man_files} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

install(FILES completion/cfz.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME cfz)

file(GLOB CFZ_DOC_FILES ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES README.md ${CFZ_DOC_FILES} DESTINATION ${CMAKE_INSTALL_DOCDIR})

# cpack -G DEB (in the build directory): a .deb with the layout above under
# /usr.  Run-time libraries come from dpkg-shlibdeps where it is installed
# (dpkg-dev); targets also need jansson's development files to link.
set(CPACK_PACKAGE_NAME cfz)
set(CPACK_PACKAGE_VENDOR "cfz")
set(CPACK_PACKAGE_CONTACT "cfz maintainers <cfz@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "coverage-guided fuzzer for C and C++")
set(CPACK_PACKAGE_DESCRIPTION
    "cfz runs fuzz targets (native cfz targets or libFuzzer-style ones) in worker \
processes, keeps the corpus, minimizes failures and writes them as regression \
tests.  This package has the cfz driver, the harness library and header, the \
CMake package, the pkg-config file, man pages and documentation.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libjansson-dev")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "clang | gcc, pkg-config, cmake (>= 3.24)")
# `cfz plot` spawns gnuplot (docs/stats.md); `cfz cover` runs llvm-profdata
# and llvm-cov (llvm); nothing else needs them.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gnuplot-nox | gnuplot, llvm")
find_program(CFZ_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(CFZ_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libjansson-dev, libuv1, libssl3 | libssl1.1")
endif()
include(CPack)
