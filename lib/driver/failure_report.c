/* failure_report.c - a sanitizer report read into a failure: bug type,
 * top frames, access, address and location (cfz_failure_parse_report in
 * failure.h). */
#include "failure.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line of the output: [p, end). */
typedef struct line {
  const char *p, *end;
} line;

static const char *line_end(const char *p) {
  const char *e = strchr(p, '\n');
  return e ? e : p + strlen(p);
}

/* Finds needle within [p, end); NULL when absent. */
static const char *find_in(const char *p, const char *end, const char *needle) {
  size_t n = strlen(needle);
  for (; p + n <= end; p++)
    if (memcmp(p, needle, n) == 0)
      return p;
  return NULL;
}

/* Copies [p, end) into out, trimmed of surrounding blanks. */
static void copy_trimmed(char *out, size_t outlen, const char *p,
                         const char *end) {
  while (p < end && isspace((unsigned char)*p))
    p++;
  while (end > p && isspace((unsigned char)end[-1]))
    end--;
  size_t n = (size_t)(end - p);
  if (n >= outlen)
    n = outlen - 1;
  memcpy(out, p, n);
  out[n] = '\0';
}

/* The first blank-delimited word at p, without a trailing ':' or '.'. */
static void first_word(char *out, size_t outlen, const char *p,
                       const char *end) {
  while (p < end && isspace((unsigned char)*p))
    p++;
  const char *e = p;
  while (e < end && !isspace((unsigned char)*e))
    e++;
  while (e > p && (e[-1] == ':' || e[-1] == '.' || e[-1] == ','))
    e--;
  copy_trimmed(out, outlen, p, e);
}

/* If [p, end) holds "<Name>Sanitizer: " right after marker, returns where
 * the text after it starts, else NULL. */
static const char *after_sanitizer(const char *p, const char *end,
                                   const char *marker) {
  const char *m = find_in(p, end, marker);
  if (!m)
    return NULL;
  const char *q = m + strlen(marker);
  const char *w = q;
  while (w < end && isalpha((unsigned char)*w))
    w++;
  /* The word must end in "Sanitizer" and be followed by ": ". */
  if (w - q < 9 || end - w < 2 || memcmp(w - 9, "Sanitizer", 9) != 0 ||
      memcmp(w, ": ", 2) != 0)
    return NULL;
  return w + 2;
}

static bool is_number_token(const char *p, size_t n) {
  if (n > 0 && (*p == '-' || *p == '+')) {
    p++;
    n--;
  }
  if (n == 0)
    return false;
  if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    for (size_t i = 2; i < n; i++)
      if (!isxdigit((unsigned char)p[i]))
        return false;
    return true;
  }
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)p[i]))
      return false;
  return true;
}

/* UBSan: the text after "runtime error: " up to ':' (or the end of the
 * line), without the numbers in it, which vary from input to input. */
static void ubsan_type(char *out, size_t outlen, const char *p,
                       const char *end) {
  const char *colon = memchr(p, ':', (size_t)(end - p));
  if (colon)
    end = colon;
  size_t o = 0;
  while (p < end) {
    while (p < end && isspace((unsigned char)*p))
      p++;
    const char *w = p;
    while (w < end && !isspace((unsigned char)*w))
      w++;
    size_t n = (size_t)(w - p);
    if (n && !is_number_token(p, n)) {
      if (o && o + 1 < outlen)
        out[o++] = ' ';
      for (size_t i = 0; i < n && o + 1 < outlen; i++)
        out[o++] = p[i];
    }
    p = w;
  }
  out[o] = '\0';
}

static bool starts_with(const char *p, const char *end, const char *prefix) {
  size_t n = strlen(prefix);
  return (size_t)(end - p) >= n && memcmp(p, prefix, n) == 0;
}

/* Frames of the sanitizer runtimes, the harness and libc's abort path. */
static bool skip_frame(const char *fn, const char *fe, const char *rest,
                       const char *end) {
  static const char *const prefixes[] = {
      "__asan",          "__ubsan",        "__sanitizer", "__interceptor_",
      "___interceptor_", "__interception", "__lsan",      "__msan",
      "__hwasan",        "cfz_",           "__GI_",       "__libc_",
      "__pthread_kill"};
  /* libc's abort path, and the allocation and string functions that the
   * sanitizers intercept: in a report they are always the runtime's. */
  static const char *const exact[] = {
      "raise",    "abort",         "gsignal", "pthread_kill", "malloc",
      "calloc",   "realloc",       "free",    "reallocarray", "posix_memalign",
      "memalign", "aligned_alloc", "valloc",  "strdup",       "strndup",
      "memcpy",   "memmove",       "memset",  "memcmp",       "strlen",
      "strnlen",  "strcpy",        "strncpy", "strcmp",       "strncmp",
      "strcat",   "strncat",       "strchr",  "strstr",       "_start"};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (starts_with(fn, fe, prefixes[i]))
      return true;
  if (starts_with(fn, fe, "operator new") ||
      starts_with(fn, fe, "operator delete"))
    return true;
  for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
    size_t n = strlen(exact[i]);
    if ((size_t)(fe - fn) == n && memcmp(fn, exact[i], n) == 0)
      return true;
  }
  /* Anything located inside a sanitizer runtime (malloc, memcpy...). */
  static const char *const places[] = {
      "compiler-rt/lib/", "/libsanitizer/", "libclang_rt.", "libasan.so",
      "libubsan.so",      "liblsan.so",     "libtsan.so",   "/libc.so",
      "/libc-",           "/libstdc++.so",  "/libc++",      "/ld-linux",
      "/lib/harness/"};
  for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
    if (find_in(rest, end, places[i]))
      return true;
  return false;
}

/* Parses "    #3 0x4f2a1b in parse_header /src/x.c:10:3".  Returns false
 * when l is not a frame line; *fn is NULL for a frame without a name. */
static bool parse_frame(line l, const char **fn, const char **fe) {
  const char *p = l.p;
  while (p < l.end && isspace((unsigned char)*p))
    p++;
  if (p >= l.end || *p != '#')
    return false;
  p++;
  if (p >= l.end || !isdigit((unsigned char)*p))
    return false;
  while (p < l.end && isdigit((unsigned char)*p))
    p++;
  if (p >= l.end || *p != ' ')
    return false;
  *fn = *fe = NULL;
  const char *in = find_in(p, l.end, " in ");
  if (!in)
    return true;
  const char *s = in + 4;
  /* The name ends at a blank outside parentheses and angle brackets, so
   * that "f(int, char)" and "g<int, long>" stay whole. */
  int depth = 0;
  const char *e = s;
  for (; e < l.end; e++) {
    if (*e == '(' || *e == '<')
      depth++;
    else if ((*e == ')' || *e == '>') && depth > 0)
      depth--;
    else if (isspace((unsigned char)*e) && depth == 0)
      break;
  }
  if (depth != 0) { /* unbalanced ("operator<<"): first word only */
    e = s;
    while (e < l.end && !isspace((unsigned char)*e))
      e++;
  }
  if (e > s) {
    *fn = s;
    *fe = e;
  }
  return true;
}

/* "parse.c:24" from "/src/parse.c:24:5" (the source location after a
 * frame's function name, or before UBSan's "runtime error"); "" when
 * [p, end) is a module ("(libc.so.6+0x2a)") or holds no line number. */
static void short_location(char *out, size_t outlen, const char *p,
                           const char *end) {
  out[0] = '\0';
  while (p < end && isspace((unsigned char)*p))
    p++;
  const char *e = p;
  while (e < end && !isspace((unsigned char)*e))
    e++;
  if (e == p || *p == '(')
    return;
  const char *base = p;
  for (const char *q = p; q < e; q++)
    if (*q == '/')
      base = q + 1;
  const char *colon = memchr(base, ':', (size_t)(e - base));
  if (!colon || colon + 1 >= e || !isdigit((unsigned char)colon[1]))
    return;
  const char *num_end = colon + 1;
  while (num_end < e && isdigit((unsigned char)*num_end))
    num_end++;
  copy_trimmed(out, outlen, base, num_end);
}

/* Fills f->frames from the first stack trace at or after p. */
static void parse_frames(cfz_failure *f, const char *p) {
  bool in_stack = false;
  int nf = 0;
  while (*p && nf < 3) {
    line l = {p, line_end(p)};
    const char *fn, *fe;
    if (parse_frame(l, &fn, &fe)) {
      in_stack = true;
      if (fn && !skip_frame(fn, fe, fe, l.end)) {
        size_t n = (size_t)(fe - fn);
        if (n >= sizeof f->frames[0])
          n = sizeof f->frames[0] - 1;
        memcpy(f->frames[nf], fn, n);
        f->frames[nf][n] = '\0';
        if (nf == 0)
          short_location(f->location, sizeof f->location, fe, l.end);
        nf++;
      }
    } else if (in_stack) {
      break; /* only the first stack: the fault, not the allocation */
    }
    p = *l.end ? l.end + 1 : l.end;
  }
}

/* ASan's "READ of size 1 at 0x..." → "READ 1"; its "The signal is caused
 * by a WRITE memory access." → "WRITE".  Returns true when l was one. */
static bool parse_access(cfz_failure *f, const char *p, const char *end) {
  static const char *const kinds[] = {"READ", "WRITE"};
  for (size_t i = 0; i < 2; i++) {
    const char *k = find_in(p, end, kinds[i]);
    if (!k)
      continue;
    const char *q = k + strlen(kinds[i]);
    if (starts_with(q, end, " of size ")) {
      q += 9;
      unsigned long n = strtoul(q, NULL, 10);
      snprintf(f->access, sizeof f->access, "%s %lu", kinds[i], n);
      return true;
    }
    if (find_in(p, end, "The signal is caused by a ") &&
        starts_with(q, end, " memory access")) {
      snprintf(f->access, sizeof f->access, "%s", kinds[i]);
      return true;
    }
  }
  return false;
}

/* "SEGV on unknown address 0x000000000000" → address "0x0". */
static void parse_address(cfz_failure *f, const char *p, const char *end) {
  /* Only for a fault at an unknown address: a heap bug's address says
   * nothing that its type and frame do not. */
  const char *a = find_in(p, end, " on unknown address ");
  if (!a)
    return;
  a += strlen(" on unknown address ");
  if (!starts_with(a, end, "0x"))
    return;
  unsigned long long v = strtoull(a, NULL, 16);
  snprintf(f->address, sizeof f->address, "0x%llx", v);
}

/* glibc's malloc checks and fortify abort with a line of their own. */
static bool glibc_abort(cfz_failure *f, const char *p, const char *end) {
  static const char *const starts[] = {"free(): ",
                                       "double free or corruption",
                                       "malloc(): ",
                                       "realloc(): ",
                                       "munmap_chunk(): ",
                                       "corrupted ",
                                       "malloc_consolidate(): ",
                                       "*** stack smashing detected ***",
                                       "*** buffer overflow detected ***"};
  while (p < end && isspace((unsigned char)*p))
    p++;
  for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
    if (starts_with(p, end, starts[i])) {
      const char *e = end;
      /* "*** stack smashing detected ***: terminated": the first part */
      if (*p == '*') {
        const char *close = find_in(p + 3, end, "***");
        if (close)
          e = close + 3;
      }
      copy_trimmed(f->bug_type, sizeof f->bug_type, p, e);
      return true;
    }
  return false;
}

/* The first line of a report (a sanitizer's ERROR or WARNING, UBSan's
 * "runtime error: "): fills f->bug_type, and the address of a SEGV.
 * Returns true when l is one; *ubsan when it is UBSan's. */
static bool report_start(cfz_failure *f, line l, bool *ubsan) {
  const char *t = after_sanitizer(l.p, l.end, "ERROR: ");
  if (t) {
    if (starts_with(t, l.end, "detected memory leaks"))
      snprintf(f->bug_type, sizeof f->bug_type, "memory-leak");
    else if (starts_with(t, l.end, "attempting double-free"))
      snprintf(f->bug_type, sizeof f->bug_type, "double-free");
    else
      first_word(f->bug_type, sizeof f->bug_type, t, l.end);
    parse_address(f, t, l.end);
    return true;
  }
  if ((t = after_sanitizer(l.p, l.end, "WARNING: ")) &&
      (find_in(l.p, l.end, "MemorySanitizer: ") ||
       find_in(l.p, l.end, "ThreadSanitizer: "))) {
    first_word(f->bug_type, sizeof f->bug_type, t, l.end);
    return true;
  }
  if ((t = find_in(l.p, l.end, "runtime error: "))) {
    *ubsan = true;
    ubsan_type(f->bug_type, sizeof f->bug_type, t + 15, l.end);
    return true;
  }
  return false;
}

/* The bug type named by the SUMMARY line, where it is better than ours.
 * ASan's summary names the canonical type ("bad-free" for "attempting
 * free on address which was not malloc()-ed"); leaks summarise as "24
 * byte(s) leaked", UBSan as "undefined-behavior": keep ours. */
static void apply_summary(cfz_failure *f, const char *summary,
                          const char *report) {
  const char *end = line_end(summary);
  const char *t = after_sanitizer(summary, end, "SUMMARY: ");
  char word[sizeof f->bug_type];
  first_word(word, sizeof word, t, end);
  bool generic = !strcmp(word, "undefined-behavior") ||
                 isdigit((unsigned char)word[0]) || word[0] == '\0';
  if (!report)
    snprintf(f->bug_type, sizeof f->bug_type, "%s",
             isdigit((unsigned char)word[0]) ? "memory-leak" : word);
  else if (!generic && find_in(report, line_end(report), "Sanitizer: "))
    snprintf(f->bug_type, sizeof f->bug_type, "%s", word);
}

/* "src/x.c:24:5: runtime error: ..." → location "x.c:24". */
static void ubsan_location(cfz_failure *f, const char *ubsan_line) {
  const char *t = strstr(ubsan_line, ": runtime error: ");
  if (!t || t == ubsan_line)
    return;
  const char *s0 = t;
  while (s0 > ubsan_line && !isspace((unsigned char)s0[-1]))
    s0--;
  short_location(f->location, sizeof f->location, s0, t);
}

void cfz_failure_parse_report(cfz_failure *f, const char *output) {
  memset(f->bug_type, 0, sizeof f->bug_type);
  memset(f->frames, 0, sizeof f->frames);
  memset(f->access, 0, sizeof f->access);
  memset(f->address, 0, sizeof f->address);
  memset(f->location, 0, sizeof f->location);
  if (!output)
    return;
  const char *ubsan_line = NULL;
  const char *report = NULL; /* start of the first report */
  const char *summary = NULL;
  for (const char *p = output; *p;) {
    line l = {p, line_end(p)};
    bool ubsan = false;
    if (!report && report_start(f, l, &ubsan)) {
      report = l.p;
      if (ubsan)
        ubsan_line = l.p;
    } else if (report && !f->access[0] && !summary &&
               parse_access(f, l.p, l.end)) {
      /* the access follows the report's first line */
    } else if (!summary && after_sanitizer(l.p, l.end, "SUMMARY: ")) {
      summary = l.p;
      if (report)
        break;
    }
    p = *l.end ? l.end + 1 : l.end;
  }
  if (summary)
    apply_summary(f, summary, report);
  if (report)
    parse_frames(f, report);
  if (ubsan_line && !f->location[0])
    ubsan_location(f, ubsan_line);
  if (!report && !f->bug_type[0])
    for (const char *p = output; *p;) {
      const char *e = line_end(p);
      if (glibc_abort(f, p, e))
        break;
      p = *e ? e + 1 : e;
    }
}
