/* dogfood_common.c - cfz fuzzing its own decoders (lib/common): the frame
 * decoder, the wire decoder, the corpus file parser and the protocol
 * decoders, which read what workers and users hand the driver.  The first
 * byte of the input picks the decoder, the rest is its input.  Beyond "no
 * crash" (the sanitizer build checks memory), each decoder must agree with
 * its encoder: what decodes re-encodes to something that decodes the same
 * (the wire form byte for byte).  A disagreement is a cfz_fail.  Linked
 * with cfz_common through the harness; lib/common is not instrumented, so
 * the coverage feedback is this file's branches only.  Used by
 * tests/integration/test_hostile.c (dogfood): a bounded run finds nothing.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cfz.h"
#include "corpus_format.h"
#include "frame.h"
#include "protocol.h"
#include "wire.h"

/* Frames: the input fed in two pieces (cut where its second byte says);
 * every frame that decodes is an object that re-encodes to a frame that
 * decodes equal. */
static void check_frames(cfz_t *t, const uint8_t *p, size_t n) {
  if (n == 0)
    return;
  size_t cut = p[0] % (n + 1);
  p++, n--;
  if (cut > n)
    cut = n;
  cfz_frame_decoder d;
  cfz_frame_decoder_init(&d);
  if (cfz_frame_decoder_feed(&d, p, cut) != 0 ||
      cfz_frame_decoder_feed(&d, p + cut, n - cut) != 0)
    cfz_fatal(t, "frame: out of memory feeding %zu bytes", n);
  for (;;) {
    json_t *obj = NULL;
    char err[256];
    int rc = cfz_frame_decoder_next(&d, &obj, err, sizeof err);
    if (rc <= 0)
      break;
    if (!json_is_object(obj))
      cfz_fail(t, "frame: decoded a non-object");
    size_t len = 0;
    uint8_t *again = cfz_frame_encode(obj, &len);
    if (again) {
      cfz_frame_decoder d2;
      cfz_frame_decoder_init(&d2);
      json_t *obj2 = NULL;
      if (cfz_frame_decoder_feed(&d2, again, len) != 0 ||
          cfz_frame_decoder_next(&d2, &obj2, err, sizeof err) != 1 ||
          !json_equal(obj, obj2))
        cfz_fail(t, "frame: a decoded object does not round-trip");
      json_decref(obj2);
      cfz_frame_decoder_free(&d2);
      free(again);
    }
    /* Whatever the object, the protocol decoders must not crash. */
    for (int c = CFZ_CALL_HELLO; c <= CFZ_CALL_MINIMIZE; c++) {
      cfz_response r;
      if (cfz_response_decode(obj, (cfz_call)c, &r, err, sizeof err) == 0)
        cfz_response_free(&r);
    }
    cfz_request q;
    cfz_request_decode(obj, &q, err, sizeof err);
    json_decref(obj);
  }
  cfz_frame_decoder_free(&d);
}

/* Wire: up to 4 parameter types from the first byte; what decodes
 * re-encodes to the same bytes. */
static void check_wire(cfz_t *t, const uint8_t *p, size_t n) {
  static const cfz_type types[] = {
      CFZ_BYTES,  CFZ_STRING,  CFZ_BOOL,   CFZ_INT8,   CFZ_INT16,
      CFZ_INT32,  CFZ_INT64,   CFZ_UINT8,  CFZ_UINT16, CFZ_UINT32,
      CFZ_UINT64, CFZ_FLOAT32, CFZ_FLOAT64};
  enum { NTYPES = sizeof types / sizeof types[0] };
  if (n < 2)
    return;
  size_t k = 1 + p[0] % 4;
  cfz_type ts[4];
  for (size_t i = 0; i < k; i++)
    ts[i] = types[(p[1] >> (2 * i) ^ p[0] >> 2) % NTYPES];
  p += 2, n -= 2;
  cfz_values v = {0};
  if (cfz_wire_decode(p, n, ts, k, &v) != 0)
    return;
  uint8_t *buf = malloc(n ? n : 1);
  if (!buf)
    cfz_fatal(t, "wire: out of memory");
  size_t len = cfz_wire_size(v.v, v.n);
  size_t got = cfz_wire_encode(v.v, v.n, buf, n);
  if (len != n || got != n || memcmp(buf, p, n) != 0)
    cfz_fail(t, "wire: %zu bytes decode, re-encode to %zu (size %zu)", n, got,
             len);
  free(buf);
  cfz_values_free(&v);
}

/* Corpus files: what decodes encodes to a file that decodes equal. */
static void check_corpus(cfz_t *t, const uint8_t *p, size_t n) {
  cfz_values v = {0}, v2 = {0};
  char err[512];
  if (cfz_corpus_decode(p, n, &v, err, sizeof err) != 0)
    return;
  char *text = NULL;
  size_t len = 0;
  if (cfz_corpus_encode(v.v, v.n, &text, &len) != 0)
    cfz_fatal(t, "corpus: out of memory encoding");
  if (cfz_corpus_decode((const uint8_t *)text, len, &v2, err, sizeof err) != 0)
    cfz_fail(t, "corpus: its own encoding does not decode: %s", err);
  else if (v.n != v2.n || !cfz_values_equal(v.v, v2.v, v.n))
    cfz_fail(t, "corpus: %zu values decode differently after a round trip",
             v.n);
  free(text);
  cfz_values_free(&v);
  cfz_values_free(&v2);
}

static void fuzz(cfz_t *t, const cfz_value *a) {
  const uint8_t *p = a[0].v.bytes.data;
  size_t n = a[0].v.bytes.len;
  if (n == 0)
    return;
  switch (p[0] % 3) {
  case 0:
    check_frames(t, p + 1, n - 1);
    break;
  case 1:
    check_wire(t, p + 1, n - 1);
    break;
  default:
    check_corpus(t, p + 1, n - 1);
    break;
  }
}

static void seeds(cfz_seeds *s) {
  static const char frame[] = "\x00\x05\x0f\x00\x00\x00{\"call\":\"exec\"}";
  static const char wire[] = "\x01\x00\x00\x03\x00\x00\x00"
                             "abc";
  static const char corpus[] = "\x02"
                               "cfz fuzz v1\n[]byte(\"a\\x00\")\nint32(-5)\n"
                               "float64(NaN)\nstring(\"\\u00e9\")\n";
  cfz_add(s, CFZ_V_BYTES(frame, sizeof frame - 1));
  cfz_add(s, CFZ_V_BYTES(wire, sizeof wire - 1));
  cfz_add(s, CFZ_V_BYTES(corpus, sizeof corpus - 1));
}

CFZ_TARGET(FuzzDogfoodCommon, seeds, fuzz, CFZ_BYTES)
