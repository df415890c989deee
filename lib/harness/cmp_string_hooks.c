/* cmp_string_hooks.c - byte-string compares seen by the fuzzer (see
 * cmp_trace.h, docs/feedback.md).
 *
 * The string functions are intercepted twice over: the sanitizer runtimes
 * call the __sanitizer_weak_hook_* functions from their own interceptors,
 * and for builds without a sanitizer we define memcmp, strcmp, ... here (in
 * the executable, so they interpose libc's for the target).  When a sanitizer
 * runtime is linked, our definitions forward to its __interceptor_* functions
 * so that its checks still run; those call the weak hooks, which record
 * (cfz_cmp_record_bytes in cmp_trace.c).
 */
#include <string.h>

#include "cmp_trace.h"
#include "cmp_trace_internal.h"

#define CFZ_PUBLIC __attribute__((visibility("default"))) CFZ_NO_COVERAGE
/* ---- the sanitizers' weak hooks ---- */

static inline uintptr_t caller_of(void *pc) {
  void *s = cfz_cmp_stashed_pc;
  return (uintptr_t)(s != NULL ? s : pc);
}

/* Notes that string compares are seen and, while the target runs and we
 * are not already inside a hook, records a[0..alen) against b[0..blen). */
static CFZ_NO_COVERAGE void hook_bytes(void *pc, const void *a, size_t alen,
                                       const void *b, size_t blen,
                                       int ordered) {
  if (!cfz_cmp_any)
    cfz_cmp_any = 1;
  if (!cfz_cmp_on || cfz_cmp_in_hook)
    return;
  cfz_cmp_in_hook = 1;
  cfz_cmp_record_bytes(caller_of(pc), a, alen, b, blen, ordered);
  cfz_cmp_in_hook = 0;
}

/* The same for two strings, each up to its NUL or limit. */
static CFZ_NO_COVERAGE void hook_strs(void *pc, const char *s1, const char *s2,
                                      size_t limit, int ordered) {
  if (!cfz_cmp_any)
    cfz_cmp_any = 1;
  if (!cfz_cmp_on || cfz_cmp_in_hook)
    return;
  cfz_cmp_in_hook = 1;
  if (limit > CFZ_CMP_MAX_BYTES)
    limit = CFZ_CMP_MAX_BYTES;
  cfz_cmp_record_bytes(caller_of(pc), s1, strnlen(s1, limit), s2,
                       strnlen(s2, limit), ordered);
  cfz_cmp_in_hook = 0;
}

/* The sanitizer runtimes' interceptors call these after the real function
 * (result unused). */
CFZ_PUBLIC void __sanitizer_weak_hook_memcmp(void *pc, const void *s1,
                                             const void *s2, size_t n,
                                             int result) {
  (void)result;
  hook_bytes(pc, s1, n, s2, n, 0);
}

CFZ_PUBLIC void __sanitizer_weak_hook_strncmp(void *pc, const char *s1,
                                              const char *s2, size_t n,
                                              int result) {
  (void)result;
  hook_strs(pc, s1, s2, n, 0);
}

CFZ_PUBLIC void __sanitizer_weak_hook_strcmp(void *pc, const char *s1,
                                             const char *s2, int result) {
  (void)result;
  hook_strs(pc, s1, s2, CFZ_CMP_MAX_BYTES, 0);
}

CFZ_PUBLIC void __sanitizer_weak_hook_strncasecmp(void *pc, const char *s1,
                                                  const char *s2, size_t n,
                                                  int result) {
  (void)result;
  hook_strs(pc, s1, s2, n, 0);
}

CFZ_PUBLIC void __sanitizer_weak_hook_strcasecmp(void *pc, const char *s1,
                                                 const char *s2, int result) {
  (void)result;
  hook_strs(pc, s1, s2, CFZ_CMP_MAX_BYTES, 0);
}

CFZ_PUBLIC void __sanitizer_weak_hook_strstr(void *pc, const char *s1,
                                             const char *s2, char *result) {
  (void)result;
  hook_strs(pc, s1, s2, CFZ_CMP_MAX_BYTES, 1);
}

CFZ_PUBLIC void __sanitizer_weak_hook_strcasestr(void *pc, const char *s1,
                                                 const char *s2, char *result) {
  (void)result;
  hook_strs(pc, s1, s2, CFZ_CMP_MAX_BYTES, 1);
}

CFZ_PUBLIC void __sanitizer_weak_hook_memmem(void *pc, const void *s1,
                                             size_t len1, const void *s2,
                                             size_t len2, void *result) {
  (void)result;
  hook_bytes(pc, s1, len1, s2, len2, 1);
}

/* ---- interceptors for builds without a sanitizer runtime ---- */

/* compiler-rt's interceptors (clang 14 and gcc's libasan naming); NULL
 * unless a sanitizer runtime that intercepts them is linked. */
extern int __interceptor_memcmp(const void *, const void *, size_t)
    __attribute__((weak));
extern int __interceptor_bcmp(const void *, const void *, size_t)
    __attribute__((weak));
extern int __interceptor_strcmp(const char *, const char *)
    __attribute__((weak));
extern int __interceptor_strncmp(const char *, const char *, size_t)
    __attribute__((weak));
extern int __interceptor_strcasecmp(const char *, const char *)
    __attribute__((weak));
extern int __interceptor_strncasecmp(const char *, const char *, size_t)
    __attribute__((weak));
extern char *__interceptor_strstr(const char *, const char *)
    __attribute__((weak));
extern char *__interceptor_strcasestr(const char *, const char *)
    __attribute__((weak));
extern void *__interceptor_memmem(const void *, size_t, const void *, size_t)
    __attribute__((weak));

static inline int lower(int c) {
  return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static CFZ_NO_COVERAGE int plain_strncmp(const char *s1, const char *s2,
                                         size_t n, int fold) {
  const unsigned char *a = (const unsigned char *)s1;
  const unsigned char *b = (const unsigned char *)s2;
  for (size_t i = 0; i < n; i++) {
    int x = fold ? lower(a[i]) : a[i];
    int y = fold ? lower(b[i]) : b[i];
    if (x != y)
      return x - y;
    if (x == 0)
      return 0;
  }
  return 0;
}

static CFZ_NO_COVERAGE char *plain_strstr(const char *h, const char *n,
                                          int fold) {
  size_t nl = strlen(n);
  if (nl == 0)
    return (char *)h;
  for (; *h != 0; h++)
    if (plain_strncmp(h, n, nl, fold) == 0)
      return (char *)h;
  return NULL;
}

static CFZ_NO_COVERAGE void *plain_memmem(const void *h, size_t hl,
                                          const void *n, size_t nl) {
  const unsigned char *hp = h, *np = n;
  if (nl == 0)
    return (void *)hp;
  if (nl > hl)
    return NULL;
  const unsigned char *end = hp + (hl - nl) + 1;
  while (hp < end) {
    const unsigned char *p = memchr(hp, np[0], (size_t)(end - hp));
    if (p == NULL)
      return NULL;
    if (cfz_cmp_plain_memcmp(p + 1, np + 1, nl - 1) == 0)
      return (void *)p;
    hp = p + 1;
  }
  return NULL;
}

/* Each interceptor: with a sanitizer runtime, forward (its hook records);
 * otherwise compute with our own loop, then record (hook_bytes/hook_strs). */
#define FORWARD(REAL, CALL)                                                    \
  if (REAL != NULL) {                                                          \
    void *saved = cfz_cmp_stashed_pc;                                          \
    cfz_cmp_stashed_pc = __builtin_return_address(0);                          \
    __typeof__(CALL) r_ = CALL;                                                \
    cfz_cmp_stashed_pc = saved;                                                \
    return r_;                                                                 \
  }

/* One interceptor: forwarded to the sanitizer runtime's when it is linked,
 * else PLAIN computes the result and HOOK records the compare. */
#define INTERCEPT(RET, NAME, PARAMS, ARGS, PLAIN, HOOK)                        \
  CFZ_PUBLIC RET NAME PARAMS {                                                 \
    FORWARD(__interceptor_##NAME, __interceptor_##NAME ARGS);                  \
    RET r = PLAIN;                                                             \
    void *pc = __builtin_return_address(0);                                    \
    HOOK;                                                                      \
    return r;                                                                  \
  }

#define MAXB CFZ_CMP_MAX_BYTES
INTERCEPT(int, memcmp, (const void *s1, const void *s2, size_t n), (s1, s2, n),
          cfz_cmp_plain_memcmp(s1, s2, n), hook_bytes(pc, s1, n, s2, n, 0))
INTERCEPT(int, bcmp, (const void *s1, const void *s2, size_t n), (s1, s2, n),
          cfz_cmp_plain_memcmp(s1, s2, n), hook_bytes(pc, s1, n, s2, n, 0))
INTERCEPT(int, strcmp, (const char *s1, const char *s2), (s1, s2),
          plain_strncmp(s1, s2, SIZE_MAX, 0), hook_strs(pc, s1, s2, MAXB, 0))
INTERCEPT(int, strncmp, (const char *s1, const char *s2, size_t n), (s1, s2, n),
          plain_strncmp(s1, s2, n, 0), hook_strs(pc, s1, s2, n, 0))
INTERCEPT(int, strcasecmp, (const char *s1, const char *s2), (s1, s2),
          plain_strncmp(s1, s2, SIZE_MAX, 1), hook_strs(pc, s1, s2, MAXB, 0))
INTERCEPT(int, strncasecmp, (const char *s1, const char *s2, size_t n),
          (s1, s2, n), plain_strncmp(s1, s2, n, 1), hook_strs(pc, s1, s2, n, 0))
INTERCEPT(char *, strstr, (const char *h, const char *n), (h, n),
          plain_strstr(h, n, 0), hook_strs(pc, h, n, MAXB, 1))
INTERCEPT(char *, strcasestr, (const char *h, const char *n), (h, n),
          plain_strstr(h, n, 1), hook_strs(pc, h, n, MAXB, 1))
INTERCEPT(void *, memmem, (const void *h, size_t hl, const void *n, size_t nl),
          (h, hl, n, nl), plain_memmem(h, hl, n, nl),
          hook_bytes(pc, h, hl, n, nl, 1))
