/* protocol.h - the driver <-> worker protocol of docs/protocol.md, typed.
 *
 * Both sides speak it through this module only: the driver encodes requests
 * and decodes responses, the worker decodes requests and encodes responses.
 * Every decode checks what it reads (types, ranges, known names) and fails
 * with a message naming the field, so a malformed frame is an error, never
 * a guess.  Input values never travel here: they are in shared memory. */
#ifndef CFZ_PROTOCOL_H
#define CFZ_PROTOCOL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfz_types.h"

#define CFZ_PROTOCOL_VERSION 1
#define CFZ_PROTO_MAX_PARAMS 64u
#define CFZ_PROTO_NAME_MAX 256u

typedef enum cfz_call {
  CFZ_CALL_HELLO,
  CFZ_CALL_SEED,
  CFZ_CALL_EXEC,
  CFZ_CALL_FUZZ,
  CFZ_CALL_MINIMIZE,
} cfz_call;

/* A response's "result" (exec: none/new/failure/skip; fuzz: none/new/failure;
 * minimize: unchanged/minimized/not_reproduced). */
typedef enum cfz_result {
  CFZ_RESULT_NONE,
  CFZ_RESULT_NEW,
  CFZ_RESULT_FAILURE,
  CFZ_RESULT_SKIP,
  CFZ_RESULT_UNCHANGED,
  CFZ_RESULT_MINIMIZED,
  CFZ_RESULT_NOT_REPRODUCED,
} cfz_result;

const char *cfz_call_name(cfz_call c);
const char *cfz_result_name(cfz_result r);

typedef struct cfz_request {
  cfz_call call;
  /* hello */
  uint64_t protocol;
  const char *dict; /* dictionary path, NULL for none (borrowed) */
  bool value_profile, coverage;
  uint64_t rss_limit_mb; /* the worker checks its peak against it; 0: off */
  /* hello and fuzz: bound on bytes/string values; optional in fuzz */
  uint64_t max_len;
  bool has_max_len;
  /* seed */
  uint64_t index;
  /* fuzz and minimize */
  uint64_t max_execs, max_ms;
  /* fuzz */
  uint64_t seed;
  bool aux;
  /* minimize: "death" mode (else "recoverable") */
  bool death;
} cfz_request;

/* One target of the executable, as hello reports it. */
typedef struct cfz_target_info {
  char name[CFZ_PROTO_NAME_MAX];
  cfz_type params[CFZ_PROTO_MAX_PARAMS];
  size_t nparams;
  bool libfuzzer;
} cfz_target_info;

/* hello's answer: the selected target, then every target. */
typedef struct cfz_hello {
  uint64_t protocol;
  char harness[32];
  cfz_target_info target;
  cfz_target_info *targets; /* ntargets entries (malloc'd) */
  size_t ntargets;
  uint64_t seeds;
  char coverage[32]; /* "inline-8bit-counters", "trace-pc", "none", ... */
  uint64_t counters;
  /* of the counters, the code's coverage (the rest are extra features:
   * compare distances, stack depth, ...); 0 when the worker did not say */
  uint64_t edge_slots;
  bool cmp;
} cfz_hello;

typedef struct cfz_response {
  bool ok;
  char *error; /* ok false: the harness's internal error (malloc'd) */
  cfz_result result;
  uint64_t execs, duration_ns;
  /* fuzz: mean ns per execution on the batch's base, 0 when none (optional;
   * at most duration_ns, checked) */
  uint64_t base_ns;
  char *message; /* failure text, "" when none (malloc'd) */
  cfz_hello hello;
} cfz_response;

void cfz_response_free(cfz_response *r);
void cfz_hello_free(cfz_hello *h);
/* Deep copy; returns 0 or -1 (out of memory). */
int cfz_hello_copy(cfz_hello *dst, const cfz_hello *src);

/* Driver side. */
json_t *cfz_request_encode(const cfz_request *req);
/* Decodes the response to a request of kind call.  Returns 0, or -1 with
 * e.g. "fuzz response: field \"execs\" is not a non-negative integer". */
int cfz_response_decode(const json_t *j, cfz_call call, cfz_response *out,
                        char *err, size_t errlen);

/* Worker side.  Decodes a request; returns 0, or -1 with a message as the
 * worker answers it, e.g. "fuzz: missing field \"seed\"" or "unknown call
 * x".  dict is borrowed from j. */
int cfz_request_decode(const json_t *j, cfz_request *out, char *err,
                       size_t errlen);
/* Encodes a response to call (ok true); NULL when out of memory. */
json_t *cfz_response_encode(cfz_call call, const cfz_response *r);
/* {"ok": false, "error": text}. */
json_t *cfz_error_encode(const char *text);

#endif
