/* libfuzzer_plan.c - libFuzzer's flags in cfz's terms (libfuzzer_plan.h). */
#include "libfuzzer_plan.h"

#include <stdio.h>
#include <string.h>

static unsigned workers_of(const cfz_lf_flags *f, unsigned ncpu) {
  if (f->fork > 0)
    return (unsigned)f->fork;
  if (f->jobs > 0) {
    if (f->workers > 0)
      return (unsigned)(f->workers < f->jobs ? f->workers : f->jobs);
    unsigned half = ncpu / 2 ? ncpu / 2 : 1;
    return (unsigned)(f->jobs < half ? f->jobs : half);
  }
  if (f->workers > 0)
    return (unsigned)f->workers;
  return 1; /* libFuzzer fuzzes in one process */
}

static uint64_t positive(long v) { return v > 0 ? (uint64_t)v : 0; }

/* The mode and the directories or file it works on.  Returns 0, or -1 with
 * err when the inputs do not fit the mode. */
static int plan_mode(const cfz_lf_flags *f, cfz_lf_mode mode, cfz_lf_plan *p,
                     char *err, size_t errlen) {
  switch (mode) {
  case CFZ_LF_HELP:
    p->mode = CFZ_LFP_HELP;
    break;
  case CFZ_LF_REPRODUCE:
    p->mode = CFZ_LFP_REPRODUCE;
    break;
  case CFZ_LF_FUZZ:
    p->mode = f->runs == 0 ? CFZ_LFP_CORPUS_RUN : CFZ_LFP_FUZZ;
    p->out_dir = f->ninputs ? f->inputs[0] : NULL;
    break;
  case CFZ_LF_MERGE:
    p->mode = CFZ_LFP_MERGE;
    if (f->ninputs < 2) {
      snprintf(err, errlen,
               "-merge=1 needs an output directory and at least one input "
               "directory");
      return -1;
    }
    p->out_dir = f->inputs[0];
    p->in_dirs = f->inputs + 1;
    p->nin_dirs = f->ninputs - 1;
    break;
  case CFZ_LF_MINIMIZE:
    p->mode = CFZ_LFP_MINIMIZE;
    if (f->ninputs != 1) {
      snprintf(err, errlen, "-minimize_crash=1 needs exactly one input file");
      return -1;
    }
    p->crash_file = f->inputs[0];
    break;
  }
  return 0;
}

int cfz_lf_plan_make(const cfz_lf_flags *f, cfz_lf_mode mode, unsigned ncpu,
                     unsigned long random_seed, cfz_lf_plan *p, char *err,
                     size_t errlen) {
  memset(p, 0, sizeof *p);
  p->workers = workers_of(f, ncpu);
  p->max_execs = f->runs >= 0 ? (uint64_t)f->runs : 0;
  p->max_time_ns = positive(f->max_total_time) * 1000000000ull;
  p->timeout_ms = positive(f->timeout) * 1000u;
  p->rss_limit_mb = positive(f->rss_limit_mb);
  p->malloc_limit_mb = positive(cfz_lf_malloc_limit(f));
  p->max_len = (size_t)positive(f->max_len);
  p->seed = f->seed ? f->seed : (random_seed ? random_seed : 1);
  p->seed_given = f->seed != 0;
  p->dict = f->dict && *f->dict ? f->dict : NULL;
  p->value_profile = f->use_value_profile > 0;
  p->detect_leaks = f->detect_leaks > 0;
  p->print_final_stats = f->print_final_stats > 0;
  p->close_fd_mask = (int)(f->close_fd_mask & 3);
  p->error_exitcode = (int)f->error_exitcode;
  p->timeout_exitcode = (int)f->timeout_exitcode;
  p->oom_exitcode = CFZ_LF_OOM_EXITCODE;
  p->artifact_prefix = f->artifact_prefix ? f->artifact_prefix : "";
  p->exact_path = f->exact_artifact_path && *f->exact_artifact_path
                      ? f->exact_artifact_path
                      : NULL;
  p->create_missing_dirs = f->create_missing_dirs > 0;
  p->merge_control_file = f->merge_control_file;
  p->dirs = f->inputs;
  p->ndirs = f->ninputs;
  return plan_mode(f, mode, p, err, errlen);
}
