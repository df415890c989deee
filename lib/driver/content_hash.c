/* content_hash.c - content hashes via libcrypto's EVP API. */
#include "content_hash.h"

#include <openssl/evp.h>

/* The first nbytes of md(data) as lowercase hex (2 * nbytes chars and a
 * NUL) into out.  Returns 0, or -1 (out empty). */
static int digest_hex(const EVP_MD *md, const void *data, size_t len,
                      unsigned nbytes, char *out) {
  static const char hex[] = "0123456789abcdef";
  static const unsigned char empty[1];
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int dlen = 0;
  if (!data)
    data = empty; /* EVP_Digest wants a valid pointer even for len 0 */
  if (EVP_Digest(data, len, d, &dlen, md, NULL) != 1 || dlen < nbytes) {
    out[0] = '\0';
    return -1;
  }
  for (unsigned i = 0; i < nbytes; i++) {
    out[2 * i] = hex[d[i] >> 4];
    out[2 * i + 1] = hex[d[i] & 15];
  }
  out[2 * nbytes] = '\0';
  return 0;
}

int cfz_content_name(const void *data, size_t len, char name[17]) {
  return digest_hex(EVP_sha256(), data, len, 8, name);
}

int cfz_sha1_hex(const void *data, size_t len, char hex[41]) {
  return digest_hex(EVP_sha1(), data, len, 20, hex);
}
