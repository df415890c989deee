/* failure.c - failure kinds, messages and signatures (see failure.h); the
 * sanitizer report is read in failure_report.c. */
#include "failure.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sig_entry {
  int num;
  const char *name;
} sig_entry;

/* Our own table: sigabbrev_np is glibc-only.  Aliases (SIGIOT, SIGIO...)
 * come after the names we prefer, so the first match wins. */
static const sig_entry signal_table[] = {
    {SIGHUP, "SIGHUP"},       {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"},
    {SIGILL, "SIGILL"},       {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"},
    {SIGBUS, "SIGBUS"},       {SIGFPE, "SIGFPE"},   {SIGKILL, "SIGKILL"},
    {SIGUSR1, "SIGUSR1"},     {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
    {SIGPIPE, "SIGPIPE"},     {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"},
    {SIGCHLD, "SIGCHLD"},     {SIGCONT, "SIGCONT"}, {SIGSTOP, "SIGSTOP"},
    {SIGTSTP, "SIGTSTP"},     {SIGTTIN, "SIGTTIN"}, {SIGTTOU, "SIGTTOU"},
    {SIGURG, "SIGURG"},       {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"},
    {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"}, {SIGWINCH, "SIGWINCH"},
    {SIGSYS, "SIGSYS"},
#ifdef SIGSTKFLT
    {SIGSTKFLT, "SIGSTKFLT"},
#endif
#ifdef SIGIO
    {SIGIO, "SIGIO"},
#endif
#ifdef SIGPOLL
    {SIGPOLL, "SIGPOLL"},
#endif
#ifdef SIGPWR
    {SIGPWR, "SIGPWR"},
#endif
#ifdef SIGEMT
    {SIGEMT, "SIGEMT"},
#endif
#ifdef SIGINFO
    {SIGINFO, "SIGINFO"},
#endif
#ifdef SIGIOT
    {SIGIOT, "SIGIOT"},
#endif
};

const char *cfz_signal_name(int sig, char *buf, size_t buflen) {
  for (size_t i = 0; i < sizeof signal_table / sizeof signal_table[0]; i++)
    if (signal_table[i].num == sig) {
      snprintf(buf, buflen, "%s", signal_table[i].name);
      return buf;
    }
#if defined(SIGRTMIN) && defined(SIGRTMAX)
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    if (sig == SIGRTMIN)
      snprintf(buf, buflen, "SIGRTMIN");
    else
      snprintf(buf, buflen, "SIGRTMIN+%d", sig - SIGRTMIN);
    return buf;
  }
#endif
  snprintf(buf, buflen, "signal %d", sig);
  return buf;
}

static void clear(cfz_failure *f, cfz_failure_kind kind, int code) {
  memset(f, 0, sizeof *f);
  f->kind = kind;
  f->code = code;
}

/* "signal SIGSEGV", or "signal 99" for a number without a name. */
static void signal_text(int sig, char *buf, size_t buflen) {
  char name[32];
  cfz_signal_name(sig, name, sizeof name);
  if (strncmp(name, "SIG", 3) == 0)
    snprintf(buf, buflen, "signal %s", name);
  else
    snprintf(buf, buflen, "%s", name);
}

const char *cfz_exit_text(int64_t exit_status, int term_signal, char *buf,
                          size_t buflen) {
  if (term_signal != 0)
    signal_text(term_signal, buf, buflen);
  else
    snprintf(buf, buflen, "exit status %" PRId64, exit_status);
  return buf;
}

void cfz_failure_from_exit(cfz_failure *f, int64_t exit_status, int term_signal,
                           const char *output) {
  char how[64];
  if (term_signal != 0) {
    clear(f, CFZ_FAIL_SIGNAL, term_signal);
  } else {
    int code = exit_status > INT32_MAX   ? INT32_MAX
               : exit_status < INT32_MIN ? INT32_MIN
                                         : (int)exit_status;
    clear(f, CFZ_FAIL_EXIT, code);
  }
  cfz_exit_text(exit_status, term_signal, how, sizeof how);
  snprintf(f->message, sizeof f->message,
           "fuzzing process terminated unexpectedly: %s", how);
  cfz_failure_parse_report(f, output);
}

void cfz_failure_recoverable(cfz_failure *f, const char *message) {
  clear(f, CFZ_FAIL_RECOVERABLE, 0);
  snprintf(f->message, sizeof f->message, "%s", message ? message : "");
}

void cfz_failure_hang(cfz_failure *f, uint64_t timeout_ms) {
  clear(f, CFZ_FAIL_HANG, 0);
  if (timeout_ms % 1000 == 0)
    snprintf(f->message, sizeof f->message,
             "fuzzing process hung: no progress within %" PRIu64
             "s (--timeout)",
             timeout_ms / 1000);
  else
    snprintf(f->message, sizeof f->message,
             "fuzzing process hung: no progress within %" PRIu64
             "ms (--timeout)",
             timeout_ms);
}

void cfz_failure_oom(cfz_failure *f, uint64_t used_mb, uint64_t limit_mb) {
  clear(f, CFZ_FAIL_OOM, 0);
  snprintf(f->message, sizeof f->message,
           "fuzzing process used %" PRIu64 " MB, above the %" PRIu64
           " MB --rss-limit",
           used_mb, limit_mb);
}

/* ---- identity ----------------------------------------------------------- */

const char *cfz_failure_kind_name(cfz_failure_kind kind) {
  switch (kind) {
  case CFZ_FAIL_RECOVERABLE:
    return "recoverable";
  case CFZ_FAIL_SIGNAL:
    return "signal";
  case CFZ_FAIL_EXIT:
    return "exit";
  case CFZ_FAIL_HANG:
    return "hang";
  case CFZ_FAIL_OOM:
    return "oom";
  }
  return "unknown";
}

const char *cfz_failure_title(const cfz_failure *f, char *out, size_t outlen) {
  if (outlen == 0)
    return out;
  char how[64] = "";
  if (f->kind == CFZ_FAIL_SIGNAL)
    cfz_signal_name(f->code, how, sizeof how);
  else if (f->kind == CFZ_FAIL_EXIT)
    cfz_exit_text(f->code, 0, how, sizeof how);
  if (!f->bug_type[0]) {
    snprintf(out, outlen, "%s", how[0] ? how : f->message);
    return out;
  }
  size_t o = (size_t)snprintf(out, outlen, "%s", f->bug_type);
  if (f->access[0] && o < outlen)
    o += (size_t)snprintf(out + o, outlen - o, " %s", f->access);
  if (f->address[0] && o < outlen)
    o += (size_t)snprintf(out + o, outlen - o, " on address %s", f->address);
  if (f->frames[0][0] && o < outlen)
    o += (size_t)snprintf(out + o, outlen - o, " in %s", f->frames[0]);
  if (f->location[0] && o < outlen)
    o += (size_t)snprintf(out + o, outlen - o, " (%s)", f->location);
  /* a glibc abort, or a report without a frame: say how it ended */
  if (!f->frames[0][0] && !f->location[0] && how[0] && o < outlen &&
      strchr(f->bug_type, ' '))
    snprintf(out + o, outlen - o, " (%s)", how);
  return out;
}

bool cfz_failure_same(const cfz_failure *a, const cfz_failure *b) {
  if (a->kind != b->kind || strcmp(a->bug_type, b->bug_type) != 0)
    return false;
  switch (a->kind) {
  case CFZ_FAIL_SIGNAL:
  case CFZ_FAIL_EXIT:
    return a->code == b->code;
  default:
    return true;
  }
}

const char *cfz_failure_signature(const cfz_failure *f, char *out,
                                  size_t outlen) {
  if (outlen == 0)
    return out;
  char head[sizeof f->message + 16];
  switch (f->kind) {
  case CFZ_FAIL_RECOVERABLE:
    snprintf(head, sizeof head, "recoverable: %s", f->message);
    break;
  case CFZ_FAIL_SIGNAL:
    signal_text(f->code, head, sizeof head);
    break;
  case CFZ_FAIL_EXIT:
    cfz_exit_text(f->code, 0, head, sizeof head);
    break;
  case CFZ_FAIL_HANG:
    snprintf(head, sizeof head, "hang");
    break;
  case CFZ_FAIL_OOM:
    snprintf(head, sizeof head, "out of memory");
    break;
  default:
    snprintf(head, sizeof head, "unknown");
    break;
  }
  const char *fields[4] = {f->bug_type, f->frames[0], f->frames[1],
                           f->frames[2]};
  int last = -1; /* the last non-empty field: trailing empty ones are cut */
  for (int i = 0; i < 4; i++)
    if (fields[i][0])
      last = i;
  size_t o = (size_t)snprintf(out, outlen, "%s", head);
  for (int i = 0; i <= last && o < outlen; i++)
    o += (size_t)snprintf(out + o, outlen - o, "|%s", fields[i]);
  return out;
}
