# expat: XML_Parse on UTF-8 input, harness expat/fuzz/xml_parse_fuzzer.c
# (built with ENCODING_FOR_FUZZING=UTF-8, as upstream's CMake does for one of its targets).
recipe() {
  cd expat
  # The configuration CMake would write on Linux, reduced to what lib/ reads.
  cat >"$OBJ/expat_config.h" <<'CONF'
#define BYTEORDER 1234
#define HAVE_GETRANDOM 1
#define HAVE_SYSCALL_GETRANDOM 1
#define HAVE_MEMMOVE 1
#define XML_CONTEXT_BYTES 1024
#define XML_DTD 1
#define XML_NS 1
#define XML_DEV_URANDOM 1
CONF
  cc_objs "$OBJ/lib" "$CC" $CFLAGS -DHAVE_EXPAT_CONFIG_H -I"$OBJ" -Ilib -- \
    lib/xmlparse.c lib/xmlrole.c lib/xmltok.c
  ar rcs "$OBJ/lib.a" "$OBJ"/lib/*.o
  cc_objs "$OBJ/harness" "$CC" $CFLAGS -DHAVE_EXPAT_CONFIG_H -I"$OBJ" -Ilib \
    -DENCODING_FOR_FUZZING=UTF-8 -- fuzz/xml_parse_fuzzer.c
  # Seeds: the XML files of the source tree (test documents and examples).
  find . -path ./.pc -prune -o -name '*.xml' -size -64k -exec cp {} "$OBJ/seeds/" \;
}
