/* failure_flow.c - a failure from found to written: the crash queue,
 * minimization and the report (coordinator_impl.h). */
#include "coordinator_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus_format.h"
#include "corpus_store.h"
#include "failure.h"
#include "wire.h"

void co_report_failed_input(coord *c, const cfz_failure *f, const char *output,
                            const uint8_t *wire, size_t len, uint64_t rss_mb) {
  cfz_values v = {0};
  if (cfz_wire_decode(wire, len, c->types, c->ntypes, &v) != 0) {
    cfz_report_log(&c->rep, "cfz: internal error: cannot decode the failing "
                            "input");
    return;
  }
  cfz_report_failed_input(&c->rep, f, output, &v, rss_mb);
  cfz_values_free(&v);
}

void co_print_failure_report(coord *c) {
  const cfz_crash *k = &c->q.current;
  if (c->rep.obs)
    co_report_failed_input(c, &k->fail, k->output, k->wire, k->len, k->rss_mb);
  cfz_failure_report f = {.target = c->target,
                          .target_path = c->opt->target_path,
                          .crash = &c->q.current};
  cfz_report_failure(&c->rep, &f);
}

static bool can_minimize(const coord *c) {
  const cfz_limit *m = &c->minimize_time;
  if (m->ns == 0 && m->count == 0)
    return false;
  for (size_t i = 0; i < c->ntypes; i++)
    if (c->types[i] != CFZ_BOOL)
      return true;
  return false;
}

static bool minimize_budget_left(const coord *c) {
  const cfz_limit *m = &c->minimize_time;
  if (m->count && c->q.current.execs >= m->count)
    return false;
  if (m->ns && uv_hrtime() >= c->q.current.deadline_ns)
    return false;
  return true;
}

/* Starts handling the current failure: once its replay is over (flaky:
 * it is written as it is), minimize it, or finish at once. */
static void begin_crash(coord *c) {
  cfz_crash *k = &c->q.current;
  c->phase = PHASE_MINIMIZE;
  if (k->replaying)
    return; /* co_replay_end comes back here */
  if (k->flaky || !can_minimize(c)) {
    co_finish_minimize(c, NULL);
    return;
  }
  k->minimizing = true;
  k->min_slot = k->resume_slot = -1;
  k->execs = 0;
  k->deadline_ns = uv_hrtime() + c->minimize_time.ns;
  cfz_report_log(&c->rep, "found a crash, minimizing...");
  cfz_report_minimize_start(&c->rep, c->target, &k->fail, k->len);
}

/* ---- the replay: does a new failure fail again in a fresh process? ----
 * The finder's slot replays it once (one exec) in its next process: after a
 * death that process starts anyway; after a recoverable failure the finder
 * is stopped and started again.  Until the replay ends the failure is
 * neither minimized nor reported; it is already written. */

/* Arranges the replay of n by slot s; false when it cannot be. */
static bool start_replay(coord *c, slot *s, const cfz_crash *n, bool death) {
  slot_replay *p = &s->replay;
  /* cfz libfuzzer reports at once, as libFuzzer does; a hang would cost a
   * whole --timeout again. */
  if (c->rep.obs || p->pending || p->running || n->fail.kind == CFZ_FAIL_HANG)
    return false;
  p->wire = malloc(n->len ? n->len : 1);
  if (!p->wire)
    return false;
  memcpy(p->wire, n->wire, n->len);
  p->len = n->len;
  p->fail = n->fail;
  p->pending = true;
  p->fresh = false;
  if (!death)
    cfz_client_stop(s->cl, 1000); /* its exit starts a fresh one */
  return true;
}

bool co_dispatch_replay(coord *c, slot *s) {
  slot_replay *p = &s->replay;
  (void)c;
  if (!p->pending)
    return false;
  if (p->fresh) {
    p->pending = false;
    p->running = true; /* a failed send kills the worker: its exit ends it */
    cfz_client_exec(s->cl, p->wire, p->len);
  }
  return true;
}

void co_replay_response(slot *s, const cfz_client_result *r) {
  co_replay_end(s, r->kind == CFZ_CLIENT_RESPONSE &&
                       r->result != CFZ_RESULT_FAILURE);
}

/* Renames k's file to flaky-<name>, beside it. */
static void write_as_flaky(coord *c, cfz_crash *k) {
  const char *base = strrchr(k->path, '/');
  base = base ? base + 1 : k->path;
  char to[PATH_MAX];
  int n = snprintf(to, sizeof to, "%.*sflaky-%s", (int)(base - k->path),
                   k->path, base);
  if (!k->path[0] || n < 0 || (size_t)n >= sizeof to)
    return;
  if (rename(k->path, to) != 0) {
    cfz_report_log(&c->rep, "cfz: rename %s to %s: %s", k->path, to,
                   strerror(errno));
    return;
  }
  memcpy(k->path, to, (size_t)n + 1);
}

void co_replay_end(slot *s, bool passed) {
  coord *c = s->c;
  slot_replay *p = &s->replay;
  cfz_failure f = p->fail;
  free(p->wire);
  *p = (slot_replay){0};
  cfz_crash *k = c->q.active ? cfz_crashq_find(&c->q, &f) : NULL;
  if (!k || !k->replaying)
    return;
  k->replaying = false;
  if (passed) {
    k->flaky = true;
    write_as_flaky(c, k);
  }
  if (k == &c->q.current && c->phase == PHASE_MINIMIZE)
    begin_crash(c);
}

/* A failure came in unminimized: persist it at once (so that nothing found
 * is lost, even to kill -9), then route it through the minimize queue. */
void co_found_failure(coord *c, slot *s, const cfz_failure *f, bool death,
                      cfz_client_result *r) {
  if (c->phase == PHASE_STOPPING) {
    c->q.others += !c->keep_going;
    return;
  }
  if (cfz_crashq_seen(&c->q, f))
    return;
  char *output = r->output;
  r->output = NULL;
  cfz_crash n = {0};
  n.death = death;
  n.fail_known = true;
  n.fail = *f;
  n.output = output;
  n.count = 1;
  n.found_execs = c->execs;
  n.found_ms = (uv_hrtime() - c->start_ns) / 1000000u;
  n.rss_mb = r->exit ? r->exit->rss_mb : 0;
  n.min_slot = s->index; /* the finder, until a minimizer is chosen */
  n.len = r->input ? r->input_len : 0;
  n.wire = r->input ? r->input : malloc(1);
  r->input = NULL;
  if (!n.wire) {
    cfz_report_log(&c->rep, "cfz: out of memory saving the failing input");
    free(output);
    co_stop(c, 1);
    return;
  }
  co_persist(c, n.wire, n.len, n.path, sizeof n.path);
  n.replaying = start_replay(c, s, &n, death);
  cfz_crash *stored;
  /* --keep-going: while another failure is minimized, this one waits. */
  if (cfz_crashq_add(&c->q, &n, &stored) == CFZ_CRASH_MINIMIZE_NOW)
    begin_crash(c);
}

/* Ends minimization with the best known crasher: writes it (replacing the
 * unminimized file) and stops the run. */
void co_finish_minimize(coord *c, const char *why) {
  cfz_crash *k = &c->q.current;
  bool minimized = k->minimizing;
  k->minimizing = false;
  if (why)
    cfz_report_log(&c->rep, "%s", why);
  if (c->policy->mode == CFZ_MODE_MINIMIZE) {
    cfz_minimize_result *res = c->min_result;
    res->reproduced = k->fail_known;
    res->execs = k->execs;
    snprintf(res->message, sizeof res->message, "%s", k->fail.message);
    if (cfz_wire_decode(k->wire, k->len, c->types, c->ntypes, &res->best) != 0)
      res->reproduced = false;
    co_stop(c, res->reproduced ? 0 : 2);
    return;
  }
  char path[PATH_MAX];
  if (!k->flaky && co_persist(c, k->wire, k->len, path, sizeof path) == 0 &&
      strcmp(path, k->path) != 0) {
    if (k->path[0] && unlink(k->path) != 0 && errno != ENOENT)
      cfz_report_log(&c->rep, "cfz: remove %s: %s", k->path, strerror(errno));
    snprintf(k->path, sizeof k->path, "%s", path);
  }
  if (minimized)
    cfz_report_minimize_end(&c->rep, c->target, k->execs, k->len, k->path);
  if (!c->keep_going || c->interrupted || c->limit_reached) {
    /* Report after the workers have exited: by then their output files
     * are complete, so the report shows the last lines they printed. */
    k->report_slot = k->min_slot;
    c->report_pending = true;
  } else {
    co_print_failure_report(c);
  }
  if (c->q.others)
    cfz_report_log(&c->rep,
                   "cfz: %u further failure(s) reported meanwhile were not "
                   "minimized",
                   c->q.others);
  if (!c->keep_going || c->interrupted || c->limit_reached) {
    co_stop(c, 1);
    return;
  }
  /* --keep-going: remember it, then the next queued failure or fuzzing. */
  c->exit_code = 1;
  if (cfz_crashq_next(&c->q)) {
    begin_crash(c);
    return;
  }
  c->phase = PHASE_FUZZ;
  co_dispatch(c);
}

void co_on_minimize_response(slot *s, cfz_client_result *r) {
  coord *c = s->c;
  cfz_crash *k = &c->q.current;
  bool not_reproduced = r->result == CFZ_RESULT_NOT_REPRODUCED;
  if (r->result == CFZ_RESULT_MINIMIZED && r->input) {
    free(k->wire);
    k->wire = r->input;
    k->len = r->input_len;
    r->input = NULL;
  }
  /* A recoverable failure's report is its message: show what the target
   * printed while minimizing (its last runs, the minimized one's among
   * them).  A death keeps the original output (e.g. a sanitizer report), or
   * the one of a smaller candidate that died the same way (issue 15). */
  if (!k->death && r->output && *r->output) {
    free(k->output);
    k->output = r->output;
    r->output = NULL;
  }
  const char *msg = r->message;
  if (!not_reproduced && !k->death) {
    k->fail_known = true;
    if (msg && *msg)
      snprintf(k->fail.message, sizeof k->fail.message, "%s", msg);
  }
  if (c->policy->mode == CFZ_MODE_MINIMIZE && not_reproduced) {
    cfz_report_log(&c->rep, "cfz: %s does not fail", c->min_opt->crash_file);
    co_stop(c, 2);
    return;
  }
  co_finish_minimize(c, not_reproduced
                            ? "attempted to minimize a crash but could not "
                              "reproduce it; writing the original"
                            : NULL);
}

/* A minimization worker died: a matching candidate is the new best
 * crasher (the worker restarts and minimizes again); else it ends. */
void co_minimizer_died(slot *s, cfz_client_result *r, const cfz_failure *f,
                       const char *status) {
  coord *c = s->c;
  cfz_crash *k = &c->q.current;
  if (!k->fail_known && r->running == CFZ_RUNNING_VALUE) {
    /* cfz minimize: the input itself kills the process; minimize that. */
    k->fail = *f;
    k->fail_known = k->death = true;
    k->min_slot = k->resume_slot = -1;
    co_restart_slot(s);
    return;
  }
  if (r->running == CFZ_RUNNING_AUX && cfz_failure_same(&k->fail, f) &&
      r->input) {
    /* The candidate crashed the same way: it is the new best. */
    free(k->wire);
    k->wire = r->input;
    k->len = r->input_len;
    r->input = NULL;
    free(k->output);
    k->output = r->output;
    r->output = NULL;
    k->resume_slot = s->index;
    k->min_slot = -1;
    if (!minimize_budget_left(c))
      co_finish_minimize(c, NULL);
    else
      co_restart_slot(s); /* and send minimize again */
    return;
  }
  char msg[600];
  snprintf(msg, sizeof msg,
           "fuzzing process terminated unexpectedly while minimizing: %s",
           r->exit->cause == CFZ_EXIT_SELF ? status : f->message);
  co_finish_minimize(c, msg);
}

bool co_fuzzing(const coord *c) {
  if (c->phase == PHASE_FUZZ)
    return true;
  return c->phase == PHASE_MINIMIZE && c->policy->mode == CFZ_MODE_FUZZ &&
         c->keep_going && !c->rounds && !c->interrupted && !c->limit_reached;
}

void co_dispatch_minimize(coord *c, slot *s) {
  cfz_crash *k = &c->q.current;
  if (!k->minimizing || k->min_slot >= 0)
    return;
  if (!minimize_budget_left(c)) {
    co_finish_minimize(c, NULL);
    return;
  }
  const cfz_limit *m = &c->minimize_time;
  uint64_t max_execs = m->count ? m->count - k->execs : 0;
  uint64_t max_ms = 0;
  if (m->ns) {
    uint64_t now = uv_hrtime();
    max_ms = k->deadline_ns > now ? (k->deadline_ns - now) / 1000000u : 0;
    if (max_ms == 0)
      max_ms = 1;
  }
  /* Moved to another worker: the token to resume from goes with it. */
  if (k->resume_slot >= 0 && k->resume_slot != s->index)
    cfz_client_take_resume(s->cl, c->slots[k->resume_slot].cl);
  k->min_slot = s->index;
  if (cfz_client_minimize(s->cl, k->wire, k->len, max_execs, max_ms,
                          k->death) != 0)
    k->min_slot = -1;
}

/* MINIMIZE mode: once the worker is up, load the crash file as the crasher
 * and run a recoverable-mode minimization (death mode follows if it kills). */
void co_start_minimize_mode(coord *c) {
  cfz_values v = {0};
  char err[512];
  if (cfz_corpus_read_file(c->min_opt->crash_file, &v, err, sizeof err) != 0) {
    cfz_report_log(&c->rep, "cfz: %s", err);
    co_stop(c, 2);
    return;
  }
  if (!cfz_values_match_types(v.v, v.n, c->types, c->ntypes)) {
    cfz_report_log(&c->rep,
                   "cfz: %s: its values do not match the target's parameters",
                   c->min_opt->crash_file);
    cfz_values_free(&v);
    co_stop(c, 2);
    return;
  }
  cfz_crash *k = &c->q.current;
  size_t need = cfz_wire_size(v.v, v.n);
  k->wire = malloc(need ? need : 1);
  k->len = k->wire ? cfz_wire_encode(v.v, v.n, k->wire, need) : 0;
  cfz_values_free(&v);
  if (!k->len || k->len > cfz_client_capacity(c->slots[0].cl)) {
    cfz_report_log(&c->rep, "cfz: %s: too large for --max-len",
                   c->min_opt->crash_file);
    co_stop(c, 2);
    return;
  }
  c->q.active = k->minimizing = true;
  k->min_slot = k->resume_slot = -1;
  k->deadline_ns = uv_hrtime() + c->minimize_time.ns;
  cfz_failure_recoverable(&k->fail, "");
}
