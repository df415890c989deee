/* libfuzzer_output.c - the lines libFuzzer prints (libfuzzer_output.h). */
#include "libfuzzer_output.h"

#include <inttypes.h>

/* libFuzzer shows and base64-encodes inputs up to this size. */
#define MAX_UNIT_TO_PRINT 256

void cfz_lfo_seed(cfz_strbuf *b, unsigned long seed) {
  cfz_sb_printf(b, "INFO: Seed: %lu\n", seed);
}

void cfz_lfo_modules(cfz_strbuf *b, uint64_t counters, uintptr_t start,
                     uintptr_t stop, uint64_t pcs) {
  cfz_sb_printf(b,
                "INFO: Loaded 1 modules   (%" PRIu64
                " inline 8-bit counters): %" PRIu64 " ",
                counters, counters);
  if (start < stop)
    cfz_sb_printf(b, "[%#" PRIxPTR ", %#" PRIxPTR "), ", start, stop);
  cfz_sb_str(b, "\n");
  if (pcs)
    cfz_sb_printf(b,
                  "INFO: Loaded 1 PC tables (%" PRIu64 " PCs): %" PRIu64 " \n",
                  pcs, pcs);
}

void cfz_lfo_max_len(cfz_strbuf *b, uint64_t max_len) {
  cfz_sb_printf(b,
                "INFO: -max_len is not provided; libFuzzer will not generate "
                "inputs larger than %" PRIu64 " bytes\n",
                max_len);
}

void cfz_lfo_no_corpus(cfz_strbuf *b) {
  cfz_sb_str(b, "INFO: A corpus is not provided, starting from an empty "
                "corpus\n");
}

void cfz_lfo_files_found(cfz_strbuf *b, uint64_t n, const char *dir) {
  cfz_sb_printf(b, "INFO: %7" PRIu64 " files found in %s\n", n, dir);
}

void cfz_lfo_seed_corpus(cfz_strbuf *b, uint64_t files, uint64_t min,
                         uint64_t max, uint64_t total, uint64_t rss_mb) {
  cfz_sb_printf(b,
                "INFO: seed corpus: files: %" PRIu64 " min: %" PRIu64
                "b max: %" PRIu64 "b total: %" PRIu64 "b rss: %" PRIu64 "Mb\n",
                files, min, max, total, rss_mb);
}

static const char *event_word(cfz_lfo_event ev) {
  switch (ev) {
  case CFZ_LFO_INITED:
    return "INITED";
  case CFZ_LFO_NEW:
    return "NEW   ";
  case CFZ_LFO_REDUCE:
    return "REDUCE";
  case CFZ_LFO_PULSE:
    return "pulse ";
  case CFZ_LFO_RELOAD:
    return "RELOAD";
  case CFZ_LFO_DONE:
    return "DONE  ";
  }
  return "?";
}

/* The stats without the newline. */
static void stats(cfz_strbuf *b, cfz_lfo_event ev, const cfz_lfo_stats *s) {
  cfz_sb_printf(b, "#%" PRIu64 "\t%s", s->runs, event_word(ev));
  if (s->cov)
    cfz_sb_printf(b, " cov: %" PRIu64, s->cov);
  if (s->ft)
    cfz_sb_printf(b, " ft: %" PRIu64, s->ft);
  if (s->corp_units) {
    cfz_sb_printf(b, " corp: %" PRIu64, s->corp_units);
    uint64_t n = s->corp_bytes;
    if (n == 0)
      ;
    else if (n < (1u << 14))
      cfz_sb_printf(b, "/%" PRIu64 "b", n);
    else if (n < (1u << 24))
      cfz_sb_printf(b, "/%" PRIu64 "Kb", n >> 10);
    else
      cfz_sb_printf(b, "/%" PRIu64 "Mb", n >> 20);
  }
  if (s->lim)
    cfz_sb_printf(b, " lim: %" PRIu64, s->lim);
  cfz_sb_printf(b, " exec/s: %" PRIu64 " rss: %" PRIu64 "Mb", s->exec_per_sec,
                s->rss_mb);
}

void cfz_lfo_stats_line(cfz_strbuf *b, cfz_lfo_event ev,
                        const cfz_lfo_stats *s) {
  stats(b, ev, s);
  cfz_sb_str(b, "\n");
}

static void ops_text(cfz_strbuf *b, size_t nops, const char *ops) {
  cfz_sb_printf(b, "MS: %zu %s", nops, ops ? ops : "");
}

void cfz_lfo_new_unit(cfz_strbuf *b, cfz_lfo_event ev, const cfz_lfo_stats *s,
                      uint64_t len, uint64_t max_len, size_t nops,
                      const char *ops) {
  stats(b, ev, s);
  cfz_sb_printf(b, " L: %" PRIu64 "/%" PRIu64 " ", len, max_len);
  ops_text(b, nops, ops);
  cfz_sb_str(b, "\n");
}

void cfz_lfo_done(cfz_strbuf *b, uint64_t runs, uint64_t seconds) {
  cfz_sb_printf(b, "Done %" PRIu64 " runs in %" PRIu64 " second(s)\n", runs,
                seconds);
}

const char *cfz_lfo_artifact_kind(cfz_lfo_failure k) {
  switch (k) {
  case CFZ_LFO_TIMEOUT:
    return "timeout-";
  case CFZ_LFO_OOM_RSS:
  case CFZ_LFO_OOM_MALLOC:
    return "oom-";
  case CFZ_LFO_LEAK:
    return "leak-";
  case CFZ_LFO_DEADLY_SIGNAL:
  case CFZ_LFO_TARGET_EXITED:
  case CFZ_LFO_CONST_INPUT:
    break;
  }
  return "crash-";
}

void cfz_lfo_error(cfz_strbuf *b, long pid, cfz_lfo_failure k, uint64_t a,
                   uint64_t c) {
  switch (k) {
  case CFZ_LFO_DEADLY_SIGNAL:
    cfz_sb_printf(b, "==%ld== ERROR: libFuzzer: deadly signal\n", pid);
    break;
  case CFZ_LFO_TARGET_EXITED:
    cfz_sb_printf(b, "==%ld== ERROR: libFuzzer: fuzz target exited\n", pid);
    break;
  case CFZ_LFO_TIMEOUT:
    cfz_sb_printf(
        b, "==%ld== ERROR: libFuzzer: timeout after %" PRIu64 " seconds\n", pid,
        a);
    break;
  case CFZ_LFO_OOM_RSS:
    cfz_sb_printf(b,
                  "==%ld== ERROR: libFuzzer: out-of-memory (used: %" PRIu64
                  "Mb; limit: %" PRIu64 "Mb)\n"
                  "   To change the out-of-memory limit use "
                  "-rss_limit_mb=<N>\n\n",
                  pid, a, c);
    break;
  case CFZ_LFO_OOM_MALLOC:
    cfz_sb_printf(b,
                  "==%ld== ERROR: libFuzzer: out-of-memory (malloc(%" PRIu64
                  "))\n"
                  "   To change the out-of-memory limit use "
                  "-rss_limit_mb=<N>\n\n",
                  pid, a);
    break;
  case CFZ_LFO_CONST_INPUT:
    cfz_sb_printf(b,
                  "==%ld== ERROR: libFuzzer: fuzz target overwrites its "
                  "const input\n",
                  pid);
    break;
  case CFZ_LFO_LEAK:
    break;
  }
}

void cfz_lfo_summary(cfz_strbuf *b, cfz_lfo_failure k) {
  const char *what = NULL;
  switch (k) {
  case CFZ_LFO_DEADLY_SIGNAL:
    what = "deadly signal";
    break;
  case CFZ_LFO_TARGET_EXITED:
    what = "fuzz target exited";
    break;
  case CFZ_LFO_TIMEOUT:
    what = "timeout";
    break;
  case CFZ_LFO_OOM_RSS:
  case CFZ_LFO_OOM_MALLOC:
    what = "out-of-memory";
    break;
  case CFZ_LFO_CONST_INPUT:
    what = "overwrites-const-input";
    break;
  case CFZ_LFO_LEAK:
    return;
  }
  cfz_sb_printf(b, "SUMMARY: libFuzzer: %s\n", what);
}

void cfz_lfo_alarm(cfz_strbuf *b, uint64_t seconds, long timeout) {
  cfz_sb_printf(b,
                "ALARM: working on the last Unit for %" PRIu64 " seconds\n"
                "       and the timeout value is %ld (use -timeout=N to "
                "change)\n",
                seconds, timeout);
}

void cfz_lfo_mutation(cfz_strbuf *b, size_t nops, const char *ops,
                      const char *base_sha1) {
  ops_text(b, nops, ops);
  cfz_sb_printf(b, "; base unit: %s\n",
                base_sha1 && *base_sha1 ? base_sha1 : CFZ_LFO_NO_BASE);
}

void cfz_lfo_unit_dump(cfz_strbuf *b, const uint8_t *data, size_t len) {
  if (len > MAX_UNIT_TO_PRINT)
    return;
  for (size_t i = 0; i < len; i++)
    cfz_sb_printf(b, "0x%x,", (unsigned)data[i]);
  cfz_sb_str(b, "\n");
  for (size_t i = 0; i < len; i++) {
    uint8_t c = data[i];
    if (c == '\\')
      cfz_sb_str(b, "\\\\");
    else if (c == '"')
      cfz_sb_str(b, "\\\"");
    else if (c >= 32 && c < 127)
      cfz_sb_printf(b, "%c", c);
    else
      cfz_sb_printf(b, "\\%03o", (unsigned)c);
  }
  cfz_sb_str(b, "\n");
}

void cfz_lfo_base64(cfz_strbuf *b, const uint8_t *data, size_t len) {
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < len; i += 3) {
    uint32_t v = (uint32_t)data[i] << 16;
    if (i + 1 < len)
      v |= (uint32_t)data[i + 1] << 8;
    if (i + 2 < len)
      v |= data[i + 2];
    char q[4] = {tab[(v >> 18) & 63], tab[(v >> 12) & 63],
                 i + 1 < len ? tab[(v >> 6) & 63] : '=',
                 i + 2 < len ? tab[v & 63] : '='};
    cfz_sb_add(b, q, 4);
  }
}

void cfz_lfo_artifact(cfz_strbuf *b, const char *prefix, const char *path,
                      const uint8_t *data, size_t len) {
  cfz_sb_printf(b, "artifact_prefix='%s'; Test unit written to %s\n",
                prefix ? prefix : "", path);
  if (len <= MAX_UNIT_TO_PRINT) {
    cfz_sb_str(b, "Base64: ");
    cfz_lfo_base64(b, data, len);
    cfz_sb_str(b, "\n");
  }
}

void cfz_lfo_final_stats(cfz_strbuf *b, uint64_t runs, uint64_t exec_per_sec,
                         uint64_t new_units, uint64_t slowest_sec,
                         uint64_t peak_rss_mb) {
  cfz_sb_printf(b,
                "stat::number_of_executed_units: %" PRIu64 "\n"
                "stat::average_exec_per_sec:     %" PRIu64 "\n"
                "stat::new_units_added:          %" PRIu64 "\n"
                "stat::slowest_unit_time_sec:    %" PRIu64 "\n"
                "stat::peak_rss_mb:              %" PRIu64 "\n",
                runs, exec_per_sec, new_units, slowest_sec, peak_rss_mb);
}

void cfz_lfo_merge_outer(cfz_strbuf *b, uint64_t files, uint64_t features,
                         uint64_t edges) {
  cfz_sb_printf(b,
                "MERGE-OUTER: %" PRIu64 " new files with %" PRIu64
                " new features added; %" PRIu64 " new coverage edges\n",
                files, features, edges);
}

void cfz_lfo_running(cfz_strbuf *b, const char *file) {
  cfz_sb_printf(b, "Running: %s\n", file);
}

void cfz_lfo_executed(cfz_strbuf *b, const char *file, uint64_t ms) {
  cfz_sb_printf(b, "Executed %s in %" PRIu64 " ms\n", file, ms);
}

void cfz_lfo_not_fuzzed(cfz_strbuf *b) {
  cfz_sb_str(b, "***\n"
                "*** NOTE: fuzzing was not performed, you have only\n"
                "***       executed the target code on a fixed set of "
                "inputs.\n"
                "***\n");
}
