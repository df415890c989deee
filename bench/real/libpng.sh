# libpng: progressive-free read of a PNG (png_read_info, png_read_row, ...), harness
# contrib/oss-fuzz/libpng_read_fuzzer.cc (C++). zlib is the system's, not instrumented.
recipe() {
  cp scripts/pnglibconf.h.prebuilt "$OBJ/pnglibconf.h"
  local defs="-I$OBJ -I. -DPNG_ARM_NEON_OPT=0 -DPNG_INTEL_SSE_OPT=0"
  cc_objs "$OBJ/lib" "$CC" $CFLAGS $defs -- png.c pngerror.c pngget.c pngmem.c pngpread.c \
    pngread.c pngrio.c pngrtran.c pngrutil.c pngset.c pngtrans.c pngwio.c pngwrite.c \
    pngwtran.c pngwutil.c
  ar rcs "$OBJ/lib.a" "$OBJ"/lib/*.o
  cc_objs "$OBJ/harness" "$CXX" $CXXFLAGS $defs -- contrib/oss-fuzz/libpng_read_fuzzer.cc
  echo c++ >"$OBJ/lang"
  echo -lz >"$OBJ/link.txt"
  cp contrib/testpngs/*.png "$OBJ/seeds/"
}
