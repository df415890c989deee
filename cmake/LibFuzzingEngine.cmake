# LibFuzzingEngine.cmake - what OSS-Fuzz / ClusterFuzzLite build scripts use
# in place of libFuzzer (docs/oss-fuzz.md).
#
# libcfz_fuzzing_engine.a: $LIB_FUZZING_ENGINE.  One archive holding one
# relocatable object: the whole harness and a static jansson, prelinked with
# `ld -r`, jansson's symbols made local (a project that uses jansson itself
# keeps its own).  The object defines main(), so the linker takes it whole
# from the archive - harness callbacks included, no --whole-archive needed.
# The linked target needs only libc, libm, libdl and libpthread, as a
# libFuzzer binary does.
#
# cfz-static: the cfz driver linked statically (libuv, jansson, libcrypto,
# glibc), to be copied into $OUT beside the targets: the OSS-Fuzz runner
# image has none of those shared libraries.
#
# The archive is built when libjansson.a is found; cfz-static with
# -DCFZ_STATIC_DRIVER=ON (it fails the configure step when libuv_a.a,
# libjansson.a or libcrypto.a is missing).
option(CFZ_STATIC_DRIVER "Also build cfz-static, a statically linked cfz" OFF)

find_library(CFZ_JANSSON_STATIC NAMES libjansson.a)
find_program(CFZ_LD NAMES ld ld.lld)
find_program(CFZ_NM NAMES nm llvm-nm)
find_program(CFZ_OBJCOPY NAMES objcopy llvm-objcopy)

if(CFZ_JANSSON_STATIC AND CFZ_LD AND CFZ_NM AND CFZ_OBJCOPY)
  set(engine ${CMAKE_BINARY_DIR}/libcfz_fuzzing_engine.a)
  add_custom_command(OUTPUT ${engine}
    COMMAND ${CMAKE_COMMAND}
            -DLD=${CFZ_LD} -DNM=${CFZ_NM} -DOBJCOPY=${CFZ_OBJCOPY}
            -DAR=${CMAKE_AR} -DHARNESS=$<TARGET_FILE:cfz_harness>
            -DJANSSON=${CFZ_JANSSON_STATIC} -DOUT=${engine}
            -P ${PROJECT_SOURCE_DIR}/cmake/make_engine_archive.cmake
    DEPENDS cfz_harness ${PROJECT_SOURCE_DIR}/cmake/make_engine_archive.cmake
    COMMENT "Building libcfz_fuzzing_engine.a ($LIB_FUZZING_ENGINE)")
  add_custom_target(cfz_fuzzing_engine ALL DEPENDS ${engine})
  install(FILES ${engine} DESTINATION ${CMAKE_INSTALL_LIBDIR})
else()
  message(STATUS "libcfz_fuzzing_engine.a not built: needs libjansson.a, "
                 "ld, nm and objcopy")
endif()

if(CFZ_STATIC_DRIVER)
  find_library(CFZ_UV_STATIC NAMES libuv_a.a libuv.a REQUIRED)
  find_library(CFZ_CRYPTO_STATIC NAMES libcrypto.a REQUIRED)
  if(NOT CFZ_JANSSON_STATIC)
    message(FATAL_ERROR "CFZ_STATIC_DRIVER needs libjansson.a")
  endif()
  file(GLOB cfz_static_cmd CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/cmd/cfz/*.c)
  file(GLOB cfz_static_drv CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/lib/driver/*.c)
  file(GLOB cfz_static_com CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/lib/common/*.c)
  add_executable(cfz-static ${cfz_static_cmd} ${cfz_static_drv} ${cfz_static_com})
  target_include_directories(cfz-static PRIVATE
    ${PROJECT_SOURCE_DIR}/lib/driver ${PROJECT_SOURCE_DIR}/lib/common
    ${PROJECT_SOURCE_DIR}/lib/harness ${LIBUV_INCLUDE_DIRS}
    ${JANSSON_INCLUDE_DIRS})
  target_compile_definitions(cfz-static PRIVATE
    CFZ_VERSION_STRING="${PROJECT_VERSION}")
  # The linker warns that libuv's getaddrinfo, libcrypto's dlopen and the
  # cache directory's getpwuid_r need glibc's shared libraries at run time:
  # cfz resolves no host names and loads nothing; without $HOME and without
  # NSS, use --cache-dir.
  target_link_options(cfz-static PRIVATE -static)
  target_link_libraries(cfz-static PRIVATE ${CFZ_UV_STATIC}
    ${CFZ_JANSSON_STATIC} ${CFZ_CRYPTO_STATIC} pthread dl m)
  install(TARGETS cfz-static RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
