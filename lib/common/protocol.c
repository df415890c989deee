/* protocol.c - typed requests and responses (protocol.h). */
#include "protocol.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

static const char *const call_names[] = {"hello", "seed", "exec", "fuzz",
                                         "minimize"};
static const char *const result_names[] = {
    "none",      "new",       "failure",       "skip",
    "unchanged", "minimized", "not_reproduced"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *cfz_call_name(cfz_call c) {
  return (size_t)c < COUNT(call_names) ? call_names[c] : "?";
}

const char *cfz_result_name(cfz_result r) {
  return (size_t)r < COUNT(result_names) ? result_names[r] : "?";
}

/* ---- field readers --------------------------------------------------------
 */

/* An unsigned field: a JSON integer >= 0, or a decimal string (64-bit
 * seeds).  Returns 1 when present, 0 when absent or null (*out = dflt), -1
 * when malformed (err says which field). */
static int get_u64(const json_t *j, const char *key, uint64_t dflt,
                   uint64_t *out, char *err, size_t errlen) {
  const json_t *v = json_object_get(j, key);
  *out = dflt;
  if (!v || json_is_null(v))
    return 0;
  if (json_is_integer(v) && json_integer_value(v) >= 0) {
    *out = (uint64_t)json_integer_value(v);
    return 1;
  }
  if (json_is_string(v)) {
    const char *s = json_string_value(v);
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (*s >= '0' && *s <= '9' && *end == '\0' && errno == 0) {
      *out = (uint64_t)x;
      return 1;
    }
  }
  snprintf(err, errlen, "field \"%s\" is not a non-negative integer", key);
  return -1;
}

static int need_u64(const json_t *j, const char *key, uint64_t *out, char *err,
                    size_t errlen) {
  int rc = get_u64(j, key, 0, out, err, errlen);
  if (rc == 0)
    snprintf(err, errlen, "missing field \"%s\"", key);
  return rc == 1 ? 0 : -1;
}

/* Copies an optional string field into buf ("" when absent). */
static int get_str(const json_t *j, const char *key, char *buf, size_t len,
                   char *err, size_t errlen) {
  const json_t *v = json_object_get(j, key);
  buf[0] = '\0';
  if (!v || json_is_null(v))
    return 0;
  if (!json_is_string(v) || json_string_length(v) >= len) {
    snprintf(err, errlen,
             "field \"%s\" is not a string of fewer than %zu "
             "bytes",
             key, len);
    return -1;
  }
  memcpy(buf, json_string_value(v), json_string_length(v) + 1);
  return 0;
}

static int find_name(const char *s, const char *const *names, size_t n) {
  for (size_t i = 0; s && i < n; i++)
    if (strcmp(s, names[i]) == 0)
      return (int)i;
  return -1;
}

/* ---- requests ------------------------------------------------------------ */

json_t *cfz_request_encode(const cfz_request *q) {
  char seed[32];
  switch (q->call) {
  case CFZ_CALL_HELLO:
    return json_pack("{s:s, s:I, s:I, s:o, s:b, s:b, s:I}", "call", "hello",
                     "protocol", (json_int_t)q->protocol, "max_len",
                     (json_int_t)q->max_len, "dict",
                     q->dict ? json_string(q->dict) : json_null(),
                     "value_profile", q->value_profile, "coverage", q->coverage,
                     "rss_limit_mb", (json_int_t)q->rss_limit_mb);
  case CFZ_CALL_SEED:
    return json_pack("{s:s, s:I}", "call", "seed", "index",
                     (json_int_t)q->index);
  case CFZ_CALL_EXEC:
    return json_pack("{s:s}", "call", "exec");
  case CFZ_CALL_FUZZ:
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)q->seed);
    return json_pack("{s:s, s:I, s:I, s:s, s:b, s:I}", "call", "fuzz",
                     "max_execs", (json_int_t)q->max_execs, "max_ms",
                     (json_int_t)q->max_ms, "seed", seed, "aux", q->aux,
                     "max_len", (json_int_t)q->max_len);
  case CFZ_CALL_MINIMIZE:
    return json_pack("{s:s, s:I, s:I, s:s}", "call", "minimize", "max_execs",
                     (json_int_t)q->max_execs, "max_ms", (json_int_t)q->max_ms,
                     "mode", q->death ? "death" : "recoverable");
  }
  return NULL;
}

static int decode_hello_req(const json_t *j, cfz_request *q, char *err,
                            size_t errlen) {
  if (need_u64(j, "protocol", &q->protocol, err, errlen) != 0)
    return -1;
  int rc = get_u64(j, "max_len", 0, &q->max_len, err, errlen);
  if (rc < 0)
    return -1;
  q->has_max_len = rc == 1;
  if (get_u64(j, "rss_limit_mb", 0, &q->rss_limit_mb, err, errlen) < 0)
    return -1;
  q->value_profile = json_is_true(json_object_get(j, "value_profile"));
  q->dict = json_string_value(json_object_get(j, "dict"));
  q->coverage = !json_is_false(json_object_get(j, "coverage"));
  return 0;
}

static int decode_fields(const json_t *j, cfz_request *q, char *err,
                         size_t errlen) {
  switch (q->call) {
  case CFZ_CALL_HELLO:
    return decode_hello_req(j, q, err, errlen);
  case CFZ_CALL_SEED:
    return need_u64(j, "index", &q->index, err, errlen);
  case CFZ_CALL_EXEC:
    return 0;
  case CFZ_CALL_FUZZ: {
    if (need_u64(j, "max_execs", &q->max_execs, err, errlen) != 0 ||
        need_u64(j, "max_ms", &q->max_ms, err, errlen) != 0 ||
        need_u64(j, "seed", &q->seed, err, errlen) != 0)
      return -1;
    q->aux = json_is_true(json_object_get(j, "aux"));
    int rc = get_u64(j, "max_len", 0, &q->max_len, err, errlen);
    q->has_max_len = rc == 1;
    return rc < 0 ? -1 : 0;
  }
  case CFZ_CALL_MINIMIZE: {
    if (need_u64(j, "max_execs", &q->max_execs, err, errlen) != 0 ||
        need_u64(j, "max_ms", &q->max_ms, err, errlen) != 0)
      return -1;
    const char *mode = json_string_value(json_object_get(j, "mode"));
    if (!mode) {
      snprintf(err, errlen, "missing field \"mode\"");
      return -1;
    }
    q->death = strcmp(mode, "death") == 0;
    if (!q->death && strcmp(mode, "recoverable") != 0) {
      snprintf(err, errlen, "unknown mode \"%s\"", mode);
      return -1;
    }
    return 0;
  }
  }
  return -1;
}

int cfz_request_decode(const json_t *j, cfz_request *q, char *err,
                       size_t errlen) {
  memset(q, 0, sizeof *q);
  q->coverage = true;
  const char *call = json_string_value(json_object_get(j, "call"));
  if (!call) {
    snprintf(err, errlen, "request has no \"call\"");
    return -2;
  }
  int c = find_name(call, call_names, COUNT(call_names));
  if (c < 0) {
    snprintf(err, errlen, "unknown call %s", call);
    return -2;
  }
  q->call = (cfz_call)c;
  char why[256];
  if (decode_fields(j, q, why, sizeof why) != 0) {
    snprintf(err, errlen, "%s: %s", call, why);
    return -1;
  }
  return 0;
}

/* ---- responses ----------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when the byte at s
 * does not start one (a stray continuation byte, an overlong form, a
 * surrogate, a code point above U+10FFFF, a truncated sequence). */
static size_t utf8_len(const unsigned char *s) {
  unsigned c = s[0];
  size_t n;
  unsigned min, cp;
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    n = 2, min = 0x80, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef)
    n = 3, min = 0x800, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4)
    n = 4, min = 0x10000, cp = c & 0x07;
  else
    return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0; /* also stops at the NUL */
    cp = cp << 6 | (s[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return n;
}

/* A JSON string of text, whose bytes that are not UTF-8 become the four
 * characters \xNN: a target's message may hold any bytes, a JSON string
 * only UTF-8. */
static json_t *text_string(const char *text) {
  const unsigned char *s = (const unsigned char *)(text ? text : "");
  size_t len = strlen((const char *)s);
  char *out = malloc(4 * len + 1);
  if (!out)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < len;) {
    size_t n = utf8_len(s + i);
    if (n == 0) {
      k += (size_t)snprintf(out + k, 5, "\\x%02x", s[i]);
      i++;
      continue;
    }
    memcpy(out + k, s + i, n);
    k += n;
    i += n;
  }
  json_t *j = json_stringn(out, k);
  free(out);
  return j;
}

json_t *cfz_error_encode(const char *text) {
  return json_pack("{s:b, s:o}", "ok", 0, "error", text_string(text));
}

static json_t *encode_params(const cfz_target_info *t) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < t->nparams; i++)
    if (json_array_append_new(a, json_string(cfz_type_name(t->params[i]))) !=
        0) {
      json_decref(a);
      return NULL;
    }
  return a;
}

static json_t *encode_targets(const cfz_hello *h) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < h->ntargets; i++) {
    json_t *p = encode_params(&h->targets[i]);
    json_t *o = p ? json_pack("{s:s, s:o, s:b}", "name", h->targets[i].name,
                              "params", p, "libfuzzer", h->targets[i].libfuzzer)
                  : NULL;
    if (!o || json_array_append_new(a, o) != 0) {
      json_decref(a);
      return NULL;
    }
  }
  return a;
}

static json_t *encode_hello(const cfz_hello *h) {
  json_t *targets = encode_targets(h), *params = encode_params(&h->target);
  if (!targets || !params) {
    json_decref(targets);
    json_decref(params);
    return NULL;
  }
  return json_pack("{s:b, s:I, s:s, s:s, s:o, s:o, s:I, s:s, s:I, s:I, s:b}",
                   "ok", 1, "protocol", (json_int_t)h->protocol, "harness",
                   h->harness, "target", h->target.name, "targets", targets,
                   "params", params, "seeds", (json_int_t)h->seeds, "coverage",
                   h->coverage, "counters", (json_int_t)h->counters,
                   "edge_slots", (json_int_t)h->edge_slots, "cmp", h->cmp);
}

json_t *cfz_response_encode(cfz_call call, const cfz_response *r) {
  const char *msg = r->message ? r->message : "";
  switch (call) {
  case CFZ_CALL_HELLO:
    return encode_hello(&r->hello);
  case CFZ_CALL_SEED:
    return json_pack("{s:b}", "ok", 1);
  case CFZ_CALL_EXEC:
    return json_pack("{s:b, s:I, s:s, s:o}", "ok", 1, "execs",
                     (json_int_t)r->execs, "result", cfz_result_name(r->result),
                     "message", text_string(msg));
  case CFZ_CALL_FUZZ:
    return json_pack("{s:b, s:I, s:I, s:I, s:s, s:o}", "ok", 1, "execs",
                     (json_int_t)r->execs, "duration_ns",
                     (json_int_t)r->duration_ns, "base_ns",
                     (json_int_t)r->base_ns, "result",
                     cfz_result_name(r->result), "message", text_string(msg));
  case CFZ_CALL_MINIMIZE:
    return json_pack("{s:b, s:I, s:I, s:s, s:o}", "ok", 1, "execs",
                     (json_int_t)r->execs, "duration_ns",
                     (json_int_t)r->duration_ns, "result",
                     cfz_result_name(r->result), "message", text_string(msg));
  }
  return NULL;
}

/* Parses a JSON array of type names into t.  Returns 0 or -1. */
static int decode_params(const json_t *a, cfz_target_info *t, char *err,
                         size_t errlen) {
  if (!json_is_array(a) || json_array_size(a) == 0 ||
      json_array_size(a) > CFZ_PROTO_MAX_PARAMS) {
    snprintf(err, errlen, "field \"params\" is not a list of 1 to %u types",
             CFZ_PROTO_MAX_PARAMS);
    return -1;
  }
  t->nparams = json_array_size(a);
  for (size_t i = 0; i < t->nparams; i++) {
    const char *s = json_string_value(json_array_get(a, i));
    if (!s || cfz_type_from_name(s, &t->params[i]) != 0) {
      snprintf(err, errlen, "unknown parameter type \"%s\"", s ? s : "?");
      return -1;
    }
  }
  return 0;
}

static int decode_target(const json_t *o, cfz_target_info *t, char *err,
                         size_t errlen) {
  if (!json_is_object(o)) {
    snprintf(err, errlen, "field \"targets\" holds a non-object");
    return -1;
  }
  t->libfuzzer = json_is_true(json_object_get(o, "libfuzzer"));
  if (get_str(o, "name", t->name, sizeof t->name, err, errlen) != 0)
    return -1;
  return decode_params(json_object_get(o, "params"), t, err, errlen);
}

static int decode_targets(const json_t *a, cfz_hello *h, char *err,
                          size_t errlen) {
  if (!a)
    return 0;
  if (!json_is_array(a)) {
    snprintf(err, errlen, "field \"targets\" is not a list");
    return -1;
  }
  size_t n = json_array_size(a);
  h->targets = calloc(n ? n : 1, sizeof *h->targets);
  if (!h->targets) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  for (; h->ntargets < n; h->ntargets++)
    if (decode_target(json_array_get(a, h->ntargets), &h->targets[h->ntargets],
                      err, errlen) != 0)
      return -1;
  return 0;
}

static int decode_hello(const json_t *j, cfz_hello *h, char *err,
                        size_t errlen) {
  if (need_u64(j, "protocol", &h->protocol, err, errlen) != 0 ||
      get_str(j, "harness", h->harness, sizeof h->harness, err, errlen) != 0 ||
      get_str(j, "target", h->target.name, sizeof h->target.name, err,
              errlen) != 0 ||
      get_str(j, "coverage", h->coverage, sizeof h->coverage, err, errlen) !=
          0 ||
      get_u64(j, "seeds", 0, &h->seeds, err, errlen) < 0 ||
      get_u64(j, "counters", 0, &h->counters, err, errlen) < 0 ||
      get_u64(j, "edge_slots", 0, &h->edge_slots, err, errlen) < 0)
    return -1;
  if (h->edge_slots > h->counters)
    h->edge_slots = 0; /* not a split of the counters: count them all */
  if (!h->target.name[0]) {
    snprintf(err, errlen, "missing field \"target\"");
    return -1;
  }
  h->cmp = json_is_true(json_object_get(j, "cmp"));
  if (decode_params(json_object_get(j, "params"), &h->target, err, errlen) != 0)
    return -1;
  return decode_targets(json_object_get(j, "targets"), h, err, errlen);
}

/* Which results each call may answer. */
static bool result_allowed(cfz_call call, cfz_result r) {
  switch (call) {
  case CFZ_CALL_EXEC:
    return r <= CFZ_RESULT_SKIP;
  case CFZ_CALL_FUZZ:
    return r <= CFZ_RESULT_FAILURE;
  case CFZ_CALL_MINIMIZE:
    return r >= CFZ_RESULT_UNCHANGED;
  default:
    return false;
  }
}

static int decode_ok(const json_t *j, cfz_call call, cfz_response *r, char *err,
                     size_t errlen) {
  if (call == CFZ_CALL_HELLO)
    return decode_hello(j, &r->hello, err, errlen);
  if (get_u64(j, "execs", 0, &r->execs, err, errlen) < 0 ||
      get_u64(j, "duration_ns", 0, &r->duration_ns, err, errlen) < 0)
    return -1;
  if (call == CFZ_CALL_FUZZ) {
    if (get_u64(j, "base_ns", 0, &r->base_ns, err, errlen) < 0)
      return -1;
    if (r->base_ns > r->duration_ns) {
      snprintf(err, errlen, "field \"base_ns\" exceeds \"duration_ns\"");
      return -1;
    }
  }
  const json_t *m = json_object_get(j, "message");
  r->message = strdup(json_is_string(m) ? json_string_value(m) : "");
  if (!r->message) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  if (call == CFZ_CALL_SEED)
    return 0;
  const char *res = json_string_value(json_object_get(j, "result"));
  int k = find_name(res, result_names, COUNT(result_names));
  if (k < 0 || !result_allowed(call, (cfz_result)k)) {
    snprintf(err, errlen, "unexpected result \"%s\"", res ? res : "(none)");
    return -1;
  }
  r->result = (cfz_result)k;
  return 0;
}

int cfz_response_decode(const json_t *j, cfz_call call, cfz_response *r,
                        char *err, size_t errlen) {
  memset(r, 0, sizeof *r);
  char why[256];
  int rc = 0;
  r->ok = json_is_true(json_object_get(j, "ok"));
  if (!r->ok) {
    const char *e = json_string_value(json_object_get(j, "error"));
    r->error = strdup(e ? e : "");
    if (!r->error) {
      snprintf(why, sizeof why, "out of memory");
      rc = -1;
    }
  } else {
    rc = decode_ok(j, call, r, why, sizeof why);
  }
  if (rc != 0) {
    snprintf(err, errlen, "%s response: %s", cfz_call_name(call), why);
    cfz_response_free(r);
  }
  return rc;
}

void cfz_hello_free(cfz_hello *h) {
  free(h->targets);
  h->targets = NULL;
  h->ntargets = 0;
}

int cfz_hello_copy(cfz_hello *dst, const cfz_hello *src) {
  *dst = *src;
  dst->targets = NULL;
  if (!src->ntargets)
    return 0;
  dst->targets = malloc(src->ntargets * sizeof *dst->targets);
  if (!dst->targets) {
    dst->ntargets = 0;
    return -1;
  }
  memcpy(dst->targets, src->targets, src->ntargets * sizeof *dst->targets);
  return 0;
}

void cfz_response_free(cfz_response *r) {
  free(r->error);
  free(r->message);
  cfz_hello_free(&r->hello);
  r->error = r->message = NULL;
}
