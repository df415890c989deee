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
 * LeakSanitizer (ASan), count mallocs and frees during each call; when an
 * input allocated more than it freed, ask LSan for a leak check, and die
 * with its report if it finds one (so the driver records the input). */
extern int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void *, size_t),
    void (*free_hook)(const volatile void *)) __attribute__((weak));
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));
static _Atomic size_t g_mallocs, g_frees;
static _Atomic bool g_tracing;
static bool g_hooks_installed;

static void malloc_hook(const volatile void *p, size_t n) {
  (void)p;
  (void)n;
  if (atomic_load_explicit(&g_tracing, memory_order_relaxed))
    atomic_fetch_add_explicit(&g_mallocs, 1, memory_order_relaxed);
}

static void free_hook(const volatile void *p) {
  if (p && atomic_load_explicit(&g_tracing, memory_order_relaxed))
    atomic_fetch_add_explicit(&g_frees, 1, memory_order_relaxed);
}

static bool leak_detection(void) {
  if (!__sanitizer_install_malloc_and_free_hooks ||
      !__lsan_do_recoverable_leak_check)
    return false;
  if (!g_hooks_installed) {
    __sanitizer_install_malloc_and_free_hooks(malloc_hook, free_hook);
    g_hooks_installed = true;
  }
  return true;
}

/* A target that keeps memory in global state (caches) allocates more than it
 * frees without leaking; after this many clean checks, stop checking. */
#define CFZ_MAX_LEAK_CHECKS 1000
static unsigned g_leak_checks;

static void check_leaks(void) {
  if (atomic_load(&g_mallocs) <= atomic_load(&g_frees) ||
      g_leak_checks > CFZ_MAX_LEAK_CHECKS)
    return;
  if (++g_leak_checks > CFZ_MAX_LEAK_CHECKS) {
    fprintf(stderr,
            "cfz: leak detection turned off after %d checks found "
            "nothing: the target keeps memory in global state\n",
            CFZ_MAX_LEAK_CHECKS);
    return;
  }
  if (__lsan_do_recoverable_leak_check()) {
    fprintf(stderr, "cfz: the input leaked memory (LeakSanitizer report "
                    "above)\n");
    abort();
  }
}
/* The arguments of the running call and their heap copies (growable). */
static cfz_value *g_args;
static size_t g_args_cap;

static _Noreturn void die(const char *what) {
  fprintf(stderr, "cfz: %s\n", what);
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

static bool g_cmp_on = true;

void cfz_exec_set_cmp(bool on) { g_cmp_on = on; }

cfz_outcome cfz_exec_run(const cfz_target *t, const cfz_value *vals) {
  copy_args(vals, t->nparams);
  g_ctx.failed = false;
  g_ctx.skipped = false;
  g_ctx.msg_len = 0;
  g_ctx.msg[0] = '\0';
  cfz_cov_reset();
  cfz_cmp_set_active(g_cmp_on);
  bool leaks = leak_detection();
  if (leaks) {
    atomic_store(&g_mallocs, 0);
    atomic_store(&g_frees, 0);
    atomic_store(&g_tracing, true);
  }
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
  cfz_cmp_set_active(false);
  if (leaks) {
    atomic_store(&g_tracing, false);
    check_leaks();
  }
  free_args(t->nparams);
  if (g_ctx.failed)
    return CFZ_OUTCOME_FAILURE;
  return g_ctx.skipped ? CFZ_OUTCOME_SKIP : CFZ_OUTCOME_NONE;
}

const char *cfz_exec_message(void) { return g_ctx.msg; }

cfz_outcome cfz_exec_counted(const cfz_target *t, cfz_shm_header *hdr,
                             uint32_t state, const cfz_value *vals) {
  atomic_store_explicit(&hdr->state, state, memory_order_relaxed);
  uint64_t c = atomic_load_explicit(&hdr->exec_count, memory_order_relaxed);
  atomic_store_explicit(&hdr->exec_count, c + 1, memory_order_release);
  cfz_outcome o = cfz_exec_run(t, vals);
  atomic_store_explicit(&hdr->state, CFZ_SHM_IDLE, memory_order_release);
  return o;
}

/* ---- the public API called by fuzz functions ---------------------------- */

static void check_ctx(cfz_t *t, const char *fn) {
  if (t != &g_ctx || !g_ctx.in_call) {
    fprintf(stderr, "cfz: %s called outside a running fuzz function\n", fn);
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
