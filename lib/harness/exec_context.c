/* exec_context.c - run one input, catch cfz_fail/cfz_fatal/cfz_skip
 * (exec_context.h). */
#include "exec_context.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp_trace.h"
#include "coverage.h"
#include "report_fd.h"
#include "rss_peak.h"

struct cfz_t {
  sigjmp_buf jb;
  bool in_call;
  bool failed;
  bool skipped;
  size_t msg_len;
  char msg[CFZ_MESSAGE_MAX + 4];
};

static cfz_t g_ctx;

/* Leak detection, as libFuzzer does it: when the target is built with
 * LeakSanitizer (ASan), count mallocs and frees during each call.  A run
 * that allocated more than it freed is suspect; the input is then run once
 * more (LSan disabled for that run so a leak is not reported twice), and
 * only when that run too allocates more than it frees is LSan asked for a
 * full check (a scan of the whole heap: milliseconds).  The re-run clears
 * the common false alarm of targets that keep the latest result in global
 * state (an error message, a cache entry): the second run frees what the
 * first kept.  A target that still looks leaky after CFZ_MAX_LEAK_CHECKS
 * checks that found nothing accumulates memory on purpose: stop checking. */
extern int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void *, size_t),
    void (*free_hook)(const volatile void *)) __attribute__((weak));
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));
extern void __lsan_disable(void) __attribute__((weak));
extern void __lsan_enable(void) __attribute__((weak));
static _Atomic size_t g_mallocs, g_frees;
static _Atomic bool g_tracing;
static bool g_hooks_installed;

/* The hooks run on every malloc and free of the target: a relaxed load and
 * store, not a locked read-modify-write.  Threads of the target that
 * allocate at the same moment may lose a count: the counts only pick the
 * runs worth a re-run and a LeakSanitizer check, which decides. */
static inline void count(_Atomic size_t *c) {
  atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
                        memory_order_relaxed);
}

static void malloc_hook(const volatile void *p, size_t n) {
  (void)p;
  (void)n;
  if (atomic_load_explicit(&g_tracing, memory_order_relaxed))
    count(&g_mallocs);
}

static void free_hook(const volatile void *p) {
  if (p && atomic_load_explicit(&g_tracing, memory_order_relaxed))
    count(&g_frees);
}

#define CFZ_MAX_LEAK_CHECKS 1000
static unsigned g_leak_checks;
static bool g_leaks_off;
static bool g_defer_leaks;
static struct cfz_leak_stats g_leak_stats;

static bool leak_detection(void) {
  if (g_leaks_off || !__sanitizer_install_malloc_and_free_hooks ||
      !__lsan_do_recoverable_leak_check || !__lsan_disable || !__lsan_enable)
    return false;
  if (!g_hooks_installed) {
    __sanitizer_install_malloc_and_free_hooks(malloc_hook, free_hook);
    g_hooks_installed = true;
  }
  return true;
}

/* Relaxed like the hooks: on the thread that runs the target, program order
 * is enough, and a sequentially consistent store costs a full barrier on
 * every execution. */
static void trace_start(void) {
  atomic_store_explicit(&g_mallocs, 0, memory_order_relaxed);
  atomic_store_explicit(&g_frees, 0, memory_order_relaxed);
  atomic_store_explicit(&g_tracing, true, memory_order_relaxed);
}

/* Stops counting; true when the run allocated more than it freed. */
static bool trace_stop(void) {
  atomic_store_explicit(&g_tracing, false, memory_order_relaxed);
  return atomic_load_explicit(&g_mallocs, memory_order_relaxed) >
         atomic_load_explicit(&g_frees, memory_order_relaxed);
}

/* The arguments of the running call and their heap copies (growable). */
static cfz_value *g_args;
static size_t g_args_cap;

static _Noreturn void die(const char *what) {
  fprintf(cfz_report_stream(), "cfz: %s\n", what);
  abort();
}

static void ensure_args(size_t n) {
  if (n <= g_args_cap)
    return;
  cfz_value *p = realloc(g_args, n * sizeof *p);
  if (!p)
    die("out of memory for a fuzz function's arguments");
  g_args = p;
  g_args_cap = n;
}

static void copy_args(const cfz_value *vals, size_t n) {
  ensure_args(n);
  for (size_t i = 0; i < n; i++) {
    g_args[i] = vals[i];
    if (vals[i].type != CFZ_BYTES && vals[i].type != CFZ_STRING)
      continue;
    size_t len = vals[i].v.bytes.len;
    size_t size = len + (vals[i].type == CFZ_STRING ? 1 : 0);
    uint8_t *p = malloc(size);
    if (!p && size == 0)
      p = malloc(1);
    if (!p)
      die("out of memory copying an input");
    if (len)
      memcpy(p, vals[i].v.bytes.data, len);
    if (vals[i].type == CFZ_STRING)
      p[len] = '\0';
    g_args[i].v.bytes.data = p;
  }
}

static void free_args(size_t n) {
  for (size_t i = 0; i < n; i++)
    if (g_args[i].type == CFZ_BYTES || g_args[i].type == CFZ_STRING) {
      free((void *)g_args[i].v.bytes.data);
      g_args[i].v.bytes.data = NULL;
    }
}

/* Compare recording: off until a worker's hello turns it on (replays of
 * files mutate nothing and read no compare). */
static bool g_cmp_on;

void cfz_exec_set_cmp(bool on) { g_cmp_on = on; }

void cfz_exec_set_leak_checks(bool on) { g_leaks_off = !on; }

/* The call itself: sets up the context, runs, catches.  Not inlined: the
 * stack depth is measured from its frame, below call_target's padding. */
static __attribute__((noinline)) void call_target_here(const cfz_target *t) {
  cfz_cov_stack_base((uintptr_t)__builtin_frame_address(0));
  g_ctx.failed = false;
  g_ctx.skipped = false;
  g_ctx.msg_len = 0;
  g_ctx.msg[0] = '\0';
  g_ctx.in_call = true;
  if (sigsetjmp(g_ctx.jb, 0) == 0) {
    if (t->libfuzzer) {
      if (t->libfuzzer(g_args[0].v.bytes.data, g_args[0].v.bytes.len) == -1)
        g_ctx.skipped = true;
    } else {
      t->fuzz(&g_ctx, g_args);
    }
  }
  g_ctx.in_call = false;
}

/* Calls the target with its stack pointer at the same offset in a 4 KiB
 * page in every process.  ASLR starts each process's stack at another
 * offset, and frames that align themselves (ASan's 32-byte frames,
 * over-aligned locals) then pad by other amounts, so the stack-depth
 * feature of one input differed between processes: three runs of expat's
 * target with --seed 1 -j 1 for 30,000 executions gave 812, 821 and 821
 * corpus entries.  Not ASan-instrumented: an instrumented alloca would get
 * redzones whose size depends on the offset. */
static __attribute__((noinline, no_sanitize_address)) void
call_target(const cfz_target *t) {
  uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
  volatile char *pad = __builtin_alloca((frame & 4095) + 64);
  pad[0] = 0;
  call_target_here(t);
}

/* Set by a run that allocated more than it freed, until checked. */
static bool g_leak_suspect;

cfz_outcome cfz_exec_run(const cfz_target *t, const cfz_value *vals) {
  copy_args(vals, t->nparams);
  cfz_cov_reset();
  cfz_cmp_set_active(g_cmp_on);
  bool leaks = leak_detection();
  if (leaks)
    trace_start();
  call_target(t);
  cfz_cov_end_run();
  cfz_cmp_set_active(false);
  g_leak_suspect = leaks && trace_stop() && !g_ctx.failed;
  free_args(t->nparams);
  cfz_outcome o = g_ctx.failed    ? CFZ_OUTCOME_FAILURE
                  : g_ctx.skipped ? CFZ_OUTCOME_SKIP
                                  : CFZ_OUTCOME_NONE;
  if (!g_defer_leaks)
    cfz_exec_check_leaks(t, vals);
  return o;
}

void cfz_exec_defer_leak_checks(bool defer) { g_defer_leaks = defer; }

void cfz_exec_check_leaks(const cfz_target *t, const cfz_value *vals) {
  if (!g_leak_suspect)
    return;
  g_leak_suspect = false;
  if (g_leaks_off)
    return;
  g_leak_stats.reruns++;
  /* Run again, without coverage reset or comparison recording (the caller
   * has taken this run's coverage already) and with LSan ignoring what this
   * run allocates. */
  bool failed = g_ctx.failed, skipped = g_ctx.skipped;
  copy_args(vals, t->nparams);
  __lsan_disable();
  trace_start();
  call_target(t);
  bool unbalanced = trace_stop();
  __lsan_enable();
  free_args(t->nparams);
  g_ctx.failed = failed;
  g_ctx.skipped = skipped;
  g_ctx.msg_len = 0;
  g_ctx.msg[0] = '\0';
  if (!unbalanced)
    return;
  if (++g_leak_checks > CFZ_MAX_LEAK_CHECKS) {
    g_leaks_off = true;
    fprintf(cfz_report_stream(),
            "cfz: leak detection turned off after %d checks found "
            "nothing: the target keeps memory in global state\n",
            CFZ_MAX_LEAK_CHECKS);
    return;
  }
  g_leak_stats.checks++;
  if (__lsan_do_recoverable_leak_check()) {
    fprintf(cfz_report_stream(),
            "cfz: the input leaked memory (LeakSanitizer report "
            "above)\n");
    abort();
  }
}

struct cfz_leak_stats cfz_exec_leak_stats(void) {
  return g_leak_stats;
}

const char *cfz_exec_message(void) { return g_ctx.msg; }

cfz_outcome cfz_exec_counted(const cfz_target *t, cfz_shm_header *hdr,
                             uint32_t state, const cfz_value *vals) {
  atomic_store_explicit(&hdr->state, state, memory_order_relaxed);
  uint64_t c = atomic_load_explicit(&hdr->exec_count, memory_order_relaxed);
  atomic_store_explicit(&hdr->exec_count, c + 1, memory_order_release);
  cfz_outcome o = cfz_exec_run(t, vals);
  cfz_peak_after_run(hdr); /* may end the process: the state says who ran */
  atomic_store_explicit(&hdr->state, CFZ_SHM_IDLE, memory_order_release);
  return o;
}

/* ---- the public API called by fuzz functions ---------------------------- */

static void check_ctx(cfz_t *t, const char *fn) {
  if (t != &g_ctx || !g_ctx.in_call) {
    fprintf(cfz_report_stream(),
            "cfz: %s called outside a running fuzz function\n", fn);
    abort();
  }
}

static void record(const char *fmt, va_list ap) {
  cfz_t *c = &g_ctx;
  c->failed = true;
  if (c->msg_len >= CFZ_MESSAGE_MAX)
    return; /* already full (and marked "...") */
  if (c->msg_len > 0)
    c->msg[c->msg_len++] = '\n';
  size_t room = CFZ_MESSAGE_MAX - c->msg_len + 1;
  int w = vsnprintf(c->msg + c->msg_len, room, fmt, ap);
  if (w < 0) {
    c->msg[c->msg_len] = '\0';
    return;
  }
  if ((size_t)w >= room) {
    c->msg_len = CFZ_MESSAGE_MAX;
    memcpy(c->msg + c->msg_len, "...", 4);
  } else {
    c->msg_len += (size_t)w;
  }
}

void cfz_fail(cfz_t *t, const char *fmt, ...) {
  check_ctx(t, "cfz_fail");
  va_list ap;
  va_start(ap, fmt);
  record(fmt, ap);
  va_end(ap);
}

_Noreturn void cfz_fatal(cfz_t *t, const char *fmt, ...) {
  check_ctx(t, "cfz_fatal");
  va_list ap;
  va_start(ap, fmt);
  record(fmt, ap);
  va_end(ap);
  siglongjmp(t->jb, 1);
}

_Noreturn void cfz_skip(cfz_t *t) {
  check_ctx(t, "cfz_skip");
  t->skipped = true;
  siglongjmp(t->jb, 1);
}
