# cfz_add_fuzz_target(NAME SOURCES... [NO_COVERAGE])
#
# Builds a fuzz target executable: the sources get SanitizerCoverage flags for
# the current compiler (clang: inline 8-bit counters, pc-table and trace-cmp via
# -fsanitize=fuzzer-no-link; gcc: trace-pc and trace-cmp), compare builtins stay
# calls so the harness sees them, and the cfz harness is linked whole, so its
# coverage callbacks win over the weak ones in sanitizer runtimes.
function(cfz_coverage_flags out_var)
  if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    set(flags -fsanitize=fuzzer-no-link)
  else()
    set(flags -fsanitize-coverage=trace-pc,trace-cmp
        -fno-builtin-memcmp -fno-builtin-strcmp -fno-builtin-strncmp
        -fno-builtin-strcasecmp -fno-builtin-strncasecmp -fno-builtin-strstr
        -fno-builtin-memmem -fno-builtin-bcmp)
  endif()
  set(${out_var} ${flags} PARENT_SCOPE)
endfunction()

function(cfz_add_fuzz_target name)
  cmake_parse_arguments(ARG "NO_COVERAGE" "" "" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  if(NOT ARG_NO_COVERAGE)
    cfz_coverage_flags(cov)
    target_compile_options(${name} PRIVATE ${cov})
  endif()
  target_link_libraries(${name} PRIVATE $<LINK_LIBRARY:WHOLE_ARCHIVE,cfz_harness>)
endfunction()

# cfz_add_fuzz_test(TARGET [WORKING_DIRECTORY DIR])
#
# Adds a CTest test that runs `cfz test` on TARGET: every seed corpus entry
# (the target's cfz_add seeds and DIR/testdata/fuzz/<Target>/*) runs once in
# worker processes; the test fails when one of them fails.  DIR defaults to
# the current source directory (where testdata/ lives).
function(cfz_add_fuzz_test target)
  cmake_parse_arguments(ARG "" "WORKING_DIRECTORY" "" ${ARGN})
  if(NOT ARG_WORKING_DIRECTORY)
    set(ARG_WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  if(TARGET cfz)
    set(cfz_cmd $<TARGET_FILE:cfz>)
  else()
    find_program(CFZ_EXECUTABLE cfz REQUIRED)
    set(cfz_cmd ${CFZ_EXECUTABLE})
  endif()
  add_test(NAME cfz-test-${target}
           COMMAND ${cfz_cmd} test -j 2 $<TARGET_FILE:${target}>
           WORKING_DIRECTORY ${ARG_WORKING_DIRECTORY})
endfunction()
