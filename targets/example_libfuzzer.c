/* example_libfuzzer.c - a libFuzzer-style target (only LLVMFuzzerTestOneInput)
 * that builds unchanged with `clang -fsanitize=fuzzer` or against cfz.
 *
 * It parses a stream of TLV records:  type (1 byte) | length (1 byte) | value.
 * Planted bug: for string records ('S') the parser checks the length against
 * its own maximum (64) instead of against the bytes left, so a truncated
 * string record reads past the end of the input: a heap-buffer-overflow READ,
 * reported by AddressSanitizer (build with -fsanitize=address to catch it;
 * without ASan the over-read usually goes unnoticed).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MAX_STRING 64

struct summary {
  unsigned ints;
  unsigned strings;
  uint32_t hash;
};

static volatile uint32_t sink;

static uint32_t hash_bytes(uint32_t h, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

static int parse(const uint8_t *data, size_t size, struct summary *s) {
  size_t off = 0;
  while (off + 2 <= size) {
    uint8_t type = data[off];
    size_t len = data[off + 1];
    const uint8_t *val = data + off + 2;
    size_t left = size - off - 2;
    switch (type) {
    case 'I': /* integer: 1 to 4 bytes, little endian */
      if (len == 0 || len > 4 || len > left)
        return -1;
      s->ints++;
      s->hash = hash_bytes(s->hash, val, len);
      break;
    case 'S': { /* string: copied into a bounded buffer */
      char buf[MAX_STRING + 1];
      if (len > MAX_STRING) /* BUG: should also check len <= left */
        return -1;
      memcpy(buf, val, len);
      buf[len] = 0;
      s->strings++;
      s->hash = hash_bytes(s->hash, (const uint8_t *)buf, len);
      break;
    }
    case 'E': /* end of stream */
      return 0;
    default:
      return -1;
    }
    off += 2 + len;
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct summary s = {0, 0, 2166136261u};
  if (parse(data, size, &s) == 0)
    sink = s.hash + s.ints + s.strings;
  return 0;
}
