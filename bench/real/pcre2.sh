# pcre2: compile and match (pcre2_match, pcre2_dfa_match), harness src/pcre2_fuzzsupport.c,
# 8-bit code units with Unicode, no JIT (JIT code is generated at run time, not instrumented).
recipe() {
  cp src/config.h.generic "$OBJ/config.h"
  cp src/pcre2.h.generic "$OBJ/pcre2.h"
  cp src/pcre2_chartables.c.dist "$OBJ/pcre2_chartables.c"
  local defs="-DHAVE_CONFIG_H -DPCRE2_CODE_UNIT_WIDTH=8 -DSUPPORT_PCRE2_8 -DSUPPORT_UNICODE -DHAVE_MEMMOVE -DPCRE2_STATIC -I$OBJ -Isrc"
  local s
  local srcs=("$OBJ/pcre2_chartables.c")
  for s in auto_possess compile config context convert dfa_match error extuni find_bracket \
    maketables match match_data newline ord2utf pattern_info script_run serialize \
    string_utils study substitute substring tables ucd valid_utf xclass; do
    srcs+=("src/pcre2_$s.c")
  done
  cc_objs "$OBJ/lib" "$CC" $CFLAGS $defs -- "${srcs[@]}"
  ar rcs "$OBJ/lib.a" "$OBJ"/lib/*.o
  cc_objs "$OBJ/harness" "$CC" $CFLAGS $defs -- src/pcre2_fuzzsupport.c
  # pcre2's test inputs are pcre2test scripts, not fuzz inputs: empty start only.
}
