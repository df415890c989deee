/* content_hash.h - content hashes via libcrypto: cfz's file names
 * (SHA-256) and libFuzzer's (SHA-1). */
#ifndef CFZ_CONTENT_HASH_H
#define CFZ_CONTENT_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Writes the first 16 lowercase hex chars of SHA-256(data) and a NUL into
 * name (at least 17 bytes).  Returns 0, or -1 if libcrypto failed. */
int cfz_content_name(const void *data, size_t len, char name[17]);
/* The lowercase hex SHA-1 of data into hex (41 bytes), as libFuzzer names
 * corpus files and artifacts.  Returns 0, or -1 if libcrypto failed. */
int cfz_sha1_hex(const void *data, size_t len, char hex[41]);

#endif
