/* libfuzzer_main.c - a libFuzzer-style target run by hand or by OSS-Fuzz
 * (libfuzzer_main.h). */
#include "libfuzzer_main.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "corpus_format.h"
#include "coverage.h"
#include "driver_exec.h"
#include "exec_context.h"
#include "libfuzzer_checks.h"
#include "libfuzzer_flags.h"
#include "libfuzzer_output.h"
#include "mem_limits.h"
#include "report_fd.h"
#include "rss_peak.h"

/* What the signal handlers and the exit hook print, formatted before the
 * first input runs (they may only write(2) and _exit). */
typedef struct canned {
  char text[1024];
  size_t len;
} canned;

static canned g_crash, g_timeout, g_exited;
static int g_error_exitcode = CFZ_LF_ERROR_EXITCODE;
static int g_timeout_exitcode = CFZ_LF_TIMEOUT_EXITCODE;
static volatile sig_atomic_t g_in_unit;

static void can(canned *c, cfz_strbuf *b) {
  size_t n = b->p && !b->oom ? b->len : 0;
  if (n >= sizeof c->text)
    n = sizeof c->text - 1;
  if (n)
    memcpy(c->text, b->p, n);
  c->len = n;
  free(b->p);
  memset(b, 0, sizeof *b);
}

static void say(const canned *c) {
  ssize_t w = write(cfz_report_fd(), c->text, c->len);
  (void)w;
}

/* Prints libFuzzer's lines, then dies by the same signal (SA_RESETHAND
 * restored the default action; the signal raised here is delivered when the
 * handler returns), so that a debugger and the exit status see the crash
 * as it was. */
static void on_deadly(int sig) {
  say(&g_crash);
  raise(sig);
}

static void on_alarm(int sig) {
  (void)sig;
  say(&g_timeout);
  _exit(g_timeout_exitcode);
}

static void on_exit_hook(void) {
  if (g_in_unit) {
    g_in_unit = 0;
    say(&g_exited);
    _exit(g_error_exitcode);
  }
}

static void prepare_messages(const cfz_lf_flags *f) {
  long pid = (long)getpid();
  cfz_strbuf b = {0};
  cfz_lfo_error(&b, pid, CFZ_LFO_DEADLY_SIGNAL, 0, 0);
  cfz_lfo_summary(&b, CFZ_LFO_DEADLY_SIGNAL);
  can(&g_crash, &b);
  cfz_lfo_alarm(&b, (uint64_t)f->timeout, f->timeout);
  cfz_lfo_error(&b, pid, CFZ_LFO_TIMEOUT, (uint64_t)f->timeout, 0);
  cfz_lfo_summary(&b, CFZ_LFO_TIMEOUT);
  can(&g_timeout, &b);
  cfz_lfo_error(&b, pid, CFZ_LFO_TARGET_EXITED, 0, 0);
  cfz_lfo_summary(&b, CFZ_LFO_TARGET_EXITED);
  can(&g_exited, &b);
  g_error_exitcode = (int)f->error_exitcode;
  g_timeout_exitcode = (int)f->timeout_exitcode;
}

/* Installs h for sig unless something (a sanitizer) already handles it,
 * as libFuzzer does.  Returns 0 or -1 (message printed). */
static int handle(int sig, void (*h)(int), bool always, int flags) {
  struct sigaction old, sa;
  if (sigaction(sig, NULL, &old) != 0) {
    fprintf(cfz_report_stream(), "ERROR: cfz: sigaction(%d): %s\n", sig,
            strerror(errno));
    return -1;
  }
  if (!always && ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL))
    return 0;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sa.sa_flags = flags;
  if (sigemptyset(&sa.sa_mask) != 0 || sigaction(sig, &sa, NULL) != 0) {
    fprintf(cfz_report_stream(), "ERROR: cfz: sigaction(%d): %s\n", sig,
            strerror(errno));
    return -1;
  }
  return 0;
}

static int install_handlers(const cfz_lf_flags *f) {
  static const int deadly[] = {SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE};
  for (size_t i = 0; i < sizeof deadly / sizeof deadly[0]; i++)
    if (handle(deadly[i], on_deadly, false, SA_RESETHAND) != 0)
      return -1;
  if (f->timeout > 0 && handle(SIGALRM, on_alarm, true, 0) != 0)
    return -1;
  if (atexit(on_exit_hook) != 0) {
    fprintf(cfz_report_stream(), "ERROR: cfz: atexit failed\n");
    return -1;
  }
  return 0;
}

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void flush_out(cfz_strbuf *b) {
  if (b->p && !b->oom)
    fputs(b->p, cfz_report_stream());
  free(b->p);
  memset(b, 0, sizeof *b);
}

/* libFuzzer's RSS thread found the peak above -rss_limit_mb while an input
 * ran (mem_limits.h): its report, exit 71. */
static void on_rss_limit(uint64_t peak_mb, uint64_t limit_mb) {
  cfz_strbuf b = {0};
  cfz_lfo_error(&b, (long)getpid(), CFZ_LFO_OOM_RSS, peak_mb, limit_mb);
  cfz_lfo_summary(&b, CFZ_LFO_OOM_RSS);
  if (b.p && !b.oom) {
    ssize_t w = write(cfz_report_fd(), b.p, b.len);
    (void)w;
  }
  _exit(CFZ_LF_OOM_EXITCODE);
}

extern void __sanitizer_print_stack_trace(void) __attribute__((weak));

/* One allocation at or above -malloc_limit_mb, inside the sanitizer's malloc
 * hook (mem_limits.h): libFuzzer's lines (cfz_lfo_error's text, formatted
 * here without allocating), the stack, exit 71. */
static void on_malloc_limit(size_t size) {
  char buf[256];
  int n = snprintf(buf, sizeof buf,
                   "==%ld== ERROR: libFuzzer: out-of-memory (malloc(%zu))\n"
                   "   To change the out-of-memory limit use "
                   "-rss_limit_mb=<N>\n\n",
                   (long)getpid(), size);
  ssize_t w = write(cfz_report_fd(), buf, n > 0 ? (size_t)n : 0);
  if (__sanitizer_print_stack_trace)
    __sanitizer_print_stack_trace();
  static const char summary[] = "SUMMARY: libFuzzer: out-of-memory\n";
  w = write(cfz_report_fd(), summary, sizeof summary - 1);
  (void)w;
  _exit(CFZ_LF_OOM_EXITCODE);
}

/* libFuzzer's -rss_limit_mb when it runs files: a peak resident set above
 * the limit after an input is that input's out-of-memory failure (exit
 * 71).  Returns 0, or the exit status (message printed). */
static int check_rss(const cfz_lf_flags *f) {
  if (f->rss_limit_mb <= 0)
    return 0;
  uint64_t peak = cfz_peak_above_mb((uint64_t)f->rss_limit_mb);
  if (peak == 0)
    return 0;
  cfz_strbuf b = {0};
  cfz_lfo_error(&b, (long)getpid(), CFZ_LFO_OOM_RSS, peak,
                (uint64_t)f->rss_limit_mb);
  cfz_lfo_summary(&b, CFZ_LFO_OOM_RSS);
  flush_out(&b);
  return CFZ_LF_OOM_EXITCODE;
}

/* Runs one file `runs` times.  Returns 0, or an exit status. */
static int run_one(const cfz_target *t, const char *path, const cfz_lf_flags *f,
                   long runs, uint64_t *slowest_ms) {
  cfz_values vals = {0};
  char err[1024];
  if (cfz_corpus_read_file(path, &vals, err, sizeof err) != 0) {
    fprintf(cfz_report_stream(), "ERROR: cfz: %s: %s\n", path, err);
    return 1;
  }
  if (!cfz_values_match_types(vals.v, vals.n, t->params, t->nparams)) {
    fprintf(cfz_report_stream(),
            "ERROR: cfz: %s holds values of other types than %s's "
            "one bytes parameter\n",
            path, t->name);
    cfz_values_free(&vals);
    return 1;
  }
  if (f->max_len > 0 && vals.v[0].v.bytes.len > (size_t)f->max_len)
    vals.v[0].v.bytes.len = (size_t)f->max_len; /* as libFuzzer truncates */
  int rc = 0;
  for (long r = 0; r < runs && rc == 0; r++) {
    uint64_t t0 = now_ms();
    if (f->timeout > 0)
      alarm((unsigned)f->timeout);
    g_in_unit = 1;
    cfz_malloc_limit_arm(true);
    cfz_outcome out = cfz_exec_run(t, vals.v);
    cfz_malloc_limit_arm(false);
    g_in_unit = 0;
    if (f->timeout > 0)
      alarm(0);
    uint64_t dt = now_ms() - t0;
    if (dt > *slowest_ms)
      *slowest_ms = dt;
    if (out == CFZ_OUTCOME_FAILURE) {
      fprintf(cfz_report_stream(), "%s\n", cfz_exec_message());
      say(&g_crash);
      rc = g_error_exitcode;
    } else {
      rc = check_rss(f);
    }
  }
  cfz_values_free(&vals);
  return rc;
}

static bool is_file(const char *path, void *ctx) {
  (void)ctx;
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* libFuzzer's checks before it runs the files: the artifact directories
 * and the dictionary (libfuzzer_checks.h).  Returns 0, or 1 (printed). */
static int check_flags(const cfz_lf_flags *f) {
  size_t entries = 0;
  if (cfz_lf_check_artifacts(f->artifact_prefix, f->exact_artifact_path,
                             f->create_missing_dirs != 0, stderr) != 0 ||
      (f->dict && cfz_lf_check_dict(f->dict, &entries, stderr) != 0))
    return 1;
  if (f->dict && f->verbosity > 0 && entries)
    fprintf(stderr, "Dictionary: %zu entries\n", entries);
  return 0;
}

static int reproduce(const cfz_target *t, const char *prog,
                     const cfz_lf_flags *f) {
  if (check_flags(f) != 0)
    return 1;
  long runs = f->runs > 1 ? f->runs : 1;
  unsigned long seed = f->seed ? f->seed : (unsigned long)time(NULL);
  char err[256];
  if (cfz_close_fds(f->close_fd_mask, err, sizeof err) != 0) {
    fprintf(stderr, "ERROR: cfz: %s\n", err);
    return 1;
  }
  prepare_messages(f);
  if (install_handlers(f) != 0)
    return 1;
  /* -detect_leaks=0 turns the per-input leak checks off, as in libFuzzer
   * (LeakSanitizer's own check at exit follows ASAN_OPTIONS, for both). */
  cfz_exec_set_leak_checks(f->detect_leaks > 0);
  /* As libFuzzer: the RSS thread, and the malloc hook where the sanitizer
   * allocator has one (mem_limits.h). */
  if (f->rss_limit_mb > 0 &&
      cfz_rss_watch_start((uint64_t)f->rss_limit_mb, on_rss_limit, err,
                          sizeof err) != 0) {
    fprintf(cfz_report_stream(), "ERROR: cfz: %s\n", err);
    return 1;
  }
  long malloc_limit = cfz_lf_malloc_limit(f);
  if (malloc_limit > 0)
    cfz_malloc_limit_start((uint64_t)malloc_limit, on_malloc_limit);
  cfz_strbuf b = {0};
  cfz_lfo_seed(&b, seed);
  cfz_lfo_modules(&b, cfz_cov_counters(), 0, 0, 0);
  cfz_sb_printf(&b, "%s: Running %zu inputs %ld time(s) each.\n", prog,
                f->ninputs, runs);
  flush_out(&b);
  uint64_t slowest_ms = 0;
  for (size_t i = 0; i < f->ninputs; i++) {
    uint64_t t0 = now_ms();
    cfz_lfo_running(&b, f->inputs[i]);
    flush_out(&b);
    int rc = run_one(t, f->inputs[i], f, runs, &slowest_ms);
    if (rc != 0)
      return rc;
    cfz_lfo_executed(&b, f->inputs[i], now_ms() - t0);
    flush_out(&b);
  }
  cfz_lfo_not_fuzzed(&b);
  if (f->print_final_stats)
    cfz_lfo_final_stats(&b, (uint64_t)runs * f->ninputs, 0, 0,
                        slowest_ms / 1000, cfz_peak_mb());
  flush_out(&b);
  return 0;
}

bool cfz_libfuzzer_front(int argc, char **argv) {
  if (cfz_registry_count() != 1 || !cfz_registry_get(0)->libfuzzer)
    return false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-t") == 0 || strcmp(a, "--target") == 0 ||
        strncmp(a, "--target=", 9) == 0 || strcmp(a, "--list") == 0 ||
        strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0 ||
        strcmp(a, "--") == 0)
      return false;
  }
  return true;
}

int cfz_libfuzzer_main(const cfz_target *t, int argc, char **argv) {
  const char *prog = argc > 0 && argv[0] ? argv[0] : "target";
  cfz_lf_flags f;
  cfz_strbuf msgs = {0};
  if (cfz_lf_parse(argc, argv, &f, &msgs) != 0) {
    fprintf(stderr, "ERROR: cfz: out of memory\n");
    free(msgs.p);
    cfz_lf_flags_free(&f);
    return 1;
  }
  flush_out(&msgs);
  int rc = 1;
  switch (cfz_lf_mode_of(&f, is_file, NULL)) {
  case CFZ_LF_HELP: {
    cfz_strbuf h = {0};
    cfz_lf_help_text(prog, &h);
    flush_out(&h);
    rc = 0;
    break;
  }
  case CFZ_LF_REPRODUCE:
    rc = reproduce(t, prog, &f);
    break;
  case CFZ_LF_FUZZ:
  case CFZ_LF_MERGE:
  case CFZ_LF_MINIMIZE:
    cfz_exec_driver(argc, argv); /* returns only on failure */
    rc = 1;
    break;
  }
  cfz_lf_flags_free(&f);
  return rc;
}
