/* example_parser.c - the example native target FuzzParser.
 *
 * A tiny parser for "CFZ" records:
 *
 *   "CFZ" | length (1 byte) | payload (length bytes)
 *
 * and a mode byte that selects what is done with the payload.  The parser has
 * a planted bug that a coverage-guided fuzzer finds in seconds: a truncated
 * record (length field larger than the bytes that follow) makes body_alloc()
 * return NULL, and the "upper-case copy" mode (7) forgets to check for it, so
 * it writes through a NULL pointer (SIGSEGV).  The other modes check.
 *
 * Seeds: cfz_add below, and the files in testdata/fuzz/FuzzParser/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfz.h"

enum {
  MODE_COUNT = 0,    /* count the payload's non-zero bytes */
  MODE_CHECKSUM = 1, /* additive checksum of the payload */
  MODE_REVERSE = 2,  /* reverse the payload into a new buffer */
  MODE_UPPER = 7,    /* upper-case the payload into a new buffer */
};

struct record {
  size_t declared;        /* the length field */
  const uint8_t *payload; /* the bytes after the header */
  size_t avail;           /* how many bytes there really are */
};

static int parse_header(const uint8_t *p, size_t n, struct record *r) {
  if (n < 4 || memcmp(p, "CFZ", 3) != 0)
    return -1;
  r->declared = p[3];
  r->payload = p + 4;
  r->avail = n - 4;
  return 0;
}

/* A buffer for the record's body plus a terminator, or NULL for a truncated
 * record (callers must check). */
static uint8_t *body_alloc(const struct record *r) {
  if (r->declared > r->avail)
    return NULL;
  return malloc(r->declared + 1);
}

static volatile unsigned sink;

static void process(const struct record *r, uint8_t mode) {
  uint8_t *out;
  unsigned acc = 0;
  switch (mode) {
  case MODE_COUNT:
    for (size_t i = 0; i < r->avail && i < r->declared; i++)
      acc += r->payload[i] != 0;
    break;
  case MODE_CHECKSUM:
    for (size_t i = 0; i < r->avail && i < r->declared; i++)
      acc = (acc << 1 | acc >> 31) + r->payload[i];
    break;
  case MODE_REVERSE:
    out = body_alloc(r);
    if (!out)
      return;
    for (size_t i = 0; i < r->declared; i++)
      out[i] = r->payload[r->declared - 1 - i];
    out[r->declared] = 0;
    acc = out[0];
    free(out);
    break;
  case MODE_UPPER:
    out = body_alloc(r);
    /* BUG: no NULL check here (truncated record). */
    for (size_t i = 0; i < r->declared && i < r->avail; i++) {
      uint8_t c = r->payload[i];
      out[i] = (c >= 'a' && c <= 'z') ? (uint8_t)(c - 'a' + 'A') : c;
    }
    out[r->declared] = 0;
    acc = out[0];
    free(out);
    break;
  default:
    break;
  }
  sink = acc;
}

static void fuzz_parser(cfz_t *t, const cfz_value *args) {
  struct record r;
  if (parse_header(args[0].v.bytes.data, args[0].v.bytes.len, &r) != 0)
    cfz_skip(t); /* not a record: not interesting */
  process(&r, (uint8_t)args[1].v.u);
}

static void seeds(cfz_seeds *s) {
  cfz_add(s, CFZ_V_BYTES("CFZ\x03xyz", 7), CFZ_V_UINT8(0));
  cfz_add(s, CFZ_V_BYTES("CFZ\x04hey!", 8), CFZ_V_UINT8(2));
  cfz_add(s, CFZ_V_BYTES("CFZ\x01q", 5), CFZ_V_UINT8(1));
}

CFZ_TARGET(FuzzParser, seeds, fuzz_parser, CFZ_BYTES, CFZ_UINT8)
