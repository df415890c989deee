/* worker_client.c - one worker slot and its shared memory (worker_client.h).
 */
#include "worker_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shm.h"
#include "shm_layout.h"

struct cfz_client {
  uv_loop_t *loop;
  cfz_client_config cfg;
  cfz_client_cb cb;
  void *ctx;
  json_t *hello;   /* the encoded hello request */
  cfz_shm shm;     /* the per-worker region */
  size_t cap;      /* our own copy of the value capacity */
  cfz_worker *w;   /* the process, NULL when none */
  cfz_job job;     /* in flight */
  bool ready;      /* handshake done, no request in flight */
  char error[512]; /* set when we killed it for breaking the protocol */
  /* Our own copy of the last input we wrote to the value area: what we
   * report when the worker-writable header no longer says where its input
   * is. */
  uint8_t *sent;
  size_t sent_len;
  char note[256]; /* why an input came from `sent`, for the output */
  /* The input that was running when a fuzz request broke the protocol: the
   * next process runs it once more (before its hello is delivered); if it
   * breaks the protocol again it is reported as a failure. */
  uint8_t *suspect;
  size_t suspect_len;
  char suspect_err[512];
  json_t *held_hello; /* the hello response, held while checking */
  bool checking;      /* the suspect's exec is in flight */
};

static cfz_shm_header *hdr(const cfz_client *cl) { return cl->shm.base; }

static const cfz_call job_calls[] = {[CFZ_JOB_HELLO] = CFZ_CALL_HELLO,
                                     [CFZ_JOB_SEED] = CFZ_CALL_SEED,
                                     [CFZ_JOB_EXEC] = CFZ_CALL_EXEC,
                                     [CFZ_JOB_FUZZ] = CFZ_CALL_FUZZ,
                                     [CFZ_JOB_MINIMIZE] = CFZ_CALL_MINIMIZE};

/* ---- shared memory ------------------------------------------------------- */

/* Copies len bytes at area (value or aux) out, if len fits the area and the
 * region still has its size.  Every length read from the header is the
 * worker's word: checked against our own capacity, never trusted. */
static uint8_t *copy_area(const cfz_client *cl, bool aux, uint64_t len) {
  if (len > cl->cap || !cfz_shm_intact(&cl->shm))
    return NULL;
  uint8_t *p = malloc(len ? len : 1);
  if (p)
    memcpy(p, cfz_shm_value(cl->shm.base) + (aux ? cl->cap : 0), len);
  return p;
}

/* The input in an area, or, when the header's length is out of bounds (a
 * target scribbled on it), our copy of what we last sent, with a note. */
static void take_area(cfz_client *cl, bool aux, cfz_client_result *r) {
  uint64_t len = aux ? hdr(cl)->aux_len : hdr(cl)->value_len;
  r->input = copy_area(cl, aux, len);
  r->input_len = r->input ? (size_t)len : 0;
  if (r->input || len <= cl->cap || !cl->sent)
    return;
  snprintf(cl->note, sizeof cl->note,
           "cfz: the worker corrupted its shared memory (input length %llu, "
           "area %zu bytes); the input shown is the last one cfz sent it\n",
           (unsigned long long)len, cl->cap);
  r->input = malloc(cl->sent_len ? cl->sent_len : 1);
  if (r->input) {
    memcpy(r->input, cl->sent, cl->sent_len);
    r->input_len = cl->sent_len;
  }
}

static void take_value(cfz_client *cl, cfz_client_result *r) {
  take_area(cl, false, r);
}

static void put_area(cfz_client *cl, bool aux, const uint8_t *wire,
                     size_t len) {
  if (!aux) {
    uint8_t *copy = realloc(cl->sent, len ? len : 1);
    if (copy) {
      memcpy(copy, wire, len);
      cl->sent = copy;
      cl->sent_len = len;
    }
  }
  memcpy(cfz_shm_value(cl->shm.base) + (aux ? cl->cap : 0), wire, len);
  if (aux)
    hdr(cl)->aux_len = len;
  else
    hdr(cl)->value_len = len;
}

/* Re-asserts the header fields the driver owns: a previous process may have
 * scribbled on them.  The rest (e.g. a minimizer's resume state) belongs to
 * the workers and survives a restart. */
static void reset_region(cfz_client *cl) {
  cfz_shm_header *h = hdr(cl);
  h->magic = CFZ_SHM_MAGIC;
  h->value_capacity = cl->cap;
  h->oom_rss_mb = 0;
  atomic_store(&h->exec_count, 0);
}

void cfz_client_take_resume(cfz_client *cl, const cfz_client *from) {
  memcpy(hdr(cl)->minimize_resume, hdr(from)->minimize_resume,
         sizeof hdr(cl)->minimize_resume);
}

int cfz_client_copy_value(const cfz_client *cl, uint8_t **out, size_t *len) {
  uint64_t n = hdr(cl)->value_len;
  *out = copy_area(cl, false, n);
  *len = *out ? (size_t)n : 0;
  return *out ? 0 : -1;
}

/* ---- events -------------------------------------------------------------- */

static void deliver(cfz_client *cl, cfz_client_result *r) {
  if (cl->note[0] && r->output) { /* say where the input came from */
    size_t a = strlen(cl->note), b = strlen(r->output);
    char *o = malloc(a + b + 1);
    if (o) {
      memcpy(o, r->output, b);
      memcpy(o + b, cl->note, a + 1);
      free(r->output);
      r->output = o;
    }
  }
  cl->note[0] = '\0';
  cl->cb(cl, cl->ctx, r);
  free(r->input);
  free(r->output);
}

/* Fills the parts of a response that live in shared memory. */
static void take_response_data(cfz_client *cl, cfz_job j, cfz_result res,
                               cfz_client_result *r) {
  bool want_value = j == CFZ_JOB_SEED ||
                    (j == CFZ_JOB_FUZZ && res != CFZ_RESULT_NONE) ||
                    (j == CFZ_JOB_MINIMIZE && res == CFZ_RESULT_MINIMIZED);
  if (want_value)
    take_value(cl, r);
  if (res == CFZ_RESULT_NEW) {
    uint64_t n = hdr(cl)->feature_len;
    /* The feature area follows the two value areas of our capacity. */
    r->features = cfz_shm_value(cl->shm.base) + 2 * cl->cap;
    r->nfeatures = n > CFZ_MAX_FEATURES ? CFZ_MAX_FEATURES : (size_t)n;
  }
  if (res == CFZ_RESULT_FAILURE || j == CFZ_JOB_MINIMIZE)
    r->output = cfz_worker_output(cl->w);
}

static void on_response(cfz_worker *w, void *ctx, json_t *json);
static int send_request(cfz_client *cl, cfz_job j, const cfz_request *q);

static void drop_suspect(cfz_client *cl) {
  free(cl->suspect);
  cl->suspect = NULL;
  cl->suspect_len = 0;
  cl->checking = false;
  json_decref(cl->held_hello);
  cl->held_hello = NULL;
}

/* A hello arrived while a suspect waits: run the suspect first, holding the
 * hello.  Returns true when the check was sent. */
static bool start_check(cfz_client *cl, json_t *hello) {
  if (!cl->suspect || cl->suspect_len > cl->cap)
    return false;
  cl->held_hello = json_incref(hello);
  cl->checking = true;
  memcpy(cfz_shm_value(cl->shm.base), cl->suspect, cl->suspect_len);
  hdr(cl)->value_len = cl->suspect_len;
  cfz_request q = {.call = CFZ_CALL_EXEC};
  return send_request(cl, CFZ_JOB_EXEC, &q) == 0;
}

/* The suspect ran without breaking the protocol: it was not the culprit;
 * deliver the held hello as if it had just arrived. */
static void end_check(cfz_client *cl) {
  json_t *hello = cl->held_hello;
  cl->held_hello = NULL;
  drop_suspect(cl);
  cl->job = CFZ_JOB_HELLO;
  on_response(cl->w, cl, hello);
  json_decref(hello);
}

static void on_response(cfz_worker *w, void *ctx, json_t *json) {
  cfz_client *cl = ctx;
  (void)w;
  if (cl->checking) {
    end_check(cl);
    return;
  }
  if (cl->job == CFZ_JOB_HELLO && cl->suspect && start_check(cl, json))
    return;
  cfz_job j = cl->job;
  cl->job = CFZ_JOB_NONE;
  cl->ready = true;
  cfz_response resp;
  char err[400]; /* fits in error[] after "protocol error: " */
  if (j == CFZ_JOB_NONE ||
      cfz_response_decode(json, job_calls[j], &resp, err, sizeof err) != 0) {
    if (j == CFZ_JOB_HELLO) {
      /* A handshake we cannot read is a refused one: the owner decides. */
      cfz_client_result r = {.kind = CFZ_CLIENT_RESPONSE, .job = j};
      r.pid = cfz_worker_pid(cl->w);
      r.message = err;
      deliver(cl, &r);
      return;
    }
    if (j == CFZ_JOB_NONE)
      snprintf(err, sizeof err, "a response without a request");
    snprintf(cl->error, sizeof cl->error, "protocol error: %s", err);
    cl->ready = false;
    cfz_worker_kill(cl->w);
    return;
  }
  cfz_client_result r = {
      .job = j, .execs = resp.execs, .base_ns = resp.base_ns};
  r.pid = cfz_worker_pid(cl->w);
  if (!resp.ok && j != CFZ_JOB_HELLO) {
    /* A failed request leaves the worker in an unknown state: it is killed
     * and its exit (CFZ_CLIENT_PROTOCOL, with this message) restarts it, so
     * that no slot is lost to one {"ok":false}. */
    r.kind = CFZ_CLIENT_ERROR;
    r.message = resp.error;
    snprintf(cl->error, sizeof cl->error, "internal error: %s", resp.error);
    cl->ready = false;
    cfz_worker_kill(cl->w);
  } else {
    r.kind = CFZ_CLIENT_RESPONSE;
    r.result = resp.result;
    r.message = resp.ok ? resp.message : resp.error;
    r.hello = j == CFZ_JOB_HELLO && resp.ok ? &resp.hello : NULL;
    if (resp.ok)
      take_response_data(cl, j, resp.result, &r);
  }
  deliver(cl, &r);
  cfz_response_free(&resp);
}

static cfz_client_kind exit_kind(const cfz_client *cl,
                                 const cfz_worker_exit *e) {
  if (cl->error[0] || e->cause == CFZ_EXIT_PROTOCOL)
    return CFZ_CLIENT_PROTOCOL;
  if (e->cause == CFZ_EXIT_STOPPED || !e->handshake || !e->busy)
    return CFZ_CLIENT_EXIT;
  if (e->cause == CFZ_EXIT_HANG)
    return CFZ_CLIENT_HANG;
  if (e->cause == CFZ_EXIT_OOM)
    return CFZ_CLIENT_OOM;
  return CFZ_CLIENT_DEATH;
}

/* The check's process ended.  Broke the protocol again: the suspect is
 * reported as a failure of a fuzz request (a response), before the exit. */
static void check_ended(cfz_client *cl, cfz_client_result *exit_r) {
  exit_r->job = CFZ_JOB_NONE; /* the check was ours, not the owner's */
  free(exit_r->input);
  exit_r->input = NULL;
  if (exit_r->kind != CFZ_CLIENT_PROTOCOL) {
    exit_r->kind = CFZ_CLIENT_EXIT;
    drop_suspect(cl);
    return;
  }
  char msg[1200];
  snprintf(msg, sizeof msg,
           "the input broke the protocol twice (first: %s; then: %s)",
           cl->suspect_err, exit_r->message);
  cfz_client_result f = {.kind = CFZ_CLIENT_RESPONSE,
                         .job = CFZ_JOB_FUZZ,
                         .result = CFZ_RESULT_FAILURE,
                         .message = msg,
                         .input = cl->suspect,
                         .input_len = cl->suspect_len,
                         .pid = exit_r->pid};
  f.output = exit_r->output ? strdup(exit_r->output) : NULL;
  cl->suspect = NULL;
  drop_suspect(cl);
  deliver(cl, &f);
}

/* A fuzz request broke the protocol while an input ran: keep that input for
 * a check by the next process. */
static void keep_suspect(cfz_client *cl, const cfz_client_result *r) {
  if (r->kind != CFZ_CLIENT_PROTOCOL || r->job != CFZ_JOB_FUZZ ||
      r->running != CFZ_RUNNING_VALUE || !r->input || cl->suspect)
    return;
  cl->suspect = malloc(r->input_len ? r->input_len : 1);
  if (!cl->suspect)
    return;
  memcpy(cl->suspect, r->input, r->input_len);
  cl->suspect_len = r->input_len;
  snprintf(cl->suspect_err, sizeof cl->suspect_err, "%s", r->message);
}

/* The worker stopped itself because its peak resident memory went above
 * the limit after a run (rss_peak.h): its own exit status and the header's
 * figure say so.  Then it is reported as out-of-memory, like a kill by the
 * driver's sampling.  The figure is the worker's word: only printed. */
static void peak_oom(const cfz_client *cl, cfz_worker_exit *e) {
  uint64_t mb = hdr(cl)->oom_rss_mb;
  if (e->cause != CFZ_EXIT_SELF || !e->busy || !cl->cfg.rss_limit_mb ||
      e->term_signal || e->exit_status != CFZ_OOM_EXIT_STATUS ||
      mb <= cl->cfg.rss_limit_mb)
    return;
  e->cause = CFZ_EXIT_OOM;
  e->rss_mb = mb < ((uint64_t)1 << 40) ? mb : (uint64_t)1 << 40;
}

static void on_log(cfz_worker *w, void *ctx, const char *line) {
  (void)w;
  cfz_client *cl = ctx;
  if (cl->cfg.log)
    cl->cfg.log(cl->ctx, line);
  else
    fprintf(stderr, "%s\n", line);
}

static void on_exit_(cfz_worker *w, void *ctx, const cfz_worker_exit *ex) {
  cfz_client *cl = ctx;
  cfz_worker_exit copy = *ex, *e = &copy;
  peak_oom(cl, e);
  cfz_client_result r = {.job = cl->job, .exit = e};
  r.kind = exit_kind(cl, e);
  r.message = cl->error[0] ? cl->error : e->message;
  r.execs = atomic_load(&hdr(cl)->exec_count);
  r.output = cfz_worker_output(w);
  r.pid = cfz_worker_pid(w);
  if (e->busy && cl->job != CFZ_JOB_NONE) {
    uint32_t state = atomic_load(&hdr(cl)->state);
    r.running = state == CFZ_SHM_RUNNING_AUX     ? CFZ_RUNNING_AUX
                : state == CFZ_SHM_RUNNING_VALUE ? CFZ_RUNNING_VALUE
                                                 : CFZ_RUNNING_NONE;
    take_area(cl, r.running == CFZ_RUNNING_AUX, &r);
  }
  cl->w = NULL;
  cl->job = CFZ_JOB_NONE;
  cl->ready = false;
  cfz_worker_free(w);
  if (cl->checking)
    check_ended(cl, &r);
  else
    keep_suspect(cl, &r);
  deliver(cl, &r);
  cl->error[0] = '\0';
}

/* ---- requests ------------------------------------------------------------ */

static int send_request(cfz_client *cl, cfz_job j, const cfz_request *q) {
  json_t *req = cfz_request_encode(q);
  hdr(cl)->oom_rss_mb = 0;
  atomic_store(&hdr(cl)->exec_count, 0);
  atomic_store(&hdr(cl)->state, CFZ_SHM_IDLE);
  int rc = req ? cfz_worker_send(cl->w, req) : -1;
  json_decref(req);
  if (rc != 0) {
    snprintf(cl->error, sizeof cl->error, "cannot send a request");
    cfz_worker_kill(cl->w);
    return -1;
  }
  cl->job = j;
  cl->ready = false;
  return 0;
}

int cfz_client_seed(cfz_client *cl, uint64_t index) {
  cfz_request q = {.call = CFZ_CALL_SEED, .index = index};
  return send_request(cl, CFZ_JOB_SEED, &q);
}

int cfz_client_exec(cfz_client *cl, const uint8_t *wire, size_t len) {
  if (len > cl->cap)
    return -1;
  put_area(cl, false, wire, len);
  return send_request(cl, CFZ_JOB_EXEC, &(cfz_request){.call = CFZ_CALL_EXEC});
}

int cfz_client_fuzz(cfz_client *cl, const cfz_fuzz_job *f) {
  if (f->base_len > cl->cap)
    return -1;
  put_area(cl, false, f->base, f->base_len);
  bool aux = f->aux && f->aux_len <= cl->cap;
  if (aux)
    put_area(cl, true, f->aux, f->aux_len);
  cfz_request q = {.call = CFZ_CALL_FUZZ,
                   .max_execs = f->max_execs,
                   .max_ms = f->max_ms,
                   .seed = f->seed,
                   .aux = aux,
                   .max_len = f->max_len};
  return send_request(cl, CFZ_JOB_FUZZ, &q);
}

int cfz_client_minimize(cfz_client *cl, const uint8_t *wire, size_t len,
                        uint64_t max_execs, uint64_t max_ms, bool death) {
  if (len > cl->cap)
    return -1;
  put_area(cl, false, wire, len);
  cfz_request q = {.call = CFZ_CALL_MINIMIZE,
                   .max_execs = max_execs,
                   .max_ms = max_ms,
                   .death = death};
  return send_request(cl, CFZ_JOB_MINIMIZE, &q);
}

/* ---- lifecycle ----------------------------------------------------------- */

cfz_client *cfz_client_new(uv_loop_t *loop, const cfz_client_config *cfg,
                           cfz_client_cb cb, void *ctx, char *err,
                           size_t errlen) {
  cfz_client *cl = calloc(1, sizeof *cl);
  if (!cl) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  *cl = (cfz_client){.loop = loop, .cfg = *cfg, .cb = cb, .ctx = ctx};
  cl->cap = cfg->capacity;
  cl->shm.fd = -1;
  cfz_request hello = cfg->hello;
  hello.rss_limit_mb = cfg->rss_limit_mb; /* the worker checks its peak */
  /* The dictionary as an absolute path: a target may change its working
   * directory before the handshake.  One that cannot be resolved (missing)
   * goes as given: the worker's error names it. */
  char *dict = hello.dict && *hello.dict ? realpath(hello.dict, NULL) : NULL;
  if (dict)
    hello.dict = dict;
  cl->hello = cfz_request_encode(&hello);
  free(dict);
  if (!cl->hello) {
    snprintf(err, errlen, "out of memory");
    free(cl);
    return NULL;
  }
  if (cfz_shm_create(&cl->shm, cfz_shm_region_size(cl->cap), err, errlen) !=
      0) {
    json_decref(cl->hello);
    free(cl);
    return NULL;
  }
  reset_region(cl);
  return cl;
}

int cfz_client_start(cfz_client *cl, char *err, size_t errlen) {
  reset_region(cl);
  cfz_worker_config wc = {
      .path = cl->cfg.path,
      .target_name = cl->cfg.target_name,
      .shm_fd = cl->shm.fd,
      .coverage_fd = cl->cfg.coverage_fd,
      .exec_count = &hdr(cl)->exec_count,
      .timeout_ms = cl->cfg.timeout_ms,
      .startup_timeout_ms = cl->cfg.startup_timeout_ms,
      .rss_limit_mb = cl->cfg.rss_limit_mb,
      .malloc_limit_mb = cl->cfg.malloc_limit_mb,
      .hello = cl->hello,
      .probe = cl->cfg.probe,
  };
  cfz_worker_events ev = {on_response, on_exit_, on_log};
  cl->error[0] = '\0';
  cl->w = cfz_worker_spawn(cl->loop, &wc, &ev, cl, err, errlen);
  if (!cl->w)
    return -1;
  cl->job = CFZ_JOB_HELLO;
  cl->ready = false;
  return 0;
}

bool cfz_client_running(const cfz_client *cl) { return cl->w != NULL; }
bool cfz_client_idle(const cfz_client *cl) { return cl->w && cl->ready; }
cfz_job cfz_client_job(const cfz_client *cl) { return cl->job; }
int cfz_client_pid(const cfz_client *cl) {
  return cl->w ? cfz_worker_pid(cl->w) : -1;
}
size_t cfz_client_capacity(const cfz_client *cl) { return cl->cap; }

void cfz_client_kill(cfz_client *cl) {
  if (cl->w)
    cfz_worker_kill(cl->w);
}

void cfz_client_stop(cfz_client *cl, uint64_t grace_ms) {
  if (cl->w)
    cfz_worker_stop(cl->w, grace_ms);
}

void cfz_client_free(cfz_client *cl) {
  if (!cl)
    return;
  if (cl->shm.base)
    cfz_shm_close(&cl->shm);
  json_decref(cl->hello);
  free(cl->sent);
  drop_suspect(cl);
  free(cl);
}
