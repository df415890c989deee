/* cover_run.c - replaying inputs through a coverage build, a batch per
 * process (cover_run.h). */
#include "cover_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "dir_list.h"
#include "failure.h"
#include "proc.h"

#define REPLAY_TIMEOUT_EXIT 70 /* replay.h: an input ran past -timeout */
#define SEEDS_BOUND 64 /* inputs assumed in the seeds job, for its limit */

typedef struct job {
  size_t first, n; /* inputs[first .. first+n) */
  bool seeds;      /* the cfz_add seeds instead */
} job;

typedef struct runner {
  uv_loop_t loop;
  const cfz_cover_run_options *o;
  cfz_cover_run_result *r;
  job *queue;
  size_t qhead, qlen, qcap;
  unsigned running, next_id;
  int rc;
  char *err;
  size_t errlen;
} runner;

typedef struct active {
  runner *rn;
  job j;
  unsigned id;
} active;

static int push(runner *rn, job j) {
  if (rn->qlen == rn->qcap) {
    size_t cap = rn->qcap ? rn->qcap * 2 : 64;
    job *q = realloc(rn->queue, cap * sizeof *q);
    if (!q)
      return -1;
    rn->queue = q;
    rn->qcap = cap;
  }
  rn->queue[rn->qlen++] = j;
  return 0;
}

static void fail(runner *rn, const char *msg) {
  if (rn->rc == 0)
    snprintf(rn->err, rn->errlen, "%s", msg);
  rn->rc = -1;
}

/* Job id's profile files: counts them, and removes them when drop (a
 * process that ended early may have written part of a batch's coverage, or
 * a child's).  Returns the count, or -1 (rn->err set). */
static long profiles_of(runner *rn, unsigned id, bool drop) {
  char prefix[32], err[512];
  snprintf(prefix, sizeof prefix, "%u-", id);
  cfz_dirent *ents;
  size_t n;
  if (cfz_dir_list(rn->o->profile_dir, &ents, &n, err, sizeof err) != 0) {
    fail(rn, err);
    return -1;
  }
  long found = 0;
  for (size_t i = 0; i < n; i++) {
    if (strncmp(ents[i].name, prefix, strlen(prefix)) != 0)
      continue;
    found++;
    if (drop && unlink(ents[i].path) != 0 && errno != ENOENT) {
      snprintf(err, sizeof err, "unlink %s: %s", ents[i].path, strerror(errno));
      fail(rn, err);
    }
  }
  cfz_dir_free(ents, n);
  return found;
}

static void skip(runner *rn, const job *j, const cfz_proc_status *st) {
  cfz_cover_skip *v =
      realloc(rn->r->skipped, (rn->r->nskipped + 1) * sizeof *v);
  char *input = j->seeds ? NULL : strdup(rn->o->inputs[j->first]);
  if (!v || (!j->seeds && !input)) {
    free(input);
    if (v)
      rn->r->skipped = v;
    fail(rn, "out of memory");
    return;
  }
  rn->r->skipped = v;
  cfz_cover_skip *s = &v[rn->r->nskipped++];
  s->input = input;
  if (st->timed_out)
    snprintf(s->how, sizeof s->how, "killed after running too long");
  else if (st->term_signal == 0 && st->exit_status >= 0 && st->exit_status <= 2)
    snprintf(s->how, sizeof s->how,
             "exit status %d without writing its profile",
             (int)st->exit_status);
  else if (st->term_signal == 0 && st->exit_status == REPLAY_TIMEOUT_EXIT)
    snprintf(s->how, sizeof s->how, "timeout after %u seconds",
             rn->o->timeout_s);
  else
    cfz_exit_text(st->exit_status, st->term_signal, s->how, sizeof s->how);
}

static void pump(runner *rn);

static void on_done(void *ctx, const cfz_proc_status *st) {
  active *a = ctx;
  runner *rn = a->rn;
  rn->running--;
  bool ok = !st->timed_out && st->term_signal == 0 && st->exit_status >= 0 &&
            st->exit_status <= 2;
  /* A normal end that left no profile (_exit, or a sanitizer's exit
   * status 1) lost its coverage like a crash does. */
  cfz_proc_status lost = {.exit_status = st->exit_status};
  if (ok && profiles_of(rn, a->id, false) == 0) {
    ok = false;
    st = &lost;
  }
  if (ok) {
    rn->r->ran += a->j.seeds ? 1 : a->j.n;
  } else {
    profiles_of(rn, a->id, true);
    if (a->j.n > 1) {
      for (size_t i = 0; i < a->j.n; i++)
        if (push(rn, (job){.first = a->j.first + i, .n = 1}) != 0)
          fail(rn, "out of memory");
    } else {
      skip(rn, &a->j, st);
    }
  }
  free(a);
  pump(rn);
}

/* Job id's environment (cfz_env_free; NULL when out of memory): its
 * profile file, sanitizer options, never a worker. */
static char **job_env(const char *profile_dir, unsigned id) {
  char profile[4096];
  snprintf(profile, sizeof profile, "LLVM_PROFILE_FILE=%s/%u-%%p.profraw",
           profile_dir, id);
  /* A sanitizer's report ends in SIGABRT rather than exit status 1, and
   * leaks are not checked at exit (the user's options come last and win). */
  char asan[1024], ubsan[1024];
  const char *ua = getenv("ASAN_OPTIONS"), *uu = getenv("UBSAN_OPTIONS");
  snprintf(asan, sizeof asan,
           "ASAN_OPTIONS=abort_on_error=1:detect_leaks=0%s%s", ua ? ":" : "",
           ua ? ua : "");
  snprintf(ubsan, sizeof ubsan, "UBSAN_OPTIONS=abort_on_error=1%s%s",
           uu ? ":" : "", uu ? uu : "");
  const char *set[] = {profile, asan, ubsan, NULL};
  /* Replay mode, never a worker, whatever our environment says. */
  const char *drop[] = {"CFZ_WORKER", "CFZ_TARGET", "CFZ_PROBE", NULL};
  return cfz_env_with(set, drop);
}

/* Starts one job.  Returns 0 or -1 (rn->err set). */
static int start(runner *rn, job j) {
  const cfz_cover_run_options *o = rn->o;
  size_t argc = 0;
  char **argv = calloc(j.n + 6, sizeof *argv);
  char timeout[32];
  active *a = calloc(1, sizeof *a);
  if (!argv || !a) {
    free(argv);
    free(a);
    fail(rn, "out of memory");
    return -1;
  }
  a->rn = rn;
  a->j = j;
  a->id = rn->next_id++;
  argv[argc++] = (char *)o->exe;
  argv[argc++] = "-t";
  argv[argc++] = (char *)o->target;
  if (o->timeout_s) {
    snprintf(timeout, sizeof timeout, "-timeout=%u", o->timeout_s);
    argv[argc++] = timeout;
  }
  argv[argc++] = "--";
  for (size_t i = 0; i < j.n; i++)
    argv[argc++] = (char *)o->inputs[j.first + i];
  char **env = job_env(o->profile_dir, a->id);
  uint64_t inputs = j.seeds ? SEEDS_BOUND : j.n;
  cfz_proc_spec spec = {
      .argv = argv,
      .env = env,
      .out_fd = o->log_fd,
      .err_fd = o->log_fd,
      .limit_ms = o->timeout_s
                      ? ((uint64_t)o->timeout_s * (inputs + 1) + 60) * 1000u
                      : 0};
  char err[512];
  int rc = -1;
  if (!env)
    fail(rn, "out of memory");
  else if (cfz_proc_start(&rn->loop, &spec, on_done, a, err, sizeof err) != 0)
    fail(rn, err);
  else
    rc = 0;
  if (rc == 0) {
    rn->running++;
    rn->r->processes++;
  } else {
    free(a);
  }
  cfz_env_free(env);
  free(argv);
  return rc;
}

static void pump(runner *rn) {
  while (rn->rc == 0 && rn->running < rn->o->parallel && rn->qhead < rn->qlen)
    if (start(rn, rn->queue[rn->qhead++]) != 0)
      return;
}

int cfz_cover_run(const cfz_cover_run_options *o, cfz_cover_run_result *r,
                  char *err, size_t errlen) {
  memset(r, 0, sizeof *r);
  runner rn = {.o = o, .r = r, .err = err, .errlen = errlen};
  int rc = uv_loop_init(&rn.loop);
  if (rc != 0) {
    snprintf(err, errlen, "cannot initialise the event loop: %s",
             uv_strerror(rc));
    return -1;
  }
  size_t batch = o->batch ? o->batch : 1;
  if (o->seeds && push(&rn, (job){.seeds = true}) != 0)
    fail(&rn, "out of memory");
  for (size_t i = 0; i < o->ninputs && rn.rc == 0; i += batch) {
    size_t n = o->ninputs - i < batch ? o->ninputs - i : batch;
    if (push(&rn, (job){.first = i, .n = n}) != 0)
      fail(&rn, "out of memory");
  }
  pump(&rn);
  /* Also after a failure: the processes already started are waited for. */
  uv_run(&rn.loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&rn.loop) != 0)
    fail(&rn, "event loop still busy");
  free(rn.queue);
  return rn.rc;
}

void cfz_cover_run_free(cfz_cover_run_result *r) {
  for (size_t i = 0; i < r->nskipped; i++)
    free(r->skipped[i].input);
  free(r->skipped);
  memset(r, 0, sizeof *r);
}
