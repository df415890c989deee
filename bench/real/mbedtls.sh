# mbedtls: X.509 certificate parsing (mbedtls_x509_crt_parse), harness programs/fuzz/fuzz_x509crt.c
# with its helper programs/fuzz/common.c; the default configuration.
recipe() {
  cc_objs "$OBJ/lib" "$CC" $CFLAGS -Iinclude -Ilibrary -- library/*.c
  ar rcs "$OBJ/lib.a" "$OBJ"/lib/*.o
  cc_objs "$OBJ/harness" "$CC" $CFLAGS -Iinclude -Ilibrary -- programs/fuzz/fuzz_x509crt.c \
    programs/fuzz/common.c
  # The test certificates (PEM and DER).
  cp tests/data_files/*.crt tests/data_files/*.der "$OBJ/seeds/"
}
