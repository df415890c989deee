/* proc.c - running a helper process with libuv (proc.h). */
#include "proc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

typedef struct proc {
  uv_process_t process;
  uv_timer_t timer;
  bool has_timer;
  int open_handles;
  cfz_proc_status st;
  cfz_proc_done_fn done;
  void *ctx;
} proc;

static void on_closed(uv_handle_t *h) {
  proc *p = h->data;
  if (--p->open_handles > 0)
    return;
  p->done(p->ctx, &p->st);
  free(p);
}

static void on_process_exit(uv_process_t *h, int64_t exit_status,
                            int term_signal) {
  proc *p = h->data;
  p->st.exit_status = exit_status;
  p->st.term_signal = term_signal;
  if (p->has_timer) {
    uv_timer_stop(&p->timer);
    uv_close((uv_handle_t *)&p->timer, on_closed);
  }
  uv_close((uv_handle_t *)&p->process, on_closed);
}

static void on_limit(uv_timer_t *t) {
  proc *p = t->data;
  p->st.timed_out = true;
  /* ESRCH: it has just ended; on_process_exit comes next either way. */
  (void)uv_process_kill(&p->process, SIGKILL);
}

static void on_spawn_failed_closed(uv_handle_t *h) { free(h->data); }

int cfz_proc_start(uv_loop_t *loop, const cfz_proc_spec *s,
                   cfz_proc_done_fn done, void *ctx, char *err, size_t errlen) {
  proc *p = calloc(1, sizeof *p);
  if (!p) {
    snprintf(err, errlen, "spawn %s: out of memory", s->argv[0]);
    return -1;
  }
  p->done = done;
  p->ctx = ctx;
  p->process.data = p;
  uv_stdio_container_t stdio[3];
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_INHERIT_FD;
  stdio[1].data.fd = s->out_fd >= 0 ? s->out_fd : 1;
  stdio[2].flags = UV_INHERIT_FD;
  stdio[2].data.fd = s->err_fd >= 0 ? s->err_fd : 2;
  uv_process_options_t o;
  memset(&o, 0, sizeof o);
  o.file = s->argv[0];
  o.args = s->argv;
  o.env = s->env;
  o.exit_cb = on_process_exit;
  o.stdio = stdio;
  o.stdio_count = 3;
  int rc = uv_spawn(loop, &p->process, &o);
  if (rc != 0) {
    snprintf(err, errlen, "spawn %s: %s", s->argv[0], uv_strerror(rc));
    /* The handle is initialised even when the spawn fails. */
    uv_close((uv_handle_t *)&p->process, on_spawn_failed_closed);
    return -1;
  }
  p->open_handles = 1;
  if (s->limit_ms) {
    rc = uv_timer_init(loop, &p->timer);
    if (rc == 0) {
      p->timer.data = p;
      p->has_timer = true;
      p->open_handles++;
      rc = uv_timer_start(&p->timer, on_limit, s->limit_ms, 0);
    }
    if (rc != 0) /* run it without the limit rather than lose it */
      fprintf(stderr, "cfz: warning: no time limit for %s: %s\n", s->argv[0],
              uv_strerror(rc));
  }
  return 0;
}

static void on_done_sync(void *ctx, const cfz_proc_status *st) {
  *(cfz_proc_status *)ctx = *st;
}

int cfz_proc_run(const cfz_proc_spec *s, cfz_proc_status *st, char *err,
                 size_t errlen) {
  uv_loop_t loop;
  int rc = uv_loop_init(&loop);
  if (rc != 0) {
    snprintf(err, errlen, "%s: cannot initialise the event loop: %s",
             s->argv[0], uv_strerror(rc));
    return -1;
  }
  memset(st, 0, sizeof *st);
  int ret = cfz_proc_start(&loop, s, on_done_sync, st, err, errlen);
  uv_run(&loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&loop) != 0 && ret == 0) {
    snprintf(err, errlen, "%s: event loop still busy", s->argv[0]);
    ret = -1;
  }
  return ret;
}

/* The length of entry's name: up to its '=' (all of it without one). */
static size_t name_len(const char *entry) {
  const char *eq = strchr(entry, '=');
  return eq ? (size_t)(eq - entry) : strlen(entry);
}

/* True when entry ("K=V") is named by one of names: bare names ("K") or
 * entries ("K=V2"). */
static bool named_in(const char *entry, const char *const *names) {
  size_t n = name_len(entry);
  for (; names && *names; names++)
    if (name_len(*names) == n && strncmp(entry, *names, n) == 0)
      return true;
  return false;
}

char **cfz_env_with(const char *const *set, const char *const *drop) {
  size_t n = 0, nset = 0;
  for (char **e = environ; *e; e++)
    n++;
  while (set && set[nset])
    nset++;
  char **env = calloc(n + nset + 1, sizeof *env);
  if (!env)
    return NULL;
  size_t k = 0;
  for (char **e = environ; *e; e++) {
    if (named_in(*e, drop) || named_in(*e, set))
      continue;
    if (!(env[k++] = strdup(*e)))
      goto fail;
  }
  for (size_t i = 0; i < nset; i++)
    if (!(env[k++] = strdup(set[i])))
      goto fail;
  return env;
fail:
  cfz_env_free(env);
  return NULL;
}

void cfz_env_free(char **env) {
  if (!env)
    return;
  for (char **e = env; *e; e++)
    free(*e);
  free(env);
}
