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
#include "protocol.h"
#include "report_fd.h"
#include "rss_peak.h"
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

static json_t *error_response(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static json_t *error_response(const char *fmt, ...) {
  char msg[ERRLEN];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return cfz_error_encode(msg);
}

/* ---- calls --------------------------------------------------------------- */

/* Fills every target of the executable into h (h->targets malloc'd). */
static int describe_targets(const cfz_server *s, cfz_hello *h) {
  size_t n = cfz_registry_count();
  h->targets = calloc(n ? n : 1, sizeof *h->targets);
  if (!h->targets)
    return -1;
  for (size_t i = 0; i <= n; i++) {
    const cfz_target *t = i < n ? cfz_registry_get(i) : s->t;
    cfz_target_info *info = i < n ? &h->targets[i] : &h->target;
    snprintf(info->name, sizeof info->name, "%s", t->name);
    info->nparams =
        t->nparams < CFZ_PROTO_MAX_PARAMS ? t->nparams : CFZ_PROTO_MAX_PARAMS;
    memcpy(info->params, t->params, info->nparams * sizeof *t->params);
    info->libfuzzer = t->libfuzzer != NULL;
  }
  h->ntargets = n;
  return 0;
}

static json_t *do_hello(cfz_server *s, const cfz_request *q) {
  char err[ERRLEN];
  if (q->protocol != CFZ_PROTOCOL_VERSION)
    return error_response("hello: protocol %" PRIu64
                          " is not supported (this harness speaks %d)",
                          q->protocol, CFZ_PROTOCOL_VERSION);
  uint64_t cap = s->shm.hdr->value_capacity;
  uint64_t max_len = q->has_max_len && q->max_len < cap ? q->max_len : cap;
  s->shm.no_feedback = !q->coverage;
  cfz_exec_set_cmp(!s->shm.no_feedback);

  if (s->mut) {
    cfz_mutator_free(s->mut);
    s->mut = NULL;
  }
  if (s->have_dict) {
    cfz_dict_free(&s->dict);
    s->have_dict = false;
  }
  if (q->dict && *q->dict) {
    if (cfz_dict_load(q->dict, &s->dict, err, sizeof err) != 0)
      return error_response("dictionary: %s", err);
    s->have_dict = true;
  }
  cfz_peak_start(q->rss_limit_mb); /* start-up's peak does not count */
  uint64_t resident = q->rss_limit_mb ? cfz_peak_mb() : 0;
  if (resident > q->rss_limit_mb) /* what start-up keeps does */
    return error_response("start-up left %" PRIu64 " MB resident, above the "
                          "%" PRIu64 " MB --rss-limit",
                          resident, q->rss_limit_mb);
  cfz_cov_set_value_profile(q->value_profile);
  cfz_cmp_set_value_profile(q->value_profile);
  s->max_len = max_len;
  s->mut = cfz_mutator_new(s->t->params, s->t->nparams, (size_t)max_len,
                           s->have_dict ? &s->dict : NULL);
  if (!s->mut)
    return error_response("hello: cannot create the mutator (out of memory)");

  cfz_response r = {.ok = true};
  cfz_hello *h = &r.hello;
  if (describe_targets(s, h) != 0)
    return NULL;
  h->protocol = CFZ_PROTOCOL_VERSION;
  snprintf(h->harness, sizeof h->harness, "%s", CFZ_VERSION);
  size_t nseeds;
  cfz_registry_seeds(s->t, &nseeds);
  h->seeds = nseeds;
  snprintf(h->coverage, sizeof h->coverage, "%s", cfz_cov_kind());
  h->counters = cfz_cov_counters();
  h->edge_slots = cfz_cov_edge_slots();
  h->cmp = cfz_cmp_seen();
  s->hello_done = true;
  json_t *j = cfz_response_encode(CFZ_CALL_HELLO, &r);
  cfz_hello_free(h);
  return j;
}

static json_t *do_seed(cfz_server *s, const cfz_request *q) {
  size_t n;
  const cfz_values *seeds = cfz_registry_seeds(s->t, &n);
  if (q->index >= n)
    return error_response("seed: index %" PRIu64 " out of range (%zu seeds)",
                          q->index, n);
  const cfz_values *v = &seeds[q->index];
  size_t len = cfz_wire_encode(v->v, v->n, cfz_shm_value(s->shm.base),
                               (size_t)s->shm.hdr->value_capacity);
  if (len == 0)
    return error_response("seed %" PRIu64 " of %s needs %zu bytes, more than "
                          "the value area's %" PRIu64
                          "; skipped (a larger --max-len "
                          "makes room)",
                          q->index, s->t->name, cfz_wire_size(v->v, v->n),
                          s->shm.hdr->value_capacity);
  s->shm.hdr->value_len = len;
  cfz_response r = {.ok = true};
  return cfz_response_encode(CFZ_CALL_SEED, &r);
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
  cfz_response r = {.ok = true, .result = CFZ_RESULT_NONE, .message = ""};
  if (o == CFZ_OUTCOME_FAILURE)
    r.result = CFZ_RESULT_FAILURE;
  else if (o == CFZ_OUTCOME_SKIP)
    r.result = CFZ_RESULT_SKIP;
  else if (cfz_fuzz_take_new(&s->shm))
    r.result = CFZ_RESULT_NEW;
  if (o == CFZ_OUTCOME_FAILURE)
    r.message = (char *)cfz_exec_message();
  r.execs = execs_now(s);
  return cfz_response_encode(CFZ_CALL_EXEC, &r);
}

static json_t *do_fuzz(cfz_server *s, const cfz_request *q) {
  char err[ERRLEN];
  cfz_fuzz_args a = {.max_execs = q->max_execs,
                     .max_ms = q->max_ms,
                     .seed = q->seed,
                     .aux = q->aux};
  /* The driver raises max_len once it knows the corpus (libFuzzer's rule:
   * at least the largest input), so large seeds are not truncated. */
  uint64_t max_len = q->has_max_len ? q->max_len : s->max_len;
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
  cfz_fuzz_result fr;
  if (cfz_fuzz_batch(s->t, &s->shm, s->mut, &a, &fr, err, sizeof err) != 0)
    return error_response("fuzz: %s", err);
  static const cfz_result results[] = {CFZ_RESULT_NONE, CFZ_RESULT_NEW,
                                       CFZ_RESULT_FAILURE};
  cfz_response r = {.ok = true, .result = results[fr.status], .message = ""};
  if (fr.status == CFZ_FUZZ_FAILURE)
    r.message = (char *)cfz_exec_message();
  r.execs = execs_now(s);
  r.duration_ns = fr.duration_ns;
  r.base_ns = fr.base_ns;
  return cfz_response_encode(CFZ_CALL_FUZZ, &r);
}

static json_t *do_minimize(cfz_server *s, const cfz_request *q) {
  char err[ERRLEN];
  cfz_minimize_args a = {
      .max_execs = q->max_execs, .max_ms = q->max_ms, .death = q->death};
  cfz_minimize_result mr;
  if (cfz_minimize_batch(s->t, &s->shm, &a, &mr, err, sizeof err) != 0)
    return error_response("minimize: %s", err);
  static const cfz_result results[] = {
      CFZ_RESULT_UNCHANGED, CFZ_RESULT_MINIMIZED, CFZ_RESULT_NOT_REPRODUCED};
  cfz_response r = {.ok = true, .result = results[mr.status]};
  r.message = (char *)mr.message;
  r.execs = execs_now(s);
  r.duration_ns = mr.duration_ns;
  return cfz_response_encode(CFZ_CALL_MINIMIZE, &r);
}

json_t *cfz_server_handle(cfz_server *s, const json_t *req) {
  char err[ERRLEN];
  cfz_request q;
  int rc = cfz_request_decode(req, &q, err, sizeof err);
  if (rc == -2)
    return cfz_error_encode(err);
  if (q.call != CFZ_CALL_HELLO && !s->hello_done)
    return error_response("%s before hello", cfz_call_name(q.call));
  if (rc != 0)
    return cfz_error_encode(err);
  switch (q.call) {
  case CFZ_CALL_HELLO:
    return do_hello(s, &q);
  case CFZ_CALL_SEED:
    return do_seed(s, &q);
  case CFZ_CALL_EXEC:
    return do_exec(s);
  case CFZ_CALL_FUZZ:
    return do_fuzz(s, &q);
  case CFZ_CALL_MINIMIZE:
    return do_minimize(s, &q);
  }
  return error_response("unknown call");
}

int cfz_server_serve(cfz_server *s, int in_fd, int out_fd) {
  for (;;) {
    json_t *req = NULL;
    char err[ERRLEN];
    int rc = cfz_frame_read_fd(in_fd, &req, err, sizeof err);
    if (rc == 0)
      return 0;
    if (rc < 0) {
      fprintf(cfz_report_stream(), "cfz: worker: reading a request: %s\n", err);
      return 2;
    }
    json_t *resp = cfz_server_handle(s, req);
    json_decref(req);
    if (!resp) {
      fprintf(cfz_report_stream(),
              "cfz: worker: out of memory building a response\n");
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
  fprintf(cfz_report_stream(), "cfz: worker: %s: %s\n", what, strerror(errno));
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
    fprintf(cfz_report_stream(),
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

/* The target CFZ_TARGET names (a probe's: the first), or NULL with a
 * message on stderr.  cfz's variables are removed: they are for this
 * process, not for what the target runs. */
static const cfz_target *pick_target(void) {
  char err[1024];
  const char *env = getenv("CFZ_TARGET");
  char *name = env ? strdup(env) : NULL;
  /* A probe (the driver asking which targets there are) takes the first. */
  if ((!name || !*name) && getenv("CFZ_PROBE") && cfz_registry_count() > 0) {
    free(name);
    name = strdup(cfz_registry_get(0)->name);
  }
  unsetenv("CFZ_TARGET");
  unsetenv("CFZ_PROBE");
  const cfz_target *t =
      cfz_registry_select(name, "set CFZ_TARGET", err, sizeof err);
  free(name);
  if (!t)
    fprintf(cfz_report_stream(), "cfz: worker: %s\n", err);
  return t;
}

int cfz_worker_main(void) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
    return fail_setup("prctl(PR_SET_PDEATHSIG)");
  /* The parent may have died before prctl: then the request pipe is at end
   * of file already and the serve loop below exits at once. */
  if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
    return fail_setup("setvbuf(stdout)");

  const cfz_target *t = pick_target();
  if (!t)
    return 2;
  size_t shm_size, cov_size;
  void *base = map_fd(CFZ_FD_SHM, PROT_READ | PROT_WRITE, CFZ_SHM_HEADER_SIZE,
                      &shm_size);
  if (!base)
    return 2;
  cfz_shm_header *hdr = base;
  if (hdr->magic != CFZ_SHM_MAGIC) {
    fprintf(cfz_report_stream(),
            "cfz: worker: fd %d: not a cfz shared memory region "
            "(bad magic)\n",
            CFZ_FD_SHM);
    return 2;
  }
  if (hdr->value_capacity > shm_size ||
      cfz_shm_region_size(hdr->value_capacity) > shm_size) {
    fprintf(cfz_report_stream(),
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
