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
#   cfz_use_cmp_plugin(TARGET...)
#       Compiles the sources of existing targets with the compare plugin
#       too (clang only; docs/build.md): float, double and wider-than-64-bit
#       integer compares are then reported.  Needs cfz::cmp_pass (a cfz
#       built with the plugin); without it, a warning and nothing else.
#   cfz_add_fuzz_test(TARGET [WORKING_DIRECTORY DIR])
#       A CTest test that runs `cfz test` on TARGET's seed corpus.
#   cfz_coverage_flags(OUT_VAR [COMPILER_ID])
#       The coverage flags for a compiler (Clang, AppleClang or GNU; default:
#       the C compiler, else the C++ compiler), for use outside CMake targets.
#   cfz_add_coverage_target(NAME SOURCES src... [LIBS lib...])
#       The coverage build of a fuzz target, for `cfz cover` (clang only):
#       an executable NAME from SOURCES compiled with clang's source-based
#       coverage (-fprofile-instr-generate -fcoverage-mapping) and without
#       SanitizerCoverage, linked with the harness.  Each of LIBS that is a
#       static or object library of this project is built again, as
#       <lib>_cfzcov, from its sources with the same flags, so that the code
#       under test is in the report; other LIBS are linked as they are.

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

# _cfz_source_languages(OUT src...): C and/or CXX, from the sources' file
# name extensions (what CMake itself goes by).
function(_cfz_source_languages out_var)
  set(langs "")
  foreach(src IN LISTS ARGN)
    if(src MATCHES "\\.c$")
      list(APPEND langs C)
    elseif(src MATCHES "\\.(cc|cpp|cxx|c\\+\\+|C)$")
      list(APPEND langs CXX)
    endif()
  endforeach()
  list(REMOVE_DUPLICATES langs)
  set(${out_var} ${langs} PARENT_SCOPE)
endfunction()

function(cfz_use_cmp_plugin)
  if(NOT TARGET cfz::cmp_pass)
    message(WARNING "cfz_use_cmp_plugin(${ARGN}): this cfz was built without "
                    "the compare plugin (no LLVM development files for its "
                    "clang): float and wide compares stay unreported")
    return()
  endif()
  foreach(tgt IN LISTS ARGN)
    get_target_property(tgt_srcs ${tgt} SOURCES)
    _cfz_source_languages(tgt_langs ${tgt_srcs})
    foreach(lang IN LISTS tgt_langs)
      if(CMAKE_${lang}_COMPILER_ID STREQUAL "Clang")
        target_compile_options(${tgt} PRIVATE
          "$<$<COMPILE_LANGUAGE:${lang}>:-fpass-plugin=$<TARGET_FILE:cfz::cmp_pass>>")
      elseif(CMAKE_${lang}_COMPILER_ID)
        message(WARNING "cfz_use_cmp_plugin(${tgt}): the ${lang} compiler is "
                        "${CMAKE_${lang}_COMPILER_ID}; the plugin needs clang")
      endif()
    endforeach()
    if(TARGET cfz_cmp_pass) # cfz's own build: build the plugin first
      add_dependencies(${tgt} cfz_cmp_pass)
    endif()
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

# clang's source-based coverage, what llvm-cov reads (`cfz cover`).
set(CFZ_SOURCE_COVERAGE_FLAGS -fprofile-instr-generate -fcoverage-mapping)

# lib rebuilt from its own sources with CFZ_SOURCE_COVERAGE_FLAGS (once), as
# <lib>_cfzcov, with its include directories, definitions and link
# dependencies, but not its compile options (no SanitizerCoverage).
function(_cfz_coverage_copy lib out_var)
  set(copy ${lib}_cfzcov)
  if(NOT TARGET ${copy})
    get_target_property(srcs ${lib} SOURCES)
    get_target_property(src_dir ${lib} SOURCE_DIR)
    get_target_property(bin_dir ${lib} BINARY_DIR)
    set(files "")
    foreach(src IN LISTS srcs)
      if(src MATCHES "^\\$<" OR IS_ABSOLUTE "${src}")
        list(APPEND files "${src}")
      elseif(EXISTS "${src_dir}/${src}")
        list(APPEND files "${src_dir}/${src}")
      else() # generated in the library's build directory
        list(APPEND files "${bin_dir}/${src}")
      endif()
    endforeach()
    add_library(${copy} STATIC ${files})
    target_include_directories(${copy} PRIVATE
      $<TARGET_PROPERTY:${lib},INCLUDE_DIRECTORIES>)
    target_compile_definitions(${copy} PRIVATE
      $<TARGET_PROPERTY:${lib},COMPILE_DEFINITIONS>)
    target_compile_options(${copy} PRIVATE ${CFZ_SOURCE_COVERAGE_FLAGS})
    set_target_properties(${copy} PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES
        "$<TARGET_PROPERTY:${lib},INTERFACE_INCLUDE_DIRECTORIES>"
      INTERFACE_COMPILE_DEFINITIONS
        "$<TARGET_PROPERTY:${lib},INTERFACE_COMPILE_DEFINITIONS>"
      INTERFACE_LINK_LIBRARIES
        "$<TARGET_PROPERTY:${lib},INTERFACE_LINK_LIBRARIES>")
  endif()
  set(${out_var} ${copy} PARENT_SCOPE)
endfunction()

function(cfz_add_coverage_target name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  set(srcs ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  if(NOT srcs)
    message(FATAL_ERROR "cfz_add_coverage_target(${name}): no SOURCES")
  endif()
  # Only the languages this target compiles must be clang's: a C target
  # in a project whose C++ compiler is g++ is fine.
  set(all_srcs ${srcs})
  foreach(lib IN LISTS ARG_LIBS)
    if(TARGET ${lib})
      get_target_property(imported ${lib} IMPORTED)
      if(NOT imported)
        get_target_property(lib_srcs ${lib} SOURCES)
        if(lib_srcs)
          list(APPEND all_srcs ${lib_srcs})
        endif()
      endif()
    endif()
  endforeach()
  _cfz_source_languages(langs ${all_srcs})
  foreach(lang IN LISTS langs)
    if(CMAKE_${lang}_COMPILER_ID AND NOT CMAKE_${lang}_COMPILER_ID MATCHES "Clang")
      message(FATAL_ERROR "cfz_add_coverage_target(${name}): `cfz cover` "
        "reads clang's source-based coverage, and the ${lang} compiler is "
        "${CMAKE_${lang}_COMPILER_ID} (gcc has gcov instead); build with "
        "clang, or call it only when CMAKE_C_COMPILER_ID MATCHES \"Clang\"")
    endif()
  endforeach()
  add_executable(${name} ${srcs})
  target_compile_options(${name} PRIVATE ${CFZ_SOURCE_COVERAGE_FLAGS})
  # The profile runtime, which writes the counters at exit.
  target_link_options(${name} PRIVATE -fprofile-instr-generate)
  foreach(lib IN LISTS ARG_LIBS)
    set(linked ${lib})
    if(TARGET ${lib})
      get_target_property(type ${lib} TYPE)
      get_target_property(imported ${lib} IMPORTED)
      if(NOT imported AND type MATCHES "^(STATIC|OBJECT)_LIBRARY$")
        _cfz_coverage_copy(${lib} linked)
      endif()
    endif()
    target_link_libraries(${name} PRIVATE ${linked})
  endforeach()
  target_link_libraries(${name} PRIVATE cfz::harness)
endfunction()
