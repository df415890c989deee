/* worker.c - one worker process on the libuv loop (see worker.h). */
#include "worker.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"
#include "output_file.h"
#include "proc_rss.h"
#include "ringbuf.h"
#include "shm_layout.h"

#define CFZ_OUTPUT_CAP (64u * 1024u)
#define CFZ_WATCHDOG_MS 50u
/* How often a response looks at the size of the worker's output file (an
 * fstat; cfz_outfile_trim): a worker answers up to a few thousand times a
 * second when it finds something every few executions, and the file only
 * needs emptying once it holds CFZ_OUTFILE_MAX bytes. */
#define CFZ_TRIM_EVERY_NS 50000000u

extern char **environ;

enum { H_PROC, H_REQ, H_RESP, H_TIMER, H_COUNT };

struct cfz_worker {
  uv_loop_t *loop;
  uv_process_t proc;
  uv_pipe_t req, resp;
  uv_timer_t timer;
  int open_handles;
  bool spawned, proc_inited;

  cfz_worker_config cfg;
  cfz_worker_events ev;
  void *ctx;
  char **env;

  cfz_ringbuf output; /* what the output file had, its last CFZ_OUTPUT_CAP */
  cfz_outfile outf;
  bool outf_warned; /* a failure of outf was reported (once a worker) */
  cfz_frame_decoder dec;

  bool exited, exit_reported;
  bool handshake, busy, killed, freeing;
  cfz_exit_cause kill_cause;
  uint64_t rss_mb;
  char message[512];
  int64_t exit_status;
  int term_signal;

  uint64_t spawn_ns, last_count, last_progress_ns, stop_deadline_ns;
  uint64_t trim_ns; /* the last cfz_outfile_trim */
  unsigned ticks;
};

static uint64_t now_ns(void) { return uv_hrtime(); }

static void maybe_report_exit(cfz_worker *w);

static void on_handle_closed(uv_handle_t *h) {
  cfz_worker *w = h->data;
  if (--w->open_handles > 0)
    return;
  cfz_ringbuf_free(&w->output);
  cfz_outfile_close(&w->outf);
  cfz_frame_decoder_free(&w->dec);
  if (w->env) {
    for (char **e = w->env; *e; e++)
      free(*e);
    free(w->env);
  }
  free(w);
}

static void close_handle(cfz_worker *w, uv_handle_t *h) {
  if (h->data == w && !uv_is_closing(h))
    uv_close(h, on_handle_closed);
}

static void log_line(cfz_worker *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Through the owner's on_log, which clears a live status line first. */
static void log_line(cfz_worker *w, const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (w->ev.on_log)
    w->ev.on_log(w, w->ctx, line);
  else
    fprintf(stderr, "%s\n", line);
}

/* A failed call on the output file (rc -1): reported once a worker; the
 * run goes on (output_file.h says what the file is left as). */
static void outfile_failed(cfz_worker *w, int rc) {
  if (rc == 0 || w->outf_warned)
    return;
  w->outf_warned = true;
  log_line(w, "cfz: warning: worker %d (%s): %s; its output may be incomplete",
           w->spawned ? w->proc.pid : 0, w->cfg.path, w->outf.err);
}

static void kill_group(cfz_worker *w, cfz_exit_cause cause) {
  if (w->exited || !w->spawned)
    return;
  if (!w->killed) {
    w->killed = true;
    w->kill_cause = cause;
  }
  /* The worker leads its own session, so its pid is its process group. */
  if (kill(-w->proc.pid, SIGKILL) != 0 && errno != ESRCH)
    uv_process_kill(&w->proc, SIGKILL);
}

static void protocol_error(cfz_worker *w, const char *fmt, const char *arg) {
  if (w->killed || w->exited)
    return;
  snprintf(w->message, sizeof w->message, fmt, arg);
  kill_group(w, CFZ_EXIT_PROTOCOL);
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  (void)h;
  buf->base = malloc(suggested);
  buf->len = buf->base ? suggested : 0;
}

static void on_response_bytes(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  cfz_worker *w = s->data;
  if (n > 0 && !w->killed &&
      cfz_frame_decoder_feed(&w->dec, buf->base, (size_t)n) != 0)
    protocol_error(w, "%s", "out of memory buffering a frame");
  free(buf->base);
  if (n < 0) {
    uv_read_stop(s);
    return;
  }
  while (!w->killed && !w->exited) {
    json_t *msg = NULL;
    char err[256];
    int rc = cfz_frame_decoder_next(&w->dec, &msg, err, sizeof err);
    if (rc == 0)
      break;
    if (rc < 0) {
      protocol_error(w, "protocol error: %s", err);
      break;
    }
    if (!w->busy) {
      json_decref(msg);
      protocol_error(w, "%s", "protocol error: response without a request");
      break;
    }
    w->busy = false;
    w->handshake = true;
    uint64_t now = now_ns();
    if (now - w->trim_ns >= CFZ_TRIM_EVERY_NS) { /* idle now */
      w->trim_ns = now;
      outfile_failed(w, cfz_outfile_trim(&w->outf, &w->output));
    }
    w->ev.on_response(w, w->ctx, msg);
    json_decref(msg);
  }
}

/* ---- descendants ---------------------------------------------------------
 * A worker leads its own session and process group; whatever it forks stays
 * in that group unless it calls setsid.  On every exit the group is killed;
 * the driver is a child subreaper, so setsid escapees whose parent died are
 * re-parented to it, and each sweep kills and reaps every child of the
 * driver that is not a live worker process handle of the loop. */

static void is_worker_pid(uv_handle_t *h, void *arg) {
  int *pid = arg;
  if (h->type == UV_PROCESS && !uv_is_closing(h) &&
      ((uv_process_t *)h)->pid == *pid)
    *pid = 0;
}

/* The parent pid in /proc/PID/stat ("pid (comm) state ppid ..."; comm may
 * hold spaces and parentheses: parse after the last ')'). */
static int parent_of(const char *pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%s/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *rp = strrchr(buf, ')');
  int ppid = -1;
  if (!rp || sscanf(rp + 1, " %*c %d", &ppid) != 1)
    return -1;
  return ppid;
}

/* Kills and reaps the driver's children that are not workers of loop.
 * Returns how many it found. */
static int sweep_orphans(uv_loop_t *loop) {
  DIR *d = opendir("/proc");
  if (!d)
    return 0;
  int self = (int)getpid(), found = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!isdigit((unsigned char)e->d_name[0]) || parent_of(e->d_name) != self)
      continue;
    int pid = atoi(e->d_name), probe = pid;
    uv_walk(loop, is_worker_pid, &probe);
    if (probe == 0 || pid <= 1)
      continue; /* a worker: libuv reaps it */
    found++;
    kill(-pid, SIGKILL); /* its group, if it leads one */
    kill(pid, SIGKILL);
    /* Reap it; a process stuck in the kernel is left to the next sweep. */
    for (int i = 0; i < 200 && waitpid(pid, NULL, WNOHANG) == 0; i++)
      nanosleep(&(struct timespec){0, 1000000}, NULL);
  }
  closedir(d);
  return found;
}

static void kill_descendants(cfz_worker *w) {
  if (w->spawned && kill(-w->proc.pid, SIGKILL) != 0 && errno != ESRCH)
    log_line(w, "cfz: kill process group %d: %s", w->proc.pid, strerror(errno));
  for (int round = 0; round < 8 && sweep_orphans(w->loop) > 0; round++)
    ;
}

static void on_process_exit(uv_process_t *p, int64_t status, int sig) {
  cfz_worker *w = p->data;
  kill_descendants(w);
  w->exited = true;
  w->exit_status = status;
  w->term_signal = sig;
  maybe_report_exit(w);
}

/* Above --rss-limit: out-of-memory; during start-up, a start-up failure
 * that says so. */
static bool check_rss(cfz_worker *w) {
  if (!w->cfg.rss_limit_mb) /* /proc/<pid>/statm: one small read a tick */
    return false;
  uint64_t rss = cfz_proc_rss_mb(w->proc.pid);
  if (rss <= w->cfg.rss_limit_mb)
    return false;
  w->rss_mb = rss;
  if (w->handshake) {
    kill_group(w, CFZ_EXIT_OOM);
  } else {
    char msg[160];
    snprintf(msg, sizeof msg,
             "used %llu MB during start-up, above the %llu MB --rss-limit",
             (unsigned long long)rss, (unsigned long long)w->cfg.rss_limit_mb);
    protocol_error(w, "%s", msg);
  }
  return true;
}

static void on_tick(uv_timer_t *t) {
  cfz_worker *w = t->data;
  uint64_t now = now_ns();
  w->ticks++;
  if (w->exited)
    return;
  if (w->stop_deadline_ns && now >= w->stop_deadline_ns) {
    kill_group(w, CFZ_EXIT_STOPPED);
    return;
  }
  if (!w->handshake) {
    if (check_rss(w))
      return;
    uint64_t limit = w->cfg.startup_timeout_ms * 1000000u;
    if (limit && now - w->spawn_ns > limit) {
      char secs[32];
      snprintf(secs, sizeof secs, "%.0fs",
               (double)w->cfg.startup_timeout_ms / 1000.0);
      protocol_error(w, "no handshake within %s (is it a cfz target?)", secs);
    }
    return;
  }
  if (!w->busy)
    return;
  uint64_t count =
      atomic_load_explicit(w->cfg.exec_count, memory_order_acquire);
  if (count != w->last_count) {
    w->last_count = count;
    w->last_progress_ns = now;
  } else if (w->cfg.timeout_ms &&
             now - w->last_progress_ns > w->cfg.timeout_ms * 1000000u) {
    kill_group(w, CFZ_EXIT_HANG);
    return;
  }
  check_rss(w);
}

static void maybe_report_exit(cfz_worker *w) {
  if (w->exit_reported || !w->exited)
    return;
  w->exit_reported = true;
  kill_descendants(w); /* those that escaped meanwhile */
  cfz_worker_exit e = {0};
  e.cause = w->killed ? w->kill_cause : CFZ_EXIT_SELF;
  e.exit_status = w->exit_status;
  e.term_signal = w->term_signal;
  e.busy = w->busy;
  e.handshake = w->handshake;
  e.rss_mb = w->rss_mb;
  snprintf(e.message, sizeof e.message, "%s", w->message);
  w->busy = false;
  uv_timer_stop(&w->timer);
  w->ev.on_exit(w, w->ctx, &e);
}

/* The worker's environment: ours plus CFZ_WORKER, CFZ_TARGET and sanitizer
 * defaults that make reports end in a signal (the user's options win). */
static char **build_env(const cfz_worker_config *cfg) {
  size_t n = 0;
  for (char **e = environ; *e; e++)
    n++;
  char **env = calloc(n + 9, sizeof *env);
  if (!env)
    return NULL;
  size_t k = 0;
  const char *asan = getenv("ASAN_OPTIONS"), *ubsan = getenv("UBSAN_OPTIONS");
  for (char **e = environ; *e; e++) {
    if (!strncmp(*e, "CFZ_WORKER=", 11) || !strncmp(*e, "CFZ_TARGET=", 11) ||
        !strncmp(*e, "CFZ_PROBE=", 10) || !strncmp(*e, "ASAN_OPTIONS=", 13) ||
        !strncmp(*e, "UBSAN_OPTIONS=", 14))
      continue;
    if (!(env[k++] = strdup(*e)))
      goto fail;
  }
  char buf[4096], malloc_limit[96];
  /* --malloc-limit: one allocation above it is an ASan report
   * (allocation-size-too-big), like libFuzzer's -malloc_limit_mb; without
   * it, failed allocations return NULL to the target. */
  if (cfg->malloc_limit_mb)
    snprintf(malloc_limit, sizeof malloc_limit,
             "max_allocation_size_mb=%llu:allocator_may_return_null=0",
             (unsigned long long)cfg->malloc_limit_mb);
  else
    snprintf(malloc_limit, sizeof malloc_limit, "allocator_may_return_null=1");
  snprintf(buf, sizeof buf,
           "ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:%s:handle_abort=0%s%s",
           malloc_limit, asan ? ":" : "", asan ? asan : "");
  if (!(env[k++] = strdup(buf)))
    goto fail;
  snprintf(buf, sizeof buf,
           "UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:"
           "print_stacktrace=1%s%s",
           ubsan ? ":" : "", ubsan ? ubsan : "");
  if (!(env[k++] = strdup(buf)))
    goto fail;
  if (!(env[k++] = strdup("CFZ_WORKER=1")))
    goto fail;
  if (cfg->probe && !(env[k++] = strdup("CFZ_PROBE=1")))
    goto fail;
  if (cfg->target_name) {
    snprintf(buf, sizeof buf, "CFZ_TARGET=%s", cfg->target_name);
    if (!(env[k++] = strdup(buf)))
      goto fail;
  }
  return env;
fail:
  for (size_t i = 0; i < k; i++)
    free(env[i]);
  free(env);
  return NULL;
}

/* Marks every descriptor from 3 up close-on-exec (libuv hands the worker
 * its fds 3-6 explicitly), so that fds cfz inherited do not leak into
 * targets. */
static void close_on_exec_all(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d)
    return;
  int self = dirfd(d);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!isdigit((unsigned char)e->d_name[0]))
      continue;
    int fd = atoi(e->d_name);
    if (fd < 3 || fd == self)
      continue;
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC))
      fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
  closedir(d);
}

static void init_pipe(cfz_worker *w, uv_pipe_t *p) {
  uv_pipe_init(w->loop, p, 0);
  p->data = w;
  w->open_handles++;
}

/* The child's descriptors: docs/protocol.md's table. */
static void set_stdio(cfz_worker *w, const cfz_worker_config *cfg,
                      uv_stdio_container_t stdio[7]) {
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_INHERIT_FD;
  stdio[1].data.fd = w->outf.fd;
  stdio[2].flags = UV_INHERIT_FD;
  stdio[2].data.fd = w->outf.fd;
  stdio[3].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
  stdio[3].data.stream = (uv_stream_t *)&w->req;
  stdio[4].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  stdio[4].data.stream = (uv_stream_t *)&w->resp;
  stdio[5].flags = UV_INHERIT_FD;
  stdio[5].data.fd = cfg->shm_fd;
  stdio[6].flags = UV_INHERIT_FD;
  stdio[6].data.fd = cfg->coverage_fd;
}

/* A worker's memory and handles (pipes, timer), before its process. */
static cfz_worker *worker_new(uv_loop_t *loop, const cfz_worker_config *cfg,
                              const cfz_worker_events *ev, void *ctx, char *err,
                              size_t errlen) {
  cfz_worker *w = calloc(1, sizeof *w);
  if (!w) {
    snprintf(err, errlen, "spawn %s: out of memory", cfg->path);
    return NULL;
  }
  w->loop = loop;
  w->cfg = *cfg;
  w->ev = *ev;
  w->ctx = ctx;
  cfz_frame_decoder_init(&w->dec);
  if (cfz_outfile_open(&w->outf) != 0) {
    snprintf(err, errlen, "spawn %s: memfd_create for its output: %s",
             cfg->path, strerror(errno));
    free(w);
    return NULL;
  }
  if (cfz_ringbuf_init(&w->output, CFZ_OUTPUT_CAP) != 0 ||
      !(w->env = build_env(cfg))) {
    snprintf(err, errlen, "spawn %s: out of memory", cfg->path);
    cfz_ringbuf_free(&w->output);
    cfz_outfile_close(&w->outf);
    free(w);
    return NULL;
  }
  init_pipe(w, &w->req);
  init_pipe(w, &w->resp);
  uv_timer_init(loop, &w->timer);
  w->timer.data = w;
  w->open_handles++;
  return w;
}

/* Once the process runs: read its output and responses, start the
 * watchdog, send the handshake. */
static void start_io(cfz_worker *w, char *err, size_t errlen) {
  const cfz_worker_config *cfg = &w->cfg;
  uv_read_start((uv_stream_t *)&w->resp, alloc_cb, on_response_bytes);
  uint64_t period = CFZ_WATCHDOG_MS;
  if (cfg->timeout_ms && cfg->timeout_ms / 4 < period)
    period = cfg->timeout_ms / 4 ? cfg->timeout_ms / 4 : 1;
  uv_timer_start(&w->timer, on_tick, period, period);
  if (cfz_worker_send(w, cfg->hello) != 0) {
    snprintf(err, errlen, "spawn %s: cannot send the handshake", cfg->path);
    kill_group(w, CFZ_EXIT_STOPPED);
  }
}

cfz_worker *cfz_worker_spawn(uv_loop_t *loop, const cfz_worker_config *cfg,
                             const cfz_worker_events *ev, void *ctx, char *err,
                             size_t errlen) {
  cfz_worker *w = worker_new(loop, cfg, ev, ctx, err, errlen);
  if (!w)
    return NULL;
  uv_stdio_container_t stdio[7];
  set_stdio(w, cfg, stdio);

  char *args[] = {(char *)cfg->path, NULL};
  uv_process_options_t opt = {0};
  opt.file = cfg->path;
  opt.args = args;
  opt.env = w->env;
  opt.exit_cb = on_process_exit;
  opt.flags = UV_PROCESS_DETACHED;
  opt.stdio = stdio;
  opt.stdio_count = 7;
  w->proc.data = w;
  /* Workers get fds 0-6 only: whatever cfz itself inherited stays here. */
  close_on_exec_all();
  /* Orphaned descendants of workers become our children (and are swept). */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0 && errno != EINVAL)
    log_line(w, "cfz: prctl PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
  int rc = uv_spawn(loop, &w->proc, &opt);
  if (rc != 0) {
    snprintf(err, errlen, "spawn %s: %s", cfg->path, uv_strerror(rc));
    /* uv_spawn leaves the process handle initialised; close everything. */
    w->proc_inited = true;
    w->open_handles++;
    w->exited = w->exit_reported = true;
    cfz_worker_free(w);
    return NULL;
  }
  w->spawned = w->proc_inited = true;
  w->open_handles++;
  w->spawn_ns = now_ns();
  start_io(w, err, errlen);
  return w;
}

typedef struct write_req {
  uv_write_t req;
  uint8_t *frame;
} write_req;

static void on_written(uv_write_t *req, int status) {
  (void)status; /* a dead reader shows up as the process's exit */
  write_req *wr = (write_req *)req;
  free(wr->frame);
  free(wr);
}

int cfz_worker_send(cfz_worker *w, json_t *request) {
  if (w->busy || w->exited || w->killed ||
      uv_is_closing((uv_handle_t *)&w->req))
    return -1;
  size_t len = 0;
  write_req *wr = calloc(1, sizeof *wr);
  if (!wr)
    return -1;
  if (!(wr->frame = cfz_frame_encode(request, &len))) {
    free(wr);
    return -1;
  }
  uv_buf_t buf = uv_buf_init((char *)wr->frame, (unsigned)len);
  if (uv_write(&wr->req, (uv_stream_t *)&w->req, &buf, 1, on_written) != 0) {
    free(wr->frame);
    free(wr);
    return -1;
  }
  w->busy = true;
  w->last_count = atomic_load(w->cfg.exec_count);
  w->last_progress_ns = now_ns();
  return 0;
}

bool cfz_worker_busy(const cfz_worker *w) { return w->busy; }
int cfz_worker_pid(const cfz_worker *w) { return w->proc.pid; }

void cfz_worker_kill(cfz_worker *w) { kill_group(w, CFZ_EXIT_STOPPED); }

void cfz_worker_stop(cfz_worker *w, uint64_t grace_ms) {
  if (w->exited)
    return;
  if (w->busy) {
    kill_group(w, CFZ_EXIT_STOPPED);
    return;
  }
  w->killed = true; /* an exit from now on is ours, not a crash */
  w->kill_cause = CFZ_EXIT_STOPPED;
  close_handle(w, (uv_handle_t *)&w->req);
  w->stop_deadline_ns = now_ns() + grace_ms * 1000000u;
}

char *cfz_worker_output(cfz_worker *w) {
  outfile_failed(w, cfz_outfile_drain(&w->outf, &w->output));
  return cfz_ringbuf_copy(&w->output);
}

void cfz_worker_free(cfz_worker *w) {
  if (w->freeing)
    return;
  w->freeing = true;
  if (!w->exited)
    kill_group(w, CFZ_EXIT_STOPPED);
  uv_handle_t *hs[H_COUNT] = {(uv_handle_t *)&w->proc, (uv_handle_t *)&w->req,
                              (uv_handle_t *)&w->resp,
                              (uv_handle_t *)&w->timer};
  /* Hold one reference while closing so that a synchronous close callback
   * cannot free w under us. */
  w->open_handles++;
  for (int i = 0; i < H_COUNT; i++) {
    if (i == H_PROC && !w->proc_inited)
      continue;
    close_handle(w, hs[i]);
  }
  on_handle_closed((uv_handle_t *)&w->timer);
}
