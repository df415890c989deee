/* hex.h - hexadecimal digits, for every reader of \xNN escapes and hex
 * literals (corpus format, dictionaries). */
#ifndef CFZ_HEX_H
#define CFZ_HEX_H

/* The value of the hexadecimal digit c (either case), or -1. */
static inline int cfz_hex_digit(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

#endif
