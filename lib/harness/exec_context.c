/* exec_context.c - run one input, catch cfz_fail/cfz_fatal/cfz_skip
 * (exec_context.h). */
#include "exec_context.h"

#include <setjmp.h>
#include <stdarg.h>
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
