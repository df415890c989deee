/* worker_exit.c - a worker process ended: what it means for the run
 * (worker_exit.h). */
#include "worker_exit.h"

#include <stdio.h>
#include <stdlib.h>

/* Start-up failure (no handshake): never a crash.  Returns after a restart
 * or a stop. */
static void startup_failed(slot *s, const cfz_client_result *r,
                           const char *status) {
  coord *c = s->c;
  bool ever = c->phase != PHASE_STARTING;
  /* A program that exits cleanly without a word is most likely no cfz
   * target at all (/bin/true, a script). */
  bool clean = r->kind != CFZ_CLIENT_PROTOCOL && r->exit && !ever &&
               !r->exit->handshake && r->exit->term_signal == 0 &&
               r->exit->exit_status == 0;
  cfz_report_log(&c->rep, "fuzzing process terminated without fuzzing: %s%s",
                 r->kind == CFZ_CLIENT_PROTOCOL ? r->message : status,
                 clean ? " (is it a cfz target, linked with cfz's harness?)"
                       : "");
  cfz_report_indented(&c->rep, r->output, 40);
  if (s->replay.pending)
    co_replay_end(s, false); /* not replayed; written as it is */
  if (!ever || ++s->startup_failures >= CFZ_MAX_STARTUP_RETRIES) {
    if (c->q.active && (c->q.current.minimizing || c->q.current.replaying)) {
      /* a failure is known: report it */
      co_finish_minimize(c, "cfz: the target did not start again after the "
                            "failure, so it could not be minimized");
      return;
    }
    co_stop(c, 2);
    return;
  }
  co_restart_slot(s);
}

static void failure_of_exit(const coord *c, const cfz_client_result *r,
                            cfz_failure *f) {
  const cfz_worker_exit *e = r->exit;
  if (r->kind == CFZ_CLIENT_HANG)
    cfz_failure_hang(f, c->opt->timeout_ms);
  else if (r->kind == CFZ_CLIENT_OOM)
    cfz_failure_oom(f, e->rss_mb, c->opt->rss_limit_mb);
  else
    cfz_failure_from_exit(f, e->exit_status, e->term_signal, r->output);
  if (e->cause != CFZ_EXIT_SELF)
    cfz_failure_parse_report(f, r->output);
}

/* A worker died while running an input. */
static void worker_died(slot *s, cfz_client_result *r, const char *status) {
  coord *c = s->c;
  cfz_failure f;
  failure_of_exit(c, r, &f);
  switch (r->job) {
  case CFZ_JOB_SEED:
  case CFZ_JOB_HELLO:
    cfz_report_log(&c->rep, "fuzzing process terminated without fuzzing: %s",
                   f.message);
    cfz_report_indented(&c->rep, r->output, 40);
    co_stop(c, 2);
    return;
  case CFZ_JOB_EXEC:
    c->warm_done++;
    co_entry_failed(c, s->job_arg, &f, r->output, r->exit->rss_mb);
    break; /* TEST and MERGE go on with a new worker (fuzz has stopped) */
  case CFZ_JOB_FUZZ:
    co_found_failure(c, s, &f, true, r);
    break;
  case CFZ_JOB_MINIMIZE:
    co_minimizer_died(s, r, &f, status);
    return;
  case CFZ_JOB_NONE:
    break;
  }
  co_restart_slot(s);
}

void co_on_worker_exit(slot *s, cfz_client_result *r) {
  coord *c = s->c;
  const cfz_worker_exit *e = r->exit;
  c->reserved -= s->job_reserved;
  s->job_reserved = 0;
  if (r->job == CFZ_JOB_MINIMIZE)
    c->q.current.execs += r->execs;
  else if (e->busy)
    c->execs += r->execs;
  /* The last lines, unless a death was minimized since: then they are the
   * minimization runs', not the failure's report (issue 15). */
  if (c->report_pending && s->index == c->q.current.report_slot &&
      (!c->q.current.death || c->q.current.execs == 0) && r->output &&
      *r->output) {
    free(c->q.current.output);
    c->q.current.output = r->output;
    r->output = NULL;
  }
  if (c->phase == PHASE_STOPPING ||
      (e->cause == CFZ_EXIT_STOPPED && r->kind != CFZ_CLIENT_PROTOCOL)) {
    if (c->phase == PHASE_STOPPING)
      co_stop(c, c->exit_code);
    else if (s->replay.pending)
      co_restart_slot(s); /* stopped for a fresh process to replay in */
    return;
  }
  if (s->replay.running) { /* the replay failed (or broke): reproduced */
    co_replay_end(s, false);
    co_restart_slot(s);
    return;
  }
  char status[64];
  cfz_exit_text(e->exit_status, e->term_signal, status, sizeof status);
  if (!e->handshake) {
    startup_failed(s, r, status);
  } else if (r->kind == CFZ_CLIENT_PROTOCOL) {
    cfz_report_log(&c->rep, "cfz: worker %d (pid %d): %s; restarting it",
                   s->index, r->pid, r->message);
    if (r->job == CFZ_JOB_MINIMIZE)
      co_finish_minimize(c, NULL);
    else
      co_restart_slot(s);
  } else if (r->kind == CFZ_CLIENT_EXIT) {
    cfz_report_log(
        &c->rep,
        "cfz: worker %d (pid %d) terminated while idle: %s; restarting",
        s->index, r->pid, status);
    co_restart_slot(s);
  } else {
    worker_died(s, r, status);
  }
}
