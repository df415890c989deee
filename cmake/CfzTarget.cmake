# CfzTarget.cmake - CMake functions to build fuzz targets with cfz.
#
# Loaded by find_package(cfz CONFIG) (installed in <libdir>/cmake/cfz/, or
# from a cfz build tree), and by cfz's own build.  It relies on two targets
# that both define: cfz::harness (the harness library, linked whole) and
# cfz::cfz (the cfz executable).  See docs/build.md.
#
#   cfz_add_fuzz_target(NAME SOURCES... [NO_COVERAGE])
#       An executable NAME from SOURCES, compiled with coverage (unless
#       NO_COVERAGE) and linked with the harness (which provides main()).
#       Link your own libraries with target_link_libraries(NAME PRIVATE ...).
#   cfz_instrument(TARGET...)
#       Compiles the sources of existing targets (e.g. the static library
#       under test) with the coverage flags too.  Without it cfz sees only
#       the fuzz target's own file and fuzzes almost blind.
#   cfz_add_fuzz_test(TARGET [WORKING_DIRECTORY DIR])
#       A CTest test that runs `cfz test` on TARGET's seed corpus.
#   cfz_coverage_flags(OUT_VAR [COMPILER_ID])
#       The coverage flags for a compiler (Clang, AppleClang or GNU; default:
#       the C compiler, else the C++ compiler), for use outside CMake targets.

if(NOT TARGET cfz::harness AND EXISTS "${CMAKE_CURRENT_LIST_DIR}/cfzConfig.cmake")
  # Reached through include(CfzTarget) with CMAKE_MODULE_PATH pointing here:
  # load the package this file belongs to (it includes this file again).
  find_package(cfz CONFIG REQUIRED PATHS "${CMAKE_CURRENT_LIST_DIR}" NO_DEFAULT_PATH)
  return()
endif()

function(cfz_coverage_flags out_var)
  if(ARGC GREATER 1)
    set(id "${ARGV1}")
  elseif(CMAKE_C_COMPILER_ID)
    set(id "${CMAKE_C_COMPILER_ID}")
  else()
    set(id "${CMAKE_CXX_COMPILER_ID}")
  endif()
  if(id MATCHES "Clang")
    # Inline 8-bit counters, pc-table and trace-cmp; implies -fno-builtin for
    # the compare functions.
    set(flags -fsanitize=fuzzer-no-link)
  elseif(id STREQUAL "GNU")
    # An edge callback and comparison tracing; the compare functions stay
    # calls so the harness sees their arguments.
    set(flags -fsanitize-coverage=trace-pc,trace-cmp
        -fno-builtin-memcmp -fno-builtin-strcmp -fno-builtin-strncmp
        -fno-builtin-strcasecmp -fno-builtin-strncasecmp -fno-builtin-strstr
        -fno-builtin-memmem -fno-builtin-bcmp)
  else()
    message(WARNING "cfz: no coverage flags known for compiler '${id}' "
                    "(clang and gcc are supported); targets will fuzz blind")
    set(flags "")
  endif()
  set(${out_var} ${flags} PARENT_SCOPE)
endfunction()

function(cfz_instrument)
  foreach(tgt IN LISTS ARGN)
    if(NOT TARGET ${tgt})
      message(FATAL_ERROR "cfz_instrument: no target named '${tgt}'")
    endif()
    get_target_property(type ${tgt} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY" OR type STREQUAL "UTILITY")
      message(FATAL_ERROR "cfz_instrument: '${tgt}' is a ${type}: it compiles "
                          "nothing; instrument the targets that build its sources")
    endif()
    # Per language, so a C library built by gcc in a project whose C++
    # compiler is clang (or the reverse) gets the right flags.
    foreach(lang C CXX)
      if(CMAKE_${lang}_COMPILER_ID)
        cfz_coverage_flags(flags ${CMAKE_${lang}_COMPILER_ID})
        target_compile_options(${tgt} PRIVATE
          "$<$<COMPILE_LANGUAGE:${lang}>:${flags}>")
      endif()
    endforeach()
  endforeach()
endfunction()

function(cfz_add_fuzz_target name)
  cmake_parse_arguments(ARG "NO_COVERAGE" "" "" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  if(NOT ARG_NO_COVERAGE)
    cfz_instrument(${name})
  endif()
  # cfz::harness links the archive whole: the sanitizer runtimes' weak
  # coverage callbacks must not win over the harness's (docs/build.md).
  target_link_libraries(${name} PRIVATE cfz::harness)
endfunction()

function(cfz_add_fuzz_test target)
  cmake_parse_arguments(ARG "" "WORKING_DIRECTORY" "" ${ARGN})
  if(NOT ARG_WORKING_DIRECTORY)
    set(ARG_WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  if(TARGET cfz::cfz)
    # The cfz of this build tree, or the one installed with this package.
    set(cfz_cmd $<TARGET_FILE:cfz::cfz>)
  else()
    find_program(CFZ_EXECUTABLE cfz REQUIRED)
    set(cfz_cmd ${CFZ_EXECUTABLE})
  endif()
  add_test(NAME cfz-test-${target}
           COMMAND ${cfz_cmd} test -j 2 $<TARGET_FILE:${target}>
           WORKING_DIRECTORY ${ARG_WORKING_DIRECTORY})
endfunction()
