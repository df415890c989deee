/* dict.h - libFuzzer / AFL dictionary files.
 *
 * Each non-blank, non-# line is  [name[@level]=]"value"  with \\ \" and \xNN
 * escapes inside the quotes.  Entries are at most CFZ_DICT_MAX_ENTRY bytes.
 */
#ifndef CFZ_DICT_H
#define CFZ_DICT_H

#include <stddef.h>
#include <stdint.h>

#define CFZ_DICT_MAX_ENTRY 128

typedef struct cfz_dict_entry {
  uint8_t data[CFZ_DICT_MAX_ENTRY];
  size_t len;
} cfz_dict_entry;

typedef struct cfz_dict {
  cfz_dict_entry *entries;
  size_t n;
} cfz_dict;

/* Loads path into *out.  Returns 0, or -1 with "FILE:LINE: reason" in err. */
int cfz_dict_load(const char *path, cfz_dict *out, char *err, size_t errlen);
void cfz_dict_free(cfz_dict *d);

#endif
