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
  # Seeds: the XML files of the tree up to 16 KiB (Debian's +dfsg tarball has no test/ documents; raw
  # documents: the harness reads its option bits from the first bytes, as from a generated seed).
  find . -path ./.pc -prune -o -name '*.xml' -size -16k -exec cp {} "$OBJ/seeds/" \;
}
