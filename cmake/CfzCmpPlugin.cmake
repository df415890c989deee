# CfzCmpPlugin.cmake - the optional compare pass plugin for clang
# (plugin/cfz_cmp_pass.cpp, docs/build.md "The compare plugin"), included by
# the top-level CMakeLists.txt.
#   CFZ_CMP_PLUGIN=AUTO (default): built when the C compiler is clang and the
#     LLVM development files of the same major version are found (LLVM's
#     CMake package, else llvm-config); otherwise off, with a message;
#   ON: the same, but a configure error when it cannot be built;
#   OFF: never built.
# Defines the MODULE library cfz_cmp_pass (libcfz_cmp_pass.so, exported as
# cfz::cmp_pass) and CFZ_HAVE_CMP_PLUGIN.  The plugin is loaded into clang,
# so it never gets the project's sanitizer flags.

set(CFZ_CMP_PLUGIN AUTO CACHE STRING
    "Build the compare pass plugin for clang (AUTO, ON or OFF)")
set_property(CACHE CFZ_CMP_PLUGIN PROPERTY STRINGS AUTO ON OFF)
set(CFZ_HAVE_CMP_PLUGIN OFF)

# Says why the plugin is not built: an error with ON, a message otherwise.
function(_cfz_cmp_plugin_off why)
  if(CFZ_CMP_PLUGIN STREQUAL "ON")
    message(FATAL_ERROR "cfz: CFZ_CMP_PLUGIN=ON but the compare plugin cannot be built: ${why}")
  endif()
  message(STATUS "cfz: compare plugin (libcfz_cmp_pass.so) not built: ${why}")
endfunction()

# The include directory and definitions of LLVM <major> in out_inc/out_defs
# (empty when not found): LLVM's CMake package first, then llvm-config.
function(_cfz_find_llvm major out_inc out_defs out_rtti)
  find_package(LLVM CONFIG QUIET NO_DEFAULT_PATH
               PATHS /usr/lib/llvm-${major}/lib/cmake/llvm
                     /usr/lib/llvm/${major}/lib/cmake/llvm)
  if(NOT LLVM_FOUND)
    find_package(LLVM CONFIG QUIET)
  endif()
  if(LLVM_FOUND AND LLVM_VERSION_MAJOR STREQUAL major)
    set(${out_inc} "${LLVM_INCLUDE_DIRS}" PARENT_SCOPE)
    separate_arguments(defs UNIX_COMMAND "${LLVM_DEFINITIONS}")
    set(${out_defs} "${defs}" PARENT_SCOPE)
    set(${out_rtti} "${LLVM_ENABLE_RTTI}" PARENT_SCOPE)
    return()
  endif()
  find_program(CFZ_LLVM_CONFIG NAMES llvm-config-${major} llvm-config
               HINTS /usr/lib/llvm-${major}/bin)
  if(CFZ_LLVM_CONFIG)
    execute_process(COMMAND ${CFZ_LLVM_CONFIG} --version OUTPUT_VARIABLE ver
                    OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
    string(REGEX MATCH "^[0-9]+" ver_major "${ver}")
    if(rc EQUAL 0 AND ver_major STREQUAL major)
      execute_process(COMMAND ${CFZ_LLVM_CONFIG} --includedir
                      OUTPUT_VARIABLE inc OUTPUT_STRIP_TRAILING_WHITESPACE)
      execute_process(COMMAND ${CFZ_LLVM_CONFIG} --has-rtti
                      OUTPUT_VARIABLE rtti OUTPUT_STRIP_TRAILING_WHITESPACE)
      set(${out_inc} "${inc}" PARENT_SCOPE)
      set(${out_defs} "-D__STDC_CONSTANT_MACROS;-D__STDC_FORMAT_MACROS;-D__STDC_LIMIT_MACROS" PARENT_SCOPE)
      set(${out_rtti} "${rtti}" PARENT_SCOPE)
      return()
    endif()
  endif()
  set(${out_inc} "" PARENT_SCOPE)
endfunction()

function(_cfz_add_cmp_plugin)
  if(CFZ_CMP_PLUGIN STREQUAL "OFF")
    message(STATUS "cfz: compare plugin (libcfz_cmp_pass.so) not built: CFZ_CMP_PLUGIN=OFF")
    return()
  endif()
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    _cfz_cmp_plugin_off("it is loaded by clang, and the C compiler is ${CMAKE_C_COMPILER_ID} (configure with CC=clang CXX=clang++)")
    return()
  endif()
  string(REGEX MATCH "^[0-9]+" major "${CMAKE_C_COMPILER_VERSION}")
  _cfz_find_llvm(${major} inc defs rtti)
  if(NOT inc OR NOT EXISTS "${inc}/llvm/Passes/PassPlugin.h")
    _cfz_cmp_plugin_off("no LLVM ${major} development files (llvm/Passes/PassPlugin.h; Debian: llvm-${major}-dev)")
    return()
  endif()
  add_library(cfz_cmp_pass MODULE plugin/cfz_cmp_pass.cpp)
  # Not the directory's options: no sanitizers inside clang.
  set_target_properties(cfz_cmp_pass PROPERTIES
    COMPILE_OPTIONS "" LINK_OPTIONS "" CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF EXPORT_NAME cmp_pass)
  target_include_directories(cfz_cmp_pass SYSTEM PRIVATE ${inc})
  target_compile_options(cfz_cmp_pass PRIVATE ${defs} -Wall -Wextra
    $<$<BOOL:${CFZ_WERROR}>:-Werror> -fno-exceptions
    $<$<NOT:$<BOOL:${rtti}>>:-fno-rtti>)
  message(STATUS "cfz: compare plugin (libcfz_cmp_pass.so) built against LLVM ${major} (${inc})")
  set(CFZ_HAVE_CMP_PLUGIN ON PARENT_SCOPE)
endfunction()

_cfz_add_cmp_plugin()
