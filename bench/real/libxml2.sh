# libxml2: xmlReadMemory and the xmlTextReader with options from the input, harness fuzz/xml.c
# with its helper fuzz/fuzz.c. CMake only generates config.h and xmlversion.h; the files are then
# compiled directly. No zlib, lzma, ICU, HTTP, FTP.
recipe() {
  cmake -S . -B "$OBJ/cmake" -DCMAKE_C_COMPILER="$CC" -DBUILD_SHARED_LIBS=OFF \
    -DLIBXML2_WITH_PYTHON=OFF -DLIBXML2_WITH_LZMA=OFF -DLIBXML2_WITH_ZLIB=OFF \
    -DLIBXML2_WITH_ICU=OFF -DLIBXML2_WITH_TESTS=OFF \
    -DLIBXML2_WITH_PROGRAMS=OFF -DLIBXML2_WITH_HTTP=OFF -DLIBXML2_WITH_FTP=OFF >/dev/null
  local srcs=(buf c14n catalog chvalid debugXML dict encoding entities error globals hash HTMLparser
    HTMLtree legacy list nanoftp nanohttp parser parserInternals pattern relaxng SAX SAX2 schematron
    threads tree uri valid xinclude xlink xmlIO xmlmemory xmlmodule xmlreader xmlregexp xmlsave
    xmlschemas xmlschemastypes xmlstring xmlunicode xmlwriter xpath xpointer xzlib)
  local files=() s
  for s in "${srcs[@]}"; do files+=("$s.c"); done
  local defs="-I$OBJ/cmake -I$OBJ/cmake/libxml -Iinclude -I$OBJ/cmake/include -D_REENTRANT"
  cc_objs "$OBJ/lib" "$CC" $CFLAGS $defs -- "${files[@]}"
  ar rcs "$OBJ/lib.a" "$OBJ"/lib/*.o
  cc_objs "$OBJ/harness" "$CC" $CFLAGS $defs -- fuzz/xml.c fuzz/fuzz.c
  echo "-lm -lpthread" >"$OBJ/link.txt"
  # Seeds: the XML documents of the test suite, up to 16 KiB each (raw documents: the harness reads
  # its option bits from the first bytes, as it would from a generated seed).
  find test -maxdepth 1 -name '*.xml' -size -16k -exec cp {} "$OBJ/seeds/" \;
}
