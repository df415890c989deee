/* libfuzzer_report.c - a fuzzing session told the way libFuzzer tells it
 * (libfuzzer_report.h). */
#include "libfuzzer_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content_hash.h"

void cfz_lfr_init(cfz_lf_report *r, FILE *out, const cfz_lf_plan *plan,
                  long pid) {
  memset(r, 0, sizeof *r);
  r->out = out;
  r->plan = plan;
  r->pid = pid;
}

/* Prints b (and frees it). */
static void emit(cfz_lf_report *r, cfz_strbuf *b) {
  if (b->p && !b->oom)
    fputs(b->p, r->out);
  fflush(r->out);
  free(b->p);
  memset(b, 0, sizeof *b);
}

/* Writes data to path.  excl: leave an existing file alone.  Returns 0, or
 * -1 with errno set. */
static int write_file(const char *path, const uint8_t *data, size_t len,
                      bool excl) {
  int fd = open(path, O_WRONLY | O_CREAT | (excl ? O_EXCL : O_TRUNC), 0644);
  if (fd < 0)
    return excl && errno == EEXIST ? 0 : -1;
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      int e = w < 0 ? errno : EIO;
      close(fd);
      errno = e;
      return -1;
    }
    off += (size_t)w;
  }
  return close(fd);
}

void cfz_lfr_start(cfz_lf_report *r, uint64_t counters, size_t dict_entries) {
  cfz_strbuf b = {0};
  if (r->plan->dict)
    cfz_sb_printf(&b, "Dictionary: %zu entries\n", dict_entries);
  cfz_lfo_seed(&b, r->plan->seed);
  cfz_lfo_modules(&b, counters, 0, 0, 0);
  emit(r, &b);
}

void cfz_lfr_corpus(cfz_lf_report *r, const uint64_t *files, uint64_t min,
                    uint64_t max, uint64_t total, size_t max_len,
                    uint64_t rss_mb) {
  cfz_strbuf b = {0};
  uint64_t n = 0;
  for (size_t i = 0; i < r->plan->ndirs; i++) {
    cfz_lfo_files_found(&b, files[i], r->plan->dirs[i]);
    n += files[i];
  }
  if (r->plan->max_len == 0)
    cfz_lfo_max_len(&b, max_len);
  if (n)
    cfz_lfo_seed_corpus(&b, n, min, max, total, rss_mb);
  else
    cfz_lfo_no_corpus(&b);
  emit(r, &b);
}

void cfz_lfr_stats(cfz_lf_report *r, cfz_lfo_event ev, const cfz_lfo_stats *s) {
  cfz_strbuf b = {0};
  cfz_lfo_stats_line(&b, ev, s);
  emit(r, &b);
}

int cfz_lfr_new_unit(cfz_lf_report *r, const cfz_lfo_stats *s,
                     const uint8_t *data, size_t len, size_t max_len,
                     size_t nops, const char *ops) {
  int rc = 0;
  if (r->plan->out_dir) {
    char sha[41], path[4096];
    int w = -1;
    if (cfz_sha1_hex(data, len, sha) == 0)
      w = snprintf(path, sizeof path, "%s/%s", r->plan->out_dir, sha);
    if (w < 0 || (size_t)w >= sizeof path ||
        write_file(path, data, len, true) != 0) {
      fprintf(r->out, "ERROR: cfz: cannot write a new unit to %s: %s\n",
              r->plan->out_dir, w < 0 ? "no SHA-1" : strerror(errno));
      rc = -1;
    }
  }
  r->new_units++;
  cfz_strbuf b = {0};
  cfz_lfo_new_unit(&b, CFZ_LFO_NEW, s, len, max_len, nops, ops);
  emit(r, &b);
  return rc;
}

static bool has_sanitizer_report(const char *output) {
  if (!output)
    return false;
  for (const char *p = strstr(output, "ERROR: "); p;
       p = strstr(p + 1, "ERROR: ")) {
    const char *eol = strchr(p, '\n');
    const char *san = strstr(p, "Sanitizer");
    if (san && (!eol || san < eol))
      return true;
  }
  return false;
}

/* The MS line, the input dump, the artifact and its lines. */
static void dump_unit(cfz_lf_report *r, cfz_strbuf *b, cfz_lfo_failure kind,
                      const uint8_t *data, size_t len, const char *base) {
  cfz_lfo_mutation(b, 0, NULL, base);
  cfz_lfo_unit_dump(b, data, len);
  char sha[41];
  int w;
  if (r->plan->exact_path)
    w = snprintf(r->artifact, sizeof r->artifact, "%s", r->plan->exact_path);
  else if (cfz_sha1_hex(data, len, sha) == 0)
    w = snprintf(r->artifact, sizeof r->artifact, "%s%s%s",
                 r->plan->artifact_prefix, cfz_lfo_artifact_kind(kind), sha);
  else
    w = -1;
  if (w < 0 || (size_t)w >= sizeof r->artifact) {
    cfz_sb_str(b, "ERROR: cfz: the artifact path is too long\n");
    r->artifact[0] = '\0';
    return;
  }
  if (write_file(r->artifact, data, len, false) != 0) {
    cfz_sb_printf(b, "ERROR: cfz: cannot write the artifact %s: %s\n",
                  r->artifact, strerror(errno));
    r->artifact[0] = '\0';
    return;
  }
  cfz_lfo_artifact(b, r->plan->artifact_prefix, r->artifact, data, len);
}

static void add_output(cfz_strbuf *b, const char *output) {
  if (!output || !*output)
    return;
  cfz_sb_str(b, output);
  if (output[strlen(output) - 1] != '\n')
    cfz_sb_str(b, "\n");
}

int cfz_lfr_failure(cfz_lf_report *r, cfz_lfo_failure kind, const char *output,
                    const uint8_t *data, size_t len, uint64_t a, uint64_t c,
                    const char *base_sha1) {
  cfz_strbuf b = {0};
  /* A report of the target's own (a sanitizer's, or libFuzzer's lines the
   * harness printed) stands for libFuzzer's ERROR and SUMMARY lines. */
  bool sanitizer = has_sanitizer_report(output) ||
                   (output && strstr(output, "ERROR: libFuzzer: "));
  int rc = r->plan->error_exitcode;
  add_output(&b, output);
  switch (kind) {
  case CFZ_LFO_TIMEOUT:
    cfz_lfo_alarm(&b, a, (long)(r->plan->timeout_ms / 1000));
    dump_unit(r, &b, kind, data, len, base_sha1);
    cfz_lfo_error(&b, r->pid, kind, a, c);
    cfz_lfo_summary(&b, kind);
    rc = r->plan->timeout_exitcode;
    break;
  case CFZ_LFO_OOM_RSS:
  case CFZ_LFO_OOM_MALLOC:
    /* A malloc limit the sanitizer reported (size unknown: a == 0) needs
     * no line of libFuzzer's. */
    if (kind == CFZ_LFO_OOM_RSS || a != 0)
      cfz_lfo_error(&b, r->pid, kind, a, c);
    dump_unit(r, &b, kind, data, len, base_sha1);
    cfz_lfo_summary(&b, kind);
    rc = r->plan->oom_exitcode;
    break;
  case CFZ_LFO_LEAK:
    cfz_sb_str(&b, "INFO: to ignore leaks on libFuzzer side use "
                   "-detect_leaks=0.\n\n");
    dump_unit(r, &b, kind, data, len, base_sha1);
    break;
  case CFZ_LFO_DEADLY_SIGNAL:
  case CFZ_LFO_TARGET_EXITED:
  case CFZ_LFO_CONST_INPUT:
    if (!sanitizer) {
      cfz_lfo_error(&b, r->pid, kind, a, c);
      cfz_lfo_summary(&b, kind);
    }
    dump_unit(r, &b, kind, data, len, base_sha1);
    break;
  }
  emit(r, &b);
  return rc;
}

uint64_t cfz_lfr_malloc_size(const char *output) {
  static const char asan[] = "requested allocation size 0x",
                    lf[] = "ERROR: libFuzzer: out-of-memory (malloc(";
  const char *p;
  if (!output)
    return 0;
  if ((p = strstr(output, asan)))
    return strtoull(p + sizeof asan - 1, NULL, 16);
  if ((p = strstr(output, lf)))
    return strtoull(p + sizeof lf - 1, NULL, 10);
  return 0;
}

cfz_lfo_failure cfz_lfr_kind(bool hung, bool oom, int term_signal,
                             long exit_status, const char *output) {
  if (hung)
    return CFZ_LFO_TIMEOUT;
  if (oom)
    return CFZ_LFO_OOM_RSS;
  if (output && strstr(output, "ERROR: LeakSanitizer"))
    return CFZ_LFO_LEAK;
  if (output && (strstr(output, "allocation-size-too-big") ||
                 strstr(output, "malloc limit") ||
                 strstr(output, "ERROR: libFuzzer: out-of-memory (malloc(")))
    return CFZ_LFO_OOM_MALLOC;
  if (output && strstr(output, "fuzz target overwrites its const input"))
    return CFZ_LFO_CONST_INPUT;
  if (term_signal == 0 && exit_status >= 0)
    return CFZ_LFO_TARGET_EXITED;
  return CFZ_LFO_DEADLY_SIGNAL;
}

void cfz_lfr_final_stats(cfz_lf_report *r, const cfz_lfo_stats *s) {
  if (!r->plan->print_final_stats)
    return;
  cfz_strbuf b = {0};
  cfz_lfo_final_stats(&b, s->runs, s->exec_per_sec, r->new_units,
                      r->slowest_unit_ms / 1000, s->rss_mb);
  emit(r, &b);
}

void cfz_lfr_done(cfz_lf_report *r, const cfz_lfo_stats *s, uint64_t seconds) {
  cfz_strbuf b = {0};
  cfz_lfo_stats_line(&b, CFZ_LFO_DONE, s);
  cfz_lfo_done(&b, s->runs, seconds);
  emit(r, &b);
  cfz_lfr_final_stats(r, s);
}
