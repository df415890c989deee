# zstd: one-shot decompression (ZSTD_decompressDCtx), harness tests/fuzz/simple_decompress.c.
recipe() {
  local defs="-DZSTD_DISABLE_ASM -DZSTD_LEGACY_SUPPORT=0 -Ilib -Ilib/common"
  cc_objs "$OBJ/lib" "$CC" $CFLAGS $defs -- lib/common/*.c lib/decompress/*.c
  ar rcs "$OBJ/lib.a" "$OBJ"/lib/*.o
  cc_objs "$OBJ/harness" "$CC" $CFLAGS $defs -Itests/fuzz -- tests/fuzz/simple_decompress.c \
    tests/fuzz/fuzz_helpers.c tests/fuzz/fuzz_data_producer.c
  cp tests/golden-decompression/*.zst "$OBJ/seeds/"
}
