/* libfuzzer.c - `cfz libfuzzer TARGET [libFuzzer flags] [DIR...]`: a
 * libFuzzer-style target started with libFuzzer's command line hands it
 * over here (lib/harness/driver_exec.h); cfz runs it with libFuzzer's
 * meaning and prints libFuzzer's output (docs/oss-fuzz.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "commands.h"
#include "content_hash.h"
#include "corpus_store.h"
#include "libfuzzer_binary.h"
#include "libfuzzer_checks.h"
#include "libfuzzer_dirs.h"
#include "libfuzzer_flags.h"
#include "libfuzzer_plan.h"
#include "libfuzzer_report.h"

/* The observer's state: the report and how the run ended. */
typedef struct session {
  cfz_lf_report report;
  const cfz_lf_plan *plan;
  int failure_status; /* 0: no failure reported */
  int write_errors;
  uint64_t corpus_bytes; /* the corpus' total size in bytes */
  size_t max_len;        /* the mutator's bound, for "L: len/max_len" */
  size_t dict_entries;
} session;

static uint64_t rss_mb(void) {
  size_t rss = 0;
  return uv_resident_set_memory(&rss) == 0 ? rss >> 20 : 0;
}

static cfz_lfo_stats lfo_stats(const session *s, const cfz_run_stats *st) {
  return (cfz_lfo_stats){.runs = st->execs,
                         .cov = st->edges,
                         .ft = st->features,
                         .corp_units = st->corpus,
                         .corp_bytes = s->corpus_bytes,
                         .exec_per_sec = st->execs_per_sec,
                         .rss_mb = rss_mb()};
}

static void on_loaded(void *ctx, uint64_t counters, const uint64_t *files,
                      size_t ndirs, uint64_t min, uint64_t max, uint64_t total,
                      size_t max_len) {
  session *s = ctx;
  (void)ndirs;
  s->corpus_bytes = total;
  s->max_len = max_len;
  cfz_lfr_start(&s->report, counters, s->dict_entries);
  cfz_lfr_corpus(&s->report, files, min, max, total, max_len, rss_mb());
}

static void on_inited(void *ctx, const cfz_run_stats *st) {
  session *s = ctx;
  cfz_lfo_stats l = lfo_stats(s, st);
  cfz_lfr_stats(&s->report, CFZ_LFO_INITED, &l);
}

static void on_new_input(void *ctx, const cfz_values *in,
                         const cfz_run_stats *st) {
  session *s = ctx;
  cfz_lfo_stats l = lfo_stats(s, st);
  if (in->n != 1 || in->v[0].type != CFZ_BYTES)
    return; /* a libFuzzer-style target takes one bytes value */
  s->corpus_bytes += in->v[0].v.bytes.len;
  l.corp_bytes = s->corpus_bytes;
  if (cfz_lfr_new_unit(&s->report, &l, in->v[0].v.bytes.data,
                       in->v[0].v.bytes.len, s->max_len, 0, NULL) != 0)
    s->write_errors++;
}

static void on_stats(void *ctx, const cfz_run_stats *st) {
  session *s = ctx;
  cfz_lfo_stats l = lfo_stats(s, st);
  cfz_lfr_stats(&s->report, CFZ_LFO_PULSE, &l);
}

static void on_failure(void *ctx, const cfz_run_failure *f) {
  session *s = ctx;
  if (s->failure_status)
    return; /* libFuzzer reports the first failure only */
  const cfz_failure *cf = f->fail;
  bool hung = cf->kind == CFZ_FAIL_HANG, oom = cf->kind == CFZ_FAIL_OOM;
  int sig = cf->kind == CFZ_FAIL_SIGNAL ? cf->code : 0;
  long status = cf->kind == CFZ_FAIL_EXIT ? cf->code : -1;
  cfz_lfo_failure kind = cfz_lfr_kind(hung, oom, sig, status, f->output);
  if (cf->kind == CFZ_FAIL_RECOVERABLE)
    kind = CFZ_LFO_DEADLY_SIGNAL; /* cfz_fail in a libFuzzer-style target */
  uint64_t a = 0, c = 0;
  if (kind == CFZ_LFO_TIMEOUT)
    a = s->plan->timeout_ms / 1000;
  else if (kind == CFZ_LFO_OOM_RSS)
    a = f->rss_mb, c = s->plan->rss_limit_mb;
  else if (kind == CFZ_LFO_OOM_MALLOC &&
           (!f->output || !strstr(f->output, "libFuzzer: ")))
    a = cfz_lfr_malloc_size(f->output); /* libFuzzer's line with the size */
  const uint8_t *data = NULL;
  size_t len = 0;
  if (f->input->n == 1 && f->input->v[0].type == CFZ_BYTES) {
    data = f->input->v[0].v.bytes.data;
    len = f->input->v[0].v.bytes.len;
  }
  char *output = NULL;
  if (cf->kind == CFZ_FAIL_RECOVERABLE) {
    size_t n = strlen(cf->message) + (f->output ? strlen(f->output) : 0) + 2;
    output = malloc(n);
    if (output)
      snprintf(output, n, "%s%s%s", f->output ? f->output : "",
               f->output && *f->output ? "\n" : "", cf->message);
  }
  s->failure_status = cfz_lfr_failure(
      &s->report, kind, output ? output : f->output, data, len, a, c, NULL);
  free(output);
}

static void on_done(void *ctx, const cfz_run_stats *st, int status) {
  session *s = ctx;
  cfz_lfo_stats l = lfo_stats(s, st);
  if (s->failure_status || status != 0) {
    cfz_lfr_final_stats(&s->report, &l);
    return;
  }
  cfz_lfr_done(&s->report, &l, (uint64_t)st->elapsed_s);
}

/* A private directory for cfz's own seed and generated corpora, which a
 * libFuzzer command line does not use.  Returns 0 or -1. */
static int make_scratch(char *dir, size_t len) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, len, "%s/cfz-libfuzzer-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    fprintf(stderr, "ERROR: cfz: mkdtemp %s: %s\n", dir, strerror(errno));
    return -1;
  }
  return 0;
}

static void remove_tree(const char *dir) {
  uv_fs_t req;
  uv_dirent_t ent;
  if (uv_fs_scandir(NULL, &req, dir, 0, NULL) >= 0) {
    while (uv_fs_scandir_next(&req, &ent) != UV_EOF) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", dir, ent.name);
      if (ent.type == UV_DIRENT_DIR)
        remove_tree(path);
      else if (unlink(path) != 0)
        fprintf(stderr, "cfz: warning: unlink %s: %s\n", path, strerror(errno));
    }
  }
  uv_fs_req_cleanup(&req);
  if (rmdir(dir) != 0)
    fprintf(stderr, "cfz: warning: rmdir %s: %s\n", dir, strerror(errno));
}

static bool is_file(const char *path, void *ctx) {
  (void)ctx;
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The options shared by every mode. */
static void base_options(cfz_run_options *o, const cfz_lf_plan *p,
                         const char *target, const char *scratch) {
  cfz_cli cli;
  cfz_options_defaults(&cli);
  *o = cli.run;
  o->target_path = target;
  o->parallel = p->workers;
  o->timeout_ms = p->timeout_ms ? p->timeout_ms : 365ull * 86400 * 1000;
  o->rss_limit_mb = p->rss_limit_mb;
  o->malloc_limit_mb = p->malloc_limit_mb;
  if (p->max_len) {
    o->max_len = p->max_len;
    o->max_len_set = true;
  }
  o->seed = p->seed;
  o->seed_set = p->seed_given; /* seeded runs use count-bounded batches */
  o->dict_path = p->dict;
  o->value_profile = p->value_profile;
  o->testdata_dir = scratch;
  o->cache_dir = scratch;
}

static int run_fuzz(const cfz_lf_plan *p, const char *target,
                    const char *scratch, size_t dict_entries) {
  cfz_run_options o;
  base_options(&o, p, target, scratch);
  /* libFuzzer reports what it finds as found: no minimization. */
  cfz_fuzz_options fo = {
      .fuzz_time = {.ns = p->max_time_ns, .count = p->max_execs}};
  o.corpus_dirs = (const char *const *)p->dirs;
  o.ncorpus_dirs = p->ndirs;
  session s = {.plan = p, .dict_entries = dict_entries};
  cfz_lfr_init(&s.report, stderr, p, (long)getpid());
  cfz_run_observer obs = {.ctx = &s,
                          .loaded = on_loaded,
                          .inited = on_inited,
                          .new_input = on_new_input,
                          .stats = on_stats,
                          .failure = on_failure,
                          .done = on_done};
  o.observer = &obs;
  int status;
  if (p->mode == CFZ_LFP_CORPUS_RUN) {
    cfz_test_options to = {0};
    cfz_test_result tr = {0};
    status = cfz_test(&o, &to, &tr);
  } else {
    status = cfz_fuzz(&o, &fo);
  }
  if (s.failure_status)
    return s.failure_status;
  return status == 0 && !s.write_errors ? 0 : 1;
}

/* Writes one unit raw into dir as its SHA-1 (kept if present). 0 or -1. */
static int put_unit(const char *dir, const uint8_t *data, size_t len) {
  char sha[41], path[4096], err[512];
  if (cfz_sha1_hex(data, len, sha) != 0)
    return -1;
  snprintf(path, sizeof path, "%s/%s", dir, sha);
  if (access(path, F_OK) == 0)
    return 0;
  if (cfz_file_write_atomic(path, data, len, err, sizeof err) != 0) {
    fprintf(stderr, "ERROR: %s\n", err);
    return -1;
  }
  return 0;
}

static int run_merge(const cfz_lf_plan *p, const char *target,
                     const char *scratch) {
  cfz_run_options o;
  base_options(&o, p, target, scratch);
  o.parallel = 1; /* in order: the seeds' coverage comes first */
  const char *out[1] = {p->out_dir};
  o.corpus_dirs = out;
  o.ncorpus_dirs = 1;
  cfz_merge_options mo = {.dirs = (const char *const *)p->in_dirs,
                          .ndirs = p->nin_dirs,
                          .skip_cache = true};
  cfz_merge_result m = {0};
  fprintf(stderr, "MERGE-OUTER: %zu input directories\n", p->nin_dirs);
  int status = cfz_merge(&o, &mo, &m);
  if (status != 0) {
    cfz_merge_result_free(&m);
    return 1;
  }
  size_t written = 0;
  for (size_t i = 0; i < m.kept; i++) {
    const cfz_values *v = &m.kept_values[i];
    if (v->n != 1 || v->v[0].type != CFZ_BYTES)
      continue;
    if (put_unit(p->out_dir, v->v[0].v.bytes.data, v->v[0].v.bytes.len) != 0) {
      cfz_merge_result_free(&m);
      return 1;
    }
    written++;
  }
  cfz_strbuf b = {0};
  cfz_lfo_merge_outer(&b, written, m.features - m.base_features,
                      m.edges - m.base_edges);
  if (b.p)
    fputs(b.p, stderr);
  free(b.p);
  cfz_merge_result_free(&m);
  return 0;
}

static int run_minimize(const cfz_lf_plan *p, const char *target,
                        const char *scratch) {
  cfz_run_options o;
  base_options(&o, p, target, scratch);
  cfz_minimize_options mo = {
      .crash_file = p->crash_file,
      .minimize_time = {.ns = p->max_time_ns, .count = p->max_execs}};
  if (!mo.minimize_time.count && !mo.minimize_time.ns)
    mo.minimize_time.ns = 60ull * 1000000000ull;
  cfz_minimize_result res = {0};
  int status = cfz_minimize(&o, &mo, &res);
  if (status != 0 || !res.reproduced) {
    fprintf(stderr, "CRASH_MIN: '%s' did not crash\n", p->crash_file);
    cfz_values_free(&res.best);
    return 1;
  }
  int rc = 1;
  if (res.best.n == 1 && res.best.v[0].type == CFZ_BYTES) {
    const uint8_t *data = res.best.v[0].v.bytes.data;
    size_t len = res.best.v[0].v.bytes.len;
    char path[4096] = "", sha[41], err[512];
    if (p->exact_path)
      snprintf(path, sizeof path, "%s", p->exact_path);
    else if (cfz_sha1_hex(data, len, sha) == 0)
      snprintf(path, sizeof path, "%sminimized-from-%s", p->artifact_prefix,
               sha);
    if (!path[0] ||
        cfz_file_write_atomic(path, data, len, err, sizeof err) != 0) {
      fprintf(stderr, "ERROR: %s\n", path[0] ? err : "cfz: no SHA-1");
    } else {
      fprintf(stderr,
              "CRASH_MIN: minimized '%s' to %zu bytes in %llu runs\n"
              "artifact_prefix='%s'; Test unit written to %s\n",
              p->crash_file, len, (unsigned long long)res.execs,
              p->artifact_prefix, path);
      rc = 0;
    }
  }
  cfz_values_free(&res.best);
  return rc;
}

/* -detect_leaks=0 reaches the workers' LeakSanitizer through the
 * environment they inherit (the last setting wins). */
static void leaks_off(void) {
  const char *asan = getenv("ASAN_OPTIONS");
  char buf[4096];
  snprintf(buf, sizeof buf, "%s%sdetect_leaks=0", asan ? asan : "",
           asan && *asan ? ":" : "");
  setenv("ASAN_OPTIONS", buf, 1);
}

/* 0 when target may be run here; else prints why and returns 1. */
static int check_target(int argc, char **argv) {
  if (argc < 2 || argv[1][0] == '-') {
    fprintf(stderr,
            "usage: cfz libfuzzer ./target [libFuzzer flags] [DIR_OR_FILE...]"
            "\n\nRun by a libFuzzer-style target linked with cfz's harness "
            "when it is\nstarted to fuzz, merge or minimize "
            "(docs/oss-fuzz.md).\n");
    return 1;
  }
  char err[512];
  int lf = cfz_is_libfuzzer_binary(argv[1], err, sizeof err);
  if (lf < 0)
    fprintf(stderr, "ERROR: cfz: %s\n", err);
  else if (lf == 1)
    fprintf(stderr, "ERROR: cfz: %s: %s\n", argv[1], CFZ_LIBFUZZER_BINARY_HELP);
  return lf == 0 ? 0 : 1;
}

/* Runs the plan; returns the exit status. */
static int run_plan(const cfz_lf_plan *p, const char *target) {
  if (p->mode == CFZ_LFP_HELP) {
    cfz_strbuf h = {0};
    cfz_lf_help_text(target, &h);
    if (h.p)
      fputs(h.p, stderr);
    free(h.p);
    return 0;
  }
  if (p->mode == CFZ_LFP_REPRODUCE) {
    /* Every input is a file: the target runs them itself. */
    fprintf(stderr, "ERROR: cfz: run %s FILE... directly to reproduce\n",
            target);
    return 1;
  }
  /* As libFuzzer, in every mode: the artifact and corpus directories, then
   * the dictionary. */
  size_t dict_entries = 0;
  if (cfz_lf_check_dirs(p, stderr) != 0 ||
      (p->dict && cfz_lf_check_dict(p->dict, &dict_entries, stderr) != 0))
    return 1;
  char scratch[4096];
  if (make_scratch(scratch, sizeof scratch) != 0)
    return 1;
  int rc;
  if (p->mode == CFZ_LFP_MERGE)
    rc = run_merge(p, target, scratch);
  else if (p->mode == CFZ_LFP_MINIMIZE)
    rc = run_minimize(p, target, scratch);
  else
    rc = run_fuzz(p, target, scratch, dict_entries);
  remove_tree(scratch);
  return rc;
}

int cfz_cmd_libfuzzer(int argc, char **argv) {
  if (check_target(argc, argv) != 0)
    return 1;
  const char *target = argv[1];
  cfz_lf_flags f;
  cfz_strbuf msgs = {0};
  /* Parsed as the target parsed them: argv[1] plays argv[0]. */
  int parsed = cfz_lf_parse(argc - 1, argv + 1, &f, &msgs);
  free(msgs.p); /* the target printed these already */
  if (parsed != 0) {
    fprintf(stderr, "ERROR: cfz: out of memory\n");
    cfz_lf_flags_free(&f);
    return 1;
  }
  unsigned long seed = (unsigned long)(uv_hrtime() ^ (uint64_t)getpid());
  seed = (seed & 0xffffffffu) ? (seed & 0xffffffffu) : 1;
  cfz_lf_plan p;
  char err[512];
  int rc = 1;
  if (cfz_lf_plan_make(&f, cfz_lf_mode_of(&f, is_file, NULL),
                       uv_available_parallelism(), seed, &p, err,
                       sizeof err) != 0) {
    fprintf(stderr, "ERROR: cfz: %s\n", err);
  } else {
    if (!p.detect_leaks)
      leaks_off();
    /* -close_fd_mask reaches the workers through the environment: each
     * applies it after LLVMFuzzerInitialize (lib/harness/report_fd.h). */
    char mask[8];
    snprintf(mask, sizeof mask, "%d", p.close_fd_mask);
    if (p.close_fd_mask && setenv("CFZ_CLOSE_FD_MASK", mask, 1) != 0)
      fprintf(stderr, "ERROR: cfz: setenv CFZ_CLOSE_FD_MASK: %s\n",
              strerror(errno));
    rc = run_plan(&p, target);
  }
  cfz_lf_flags_free(&f);
  return rc;
}
