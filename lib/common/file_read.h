/* file_read.h - reading a file (or its first bytes) into memory, with every
 * system call checked and errors naming the file. */
#ifndef CFZ_FILE_READ_H
#define CFZ_FILE_READ_H

#include <stddef.h>
#include <stdint.h>

/* Reads path, at most max bytes (0: all of it), into *out (malloc'd, one
 * spare byte at the end).  Returns 0, or -1 with e.g. "open x: No such file
 * or directory" in err. */
int cfz_file_read(const char *path, size_t max, uint8_t **out, size_t *len,
                  char *err, size_t errlen);

#endif
