/* report.c - the one output sink (report.h). */
#include "report.h"

#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

void cfz_report_init(cfz_report *r, bool json, uint64_t start_ns) {
  *r = (cfz_report){.json = json, .start_ns = start_ns};
  cfz_status_line_init(&r->line);
}

void cfz_report_stats_to(cfz_report *r, const char *path, const char *dir) {
  r->stats_path = path;
  r->stats_dir = dir;
}

void cfz_report_close(cfz_report *r) {
  char err[PATH_MAX + 128];
  cfz_status_line_end(&r->line);
  if (r->stats.path && cfz_stats_file_close(&r->stats, err, sizeof err) != 0)
    cfz_report_log(r, "%s", err);
}

void cfz_report_observe(cfz_report *r, const cfz_run_observer *obs) {
  r->obs = obs;
}

void cfz_report_log(cfz_report *r, const char *fmt, ...) {
  cfz_status_line_clear(&r->line);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

void cfz_report_indented(cfz_report *r, const char *text, size_t max_lines) {
  if (!text || !*text)
    return;
  cfz_status_line_clear(&r->line);
  size_t lines = 0;
  for (const char *p = text; *p && lines < max_lines; lines++) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    fprintf(stderr, "    %.*s\n", (int)n, p);
    p += n + (nl ? 1 : 0);
  }
}

/* With --json, ev as one line on stdout.  Takes ev (NULL is ignored). */
static void emit(cfz_report *r, json_t *ev) {
  if (ev && r->json) {
    if (r->line.stdout_live) /* the status line is on the same screen */
      cfz_status_line_clear(&r->line);
    char *s = json_dumps(ev, JSON_COMPACT);
    if (s) {
      printf("%s\n", s);
      fflush(stdout);
      free(s);
    }
  }
  json_decref(ev);
}

static double elapsed_s(cfz_report *r) {
  return (double)(uv_hrtime() - r->start_ns) / 1e9;
}

/* Event times are whole milliseconds since the run started. */
static json_int_t elapsed_ms(cfz_report *r) {
  return (json_int_t)((uv_hrtime() - r->start_ns) / 1000000u);
}

/* s seconds as "1h2m3s", "2m5s", "9s". */
static void fmt_secs(uint64_t s, char *buf, size_t len) {
  if (s >= 3600)
    snprintf(buf, len, "%" PRIu64 "h%" PRIu64 "m%" PRIu64 "s", s / 3600,
             s / 60 % 60, s % 60);
  else if (s >= 60)
    snprintf(buf, len, "%" PRIu64 "m%" PRIu64 "s", s / 60, s % 60);
  else
    snprintf(buf, len, "%" PRIu64 "s", s);
}

/* The time since the run started, as fmt_secs. */
static void fmt_elapsed(cfz_report *r, char *buf, size_t len) {
  fmt_secs((uint64_t)elapsed_s(r), buf, len);
}

/* n bytes as "512 B", "45.6 KiB", "3.2 MiB", "1.1 GiB". */
static void fmt_bytes(uint64_t n, char *buf, size_t len) {
  static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
  if (n < 1024) {
    snprintf(buf, len, "%" PRIu64 " B", n);
    return;
  }
  double v = (double)n / 1024.0;
  size_t u = 0;
  while (v >= 1024.0 && u + 1 < sizeof units / sizeof *units) {
    v /= 1024.0;
    u++;
  }
  snprintf(buf, len, "%.1f %s", v, units[u]);
}

/* The observer's view of the numbers. */
static cfz_run_stats run_stats(cfz_report *r, const cfz_stats *st) {
  return (cfz_run_stats){.execs = st->execs,
                         .edges = st->edges,
                         .features = st->features,
                         .corpus = st->corpus,
                         .execs_per_sec = st->execs_per_sec,
                         .elapsed_s = elapsed_s(r)};
}

void cfz_report_loaded(cfz_report *r, uint64_t counters, const uint64_t *files,
                       size_t ndirs, uint64_t min, uint64_t max, uint64_t total,
                       size_t max_len) {
  if (r->obs && r->obs->loaded)
    r->obs->loaded(r->obs->ctx, counters, files, ndirs, min, max, total,
                   max_len);
}

void cfz_report_inited(cfz_report *r, const cfz_stats *st) {
  if (r->obs && r->obs->inited) {
    cfz_run_stats s = run_stats(r, st);
    r->obs->inited(r->obs->ctx, &s);
  }
}

void cfz_report_new_input(cfz_report *r, const cfz_values *input,
                          const cfz_stats *st) {
  if (r->obs && r->obs->new_input) {
    cfz_run_stats s = run_stats(r, st);
    r->obs->new_input(r->obs->ctx, input, &s);
  }
}

void cfz_report_failed_input(cfz_report *r, const cfz_failure *f,
                             const char *output, const cfz_values *input,
                             uint64_t rss_mb) {
  if (r->obs && r->obs->failure) {
    cfz_run_failure rf = {
        .fail = f, .output = output, .input = input, .rss_mb = rss_mb};
    r->obs->failure(r->obs->ctx, &rf);
  }
}

void cfz_report_done(cfz_report *r, const cfz_stats *st, int status) {
  if (r->obs && r->obs->done) {
    cfz_run_stats s = run_stats(r, st);
    r->obs->done(r->obs->ctx, &s, status);
  }
}

void cfz_report_warmup(cfz_report *r, size_t done, size_t total) {
  if (r->obs)
    return;
  char el[32], line[256];
  fmt_elapsed(r, el, sizeof el);
  snprintf(line, sizeof line,
           "fuzz: elapsed: %s, gathering baseline coverage: %zu/%zu completed",
           el, done, total);
  if (cfz_status_line_live(&r->line))
    cfz_status_line_show(&r->line, line);
  else
    cfz_report_log(r, "%s", line);
}

/* The in-place status line: the numbers that matter most first, as the
 * terminal may cut the line to its width. */
static void show_status(cfz_report *r, const cfz_stats *st) {
  char el[32], bytes[32], since[48], line[512];
  fmt_elapsed(r, el, sizeof el);
  fmt_bytes(st->corpus_bytes, bytes, sizeof bytes);
  if (r->last_new_ns) {
    char t[32];
    fmt_secs((uv_hrtime() - r->last_new_ns) / 1000000000u, t, sizeof t);
    snprintf(since, sizeof since, "%s ago", t);
  } else {
    snprintf(since, sizeof since, "none yet");
  }
  snprintf(line, sizeof line,
           "fuzz: %s, execs: %" PRIu64 " (%" PRIu64 "/sec), edges: %" PRIu64
           ", features: %" PRIu64 ", corpus: %zu (%s), failures: %" PRIu64
           ", last new: %s, rss: %" PRIu64 " MiB, workers: %u",
           el, st->execs, st->execs_per_sec, st->edges, st->features,
           st->corpus, bytes, st->failures, since, st->rss_mb, st->workers);
  cfz_status_line_show(&r->line, line);
}

/* The row of the stats file; the file is opened at the first one. */
static void stats_row(cfz_report *r, const cfz_stats *st) {
  char err[PATH_MAX + 128];
  if (!r->stats_opened) {
    r->stats_opened = true;
    char path[PATH_MAX];
    if (r->stats_path)
      snprintf(path, sizeof path, "%s", r->stats_path);
    else if (r->stats_dir && r->stats_dir[0])
      snprintf(path, sizeof path, "%s.stats.csv", r->stats_dir);
    else
      return;
    if (cfz_stats_file_open(&r->stats, path, err, sizeof err) != 0) {
      cfz_report_log(r, "%s (no stats are written)", err);
      return;
    }
  }
  if (cfz_stats_file_row(&r->stats, (uint64_t)elapsed_ms(r), st, err,
                         sizeof err) != 0)
    cfz_report_log(r, "%s (no more stats are written)", err);
}

void cfz_report_stats(cfz_report *r, const cfz_stats *st) {
  if (r->obs) {
    if (r->obs->stats) {
      cfz_run_stats s = run_stats(r, st);
      r->obs->stats(r->obs->ctx, &s);
    }
    return;
  }
  stats_row(r, st);
  if (cfz_status_line_live(&r->line)) {
    show_status(r, st);
  } else {
    char el[32];
    fmt_elapsed(r, el, sizeof el);
    cfz_report_log(r,
                   "fuzz: elapsed: %s, execs: %" PRIu64 " (%" PRIu64
                   "/sec), new interesting: %" PRIu64
                   " (total: %zu), features: %" PRIu64 ", edges: %" PRIu64
                   ", workers: %u",
                   el, st->execs, st->execs_per_sec, st->new_interesting,
                   st->corpus, st->features, st->edges, st->workers);
  }
  if (!r->json)
    return;
  json_t *ev = json_pack(
      "{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i}", "event", "stats",
      "elapsed_ms", elapsed_ms(r), "execs", (json_int_t)st->execs,
      "execs_per_sec", (json_int_t)st->execs_per_sec, "new_interesting",
      (json_int_t)st->new_interesting, "corpus", (json_int_t)st->corpus,
      "features", (json_int_t)st->features, "edges", (json_int_t)st->edges,
      "workers", (int)st->workers);
  if (ev) {
    json_object_set_new(ev, "corpus_bytes",
                        json_integer((json_int_t)st->corpus_bytes));
    json_object_set_new(ev, "failures", json_integer((json_int_t)st->failures));
    json_object_set_new(ev, "rss_mb", json_integer((json_int_t)st->rss_mb));
  }
  emit(r, ev);
}

/* The failure's identity as event fields: kind, bug_type, frame, location,
 * title and signature (docs/events.md). */
static void failure_fields(json_t *ev, const cfz_failure *fail) {
  char title[768], sig[1024];
  if (!ev)
    return;
  cfz_failure_title(fail, title, sizeof title);
  cfz_failure_signature(fail, sig, sizeof sig);
  json_object_set_new(ev, "kind",
                      json_string(cfz_failure_kind_name(fail->kind)));
  json_object_set_new(ev, "bug_type", json_string(fail->bug_type));
  json_object_set_new(ev, "frame", json_string(fail->frames[0]));
  json_object_set_new(ev, "location", json_string(fail->location));
  json_object_set_new(ev, "title", json_string(title));
  json_object_set_new(ev, "signature", json_string(sig));
}

/* The report's first lines: the title, then the message when it says
 * more (a sanitizer's bug above "terminated unexpectedly: signal ..."). */
static void print_title(cfz_report *r, const cfz_failure *fail) {
  char title[768];
  cfz_failure_title(fail, title, sizeof title);
  cfz_report_indented(r, title, 1);
  if (strcmp(title, fail->message) != 0)
    cfz_report_indented(r, fail->message, 20);
}

/* Prints s as one shell word: as is when it holds only safe characters,
 * else single-quoted (a path with $(...) in it must not run anything when
 * the line is pasted into a shell). */
static void put_shell_word(const char *s) {
  if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                      "0123456789_./:=@%+,-") == strlen(s)) {
    fputs(s, stderr);
    return;
  }
  fputc('\'', stderr);
  for (; *s; s++) {
    if (*s == '\'')
      fputs("'\\''", stderr);
    else
      fputc(*s, stderr);
  }
  fputc('\'', stderr);
}

void cfz_report_failure(cfz_report *r, const cfz_failure_report *f) {
  if (r->obs)
    return; /* told through cfz_report_failed_input */
  cfz_status_line_clear(&r->line);
  const cfz_crash *k = f->crash;
  /* When it was found, to the millisecond (Go prints the test's time). */
  fprintf(stderr, "--- FAIL: %s (%" PRIu64 ".%03" PRIu64 "s)\n", f->target,
          k->found_ms / 1000u, k->found_ms % 1000u);
  print_title(r, &k->fail);
  /* The tail of what the target printed: sanitizer reports end up here. */
  cfz_report_indented(r, k->output, 60);
  if (!k->path[0]) {
    fprintf(stderr, "    The failing input could not be written; it is "
                    "printed in full above.\n");
  } else {
    fprintf(stderr, "    Failing input written to %s\n", k->path);
    fprintf(stderr, "    To re-run:\n    ");
    put_shell_word(f->target_path);
    fputc(' ', stderr);
    put_shell_word(k->path);
    fputc('\n', stderr);
  }
  fprintf(stderr,
          "    Found at execution %" PRIu64 ", %" PRIu64 ".%03" PRIu64
          "s into the run\n",
          k->found_execs, k->found_ms / 1000u, k->found_ms % 1000u);
  fprintf(stderr, "FAIL\n");
  json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "event", "failure",
                         "target", f->target, "message", k->fail.message,
                         "file", k->path, "execs", (json_int_t)k->found_execs,
                         "elapsed_ms", (json_int_t)k->found_ms);
  failure_fields(ev, &k->fail);
  if (ev)
    json_object_set_new(ev, "count", json_integer((json_int_t)k->count));
  emit(r, ev);
}

void cfz_report_entry_failure(cfz_report *r, const char *target,
                              const char *origin, const cfz_failure *fail,
                              const char *output) {
  if (r->obs)
    return; /* told through cfz_report_failed_input */
  cfz_status_line_clear(&r->line);
  /* Named as Go names seed entries: <Target>/<file name> (or seed#N). */
  const char *base = strrchr(origin, '/');
  base = base ? base + 1 : origin;
  fprintf(stderr, "--- FAIL: %s/%s\n", target, base);
  if (base != origin)
    fprintf(stderr, "    input: %s\n", origin);
  print_title(r, fail);
  cfz_report_indented(r, output, 60);
  fprintf(stderr, "FAIL\n");
  json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:s}", "event", "failure",
                         "target", target, "message", fail->message, "file",
                         base != origin ? origin : "", "origin", origin);
  failure_fields(ev, fail);
  if (ev)
    json_object_set_new(ev, "count", json_integer(1));
  emit(r, ev);
}

void cfz_report_summary(cfz_report *r, const cfz_distinct *d, size_t n) {
  if (!n)
    return;
  cfz_status_line_end(&r->line); /* the run's last status stays above */
  cfz_report_log(r, "cfz: %zu distinct failure(s):", n);
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    char title[768];
    cfz_failure_title(&d[i].fail, title, sizeof title);
    cfz_report_log(r, "  %s\n    seen %u time(s), written to %s", title,
                   d[i].count, d[i].path[0] ? d[i].path : "(not saved)");
    json_t *ev = json_pack("{s:s, s:s, s:I}", "message", d[i].message, "file",
                           d[i].path, "count", (json_int_t)d[i].count);
    failure_fields(ev, &d[i].fail);
    json_array_append_new(list, ev);
  }
  emit(r, json_pack("{s:s, s:o}", "event", "summary", "failures", list));
}

void cfz_report_new_coverage(cfz_report *r, const cfz_stats *st,
                             uint64_t added_features, size_t input_len) {
  r->last_new_ns = uv_hrtime();
  if (!r->json)
    return;
  emit(r, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "event",
                    "new_coverage", "elapsed_ms", elapsed_ms(r), "execs",
                    (json_int_t)st->execs, "corpus", (json_int_t)st->corpus,
                    "features", (json_int_t)st->features, "edges",
                    (json_int_t)st->edges, "added_features",
                    (json_int_t)added_features, "input_len",
                    (json_int_t)input_len));
}

void cfz_report_minimize_start(cfz_report *r, const char *target,
                               const cfz_failure *fail, size_t input_len) {
  if (!r->json)
    return;
  json_t *ev =
      json_pack("{s:s, s:I, s:s, s:s, s:I}", "event", "minimize_start",
                "elapsed_ms", elapsed_ms(r), "target", target, "message",
                fail->message, "input_len", (json_int_t)input_len);
  failure_fields(ev, fail);
  emit(r, ev);
}

void cfz_report_minimize_end(cfz_report *r, const char *target, uint64_t execs,
                             size_t input_len, const char *file) {
  if (!r->json)
    return;
  emit(r, json_pack("{s:s, s:I, s:s, s:I, s:I, s:s}", "event", "minimize_end",
                    "elapsed_ms", elapsed_ms(r), "target", target, "execs",
                    (json_int_t)execs, "input_len", (json_int_t)input_len,
                    "file", file ? file : ""));
}

void cfz_report_worker_restart(cfz_report *r, unsigned worker) {
  if (!r->json)
    return;
  emit(r, json_pack("{s:s, s:I, s:i}", "event", "worker_restart", "elapsed_ms",
                    elapsed_ms(r), "worker", (int)worker));
}
