/* content_hash.c - content-hash file names via libcrypto's EVP API. */
#include "content_hash.h"

#include <openssl/evp.h>

int cfz_content_name(const void *data, size_t len, char name[17]) {
  static const char hex[] = "0123456789abcdef";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0;
  static const unsigned char empty[1];
  if (!data)
    data = empty; /* EVP_Digest wants a valid pointer even for len 0 */
  if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen < 8) {
    name[0] = '\0';
    return -1;
  }
  for (int i = 0; i < 8; i++) {
    name[2 * i] = hex[md[i] >> 4];
    name[2 * i + 1] = hex[md[i] & 15];
  }
  name[16] = '\0';
  return 0;
}
