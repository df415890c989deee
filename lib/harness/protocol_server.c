/* protocol_server.c - worker mode: serve docs/protocol.md on fds 3/4
 * (protocol_server.h). */
#include "protocol_server.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmp_trace.h"
#include "coverage.h"
#include "frame.h"
#include "fuzz_loop.h"
#include "minimize_loop.h"
#include "wire.h"

#define ERRLEN 512

void cfz_server_init(cfz_server *s, const cfz_target *t,
                     const cfz_shm_view *shm) {
  *s = (cfz_server){.t = t, .shm = *shm};
}

void cfz_server_free(cfz_server *s) {
  if (s->mut)
    cfz_mutator_free(s->mut);
  if (s->have_dict)
    cfz_dict_free(&s->dict);
  *s = (cfz_server){0};
}

/* ---- request fields ------------------------------------------------------ */

static json_t *error_response(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static json_t *error_response(const char *fmt, ...) {
  char msg[ERRLEN];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return json_pack("{s:b, s:s}", "ok", 0, "error", msg);
}

/* An unsigned field: a JSON integer >= 0, or (for 64-bit seeds) a decimal
 * string.  Returns 1 when present, 0 when absent (*out = dflt), -1 when
 * malformed (err says why). */
static int get_u64(const json_t *req, const char *key, uint64_t dflt,
                   uint64_t *out, char *err, size_t errlen) {
  const json_t *v = json_object_get(req, key);
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

static int need_u64(const json_t *req, const char *key, uint64_t *out,
                    char *err, size_t errlen) {
  int rc = get_u64(req, key, 0, out, err, errlen);
  if (rc == 0)
    snprintf(err, errlen, "missing field \"%s\"", key);
  return rc == 1 ? 0 : -1;
}

/* ---- calls --------------------------------------------------------------- */

static json_t *do_hello(cfz_server *s, const json_t *req) {
  char err[ERRLEN];
  uint64_t proto, max_len;
  if (need_u64(req, "protocol", &proto, err, sizeof err) != 0)
    return error_response("hello: %s", err);
  if (proto != CFZ_PROTOCOL_VERSION)
    return error_response("hello: protocol %" PRIu64
                          " is not supported (this harness speaks %d)",
                          proto, CFZ_PROTOCOL_VERSION);
  uint64_t cap = s->shm.hdr->value_capacity;
  if (get_u64(req, "max_len", cap, &max_len, err, sizeof err) < 0)
    return error_response("hello: %s", err);
  if (max_len > cap)
    max_len = cap;
  const json_t *vp = json_object_get(req, "value_profile");
  bool value_profile = vp && json_is_true(vp);
  const char *dict_path = json_string_value(json_object_get(req, "dict"));
  s->shm.no_feedback = json_is_false(json_object_get(req, "coverage"));
  cfz_exec_set_cmp(!s->shm.no_feedback);

  if (s->mut) {
    cfz_mutator_free(s->mut);
    s->mut = NULL;
  }
  if (s->have_dict) {
    cfz_dict_free(&s->dict);
    s->have_dict = false;
  }
  if (dict_path && *dict_path) {
    if (cfz_dict_load(dict_path, &s->dict, err, sizeof err) != 0)
      return error_response("dictionary: %s", err);
    s->have_dict = true;
  }
  cfz_cov_set_value_profile(value_profile);
  cfz_cmp_set_value_profile(value_profile);
  s->max_len = max_len;
  s->mut = cfz_mutator_new(s->t->params, s->t->nparams, (size_t)max_len,
                           s->have_dict ? &s->dict : NULL);
  if (!s->mut)
    return error_response("hello: cannot create the mutator (out of memory)");

  json_t *targets = json_array(), *params = json_array();
  if (!targets || !params) {
    json_decref(targets);
    json_decref(params);
    return NULL;
  }
  for (size_t i = 0; i < cfz_registry_count(); i++)
    json_array_append_new(targets, json_string(cfz_registry_get(i)->name));
  for (size_t i = 0; i < s->t->nparams; i++)
    json_array_append_new(params, json_string(cfz_type_name(s->t->params[i])));
  size_t nseeds;
  cfz_registry_seeds(s->t, &nseeds);
  s->hello_done = true;
  return json_pack("{s:b, s:i, s:s, s:s, s:o, s:o, s:I, s:s, s:I, s:b}", "ok",
                   1, "protocol", CFZ_PROTOCOL_VERSION, "harness", CFZ_VERSION,
                   "target", s->t->name, "targets", targets, "params", params,
                   "seeds", (json_int_t)nseeds, "coverage", cfz_cov_kind(),
                   "counters", (json_int_t)cfz_cov_counters(), "cmp",
                   (int)cfz_cmp_seen());
}

static json_t *do_seed(cfz_server *s, const json_t *req) {
  char err[ERRLEN];
  uint64_t index;
  if (need_u64(req, "index", &index, err, sizeof err) != 0)
    return error_response("seed: %s", err);
  size_t n;
  const cfz_values *seeds = cfz_registry_seeds(s->t, &n);
  if (index >= n)
    return error_response("seed: index %" PRIu64 " out of range (%zu seeds)",
                          index, n);
  const cfz_values *v = &seeds[index];
  size_t len = cfz_wire_encode(v->v, v->n, cfz_shm_value(s->shm.base),
                               (size_t)s->shm.hdr->value_capacity);
  if (len == 0)
    return error_response("seed %" PRIu64 " of %s needs %zu bytes, more than "
                          "the value area's %" PRIu64,
                          index, s->t->name, cfz_wire_size(v->v, v->n),
                          s->shm.hdr->value_capacity);
  s->shm.hdr->value_len = len;
  return json_pack("{s:b}", "ok", 1);
}

static uint64_t execs_now(const cfz_server *s) {
  return atomic_load_explicit(&s->shm.hdr->exec_count, memory_order_relaxed);
}

static json_t *do_exec(cfz_server *s) {
  char err[ERRLEN];
  cfz_values vals;
  if (cfz_fuzz_decode_area(s->t, &s->shm, false, &vals, err, sizeof err) != 0)
    return error_response("exec: %s", err);
  cfz_outcome o =
      cfz_exec_counted(s->t, s->shm.hdr, CFZ_SHM_RUNNING_VALUE, vals.v);
  cfz_values_free(&vals);
  const char *result = "none";
  if (o == CFZ_OUTCOME_FAILURE)
    result = "failure";
  else if (o == CFZ_OUTCOME_SKIP)
    result = "skip";
  else if (cfz_fuzz_take_new(&s->shm))
    result = "new";
  return json_pack("{s:b, s:I, s:s, s:s}", "ok", 1, "execs",
                   (json_int_t)execs_now(s), "result", result, "message",
                   o == CFZ_OUTCOME_FAILURE ? cfz_exec_message() : "");
}

static json_t *do_fuzz(cfz_server *s, const json_t *req) {
  char err[ERRLEN];
  cfz_fuzz_args a = {0};
  if (need_u64(req, "max_execs", &a.max_execs, err, sizeof err) != 0 ||
      need_u64(req, "max_ms", &a.max_ms, err, sizeof err) != 0 ||
      need_u64(req, "seed", &a.seed, err, sizeof err) != 0)
    return error_response("fuzz: %s", err);
  a.aux = json_is_true(json_object_get(req, "aux"));
  /* The driver raises max_len once it knows the corpus (libFuzzer's rule:
   * at least the largest input), so large seeds are not truncated. */
  uint64_t max_len = s->max_len;
  if (get_u64(req, "max_len", s->max_len, &max_len, err, sizeof err) < 0)
    return error_response("fuzz: %s", err);
  if (max_len > s->shm.hdr->value_capacity)
    max_len = s->shm.hdr->value_capacity;
  if (max_len != s->max_len) {
    cfz_mutator *m =
        cfz_mutator_new(s->t->params, s->t->nparams, (size_t)max_len,
                        s->have_dict ? &s->dict : NULL);
    if (!m)
      return error_response("fuzz: cannot create the mutator (out of memory)");
    cfz_mutator_free(s->mut);
    s->mut = m;
    s->max_len = max_len;
  }
  cfz_fuzz_result r;
  if (cfz_fuzz_batch(s->t, &s->shm, s->mut, &a, &r, err, sizeof err) != 0)
    return error_response("fuzz: %s", err);
  static const char *const names[] = {"none", "new", "failure"};
  return json_pack(
      "{s:b, s:I, s:I, s:s, s:s}", "ok", 1, "execs", (json_int_t)execs_now(s),
      "duration_ns", (json_int_t)r.duration_ns, "result", names[r.status],
      "message", r.status == CFZ_FUZZ_FAILURE ? cfz_exec_message() : "");
}

static json_t *do_minimize(cfz_server *s, const json_t *req) {
  char err[ERRLEN];
  cfz_minimize_args a = {0};
  if (need_u64(req, "max_execs", &a.max_execs, err, sizeof err) != 0 ||
      need_u64(req, "max_ms", &a.max_ms, err, sizeof err) != 0)
    return error_response("minimize: %s", err);
  const char *mode = json_string_value(json_object_get(req, "mode"));
  if (!mode)
    return error_response("minimize: missing field \"mode\"");
  if (strcmp(mode, "death") == 0)
    a.death = true;
  else if (strcmp(mode, "recoverable") != 0)
    return error_response("minimize: unknown mode \"%s\"", mode);
  cfz_minimize_result r;
  if (cfz_minimize_batch(s->t, &s->shm, &a, &r, err, sizeof err) != 0)
    return error_response("minimize: %s", err);
  static const char *const names[] = {"unchanged", "minimized",
                                      "not_reproduced"};
  return json_pack("{s:b, s:I, s:I, s:s, s:s}", "ok", 1, "execs",
                   (json_int_t)execs_now(s), "duration_ns",
                   (json_int_t)r.duration_ns, "result", names[r.status],
                   "message", r.message);
}

json_t *cfz_server_handle(cfz_server *s, const json_t *req) {
  const char *call = json_string_value(json_object_get(req, "call"));
  if (!call)
    return error_response("request has no \"call\"");
  if (strcmp(call, "hello") == 0)
    return do_hello(s, req);
  bool known = strcmp(call, "seed") == 0 || strcmp(call, "exec") == 0 ||
               strcmp(call, "fuzz") == 0 || strcmp(call, "minimize") == 0;
  if (!known)
    return error_response("unknown call %s", call);
  if (!s->hello_done)
    return error_response("%s before hello", call);
  if (strcmp(call, "seed") == 0)
    return do_seed(s, req);
  if (strcmp(call, "exec") == 0)
    return do_exec(s);
  if (strcmp(call, "fuzz") == 0)
    return do_fuzz(s, req);
  return do_minimize(s, req);
}

int cfz_server_serve(cfz_server *s, int in_fd, int out_fd) {
  for (;;) {
    json_t *req = NULL;
    char err[ERRLEN];
    int rc = cfz_frame_read_fd(in_fd, &req, err, sizeof err);
    if (rc == 0)
      return 0;
    if (rc < 0) {
      fprintf(stderr, "cfz: worker: reading a request: %s\n", err);
      return 2;
    }
    json_t *resp = cfz_server_handle(s, req);
    json_decref(req);
    if (!resp) {
      fprintf(stderr, "cfz: worker: out of memory building a response\n");
      return 2;
    }
    rc = cfz_frame_write_fd(out_fd, resp);
    json_decref(resp);
    if (rc != 0)
      return 3; /* the driver is gone: nobody to tell */
  }
}

/* ---- worker mode --------------------------------------------------------- */

static int fail_setup(const char *what) {
  fprintf(stderr, "cfz: worker: %s: %s\n", what, strerror(errno));
  return 2;
}

static void *map_fd(int fd, int prot, size_t min_size, size_t *size) {
  struct stat st;
  char what[64];
  if (fstat(fd, &st) != 0) {
    snprintf(what, sizeof what, "fstat(fd %d)", fd);
    fail_setup(what);
    return NULL;
  }
  if (st.st_size < 0 || (uint64_t)st.st_size < min_size) {
    fprintf(stderr,
            "cfz: worker: fd %d: shared memory of %lld bytes, expected at "
            "least %zu (run by cfz?)\n",
            fd, (long long)st.st_size, min_size);
    return NULL;
  }
  *size = (size_t)st.st_size;
  void *p = mmap(NULL, *size, prot, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) {
    snprintf(what, sizeof what, "mmap(fd %d)", fd);
    fail_setup(what);
    return NULL;
  }
  return p;
}

static int set_cloexec(int fd) {
  int fl = fcntl(fd, F_GETFD);
  if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0) {
    char what[64];
    snprintf(what, sizeof what, "fcntl(fd %d, FD_CLOEXEC)", fd);
    return fail_setup(what);
  }
  return 0;
}

int cfz_worker_main(void) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
    return fail_setup("prctl(PR_SET_PDEATHSIG)");
  /* The parent may have died before prctl: then the request pipe is at end
   * of file already and the serve loop below exits at once. */
  if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
    return fail_setup("setvbuf(stdout)");

  char err[1024];
  const cfz_target *t = cfz_registry_select(getenv("CFZ_TARGET"),
                                            "set CFZ_TARGET", err, sizeof err);
  if (!t) {
    fprintf(stderr, "cfz: worker: %s\n", err);
    return 2;
  }
  size_t shm_size, cov_size;
  void *base = map_fd(CFZ_FD_SHM, PROT_READ | PROT_WRITE, CFZ_SHM_HEADER_SIZE,
                      &shm_size);
  if (!base)
    return 2;
  cfz_shm_header *hdr = base;
  if (hdr->magic != CFZ_SHM_MAGIC) {
    fprintf(stderr,
            "cfz: worker: fd %d: not a cfz shared memory region "
            "(bad magic)\n",
            CFZ_FD_SHM);
    return 2;
  }
  if (hdr->value_capacity > shm_size ||
      cfz_shm_region_size(hdr->value_capacity) > shm_size) {
    fprintf(stderr,
            "cfz: worker: fd %d: region of %zu bytes is too small for a value "
            "capacity of %" PRIu64 "\n",
            CFZ_FD_SHM, shm_size, hdr->value_capacity);
    return 2;
  }
  const uint8_t *global =
      map_fd(CFZ_FD_COVERAGE, PROT_READ, CFZ_MAX_FEATURES, &cov_size);
  if (!global)
    return 2;
  if (close(CFZ_FD_SHM) != 0 || close(CFZ_FD_COVERAGE) != 0)
    return fail_setup("close(shared memory fds)");
  /* Children of the target must not hold the protocol pipes open. */
  if (set_cloexec(CFZ_FD_REQUEST) != 0 || set_cloexec(CFZ_FD_RESPONSE) != 0)
    return 2;

  cfz_shm_view view = {.base = base, .hdr = hdr, .global = global};
  cfz_server s;
  cfz_server_init(&s, t, &view);
  int rc = cfz_server_serve(&s, CFZ_FD_REQUEST, CFZ_FD_RESPONSE);
  cfz_server_free(&s);
  if (munmap(base, shm_size) != 0 || munmap((void *)global, cov_size) != 0)
    return fail_setup("munmap");
  return rc == 3 ? 0 : rc;
}
