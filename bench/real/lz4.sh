# lz4: the frame decoder (LZ4F_decompress), harness ossfuzz/decompress_frame_fuzzer.c.
# Sourced by scripts/bench-real.sh in the source tree; see README.md for the contract.
recipe() {
  cc_objs "$OBJ/lib" "$CC" $CFLAGS -- lib/lz4.c lib/lz4frame.c lib/lz4hc.c lib/xxhash.c
  ar rcs "$OBJ/lib.a" "$OBJ"/lib/*.o
  cc_objs "$OBJ/harness" "$CC" $CFLAGS -Ilib -- ossfuzz/decompress_frame_fuzzer.c \
    ossfuzz/fuzz_data_producer.c ossfuzz/lz4_helpers.c
  # lz4 ships no sample frames: the starting corpus is empty only.
}
