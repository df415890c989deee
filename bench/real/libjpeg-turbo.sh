# libjpeg-turbo: TurboJPEG decompression (tjDecompressHeader3, tjDecompress2), harness fuzz/decompress.cc.
# Its own CMake builds the static TurboJPEG library (no SIMD: assembly is not instrumented).
recipe() {
  cmake -S . -B "$OBJ/cmake" -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" \
    -DCMAKE_BUILD_TYPE=None -DENABLE_SHARED=0 -DENABLE_STATIC=1 -DWITH_SIMD=0 \
    -DWITH_TURBOJPEG=1 -DWITH_JAVA=0 >/dev/null
  cmake --build "$OBJ/cmake" -j2 --target turbojpeg-static >/dev/null
  cp "$OBJ/cmake/libturbojpeg.a" "$OBJ/lib.a"
  cc_objs "$OBJ/harness" "$CXX" $CXXFLAGS -I. -I"$OBJ/cmake" -- fuzz/decompress.cc
  echo c++ >"$OBJ/lang"
  cp testimages/*.jpg "$OBJ/seeds/"
}
